// API methods of coordination: supervision (督办), whistle sessions (吹哨报到), joint reviews of
// cross-boundary cases (三跨会商) and run modes (运行模式) with patrols, duty roster and zero reports.

import { z } from 'zod/v4';
import { RUN_MODES, URGENCIES, type RunMode, type SupervisionLevel, type TicketStatus, type Urgency } from '../domain/ticket';
import { WHISTLE_DEPT_STATES, WHISTLE_ENTRY_KINDS, WHISTLE_TASK_STATUSES, type WhistleDeptState, type WhistleEntryKind, type WhistleStatus, type WhistleTaskStatus } from '../domain/whistle';
import { CROSS_DIMENSIONS, REVIEW_POSITIONS, type CrossDimension, type ReviewPosition, type ReviewStatus } from '../domain/review';
import type { RunModeRequirements, RunModeSource, ZeroReportState } from '../domain/runMode';
import type { SupervisionKind } from '../domain/supervision';
import { empty, epochMs, id, method, optionalText } from './common';

const text = (min: number, max: number, what: string) =>
  z.string().trim().min(min, `请填写${what}${min > 1 ? `（至少${min}个字）` : ''}`).max(max, `${what}不能超过${max}字`);

// ---------------------------------------------------------------------------------------------
// Supervision

export const supervisionBoardInput = z
  .object({ unitId: id.optional(), level: z.number().int().min(0).max(4).optional() })
  .prefault({});
/** 签收时效 in 督办: sign-ins (and late ones) per unit in a period, and tickets still unsigned past their deadline. */
export const signInBoardInput = z
  .object({ from: epochMs, to: epochMs, unitId: id.optional() })
  .refine((v) => v.from < v.to, { message: '开始时间须早于结束时间', path: ['to'] })
  .refine((v) => v.to - v.from <= 400 * 86_400_000, { message: '统计时段最长400天', path: ['from'] });
