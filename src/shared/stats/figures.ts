// The figures a street is judged by, each defined once here. The street node's queries
// (src/main/services/stats/figureSql.ts) implement exactly these definitions, and the ticket list
// filters by the same expressions, so a figure and the list behind it can never disagree.
//
// Conventions: a period is [from, to) in China time (see ./period); times are the store's epoch ms.
// "Received in P" means created in P; "resolved in P" means the ticket's FIRST resolve event is in P;
// "dispatched in P" means its FIRST dispatch event is in P. Counts are tickets unless said otherwise.

import type { Channel } from '../domain/ticket';

/** Channels through which the street finds problems itself (主动发现): grid patrol, video AI, IoT. */
export const PROACTIVE_CHANNELS: readonly Channel[] = ['gridPatrol', 'videoAi', 'iotSensor'];

/** Ticket-level figures: each is a set of tickets, so it opens in the ticket list. */
export const TICKET_FIGURES = [
  'received',
  'receivedResolved',
  'proactive',
  'duplicates',
  'consultations',
  'answeredAtIntake',
  'resolved',
  'resolvedOnTime',
  'resolvedLate',
  'micro',
  'microInGrid',
  'reopened',
  'dispatched',
  'acceptedInTime',
  'acceptedLate',
  'returned',
  'extended',
  'callbacks',
  'satisfied',
  'unsatisfied',
  'supervised',
  'supervisedL1',
  'supervisedL2',
  'supervisedL3',
  'supervisedL4',
] as const;
export type TicketFigure = (typeof TICKET_FIGURES)[number];

/**
 * What each ticket-level figure counts. The docstrings are the definitions.
 */
export interface FigureCounts {
  /** 受理量: tickets created in the period, neither cancelled nor merged into another. */
  received: number;
  /** 办结 (of received): received tickets now resolved, verified or closed. */
  receivedResolved: number;
  /** 主动发现: received tickets that came in through grid patrol, video AI or IoT sensors. */
  proactive: number;
  /** 重复诉求: tickets created in the period that were merged into another ticket (same problem reported again). */
  duplicates: number;
  /** 咨询类: received tickets whose category is a consultation category. */
  consultations: number;
  /** 即问即答: consultations resolved without ever being dispatched (answered at intake). */
  answeredAtIntake: number;
  /** 办结量: tickets whose first `resolve` event falls in the period. */
  resolved: number;
  /**
   * 按时办结: of `resolved`, those whose first `resolve` event is at or before the ticket's
   * `resolve_deadline` (a ticket without a resolve deadline counts as on time).
   */
  resolvedOnTime: number;
  /** 超时办结: resolved − resolvedOnTime. */
  resolvedLate: number;
  /** 小微事件 (resolved): resolved tickets flagged as micro events. */
  micro: number;
  /** 小事不出网格: of `micro`, those whose first resolve was by a grid officer. */
  microInGrid: number;
  /** 重启: of `resolved`, those reopened at least once (failed verification, unsatisfied callback, reopen). */
  reopened: number;
  /** 派单量: tickets whose first `dispatch` event falls in the period. */
  dispatched: number;
  /**
   * 按时签收: of tickets first dispatched in the period, those accepted by the unit before their
   * accept deadline (accepted_at at or before accept_deadline; no accept deadline counts as in time).
   */
  acceptedInTime: number;
  /** 未按时签收: dispatched − acceptedInTime (late or not yet accepted). */
  acceptedLate: number;
  /** 退回: of tickets first dispatched in the period, those returned by a unit at least once. */
  returned: number;
  /** 延期: of tickets first dispatched in the period, those for which a unit asked for an extension. */
  extended: number;
  /** 回访量: `callback` events in the period (events: a ticket called back twice counts twice). */
  callbacks: number;
  /** 满意: of those callback events, the ones whose satisfaction is 满意 or 基本满意. */
  satisfied: number;
  /** 不满意: callbacks − satisfied. */
  unsatisfied: number;
  /** 督办件数: tickets with a `supervise` event in the period. */
  supervised: number;
  /** 一级…四级督办: of `supervised`, by the highest level reached in the period. */
  supervisedL1: number;
  supervisedL2: number;
  supervisedL3: number;
  supervisedL4: number;
}

