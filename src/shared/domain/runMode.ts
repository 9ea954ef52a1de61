// Run modes (运行模式): what each mode asks of the center every day — the zero report (零报告) and
// by when, how often key places (重点部位) are patrolled — and the zero report's deadline state.

import { CST_OFFSET_MS, cstDate, cstMidnight } from './calendar';
import type { RunMode } from './ticket';

export interface RunModeRequirements {
  /** The daily zero report is due by this local time (HH:mm), or null when none is required. */
  zeroReportDue: string | null;
  /** Key places are patrolled at least every this many hours (null: no patrol duty). */
  patrolEveryHours: number | null;
  /** Duty officers must be on the roster around the clock. */
  dutyAroundTheClock: boolean;
}

export const RUN_MODE_REQUIREMENTS: Record<RunMode, RunModeRequirements> = {
  daily: { zeroReportDue: null, patrolEveryHours: null, dutyAroundTheClock: false },
  holiday: { zeroReportDue: '16:00', patrolEveryHours: 12, dutyAroundTheClock: true },
  majorEvent: { zeroReportDue: '15:00', patrolEveryHours: 4, dutyAroundTheClock: true },
  emergency: { zeroReportDue: '10:00', patrolEveryHours: 2, dutyAroundTheClock: true },
};

export const RUN_MODE_SOURCES = ['leader', 'city', 'schedule'] as const;
export type RunModeSource = (typeof RUN_MODE_SOURCES)[number];
export const RUN_MODE_SOURCE_LABELS: Record<RunModeSource, string> = {
  leader: '街道领导切换',
  city: '市城运中心指令',
  schedule: '到期自动恢复',
};

/** Instant of HH:mm (CST) on the local day containing `ms`. */
export function atLocalTime(ms: number, hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time ${hhmm}`);
  return cstMidnight(ms) + (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

/** Local date (YYYY-MM-DD) a zero report filed at `ms` counts for. */
export function reportDate(ms: number): string {
  return cstDate(ms);
}

export type ZeroReportState = 'notRequired' | 'firstDay' | 'pending' | 'filed' | 'late' | 'missing';
export const ZERO_REPORT_STATE_LABELS: Record<ZeroReportState, string> = {
  notRequired: '无需报送',
  firstDay: '今日免报（明日起报送）',
  pending: '待报送',
  filed: '已按时报送',
  late: '已补报（逾期）',
  missing: '逾期未报',
};

/**
 * A mode switched in less than this before the day's zero-report hour (or after it) asks for the
 * first report the next day: a report cannot be overdue the moment it becomes required.
 */
export const ZERO_REPORT_GRACE_MS = 2 * 3600_000;

/**
 * The state of today's zero report: not required (daily mode, or the first day of a mode switched
 * too close to or after the due hour — due the next day), pending before the due time, missing
 * after it, filed on time, or filed late. `since`: when the mode came into force.
 */
export function zeroReportState(mode: RunMode, now: number, filedAt: number | null, since?: number | null): { state: ZeroReportState; dueAt: number | null } {
  const due = RUN_MODE_REQUIREMENTS[mode].zeroReportDue;
  if (!due) return { state: filedAt != null ? 'filed' : 'notRequired', dueAt: null };
  const dueAt = atLocalTime(now, due);
  if (since != null && cstDate(since) === cstDate(now) && since > dueAt - ZERO_REPORT_GRACE_MS) {
    // First day: filing is welcome but nothing is due before tomorrow's hour.
    const tomorrow = atLocalTime(dueAt + 86_400_000, due);
    return { state: filedAt != null ? 'filed' : 'firstDay', dueAt: tomorrow };
  }
  if (filedAt != null) return { state: filedAt <= dueAt ? 'filed' : 'late', dueAt };
  return { state: now > dueAt ? 'missing' : 'pending', dueAt };
}

/** When a mode switched at `since` first asks for a zero report (null: it asks for none). */
export function firstZeroReportDue(mode: RunMode, since: number): number | null {
  return zeroReportState(mode, since, null, since).dueAt;
}

/** Whether a key place's patrol is due: no check-in within the mode's interval. */
export function patrolDue(mode: RunMode, lastCheckIn: number | null, now: number): boolean {
  const every = RUN_MODE_REQUIREMENTS[mode].patrolEveryHours;
  if (every == null) return false;
  return lastCheckIn == null || now - lastCheckIn > every * 3600_000;
}

/** "HH:mm" of an instant in CST. */
export function localHm(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