export const supervisionHistoryInput = z.object({
  ticketId: id.optional(),
  unitId: id.optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export const superviseInput = z.object({
  ticketId: id,
  level: z.number().int().min(1, '督办级别为1至4级').max(4, '督办级别为1至4级'),
  note: text(2, 1000, '督办意见'),
  newDeadline: epochMs.optional(),
});

// ---------------------------------------------------------------------------------------------
// Whistle sessions

const taskSpec = z.object({
  unitId: id,
  title: text(2, 300, '任务内容'),
  deadline: epochMs,
  /** The ticket this task works on (defaults to the session's ticket). */
  ticketId: id.optional(),
});
export const whistleOpenInput = z.object({
  title: text(2, 100, '事项名称'),
  problem: text(5, 3000, '问题描述'),
  urgency: z.enum(URGENCIES).default('urgent'),
  place: text(2, 300, '地点'),
  ticketId: id.optional(),
  unitIds: z.array(id).min(1, '请至少选择一个报到部门').max(30, '最多召集30个部门'),
  leadUnitId: id.optional(),
  reportBy: epochMs,
  tasks: z.array(taskSpec).max(60).default([]),
});
export const whistleListInput = z.object({ status: z.enum(['open', 'closed']).optional(), ticketId: id.optional() }).prefault({});
export const whistleRespondInput = z.object({
  sessionId: id,
  /** Street staff may record a department's response (by phone); units answer for themselves. */
  unitId: id.optional(),
  state: z.enum(WHISTLE_DEPT_STATES),
  repName: optionalText(50),
  note: optionalText(500),
});
export const whistleSummonInput = z.object({ sessionId: id, unitIds: z.array(id).min(1, '请选择部门').max(30) });
export const whistleAddTaskInput = taskSpec.extend({ sessionId: id });
export const whistleUpdateTaskInput = z.object({
  taskId: id,
  status: z.enum(WHISTLE_TASK_STATUSES),
  result: optionalText(2000),
});
export const whistleEntryInput = z.object({ sessionId: id, kind: z.enum(WHISTLE_ENTRY_KINDS), text: text(2, 3000, '内容') });
export const whistleCloseInput = z.object({
  sessionId: id,
  summary: text(2, 3000, '结束说明'),
  /** Required when some summoned departments never checked in: why the session ends anyway. */
  reason: z.string().trim().max(1000, '原因不能超过1000字').optional(),
});

// ---------------------------------------------------------------------------------------------
// Joint reviews

export const reviewOpenInput = z.object({
  ticketId: id,
  dimensions: z.array(z.enum(CROSS_DIMENSIONS)).min(1, '请选择三跨类型').max(3),
  question: text(4, 2000, '会商议题'),
  unitIds: z.array(id).min(2, '会商须至少两个候选单位').max(20),
});
export const reviewListInput = z.object({ status: z.enum(['open', 'decided']).optional(), ticketId: id.optional() }).prefault({});
export const reviewPositionInput = z.object({
  reviewId: id,
  unitId: id.optional(),
  position: z.enum(REVIEW_POSITIONS).refine((p) => p !== 'pending', '请选择本单位意见'),
  note: optionalText(1000),
});
export const reviewDecideInput = z.object({
  reviewId: id,
  ownerUnitId: id,
  decision: text(4, 2000, '会商结论'),
  shares: z.array(z.object({ unitId: id, duty: text(2, 300, '配合职责') })).max(20).default([]),
  /** Dispatch the ticket to the owner right away (商定派). */
  dispatch: z.boolean().default(true),
  /** Required when a unit is still 待表态 or the chosen lead answered 配合办理: why decide anyway. */
  reason: z.string().trim().max(1000, '原因不能超过1000字').optional(),
});

// ---------------------------------------------------------------------------------------------
// Run modes

export const runModeSwitchInput = z.object({
  mode: z.enum(RUN_MODES, { message: '请选择运行模式' }),
  start: epochMs.optional(),
  end: epochMs.optional(),
  note: optionalText(500),
});
export const runModePreviewInput = z.object({
  mode: z.enum(RUN_MODES, { message: '请选择运行模式' }),
  start: epochMs.optional(),
});
export const patrolInput = z.object({ placeId: id, ok: z.boolean(), note: optionalText(500) });
export const zeroReportInput = z
  .object({
    kind: z.enum(['nothing', 'incidents'], { message: '请选择报送类型' }),
    text: z.string().trim().max(3000, '内容不能超过3000字').default(''),
    incidents: z.number().int().min(0).max(10_000).default(0),
  })
  .refine((v) => v.kind === 'nothing' || (v.incidents > 0 && v.text.length >= 4), {
    message: '有事件时须填写事件数量和情况说明（至少4个字）',
    path: ['text'],
  });
export const dutyInput = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD'),
  shift: z.enum(['day', 'night']),
  post: text(2, 30, '岗位'),
  name: text(2, 30, '姓名'),
  phone: optionalText(20),
});

export const coordinationMethods = {
  'supervision.board': method<typeof supervisionBoardInput, SupervisionBoard>(supervisionBoardInput),
  'supervision.signIns': method<typeof signInBoardInput, SignInBoard>(signInBoardInput),
  'supervision.history': method<typeof supervisionHistoryInput, SupervisionRecordInfo[]>(supervisionHistoryInput),
  'supervision.supervise': method<typeof superviseInput, SupervisionRecordInfo[]>(superviseInput),
  'supervision.run': method<typeof empty, { escalated: number; warned: number }>(empty),
  'whistle.list': method<typeof whistleListInput, WhistleSummary[]>(whistleListInput),
  'whistle.get': method<z.ZodObject<{ id: typeof id }>, WhistleDetail>(z.object({ id })),
  'whistle.open': method<typeof whistleOpenInput, WhistleDetail>(whistleOpenInput),
  'whistle.respond': method<typeof whistleRespondInput, WhistleDetail>(whistleRespondInput),
  'whistle.summon': method<typeof whistleSummonInput, WhistleDetail>(whistleSummonInput),
  'whistle.addTask': method<typeof whistleAddTaskInput, WhistleDetail>(whistleAddTaskInput),
  'whistle.updateTask': method<typeof whistleUpdateTaskInput, WhistleDetail>(whistleUpdateTaskInput),
  'whistle.addEntry': method<typeof whistleEntryInput, WhistleDetail>(whistleEntryInput),
  'whistle.close': method<typeof whistleCloseInput, WhistleDetail>(whistleCloseInput),
  'reviews.list': method<typeof reviewListInput, ReviewSummary[]>(reviewListInput),
  'reviews.get': method<z.ZodObject<{ id: typeof id }>, ReviewDetail>(z.object({ id })),
  'reviews.open': method<typeof reviewOpenInput, ReviewDetail>(reviewOpenInput),
  'reviews.position': method<typeof reviewPositionInput, ReviewDetail>(reviewPositionInput),
  'reviews.decide': method<typeof reviewDecideInput, ReviewDetail>(reviewDecideInput),
  'runMode.status': method<typeof empty, RunModeStatus>(empty),
  'runMode.preview': method<typeof runModePreviewInput, RunModePreview>(runModePreviewInput),
  'runMode.switch': method<typeof runModeSwitchInput, RunModeStatus>(runModeSwitchInput),
  'runMode.patrol': method<typeof patrolInput, RunModeStatus>(patrolInput),
  'runMode.zeroReport': method<typeof zeroReportInput, RunModeStatus>(zeroReportInput),
  'runMode.setDuty': method<typeof dutyInput, RunModeStatus>(dutyInput),
} as const;
export type CoordinationMethod = keyof typeof coordinationMethods;

