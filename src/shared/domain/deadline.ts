// Deadlines (时限) from the catalog, tightened by run mode and urgency, on the working-day calendar.

import { Calendar, WORK_HOURS_PER_DAY } from './calendar';
import type { RunMode, SupervisionLevel, TicketStatus, Urgency } from './ticket';
import { DEADLINE_STATUSES } from './ticket';

export type SlaUnit = 'workHours' | 'workDays' | 'hours';
export const SLA_UNIT_LABELS: Record<SlaUnit, string> = {
  workHours: '工作小时',
  workDays: '工作日',
  hours: '自然小时',
};

export interface Sla {
  /** Accept (签收) within this many working hours of dispatch. */
  acceptWithinHours: number;
  resolveWithin: number;
  resolveUnit: SlaUnit;
}

interface RunModeRule {
  factor: number;
  /** When true the clock runs on natural time: the center is on duty around the clock. */
  naturalTime: boolean;
}
export const RUN_MODE_RULES: Record<RunMode, RunModeRule> = {
  daily: { factor: 1, naturalTime: false },
  holiday: { factor: 1, naturalTime: true },
  majorEvent: { factor: 0.5, naturalTime: true },
  emergency: { factor: 0.25, naturalTime: true },
};
export const URGENCY_FACTORS: Record<Urgency, number> = { normal: 1, urgent: 0.5, critical: 0.25 };

export interface Deadlines {
  acceptDeadline: number;
  resolveDeadline: number;
}

/** Adds a duration in the SLA's unit, scaled by `factor`, to `startMs`. */
function addSla(cal: Calendar, startMs: number, value: number, unit: SlaUnit, factor: number, natural: boolean): number {
  const hours = unit === 'workDays' ? value * WORK_HOURS_PER_DAY : value;
  if (unit === 'hours' || natural) {
    // Natural time: working days count 24 h, so a working-day SLA keeps its calendar length.
    const naturalHours = unit === 'workDays' ? value * 24 : hours;
    return startMs + Math.round(naturalHours * factor * 3600_000);
  }
  if (unit === 'workDays' && factor === 1) return cal.addWorkingDays(startMs, value);
  return cal.addWorkingHours(startMs, hours * factor);
}

export function computeDeadlines(
  cal: Calendar,
  startMs: number,
  sla: Sla,
  runMode: RunMode = 'daily',
  urgency: Urgency = 'normal',
): Deadlines {
  const rule = RUN_MODE_RULES[runMode];
  const factor = rule.factor * URGENCY_FACTORS[urgency];
  return {
    acceptDeadline: addSla(cal, startMs, sla.acceptWithinHours, 'workHours', factor, rule.naturalTime),
    resolveDeadline: addSla(cal, startMs, sla.resolveWithin, sla.resolveUnit, factor, rule.naturalTime),
  };
}

/** Extends a deadline by a number of working days (approved extension). */
export function extendDeadline(cal: Calendar, deadline: number, workDays: number): number {
  return cal.addWorkingDays(deadline, workDays);
}

export type DeadlineState = 'none' | 'ok' | 'dueSoon' | 'overdue';

/** Tickets due within this many ms are "即将超期". */
/** The longest due-soon (即将超期) window: a day before the deadline. */
export const DUE_SOON_MS = 24 * 3600_000;
/**
 * The due-soon window is this share of the deadline's length, up to DUE_SOON_MS: a 4-hour deadline
 * is due soon in its last hour, not from the moment it is dispatched; a 5-day one in its last day.
 */
export const DUE_SOON_SHARE = 0.25;

/** How long before a deadline a ticket counts as due soon, from when its clock started. */
export function dueSoonWindow(startMs: number | null | undefined, deadline: number, capMs = DUE_SOON_MS): number {
  if (startMs == null || startMs >= deadline) return capMs;
  return Math.min(capMs, (deadline - startMs) * DUE_SOON_SHARE);
}

/** `start`: when the deadline's clock started (the ticket's creation); without it the full window applies. */
export function deadlineState(status: TicketStatus, resolveDeadline: number | null, now: number, start?: number | null): DeadlineState {
  if (resolveDeadline == null || !DEADLINE_STATUSES.includes(status)) return 'none';
  if (now > resolveDeadline) return 'overdue';
  if (resolveDeadline - now <= dueSoonWindow(start, resolveDeadline)) return 'dueSoon';
  return 'ok';
}

export function isOverdue(status: TicketStatus, resolveDeadline: number | null, now: number): boolean {
  return deadlineState(status, resolveDeadline, now) === 'overdue';
}

/**
 * Supervision level an overdue ticket escalates to automatically, from the working time it is
 * overdue: any → 1, over 1 working day → 2, over 3 → 3, over 5 → 4.
 */
export function escalationLevel(cal: Calendar, resolveDeadline: number, now: number): SupervisionLevel {
  if (now <= resolveDeadline) return 0;
  const days = cal.workingMinutesBetween(resolveDeadline, now) / 60 / WORK_HOURS_PER_DAY;
  if (days > 5) return 4;
  if (days > 3) return 3;
  if (days > 1) return 2;
  return 1;
}
