// What the city's external intake channels send and get back, shared by the city's endpoints, its
// console and the tests: 郑好拍 (citizen photo reports from the city's app) and 数字城管 (cases from the
// digital city management system, coded by GB/T 30428 classes). One definition per payload.
//
// Both arrive as JSON over HTTPS with a client certificate from the city CA whose OU names the
// channel (`zhenghaopai`, `digitalCity`). Photos travel inside the JSON as base64 and are stored at
// the city by their sha256 (like street photos), then fetched by the street that gets the ticket.

import { z } from 'zod/v4';
import { chinaPoint, intakeTime } from './fields';

export const INTAKE_PATH = '/intake/v1';
export const ZHP_REPORTS_PATH = `${INTAKE_PATH}/zhenghaopai/reports`;
export const DCM_CASES_PATH = `${INTAKE_PATH}/digital-city/cases`;

/** The intake channels served here, by the OU of their client certificate. */
export const INTAKE_SOURCES = ['zhenghaopai', 'digitalCity'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];
export const INTAKE_SOURCE_LABELS: Record<IntakeSource, string> = { zhenghaopai: '郑好拍', digitalCity: '数字城管' };
/** The ticket channel each source's tickets arrive on at the street. */
export const INTAKE_CHANNEL: Record<IntakeSource, 'zhenghaopai' | 'digitalCityMgmt'> = { zhenghaopai: 'zhenghaopai', digitalCity: 'digitalCityMgmt' };

export const MAX_PHOTOS = 3;
/** Decoded bytes of one photo. */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
/** The whole request body (three photos in base64 and the rest). */
export const MAX_INTAKE_BODY = Math.ceil((MAX_PHOTOS * MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024;
export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIMES)[number];

const sourceRef = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '编号须为1–64位字母、数字或 _.:-');
const point = chinaPoint;
const time = intakeTime;
export const intakePhoto = z.object({
  mime: z.enum(PHOTO_MIMES, { message: '照片类型须为 image/jpeg、image/png 或 image/webp' }),
  data: z
    .string()
    .min(4, '照片为空')
    .max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4, `单张照片不能超过${MAX_PHOTO_BYTES / 1024 / 1024}MB`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, '照片须为 base64'),
});
export type IntakePhoto = z.infer<typeof intakePhoto>;

/**
 * A 郑好拍 report: POST {ZHP_REPORTS_PATH}
 *   reportId   the app's own id (a second POST with the same id is a replay: same answer, nothing new)
 *   text       what the citizen wrote, 5–2000 characters
 *   point      WGS-84 where the photo was taken, and/or
 *   address    free text naming the place (a street's full name in it locates it when there is no point)
 *   phone      the citizen's mobile number (personal data: reaches only the street that handles it)
 *   name       optional
 *   category   optional catalog leaf code the citizen picked (e.g. "0601"); checked against the catalog
 *   photos     1–3 photos {mime, data: base64}, each ≤ 4 MB, JPEG/PNG/WebP by their bytes
 *   reportedAt when the citizen sent it (epoch ms or ISO 8601)
 */
export const zhpReport = z
  .object({
    reportId: sourceRef,
    text: z.string().trim().min(5, '描述至少5个字').max(2000, '描述不能超过2000字'),
    point: point.optional(),
    address: z.string().trim().min(2, '地址过短').max(300, '地址过长').optional(),
    phone: z.string().regex(/^1[3-9]\d{9}$/, '手机号格式不正确'),
    name: z.string().trim().min(1).max(50).optional(),
    category: z.string().regex(/^\d{2,8}$/, '类别编码格式不正确').optional(),
    photos: z.array(intakePhoto).min(1, '至少一张照片').max(MAX_PHOTOS, `最多${MAX_PHOTOS}张照片`),
    reportedAt: time,
  })
  .refine((r) => r.point || r.address, { message: '须提供位置（point）或地址（address）' });
export type ZhpReport = z.output<typeof zhpReport>;