// ---------------------------------------------------------------------------------------------
// Output types

export interface SupervisionRecordInfo {
  id: string;
  ticketId: string;
  ticketCode: string;
  kind: SupervisionKind;
  level: SupervisionLevel;
  previousLevel: SupervisionLevel;
  unitId: string | null;
  deadline: number | null;
  newDeadline: number | null;
  overdueMinutes: number;
  runMode: RunMode;
  notified: string[];
  note: string | null;
  byName: string;
  at: number;
}

export interface SupervisionRow {
  ticketId: string;
  code: string;
  description: string;
  status: TicketStatus;
  unitId: string | null;
  categoryPath: string | null;
  urgency: Urgency;
  level: SupervisionLevel;
  /** What the rules call for now (the job raises `level` to it). */
  ruleLevel: SupervisionLevel;
  state: 'overdue' | 'dueSoon';
  resolveDeadline: number;
  /** Overdue time on the rule's clock (working or natural), minutes. */
  overdueMinutes: number;
  clock: 'working' | 'natural';
  /** Overdue time on the natural clock (what the list's countdown says), minutes. */
  overdueNaturalMinutes: number;
  nextEscalationAt: number | null;
  reminders: number;
  lastReminder: { at: number; kind: SupervisionKind; level: SupervisionLevel; notified: string[]; byName: string } | null;
}

export interface SupervisionUnitSummary {
  unitId: string | null;
  overdue: number;
  dueSoon: number;
  byLevel: [number, number, number, number, number];
  /** Longest overdue time among its tickets, natural clock, minutes. */
  maxOverdueMinutes: number;
}

/** One unit's sign-ins (签收) in the period: all of them, the late ones, and the latest by how much. */
export interface SignInUnitCount {
  unitId: string | null;
  signed: number;
  late: number;
  /** Longest lateness of a late sign-in in the period, minutes. */
  maxLateMinutes: number;
  /** Its tickets waiting now past their accept deadline (超时未签收). */
  unsigned: number;
}

/** A ticket still waiting for its sign-in past its accept deadline (超时未签收). */
export interface UnsignedTicket {
  ticketId: string;
  code: string;
  description: string;
  channel: string;
  unitId: string | null;
  dispatchedAt: number | null;
  acceptDeadline: number;
  /** Natural minutes past the accept deadline. */
  overdueMinutes: number;
}

export interface SignInBoard {
  from: number;
  to: number;
  now: number;
  units: SignInUnitCount[];
  totals: { signed: number; late: number; unsigned: number };
  unsigned: UnsignedTicket[];
  /** The unsigned list was cut at this many (the longest overdue first). */
  truncated: boolean;
}

export interface SupervisionBoard {
  mode: RunMode;
  now: number;
  rows: SupervisionRow[];
  units: SupervisionUnitSummary[];
  /** The rows were cut at this many (the most urgent first). */
  truncated: boolean;
}

export interface WhistleDepartment {
  unitId: string;
  unitName: string;
  state: WhistleDeptState;
  notifiedAt: number;
  acknowledgedAt: number | null;
  checkedInAt: number | null;
  doneAt: number | null;
  repName: string | null;
  note: string | null;
  late: boolean;
}

export interface WhistleTask {
  id: string;
  unitId: string;
  ticketId: string | null;
  title: string;
  deadline: number;
  status: WhistleTaskStatus;
  result: string | null;
  doneAt: number | null;
  doneByName: string | null;
}

