// Statistics periods: whole days in China Standard Time, [from, to) with `to` exclusive.
// A day, an ISO week (Monday first), a month, a quarter, a year, or any from–to range; each has a
// previous period (环比) and the same period last year (同比).

import { CST_OFFSET_MS } from '../domain/calendar';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  day: '日',
  week: '周',
  month: '月',
  quarter: '季度',
  year: '年',
  range: '自定义',
};

/** A statistics period: CST calendar dates YYYY-MM-DD, `from` inclusive, `to` exclusive. */
export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** The longest period the statistics accept (a little over three years). */
export const MAX_PERIOD_DAYS = 1100;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

function utcDay(s: string): number {
  const m = DATE_RE.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}
const fmt = (utcMs: number) => new Date(utcMs).toISOString().slice(0, 10);

/** Adds days to a date. */
export function addDays(date: string, days: number): string {
  return fmt(utcDay(date) + days * DAY_MS);
}

/** Adds calendar months, keeping the day where it exists (Jan 31 + 1 month → Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return fmt(Date.UTC(ny, nm, Math.min(d, last)));
}

/** Days between two dates (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

/** The period's instants in epoch ms: [CST midnight of from, CST midnight of to). */
export function periodBounds(p: Pick<Period, 'from' | 'to'>): { from: number; to: number } {
  return { from: utcDay(p.from) - CST_OFFSET_MS, to: utcDay(p.to) - CST_OFFSET_MS };
}

/** The CST date of an instant. */
export function dateOf(ms: number): string {
  return fmt(Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS);
}

/** The period of a kind that contains `date` (for 'range': that one day). */
export function periodContaining(kind: PeriodKind, date: string): Period {
  const [y, m] = date.split('-').map(Number) as [number, number, number];
  switch (kind) {
    case 'day':
    case 'range':
      return { kind, from: date, to: addDays(date, 1) };
    case 'week': {
      const dow = (new Date(utcDay(date)).getUTCDay() + 6) % 7; // Monday = 0
      const from = addDays(date, -dow);
      return { kind, from, to: addDays(from, 7) };
    }
    case 'month': {
      const from = `${y}-${String(m).padStart(2, '0')}-01`;
      return { kind, from, to: addMonths(from, 1) };
    }
    case 'quarter': {
      const q0 = Math.floor((m - 1) / 3) * 3 + 1;
      const from = `${y}-${String(q0).padStart(2, '0')}-01`;
      return { kind, from, to: addMonths(from, 3) };
    }
    case 'year':
      return { kind, from: `${y}-01-01`, to: `${y + 1}-01-01` };
  }
}

/** The period just before (环比): the previous day/week/month/quarter/year, or a range of equal length. */
export function previousPeriod(p: Period): Period {
  switch (p.kind) {
    case 'month':
      return { kind: p.kind, from: addMonths(p.from, -1), to: p.from };
    case 'quarter':
      return { kind: p.kind, from: addMonths(p.from, -3), to: p.from };
    case 'year':
      return { kind: p.kind, from: addMonths(p.from, -12), to: p.from };
    default: {
      const n = daysBetween(p.from, p.to);
      return { kind: p.kind, from: addDays(p.from, -n), to: p.from };
    }
  }
}

/** The same period last year (同比); a week is the week 52 weeks earlier (same weekdays). */
export function samePeriodLastYear(p: Period): Period {
  if (p.kind === 'week') return { kind: p.kind, from: addDays(p.from, -364), to: addDays(p.to, -364) };
  return { kind: p.kind, from: addMonths(p.from, -12), to: addMonths(p.to, -12) };
}

/**
 * What a period is compared with (环比, 同比): the previous period and the same period a year
 * before — or, while the period is still running (`today` inside it), only their first days up to
 * the same day of the period (同期: the 5 days of December so far against 1–5 November, not all of
 * November). `partial` says which.
 */
export function comparedPeriods(p: Period, today: string): { previous: Period; lastYear: Period; partial: boolean } {
  const previous = previousPeriod(p);
  const lastYear = samePeriodLastYear(p);
  if (!(p.from <= today && today < p.to)) return { previous, lastYear, partial: false };
  const days = daysBetween(p.from, today) + 1;
  const cut = (q: Period): Period => {
    const to = addDays(q.from, days);
    return to < q.to ? { kind: 'range', from: q.from, to } : q;
  };
  const [p2, y2] = [cut(previous), cut(lastYear)];
  // Today's own day is compared with whole days: nothing was cut, so nothing is 同期.
  return { previous: p2, lastYear: y2, partial: p2 !== previous || y2 !== lastYear };
}

/** A Chinese label: 2026年10月, 2026年第4季度, 2026年11月16日–22日 … */
export function periodLabel(p: Period): string {
  const [y, m, d] = p.from.split('-').map(Number) as [number, number, number];
  const last = addDays(p.to, -1);
  switch (p.kind) {
    case 'day':
      return `${y}年${m}月${d}日`;
    case 'month':
      return `${y}年${m}月`;
    case 'quarter':
      return `${y}年第${Math.floor((m - 1) / 3) + 1}季度`;
    case 'year':
      return `${y}年`;
    default:
      return last === p.from ? `${y}年${m}月${d}日` : `${p.from} 至 ${last}`;
  }
}

/** Granularity of a period's trend: days up to about three months, weeks up to a year… months beyond. */
export type Granularity = 'day' | 'week' | 'month';
export function trendGranularity(p: Pick<Period, 'from' | 'to'>): Granularity {
  const n = daysBetween(p.from, p.to);
  return n <= 93 ? 'day' : n <= 200 ? 'week' : 'month';
}

/** The buckets of a period at a granularity (each clipped to the period). */
export function buckets(p: Pick<Period, 'from' | 'to'>, g: Granularity): Array<{ from: string; to: string; label: string }> {
  const out: Array<{ from: string; to: string; label: string }> = [];
  let cur = g === 'day' ? p.from : periodContaining(g, p.from).from;
  while (cur < p.to) {
    const next = g === 'day' ? addDays(cur, 1) : g === 'week' ? addDays(cur, 7) : addMonths(cur, 1);
    const from = cur < p.from ? p.from : cur;
    const to = next > p.to ? p.to : next;
    const [, mm, dd] = from.split('-');
    out.push({ from, to, label: g === 'month' ? from.slice(0, 7) : `${mm}-${dd}` });
    cur = next;
  }
  return out;
}
