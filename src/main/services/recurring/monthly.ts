// The recurring problems of one month for the 月分析 (src/main/services/stats/report.ts): the
// 批量问题 still happening in the month (mined with the default parameters over the two years up to
// the month's end), the 一类事 they form, and the 专项治理 items that were open during the month with
// their progress at its end. No reporter data is read; phone numbers typed into an item's free text
// (title, notes, root cause) are masked as everywhere else (138****1234). An ended month's mined part
// is frozen once mined (table recurring_month_freezes, like the rankings): the node freezes last
// month in the background after a start and at month end, so a report does not mine two years first.

import type { NodeContext } from '../core/context';
import { DEFAULT_MINING, windowStart } from '../../../shared/recurring/rules';
import { maskPhone } from '../../../shared/domain/ticket';
import { cstDateTime } from '../../../shared/domain/calendar';
import type { RecurringGroup } from '../../../shared/api/recurring';
import { addMonths, dateOf, periodBounds, periodContaining } from '../../../shared/stats/period';
import { mineRecurring } from './mining';
import { forgetFixedWindows } from './miningState';

/** Months of the per-group trend shown (the report month and the five before it). */
export const TREND_MONTHS = 6;
/** Groups listed in the report (the most tickets in the month first); the count of all is kept. */
const MAX_LISTED = 20;
const RESOLVED = new Set(['resolved', 'verified', 'closed']);

export type GroupTrend = '上升' | '持平' | '下降' | '新出现' | '再次出现';

/** A 批量问题 as the month's report shows it: the group's own figures (over the two years) and the month's. */
export interface MonthlyRecurringGroup
  extends Pick<RecurringGroup, 'key' | 'categoryPath' | 'place' | 'communityName' | 'gridName' | 'count' | 'open' | 'firstAt' | 'lastAt' | 'spanDays' | 'words'> {
  /** Tickets in the month (`count`: in the whole group, two years). */
  inMonth: number;
  /** Tickets per month, aligned with `months`. */
  trend: number[];
  trendLabel: GroupTrend;
  units: Array<{ name: string; count: number }>;
  itemCode: string | null;
}

export interface MonthlyRecurringItem {
  code: string;
  title: string;
  /** As at the month's end. */
  status: 'open' | 'closed';
  categoryPath: string;
  place: string;
  leadUnitName: string;
  openedAt: number;
  deadline: number;
  closedAt: number | null;
  overdue: boolean;
  /** Tickets linked by the month's end, linked in the month, and of those linked the ones resolved now. */
  tickets: number;
  linkedInMonth: number;
  resolved: number;
  notesInMonth: number;
  lastNote: string | null;
  rootCause: string | null;
}

export interface MonthlyRecurring {
  /** The month's bounds [from, to) in epoch ms and the trend's months (YYYY-MM). */
  from: number;
  to: number;
  months: string[];
  groupCount: number;
  ticketsInMonth: number;
  groups: MonthlyRecurringGroup[];
  classes: Array<{ categoryPath: string; words: string[]; places: string[]; groups: number; tickets: number }>;
  items: MonthlyRecurringItem[];
  itemsOpen: number;
  itemsClosedInMonth: number;
  itemsOverdue: number;
  /** When the 批量问题 were mined; frozen: an ended month's, kept as first mined (later corrections not shown). */
  minedAt: number;
  frozen: boolean;
}

/** When the section's 批量问题 were mined, and for an ended month that they are frozen (China time). */
export function minedNote(rc: Pick<MonthlyRecurring, 'minedAt' | 'frozen'>): string {
  const at = cstDateTime(rc.minedAt);
  return rc.frozen ? `批量问题为 ${at} 挖掘至月末并冻结的结果，此后对工单的更正不改变本节。` : `批量问题为 ${at} 的挖掘结果。`;
}

/** Phone numbers in free text masked (mobile 11 digits, landlines with area code). */
export function maskPhonesInText(s: string): string {
  return s.replace(/(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)/g, (m) => maskPhone(m) ?? m);
}

/**
 * A group's trend in the month against the three months before: when those had none, 再次出现 if
 * the group had tickets earlier (`before`: tickets before those months), else 新出现; 上升 at ≥ 1.5×
 * their mean (and at least one more ticket), 下降 at ≤ 2/3 of it, else 持平.
 */
export function groupTrend(trend: number[], before: number): GroupTrend {
  const cur = trend[trend.length - 1] ?? 0;
  const prev = trend.slice(-4, -1);
  const sum = prev.reduce((a, b) => a + b, 0);
  if (!sum) return before > 0 ? '再次出现' : '新出现';
  const mean = sum / prev.length;
  if (cur >= mean * 1.5 && cur - mean >= 1) return '上升';
  if (cur <= (mean * 2) / 3) return '下降';
  return '持平';
}