/** Figures derived from the counts: rates (null when the denominator is 0) and durations. */
export interface Figures extends FigureCounts {
  /** 按时办结率 = resolvedOnTime / resolved. */
  onTimeRate: number | null;
  /** 满意率 = satisfied / callbacks. */
  satisfactionRate: number | null;
  /** 办结率 = receivedResolved / received. */
  resolutionRate: number | null;
  /** 按时签收率 = acceptedInTime / dispatched. */
  acceptedInTimeRate: number | null;
  /** 主动发现率 = proactive / received. */
  proactiveRate: number | null;
  /** 重复诉求率 = duplicates / received (repeat reports per valid ticket received). */
  repeatRate: number | null;
  /** 退回率 = returned / dispatched. */
  returnRate: number | null;
  /** 延期率 = extended / dispatched. */
  extensionRate: number | null;
  /** 小事不出网格率 = microInGrid / micro. */
  microInGridRate: number | null;
  /** 即问即答率 = answeredAtIntake / consultations. */
  instantAnswerRate: number | null;
  /**
   * 平均处置时长 (mean) and its median: working hours (9:00–12:00, 13:00–18:00 on working days of the
   * calendar) from a ticket's creation to its first resolve, over the tickets resolved in the period.
   */
  resolveHoursMean: number | null;
  resolveHoursMedian: number | null;
}

export const FIGURE_LABELS: Record<keyof Figures, string> = {
  received: '受理量',
  receivedResolved: '已办结（受理）',
  proactive: '主动发现',
  duplicates: '重复诉求',
  consultations: '咨询类',
  answeredAtIntake: '即问即答',
  resolved: '办结量',
  resolvedOnTime: '按时办结',
  resolvedLate: '超时办结',
  micro: '小微事件',
  microInGrid: '网格内解决',
  reopened: '重启',
  dispatched: '派单量',
  acceptedInTime: '按时签收',
  acceptedLate: '未按时签收',
  returned: '退回',
  extended: '延期',
  callbacks: '回访量',
  satisfied: '满意',
  unsatisfied: '不满意',
  supervised: '督办件数',
  supervisedL1: '一级督办',
  supervisedL2: '二级督办',
  supervisedL3: '三级督办',
  supervisedL4: '四级督办',
  onTimeRate: '按时办结率',
  satisfactionRate: '满意率',
  resolutionRate: '办结率',
  acceptedInTimeRate: '按时签收率',
  proactiveRate: '主动发现率',
  repeatRate: '重复诉求率',
  returnRate: '退回率',
  extensionRate: '延期率',
  microInGridRate: '小事不出网格率',
  instantAnswerRate: '即问即答率',
  resolveHoursMean: '平均处置时长',
  resolveHoursMedian: '处置时长中位数',
};

/** Rates and the tickets behind their numerator and denominator (for clicking through). */
export const RATES: Record<
  'onTimeRate' | 'satisfactionRate' | 'resolutionRate' | 'acceptedInTimeRate' | 'proactiveRate' | 'repeatRate' | 'returnRate' | 'extensionRate' | 'microInGridRate' | 'instantAnswerRate',
  { num: TicketFigure; den: TicketFigure; higherIsBetter: boolean }
> = {
  onTimeRate: { num: 'resolvedOnTime', den: 'resolved', higherIsBetter: true },
  satisfactionRate: { num: 'satisfied', den: 'callbacks', higherIsBetter: true },
  resolutionRate: { num: 'receivedResolved', den: 'received', higherIsBetter: true },
  acceptedInTimeRate: { num: 'acceptedInTime', den: 'dispatched', higherIsBetter: true },
  proactiveRate: { num: 'proactive', den: 'received', higherIsBetter: true },
  repeatRate: { num: 'duplicates', den: 'received', higherIsBetter: false },
  returnRate: { num: 'returned', den: 'dispatched', higherIsBetter: false },
  extensionRate: { num: 'extended', den: 'dispatched', higherIsBetter: false },
  microInGridRate: { num: 'microInGrid', den: 'micro', higherIsBetter: true },
  instantAnswerRate: { num: 'answeredAtIntake', den: 'consultations', higherIsBetter: true },
};
export type RateKey = keyof typeof RATES;

