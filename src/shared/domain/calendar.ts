// Working-day calendar in China Standard Time (UTC+8, no daylight saving).
//
// Public holidays and make-up working days (调休上班) follow the State Council's notices.
// The tables are data: the city can send newer years down through sync (see Calendar.extend).

export const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface HolidayYear {
  /** Days off (YYYY-MM-DD) other than ordinary weekends, with the festival's name. */
  holidays: Record<string, string>;
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
}

/** 国务院办公厅关于2025年部分节假日安排的通知 */
const Y2025: HolidayYear = {
  holidays: {
    ...range('2025-01-01', 1, '元旦'),
    ...range('2025-01-28', 8, '春节'),
    ...range('2025-04-04', 3, '清明节'),
    ...range('2025-05-01', 5, '劳动节'),
    ...range('2025-05-31', 3, '端午节'),
    ...range('2025-10-01', 8, '国庆节、中秋节'),
  },
  workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

/** 国务院办公厅关于2026年部分节假日安排的通知 */
const Y2026: HolidayYear = {
  holidays: {
    ...range('2026-01-01', 3, '元旦'),
    ...range('2026-02-15', 9, '春节'),
    ...range('2026-04-04', 3, '清明节'),
    ...range('2026-05-01', 5, '劳动节'),
    ...range('2026-06-19', 3, '端午节'),
    ...range('2026-09-25', 3, '中秋节'),
    ...range('2026-10-01', 7, '国庆节'),
  },
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

export const BUILTIN_HOLIDAYS: Record<number, HolidayYear> = { 2025: Y2025, 2026: Y2026 };

function range(start: string, days: number, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  const t0 = Date.parse(start + 'T00:00:00Z');
  for (let i = 0; i < days; i++) out[new Date(t0 + i * DAY_MS).toISOString().slice(0, 10)] = name;
  return out;
}

/** Working periods of a working day, as minutes after local midnight: 9:00–12:00, 13:00–18:00. */
export const WORK_PERIODS: ReadonlyArray<readonly [number, number]> = [
  [9 * 60, 12 * 60],
  [13 * 60, 18 * 60],
];
export const WORK_HOURS_PER_DAY = WORK_PERIODS.reduce((s, [a, b]) => s + (b - a), 0) / 60;

/** Local (CST) calendar date string of an instant. */
export function cstDate(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}
/** 2026-03-14 09:05: an instant's CST date and minute, as every screen and printout shows it (— for none). */
export function cstDateTime(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
/** Instant of local midnight starting the CST day that contains `ms`. */
export function cstMidnight(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

export class Calendar {
  private holidays = new Map<string, string>();
  private workdays = new Set<string>();
  private years = new Set<number>();

  constructor(tables: Record<number, HolidayYear> = BUILTIN_HOLIDAYS) {
    for (const [y, t] of Object.entries(tables)) this.extend(Number(y), t);
  }

  /** Sets a year's table, replacing what was known for that year (a corrected notice withdraws days too). */
  extend(year: number, t: HolidayYear): void {
    const prefix = `${year}-`;
    for (const d of [...this.holidays.keys()]) if (d.startsWith(prefix)) this.holidays.delete(d);
    for (const d of [...this.workdays]) if (d.startsWith(prefix)) this.workdays.delete(d);
    this.years.add(year);
    for (const [d, n] of Object.entries(t.holidays)) this.holidays.set(d, n);
    for (const d of t.workdays) this.workdays.add(d);
  }

  /** Whether the holiday table covers this year; outside it only weekends are known. */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  holidayName(date: string): string | undefined {
    return this.holidays.get(date);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const dow = new Date(date + 'T00:00:00Z').getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  /** Adds working hours to an instant, counting only working periods of working days. */
  addWorkingHours(startMs: number, hours: number): number {
    let remaining = Math.round(hours * 60); // minutes
    let dayStart = cstMidnight(startMs);
    let minuteOfDay = Math.floor((startMs - dayStart) / 60_000);
    if (remaining <= 0) return startMs;
    for (let guard = 0; guard < 3660; guard++) {
      if (this.isWorkingDay(cstDate(dayStart + 12 * 3600_000))) {
        for (const [a, b] of WORK_PERIODS) {
          const from = Math.max(a, minuteOfDay);
          if (from >= b) continue;
          const available = b - from;
          if (remaining <= available) return dayStart + (from + remaining) * 60_000;
          remaining -= available;
        }
      }
      dayStart += DAY_MS;
      minuteOfDay = 0;
    }
    throw new Error('addWorkingHours: no working time within ten years');
  }

  /**
   * Adds working days: the deadline is the end of the Nth working day after the start day
   * (a ticket registered on Friday with 1 working day is due at Monday 18:00).
   */
  addWorkingDays(startMs: number, days: number): number {
    let dayStart = cstMidnight(startMs);
    let left = Math.max(1, Math.round(days));
    for (let guard = 0; guard < 3660; guard++) {
      dayStart += DAY_MS;
      if (this.isWorkingDay(cstDate(dayStart + 12 * 3600_000)) && --left === 0) {
        return dayStart + WORK_PERIODS[WORK_PERIODS.length - 1]![1] * 60_000;
      }
    }
    throw new Error('addWorkingDays: no working day within ten years');
  }

  /** Working minutes between two instants (0 if end ≤ start). */
  workingMinutesBetween(startMs: number, endMs: number): number {
    if (endMs <= startMs) return 0;
    let total = 0;
    let dayStart = cstMidnight(startMs);
    while (dayStart < endMs) {
      if (this.isWorkingDay(cstDate(dayStart + 12 * 3600_000))) {
        for (const [a, b] of WORK_PERIODS) {
          const from = Math.max(dayStart + a * 60_000, startMs);
          const to = Math.min(dayStart + b * 60_000, endMs);
          if (to > from) total += (to - from) / 60_000;
        }
      }
      dayStart += DAY_MS;
    }
    return Math.floor(total);
  }
}