/** What the mining gives a month's section: for an ended month, frozen as it was first mined. */
export interface MinedMonth extends Pick<MonthlyRecurring, 'months' | 'groupCount' | 'ticketsInMonth' | 'groups' | 'classes'> {
  /** When it was mined: for an ended month, when it was frozen. */
  minedAt: number;
  /** Tickets in the two-year window. */
  scanned: number;
}

/** The 批量问题 of [from, to) mined over the two years to `to` (the live window while the month runs). */
async function mineMonth(ctx: NodeContext, from: number, to: number, stopped?: () => boolean): Promise<MinedMonth> {
  // A month still running is mined as the 一批事 screen is (the live window, kept); a past one to its end.
  const r = await mineRecurring(ctx, DEFAULT_MINING, to > ctx.now() ? { activeIn: [from, to], stopped } : { to, activeIn: [from, to], stopped });
  const last = r.months.length - 1;
  const first = Math.max(0, last - TREND_MONTHS + 1);
  const byId = new Map<string, number>();
  for (const g of r.batches) for (const m of g.members) byId.set(m.id, m.created_at);
  const inMonth = (ids: string[]) => {
    let n = 0;
    for (const id of ids) if (byId.get(id)! >= from && byId.get(id)! < to) n++;
    return n;
  };
  const all = r.groups.map((g) => ({ g, inMonth: inMonth(g.ticketIds) }));
  let ticketsInMonth = 0;
  for (const g of r.batches) for (const m of g.members) if (m.created_at >= from && m.created_at < to) ticketsInMonth++;
  const groups: MonthlyRecurringGroup[] = all
    .sort((a, b) => b.inMonth - a.inMonth || b.g.count - a.g.count || (a.g.key < b.g.key ? -1 : 1))
    .slice(0, MAX_LISTED)
    .map(({ g, inMonth: n }) => {
      const trend = g.trend.slice(first, last + 1);
      const recent = g.trend.slice(-4).reduce((a, b) => a + b, 0);
      return {
        key: g.key,
        categoryPath: g.categoryPath,
        place: g.place,
        communityName: g.communityName,
        gridName: g.gridName,
        inMonth: n,
        count: g.count,
        open: g.open,
        firstAt: g.firstAt,
        lastAt: g.lastAt,
        spanDays: g.spanDays,
        trend,
        trendLabel: groupTrend(trend, g.count - recent),
        units: g.units.map((u) => ({ name: u.name, count: u.count })),
        words: g.words,
        itemCode: g.item?.code ?? null,
      };
    });
  const keys = new Set(r.groups.map((g) => g.key));
  return {
    months: r.months.slice(first, last + 1),
    groupCount: r.groupCount,
    ticketsInMonth,
    groups,
    classes: r.classes
      .filter((c) => c.groupKeys.some((k) => keys.has(k)))
      .slice(0, MAX_LISTED)
      .map((c) => ({ categoryPath: c.categoryPath, words: c.words, places: c.places, groups: c.groupKeys.length, tickets: c.tickets })),
    minedAt: ctx.now(),
    scanned: r.scanned,
  };
}

/** Freezes of one store in progress, by month: a second asker waits for the first. */
const freezing = new WeakMap<object, Map<string, Promise<MinedMonth>>>();

/**
 * An ended month's mined part: read from its freeze, or mined to the month's end and frozen (a
 * window with no ticket is not frozen). Like the rankings, a later correction of a ticket does not
 * change it: the report shows when it was frozen. The fixed window's kept state is then dropped.
 */
export async function frozenMonth(ctx: NodeContext, from: number, to: number, stopped?: () => boolean): Promise<MinedMonth & { frozen: boolean }> {
  const db = ctx.store.db;
  const month = dateOf(from).slice(0, 7);
  const read = async () => {
    const row = await db.selectFrom('recurring_month_freezes').select(['data']).where('month', '=', month).executeTakeFirst();
    return row ? { ...(JSON.parse(row.data) as MinedMonth), frozen: true } : null;
  };
  const done = await read();
  if (done) return done;
  let m = freezing.get(ctx.store);
  if (!m) freezing.set(ctx.store, (m = new Map()));
  let p = m.get(month);
  if (!p) {
    p = (async () => {
      const mined = await mineMonth(ctx, from, to, stopped);
      if (mined.scanned > 0) {
        await db.insertInto('recurring_month_freezes').values({ month, frozen_at: mined.minedAt, tickets: mined.scanned, data: JSON.stringify(mined) }).onConflict((oc) => oc.column('month').doNothing()).execute();
        forgetFixedWindows(ctx.store);
      }
      return mined;
    })().finally(() => m!.delete(month));
    m.set(month, p);
  }
  const mined = await p;
  return (await read()) ?? { ...mined, frozen: false };
}

