// Supervision (督办) rules: how far an overdue ticket escalates, by run mode, the kind of deadline
// its catalog category sets and the category's own thresholds, and who is reminded at each level. Pure: the node's periodic job and
// the board both use these, and the tests check them against the working-day calendar.

import { Calendar, WORK_HOURS_PER_DAY } from './calendar';
import { RUN_MODE_RULES, type SlaUnit } from './deadline';
import type { RunMode, SupervisionLevel } from './ticket';

/** The four supervision levels (1–4) and who supervises at each. */
export const SUPERVISION_LEVEL_NAMES: Record<1 | 2 | 3 | 4, string> = {
  1: '街道督办',
  2: '区级督办',
  3: '市级督办',
  4: '纪检监察督办',
};

/** Who is reminded when a ticket reaches a level (level 0: the at-risk warning before the deadline). */
export const SUPERVISION_NOTIFIED: Record<SupervisionLevel, readonly string[]> = {
  0: ['处置单位'],
  1: ['处置单位', '街道城运中心'],
  2: ['处置单位', '街道城运中心', '区城运中心'],
  3: ['处置单位', '街道城运中心', '区城运中心', '市城运中心'],
  4: ['处置单位', '街道城运中心', '区城运中心', '市城运中心', '区纪委监委'],
};

/** Whether a category's deadline is short (hours) or long (working days): they escalate differently. */
export type SlaClass = 'hours' | 'days';
export function slaClassOf(unit: SlaUnit | string | null | undefined): SlaClass {
  return unit === 'workDays' ? 'days' : 'hours';
}

export interface EscalationRule {
  /** 'working': only working time of working days counts; 'natural': the clock runs around the clock. */
  clock: 'working' | 'natural';
  /** Hours overdue after which levels 2, 3 and 4 are reached (level 1: as soon as it is overdue). */
  thresholds: readonly [number, number, number];
}

const W = WORK_HOURS_PER_DAY;
/**
 * The rule table. Daily mode on long deadlines is the classic rule: over 1 working day → 2, over 3 →
 * 3, over 5 → 4. Non-daily modes run on natural time (the center is on duty around the clock) and
 * tighten step by step; short (hours) deadlines escalate in hours.
 */
export const ESCALATION_RULES: Record<RunMode, Record<SlaClass, EscalationRule>> = {
  daily: {
    days: { clock: 'working', thresholds: [1 * W, 3 * W, 5 * W] },
    hours: { clock: 'working', thresholds: [4, 8, 16] },
  },
  holiday: {
    days: { clock: 'natural', thresholds: [24, 72, 120] },
    hours: { clock: 'natural', thresholds: [4, 8, 16] },
  },
  majorEvent: {
    days: { clock: 'natural', thresholds: [8, 24, 48] },
    hours: { clock: 'natural', thresholds: [2, 4, 8] },
  },
  emergency: {
    days: { clock: 'natural', thresholds: [2, 8, 24] },
    hours: { clock: 'natural', thresholds: [1, 2, 4] },
  },
};

/**
 * A category's own thresholds from the catalog: hours overdue for levels 2, 3 and 4 on the daily
 * clock of its kind of deadline (gas leaks escalate faster than street-light repairs).
 */
export type CatalogThresholds = readonly [number, number, number];

/** Reads the catalog's JSON thresholds; anything but three increasing positive numbers is ignored. */
export function parseCatalogThresholds(json: string | null | undefined): CatalogThresholds | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0) && v[0] < v[1] && v[1] < v[2])
      return [v[0], v[1], v[2]];
  } catch {
    /* not JSON: no override */
  }
  return null;
}

/**
 * The rule for a ticket: the mode's rule for its kind of deadline, or the category's own thresholds
 * in daily mode; in other modes the stricter of the mode's rule and the category's thresholds
 * scaled by the mode's deadline factor.
 */
export function ruleFor(mode: RunMode, sla: SlaClass, catalog?: CatalogThresholds | null): EscalationRule {
  const base = ESCALATION_RULES[mode][sla];
  if (!catalog) return base;
  if (mode === 'daily') return { clock: base.clock, thresholds: catalog };
  const f = RUN_MODE_RULES[mode].factor;
  const t = base.thresholds.map((x, i) => Math.min(x, catalog[i]! * f));
  return { clock: base.clock, thresholds: [t[0]!, t[1]!, t[2]!] };
}

/** Hours a ticket is overdue under a rule's clock (0 when not overdue). */
export function overdueHours(cal: Calendar, rule: EscalationRule, deadline: number, now: number): number {
  if (now <= deadline) return 0;
  if (rule.clock === 'natural') return (now - deadline) / 3600_000;
  return cal.workingMinutesBetween(deadline, now) / 60;
}

/**
 * The supervision level the rules call for now (0 when not overdue). `since`: when the mode came
 * into force — a mode's thresholds count overdue time from then, never retroactively (switching to
 * emergency must not send a ticket overdue for a week straight to 纪检监察).
 */
export function supervisionLevelFor(
  cal: Calendar,
  deadline: number,
  now: number,
  mode: RunMode,
  sla: SlaClass,
  catalog?: CatalogThresholds | null,
  since?: number | null,
): SupervisionLevel {
  if (now <= deadline) return 0;
  const rule = ruleFor(mode, sla, catalog);
  const h = overdueHours(cal, rule, Math.max(deadline, since ?? -Infinity), now);
  const [l2, l3, l4] = rule.thresholds;
  if (h > l4) return 4;
  if (h > l3) return 3;
  if (h > l2) return 2;
  return 1;
}

/** The instant at which the next level will be reached under the rule (null at level 4). */
export function nextEscalationAt(
  cal: Calendar,
  deadline: number,
  level: SupervisionLevel,
  mode: RunMode,
  sla: SlaClass,
  catalog?: CatalogThresholds | null,
  since?: number | null,
): number | null {
  if (level >= 4) return null;
  if (level === 0) return deadline + 1;
  const rule = ruleFor(mode, sla, catalog);
  const hours = rule.thresholds[level - 1]!;
  const from = Math.max(deadline, since ?? -Infinity);
  return rule.clock === 'natural' ? from + hours * 3600_000 + 1 : cal.addWorkingHours(from, hours + 1 / 60);
}

/** Tickets within this long of their deadline are at risk (即将超期) and their unit is reminded. */
export const AT_RISK_MS: Record<RunMode, number> = {
  daily: 24 * 3600_000,
  holiday: 12 * 3600_000,
  majorEvent: 6 * 3600_000,
  emergency: 2 * 3600_000,
};

/** Kinds of supervision record. */
export const SUPERVISION_KINDS = ['warning', 'auto', 'manual'] as const;
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];
export const SUPERVISION_KIND_LABELS: Record<SupervisionKind, string> = {
  warning: '临期提醒',
  auto: '超期自动督办',
  manual: '领导督办',
};

/** The clock a mode's rules run on: daily mode counts working time, the others natural time. */
export function clockOf(mode: RunMode): 'working' | 'natural' {
  return ESCALATION_RULES[mode].days.clock;
}