/**
 * A 数字城管 case: POST {DCM_CASES_PATH}
 *   caseId     the digital city management system's case number (replay = same answer)
 *   classKind  'event' (事件) or 'component' (部件), GB/T 30428.2
 *   code       the class code: 大类 (2 digits) + 小类 (2 digits), e.g. "0101"
 *   objectCode optional: the component's identification code (部件标识码, 16 digits)
 *   text       the case description (立案描述), 2–2000 characters
 *   point / address as for 郑好拍 (one of them)
 *   photos     0–3 photos as for 郑好拍
 *   reportedAt when it was filed
 */
export const dcmCase = z
  .object({
    caseId: sourceRef,
    classKind: z.enum(['event', 'component'], { message: '类别须为 event（事件）或 component（部件）' }),
    code: z.string().regex(/^\d{4}$/, '类别编码须为4位（大类2位+小类2位）'),
    objectCode: z.string().regex(/^\d{16}$/, '部件标识码须为16位数字').optional(),
    text: z.string().trim().min(2, '描述过短').max(2000, '描述不能超过2000字'),
    point: point.optional(),
    address: z.string().trim().min(2, '地址过短').max(300, '地址过长').optional(),
    photos: z.array(intakePhoto).max(MAX_PHOTOS, `最多${MAX_PHOTOS}张照片`).default([]),
    reportedAt: time,
  })
  .refine((r) => r.point || r.address, { message: '须提供位置（point）或地址（address）' });
export type DcmCase = z.output<typeof dcmCase>;

/** Why a request was refused (each has a counter in the console). */
export const INTAKE_REJECTIONS = ['malformed', 'tooLarge', 'badPhoto', 'photoTooLarge', 'unknownCategory', 'outsideStreets'] as const;
export type IntakeRejection = (typeof INTAKE_REJECTIONS)[number];
export const INTAKE_REJECTION_LABELS: Record<IntakeRejection, string> = {
  malformed: '格式错误',
  tooLarge: '请求过大',
  badPhoto: '照片无效',
  photoTooLarge: '照片过大',
  unknownCategory: '类别编码不在目录中',
  outsideStreets: '位置不在任何街道内',
};

/** Why an accepted case waits at the city instead of reaching a street. */
export const HELD_REASONS = ['unmapped', 'noCodeMap', 'streetNotConnected'] as const;
export type HeldReason = (typeof HELD_REASONS)[number];
export const HELD_REASON_LABELS: Record<HeldReason, string> = {
  unmapped: '编码对照表中没有该类别',
  noCodeMap: '尚未发布数字城管编码对照表',
  streetNotConnected: '所在街道尚未接入',
};

/** The answer to an accepted (or replayed) report or case. */
export interface IntakeReply {
  /** The source's own id (reportId / caseId). */
  ref: string;
  status: 'accepted' | 'held';
  /** The ticket number the citizen is told (null while held). */
  ticketCode: string | null;
  street: string | null;
  streetName: string | null;
  /** The catalog code the case was classified under (null = the street classifies it). */
  category: string | null;
  heldReason: HeldReason | null;
  /** Chinese text for the citizen or the operator. */
  notice: string;
  /** True when this id was received before: nothing new was made. */
  replayed: boolean;
}

/** What the citizen's app reads back: GET {ZHP_REPORTS_PATH}/:reportId */
export interface IntakeStatus {
  ref: string;
  ticketCode: string | null;
  /** held: waiting at the city · inProgress: with the street · closed: done (result below). */
  state: 'held' | 'inProgress' | 'closed';
  statusLabel: string;
  result: string | null;
  satisfaction: string | null;
  closedAt: number | null;
}

/**
 * The event the city raises once when a ticket that came in through an intake channel is closed:
 * what the SMS gateway (or any other notifier) needs to tell the citizen the result.
 */
export interface IntakeClosure {
  source: IntakeSource;
  ref: string;
  ticketId: string;
  ticketCode: string | null;
  street: string;
  /** The citizen's phone, when the source gave one (personal data: for the notifier only). */
  phone: string | null;
  result: string | null;
  satisfaction: string | null;
  closedAt: number;
}

/** Detects an image type from its first bytes; the declared type is not trusted. */
export function sniffPhoto(buf: Uint8Array): PhotoMime | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length >= 8 && png.every((b, i) => buf[i] === b)) return 'image/png';
  const ascii = (a: number, b: number) => String.fromCharCode(...buf.slice(a, b));
  if (buf.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}
