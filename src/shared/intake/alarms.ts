// Video-AI and IoT alarms (视频AI预警 · 物联感知) as the city receives them over MQTT: the topics,
// the JSON payload, the kinds, and the rules that decide which alarms become a ticket. One
// definition, read by the city's intake, its console and the tests.
//
// Topic:   alarms/<kind>/<deviceId>
// Payload: {"kind":"manholeTilt","device":"JS-MH-0012","point":{"lon":113.66,"lat":34.77},
//           "time":1764745200000,"value":23.5,"text":"井盖倾斜23.5°","snapshot":"<base64 JPEG>"}
//   kind      one of ALARM_KINDS; must match the topic's <kind>
//   device    [A-Za-z0-9_.:-]{1,64}; must match the topic's <deviceId>
//   point     WGS-84 longitude/latitude of the device
//   time      when the device raised it, epoch milliseconds (or an ISO 8601 string)
//   value     the measurement the rule compares (degrees, cm, %LEL, hours without water use …)
//   text      the device's own words, ≤ 500 characters (optional)
//   snapshot  a JPEG or PNG from the camera, base64, ≤ 1 MB (optional; stored content-addressed)

import { z } from 'zod/v4';
import { chinaPoint, intakeTime } from './fields';

export const ALARM_KINDS = ['manholeTilt', 'waterLevel', 'smoke', 'gas', 'illegalParking', 'garbage', 'waterMeterIdle'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export const ALARM_KIND_LABELS: Record<AlarmKind, string> = {
  manholeTilt: '井盖倾斜',
  waterLevel: '路面积水',
  smoke: '烟感报警',
  gas: '燃气浓度超标',
  illegalParking: '违章停车',
  garbage: '暴露垃圾',
  waterMeterIdle: '独居老人用水异常',
};

/** The channel a kind's tickets arrive on: video analytics or sensors. */
export const ALARM_CHANNEL: Record<AlarmKind, 'videoAi' | 'iotSensor'> = {
  manholeTilt: 'iotSensor',
  waterLevel: 'iotSensor',
  smoke: 'iotSensor',
  gas: 'iotSensor',
  illegalParking: 'videoAi',
  garbage: 'videoAi',
  waterMeterIdle: 'iotSensor',
};

export const ALARM_TOPIC_FILTER = 'alarms/+/+';
export const MAX_ALARM_PAYLOAD = 1_500_000;
export const MAX_SNAPSHOT_BYTES = 1024 * 1024;

const deviceId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '设备编号须为1–64位字母、数字或 _.:-');

export const alarmPayload = z.object({
  kind: z.enum(ALARM_KINDS, { message: '未知的报警类型' }),
  device: deviceId,
  point: chinaPoint,
  time: intakeTime,
  value: z.number().finite().optional(),
  text: z.string().max(500).optional(),
  snapshot: z
    .string()
    .max(Math.ceil((MAX_SNAPSHOT_BYTES * 4) / 3) + 4, '快照不能超过1MB')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, '快照须为 base64')
    .optional(),
});
export type AlarmPayload = z.output<typeof alarmPayload>;

/**
 * Which alarms of a kind become a ticket.
 * - `threshold`: the value must reach it (an alarm without a value passes only kinds without one).
 * - `durationMs`: the device must keep reporting at or above the threshold this long (a car parked
 *   for 10 minutes, not one that stops for a moment).
 * - `quietHours`: [from, to) hours in China time when alarms are stored but start no ticket.
 * - `windowMs`: alarms of the same kind from the same device — or from within `nearMetres` of the
 *   first one — join one group (one ticket with a count) while the last came less than this ago.
 */