export interface WhistleEntry {
  id: string;
  kind: WhistleEntryKind;
  text: string;
  byName: string;
  at: number;
}

export interface WhistleSummary {
  id: string;
  code: string;
  title: string;
  place: string;
  urgency: Urgency;
  status: WhistleStatus;
  openedAt: number;
  reportBy: number;
  closedAt: number | null;
  ticketId: string | null;
  departments: number;
  checkedIn: number;
  tasks: number;
  tasksDone: number;
}

export interface WhistleDetail extends WhistleSummary {
  problem: string;
  leadUnitId: string | null;
  openedByName: string;
  summary: string | null;
  ticket: { id: string; code: string; status: TicketStatus; description: string } | null;
  depts: WhistleDepartment[];
  taskList: WhistleTask[];
  entries: WhistleEntry[];
  /** What the viewing user may do. */
  canManage: boolean;
  myUnitId: string | null;
  now: number;
}

export interface ReviewUnitInfo {
  unitId: string;
  unitName: string;
  position: ReviewPosition;
  note: string | null;
  byName: string | null;
  at: number | null;
}

export interface ReviewSummary {
  id: string;
  ticketId: string;
  ticketCode: string;
  ticketStatus: TicketStatus;
  dimensions: CrossDimension[];
  question: string;
  status: ReviewStatus;
  ownerUnitId: string | null;
  openedAt: number;
  decidedAt: number | null;
  positionsIn: number;
  units: number;
}

export interface ReviewDetail extends ReviewSummary {
  decision: string | null;
  shares: Array<{ unitId: string; duty: string }>;
  openedByName: string;
  decidedByName: string | null;
  unitList: ReviewUnitInfo[];
  canManage: boolean;
  myUnitId: string | null;
  now: number;
}

export interface RunModePeriod {
  id: string;
  mode: RunMode;
  start: number;
  end: number | null;
  source: RunModeSource;
  byName: string;
  note: string | null;
  createdAt: number;
}

export interface PatrolPlace {
  id: string;
  name: string;
  address: string;
  kind: string;
  lastAt: number | null;
  lastBy: string | null;
  lastOk: boolean | null;
  due: boolean;
  checkinsToday: number;
}

export interface DutyEntry {
  id: string;
  date: string;
  shift: 'day' | 'night';
  post: string;
  name: string;
  phone: string | null;
}

export interface ZeroReportInfo {
  id: string;
  date: string;
  mode: RunMode;
  kind: 'nothing' | 'incidents';
  text: string;
  incidents: number;
  dueAt: number | null;
  late: boolean;
  byName: string;
  at: number;
}

export interface RunModeStatus {
  mode: RunMode;
  current: RunModePeriod | null;
  requirements: RunModeRequirements;
  today: string;
  zeroReport: { state: ZeroReportState; dueAt: number | null; report: ZeroReportInfo | null };
  patrols: PatrolPlace[];
  patrolsDue: number;
  duty: DutyEntry[];
  /** The roster of the next 7 days (today included). */
  roster: DutyEntry[];
  history: RunModePeriod[];
  reports: ZeroReportInfo[];
  now: number;
}

/** What a run-mode switch would do, shown before the leader confirms it. */
export interface RunModePreview {
  from: RunMode;
  to: RunMode;
  /** When the switch takes effect. */
  at: number;
  /** Deadlines of tickets filed from then on: factor on the catalog's time limit, and the clock. */
  deadlines: { factor: number; naturalTime: boolean; previousFactor: number; previousNaturalTime: boolean };
  /** Open tickets already overdue at the switch. */
  overdueOpen: number;
  /** Tickets that would escalate the moment of the switch (0: thresholds count from the switch). */
  escalateAtOnce: number;
  /** Tickets that would escalate within 24 hours of the switch, soonest first (up to 100). */
  escalations: Array<{ ticketId: string; code: string; level: SupervisionLevel; toLevel: SupervisionLevel; at: number }>;
  escalationsWithin24h: number;
  /** When the first zero report is due under the new mode (null: none required). */
  firstZeroReportDue: number | null;
  zeroReportHour: string | null;
  patrolEveryHours: number | null;
  /** Switching back within the grace period undoes the escalations the last switch caused. */
  undoesEscalations: boolean;
  graceMinutes: number;
}