/**
 * The month that ended last, frozen if it is not yet (the node's warm-up and its minute job, in
 * the background: a month's 月分析 then does not mine two years first). Returns the month frozen now,
 * or null when it already was or its window has no ticket.
 */
export async function freezeLastMonth(ctx: NodeContext, stopped?: () => boolean): Promise<string | null> {
  const cur = periodContaining('month', dateOf(ctx.now()));
  const { from, to } = periodBounds({ from: addMonths(cur.from, -1), to: cur.from });
  const month = dateOf(from).slice(0, 7);
  const db = ctx.store.db;
  if (await db.selectFrom('recurring_month_freezes').select('month').where('month', '=', month).executeTakeFirst()) return null;
  // A window without a ticket has nothing to freeze (a new street): not mined every minute.
  const any = await db.selectFrom('tickets').select('id').where('created_at', '>=', windowStart(to, DEFAULT_MINING.windowDays)).where('created_at', '<', to).limit(1).executeTakeFirst();
  if (!any) return null;
  const r = await frozenMonth(ctx, from, to, stopped);
  return r.frozen ? month : null;
}

export async function monthlyRecurring(ctx: NodeContext, from: number, to: number): Promise<MonthlyRecurring> {
  const end = Math.min(to, ctx.now());
  const mined = to > ctx.now() ? { ...(await mineMonth(ctx, from, to)), frozen: false } : await frozenMonth(ctx, from, to);

  // 专项治理 items open at some time in the month: opened before its end, not closed before its start.
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('recurring_items as i')
    .leftJoin('catalog as c', 'c.id', 'i.category_id')
    .leftJoin('units as u', 'u.id', 'i.lead_unit_id')
    .select(['i.id', 'i.code', 'i.title', 'i.status', 'c.path', 'i.place', 'u.name as lead', 'i.opened_at', 'i.deadline', 'i.closed_at', 'i.root_cause'])
    .where('i.opened_at', '<', to)
    .where((eb) => eb.or([eb('i.closed_at', 'is', null), eb('i.closed_at', '>=', from)]))
    .orderBy('i.opened_at')
    .execute();
  const items: MonthlyRecurringItem[] = [];
  for (const i of rows) {
    const links = await db
      .selectFrom('recurring_item_tickets as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .select(['l.linked_at', 't.status'])
      .where('l.item_id', '=', i.id)
      .where('l.linked_at', '<', to)
      .execute();
    const notes = await db.selectFrom('recurring_item_notes').select(['text', 'at']).where('item_id', '=', i.id).where('at', '<', to).orderBy('at', 'desc').execute();
    const closed = i.closed_at != null && i.closed_at < to;
    items.push({
      code: i.code,
      title: maskPhonesInText(i.title),
      status: closed ? 'closed' : 'open',
      categoryPath: i.path ?? '（分类已删除）',
      place: i.place,
      leadUnitName: i.lead ?? '（单位已删除）',
      openedAt: i.opened_at,
      deadline: i.deadline,
      closedAt: closed ? i.closed_at : null,
      overdue: closed ? i.closed_at! > i.deadline : i.deadline < end,
      tickets: links.length,
      linkedInMonth: links.filter((l) => l.linked_at >= from).length,
      resolved: links.filter((l) => RESOLVED.has(l.status)).length,
      notesInMonth: notes.filter((n) => n.at >= from).length,
      lastNote: notes[0] ? maskPhonesInText(notes[0].text) : null,
      rootCause: closed && i.root_cause ? maskPhonesInText(i.root_cause) : null,
    });
  }
  return {
    from,
    to,
    months: mined.months,
    groupCount: mined.groupCount,
    ticketsInMonth: mined.ticketsInMonth,
    groups: mined.groups,
    classes: mined.classes,
    minedAt: mined.minedAt,
    frozen: mined.frozen,
    items,
    itemsOpen: items.filter((i) => i.status === 'open').length,
    itemsClosedInMonth: items.filter((i) => i.status === 'closed' && i.closedAt! >= from).length,
    itemsOverdue: items.filter((i) => i.status === 'open' && i.overdue).length,
  };
}