export interface AlarmRule {
  threshold?: number;
  unit?: string;
  durationMs?: number;
  quietHours?: readonly [number, number];
  windowMs: number;
  nearMetres: number;
  /** Ticket type: a care visit is a request for help, the rest are reports. */
  ticketType: 'report' | 'help';
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DEFAULT_ALARM_RULES: Record<AlarmKind, AlarmRule> = {
  manholeTilt: { threshold: 10, unit: '°', windowMs: 12 * HOUR, nearMetres: 30, ticketType: 'report' },
  waterLevel: { threshold: 15, unit: 'cm', durationMs: 5 * MIN, windowMs: 6 * HOUR, nearMetres: 200, ticketType: 'report' },
  smoke: { windowMs: 2 * HOUR, nearMetres: 50, ticketType: 'report' },
  gas: { threshold: 10, unit: '%LEL', windowMs: 2 * HOUR, nearMetres: 50, ticketType: 'report' },
  illegalParking: { durationMs: 10 * MIN, quietHours: [22, 7], windowMs: 2 * HOUR, nearMetres: 30, ticketType: 'report' },
  garbage: { windowMs: 12 * HOUR, nearMetres: 50, ticketType: 'report' },
  waterMeterIdle: { threshold: 24, unit: '小时', windowMs: 48 * HOUR, nearMetres: 10, ticketType: 'help' },
};

/** What happened to one alarm at the city. */
export const ALARM_OUTCOMES = ['ticket', 'grouped', 'belowThreshold', 'pendingDuration', 'quietHours', 'held'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];

/** Why a message was refused before it was stored (each has a counter in the console). */
export const ALARM_REJECTIONS = ['malformed', 'tooLarge', 'badTopic', 'topicMismatch', 'unknownKind', 'outsideStreets', 'replayed'] as const;
export type AlarmRejection = (typeof ALARM_REJECTIONS)[number];

export const ALARM_REJECTION_LABELS: Record<AlarmRejection, string> = {
  malformed: '格式错误',
  tooLarge: '报文过大',
  badTopic: '主题无效',
  topicMismatch: '主题与内容不符',
  unknownKind: '未知报警类型',
  outsideStreets: '位置不在任何街道内',
  replayed: '重复报文',
};

/** The ticket text for an alarm group's first qualifying alarm. */
export function alarmTicketText(a: AlarmPayload, rule: AlarmRule): string {
  const label = ALARM_KIND_LABELS[a.kind];
  const source = ALARM_CHANNEL[a.kind] === 'videoAi' ? '视频AI预警' : '物联感知';
  const measured = a.value != null ? `，监测值 ${a.value}${rule.unit ?? ''}${rule.threshold != null ? `（阈值 ${rule.threshold}${rule.unit ?? ''}）` : ''}` : '';
  const care = a.kind === 'waterMeterIdle' ? '。独居老人家中长时间未用水，请网格员尽快上门探访' : '。请尽快核实处置';
  return `【${source}·${label}】设备 ${a.device} 报警${measured}${a.text ? `：${a.text}` : ''}${care}`;
}

/** Hour of the day in China time. */
export function chinaHour(at: number): number {
  return new Date(at + 8 * HOUR).getUTCHours();
}

export function inQuietHours(rule: AlarmRule, at: number): boolean {
  if (!rule.quietHours) return false;
  const [from, to] = rule.quietHours;
  const h = chinaHour(at);
  return from <= to ? h >= from && h < to : h >= from || h < to;
}

// ---- The alarm facts a street keeps with an alarm's ticket ----
//
// The ticket of an alarm group carries the group's facts through the feed: on `ticket.dispatched`
// (payload `alarm`) and, each time more alarms join the group at the city, on `ticket.alarm`
// (payload `{ ticketId, alarm }`, the facts as they now are). The street checks them with
// `alarmFacts` (a feed item is input like any other) and keeps the newest.

/** Readings a group's facts carry: its newest alarms. */
export const MAX_ALARM_READINGS = 20;

const epochMs = z.number().int().min(0).max(8_640_000_000_000);

export const alarmReading = z.object({
  at: epochMs,
  device: deviceId,
  value: z.number().finite().nullable(),
  text: z.string().max(500).nullable(),
});
export type AlarmReading = z.output<typeof alarmReading>;

export const alarmFacts = z.object({
  groupId: z.string().min(1).max(64),
  kind: z.enum(ALARM_KINDS),
  /** The device that raised the group's first alarm. */
  device: deviceId,
  /** The rule's unit and threshold, to read the values by. */
  unit: z.string().max(16).nullable(),
  threshold: z.number().finite().nullable(),
  firstAt: epochMs,
  lastAt: epochMs,
  /** Alarms merged into the group so far. */
  count: z.number().int().min(1).max(1_000_000_000),
  /** The newest readings, newest first. */
  readings: z.array(alarmReading).max(MAX_ALARM_READINGS),
  /** The newest snapshot, fetched by the street like a city ticket's photos (absent: none new). */
  snapshot: z
    .object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), mime: z.enum(['image/jpeg', 'image/png']), size: z.number().int().positive().max(MAX_SNAPSHOT_BYTES), name: z.string().min(1).max(200) })
    .nullable()
    .optional(),
});
export type AlarmFacts = z.output<typeof alarmFacts>;

/** Feed payload of `ticket.alarm`: an alarm ticket's facts after more alarms joined its group. */
export interface AlarmUpdatePayload {
  ticketId: string;
  alarm: AlarmFacts;
}

/** The name a snapshot is stored under on the street. */
export function snapshotName(kind: AlarmKind, device: string, at: number, mime: 'image/jpeg' | 'image/png'): string {
  return `${ALARM_KIND_LABELS[kind]}-${device}-${at}.${mime === 'image/png' ? 'png' : 'jpg'}`;
}