/** Event-counted figures: the list behind them shows the tickets the events belong to. */
export const EVENT_FIGURES: ReadonlySet<TicketFigure> = new Set(['callbacks', 'satisfied', 'unsatisfied']);

export function emptyCounts(): FigureCounts {
  return Object.fromEntries(TICKET_FIGURES.map((k) => [k, 0])) as unknown as FigureCounts;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Working minutes of each resolved ticket → mean and median in hours. */
export function durationHours(minutes: ArrayLike<number>): { mean: number | null; median: number | null } {
  const n = minutes.length;
  if (!n) return { mean: null, median: null };
  const a = Float64Array.from(minutes);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  // The upper middle by selection (linear, no sort); the lower middle of an even count is then the
  // largest of the values before it.
  const k = n >> 1;
  const upper = nthSmallest(a, k);
  let median = upper;
  if (n % 2 === 0) {
    let lower = -Infinity;
    for (let i = 0; i < k; i++) if (a[i]! > lower) lower = a[i]!;
    median = (lower + upper) / 2;
  }
  return { mean: sum / n / 60, median: median / 60 };
}

/**
 * The k-th smallest value (0-based) of `a`, reordering it so that every value before index k is at
 * most it and every value after at least it (Hoare's selection, middle-of-three pivot).
 */
export function nthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const swap = (i: number, j: number) => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < a[lo]!) swap(mid, lo);
    if (a[hi]! < a[lo]!) swap(hi, lo);
    if (a[hi]! < a[mid]!) swap(hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The rates of a set of counts (and durations computed elsewhere). */
export function deriveFigures(c: FigureCounts, hours: { mean: number | null; median: number | null } = { mean: null, median: null }): Figures {
  return {
    ...c,
    onTimeRate: ratio(c.resolvedOnTime, c.resolved),
    satisfactionRate: ratio(c.satisfied, c.callbacks),
    resolutionRate: ratio(c.receivedResolved, c.received),
    acceptedInTimeRate: ratio(c.acceptedInTime, c.dispatched),
    proactiveRate: ratio(c.proactive, c.received),
    repeatRate: ratio(c.duplicates, c.received),
    returnRate: ratio(c.returned, c.dispatched),
    extensionRate: ratio(c.extended, c.dispatched),
    microInGridRate: ratio(c.microInGrid, c.micro),
    instantAnswerRate: ratio(c.answeredAtIntake, c.consultations),
    resolveHoursMean: hours.mean,
    resolveHoursMedian: hours.median,
  };
}

/** Adds counts (for rolling grids up to communities, leaves up to top categories). */
export function addCounts(a: FigureCounts, b: FigureCounts): FigureCounts {
  const out = { ...a };
  for (const k of TICKET_FIGURES) out[k] += b[k];
  return out;
}

/** Percentage text of a rate: 96.4%, or — when there is nothing to divide. */
export function formatRate(r: number | null, digits = 1): string {
  return r == null ? '—' : `${(r * 100).toFixed(digits)}%`;
}

/** Change of a figure against a comparison, as text: +3.2个百分点 for rates, +12.5% for counts. */
export function formatChange(cur: number | null, prev: number | null, isRate: boolean): string {
  if (cur == null || prev == null) return '—';
  if (isRate) {
    const d = (cur - prev) * 100;
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)}个百分点`;
  }
  if (prev === 0) return cur === 0 ? '持平' : '新增';
  const d = ((cur - prev) / prev) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}

/** The columns of every statistics table (page, Excel, report), in order. */
export const TABLE_FIGURES: ReadonlyArray<keyof Figures> = [
  'received',
  'resolved',
  'resolvedOnTime',
  'onTimeRate',
  'resolutionRate',
  'dispatched',
  'acceptedInTime',
  'acceptedInTimeRate',
  'callbacks',
  'satisfied',
  'satisfactionRate',
  'resolveHoursMean',
  'resolveHoursMedian',
  'proactiveRate',
  'repeatRate',
  'returnRate',
  'extensionRate',
  'supervised',
  'microInGridRate',
  'instantAnswerRate',
];

export function isRateKey(k: keyof Figures): k is RateKey {
  return k in RATES;
}
export function isHoursKey(k: keyof Figures): boolean {
  return k === 'resolveHoursMean' || k === 'resolveHoursMedian';
}
