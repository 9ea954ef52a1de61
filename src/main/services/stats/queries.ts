// 统计分析 queries: a period's figures with 环比/同比, breakdowns by community, grid, unit,
// category, channel, type and urgency, and the trend. Counting is in ./counts (one expression per
// figure, shared with the ticket list); this module names groups and rolls them up.

import { CHANNEL_LABELS, TICKET_TYPE_LABELS, URGENCY_LABELS, type Channel, type TicketType, type Urgency } from '../../../shared/domain/ticket';
import { addCounts, deriveFigures, durationHours, emptyCounts, type FigureCounts, type Figures } from '../../../shared/stats/figures';
import type { Dimension } from '../../../shared/stats/dimensions';
import {
  buckets,
  dateOf,
  periodBounds,
  periodContaining,
  periodLabel,
  previousPeriod,
  samePeriodLastYear,
  trendGranularity,
  type Period,
} from '../../../shared/stats/period';
import type { StatsBreakdown, StatsFigures, StatsGroupRow, StatsOverview, StatsTrend } from '../../../shared/api/stats';
import type { NodeContext } from '../core/context';
import { bucketOfDay, countFigures, resolveMinutes, type Grouping } from './counts';
import { sql } from 'kysely';

export async function periodFigures(ctx: NodeContext, p: Period): Promise<StatsFigures> {
  const { from, to } = periodBounds(p);
  const counts = (await countFigures(ctx, from, to, { kind: 'all' })).get('') ?? emptyCounts();
  const minutes = (await resolveMinutes(ctx, from, to, { kind: 'all' })).get('') ?? [];
  return { period: p, label: periodLabel(p), figures: deriveFigures(counts, durationHours(minutes)) };
}

export async function overview(ctx: NodeContext, p: Period, compare: boolean): Promise<StatsOverview> {
  const cur = await periodFigures(ctx, p);
  const previous = compare ? await periodFigures(ctx, previousPeriod(p)) : null;
  const lastYear = compare ? await periodFigures(ctx, samePeriodLastYear(p)) : null;
  const first = await ctx.store.db.selectFrom('tickets').select((eb) => eb.fn.min('created_at').as('t')).executeTakeFirst();
  return { ...cur, previous, lastYear, firstTicketAt: first?.t == null ? null : Number(first.t), generatedAt: ctx.now() };
}

export interface Group {
  key: string | null;
  code: string | null;
  name: string;
  filter: StatsGroupRow['filter'];
  sort: number;
}

/** How raw keys (grid ids, leaf categories …) map to the groups of a dimension. */
export async function groupsOf(ctx: NodeContext, dim: Dimension): Promise<{ grouping: Grouping; groupOf: (raw: string | null) => Group }> {
  const db = ctx.store.db;
  const fixed = <K extends string>(column: 'channel' | 'type' | 'urgency', labels: Record<K, string>, order: readonly string[]) => ({
    grouping: { kind: 'column', column } as Grouping,
    groupOf: (raw: string | null): Group => ({
      key: raw,
      code: raw,
      name: raw ? labels[raw as K] ?? raw : '未知',
      filter: raw && raw in labels ? { [column]: raw } : null,
      sort: raw ? order.indexOf(raw) : 999,
    }),
  });
  switch (dim) {
    case 'channel':
      return fixed<Channel>('channel', CHANNEL_LABELS, Object.keys(CHANNEL_LABELS));
    case 'type':
      return fixed<TicketType>('type', TICKET_TYPE_LABELS, Object.keys(TICKET_TYPE_LABELS));
    case 'urgency':
      return fixed<Urgency>('urgency', URGENCY_LABELS, Object.keys(URGENCY_LABELS));
    case 'unit': {
      const units = new Map((await db.selectFrom('units').select(['id', 'code', 'name']).execute()).map((u, i) => [u.id, { ...u, i }]));
      return {
        grouping: { kind: 'column', column: 'unit_id' },
        groupOf: (raw) => {
          if (raw == null) return { key: null, code: null, name: '未派单', filter: { missing: 'unit' }, sort: 1e9 };
          const u = units.get(raw);
          return { key: raw, code: u?.code ?? null, name: u?.name ?? raw, filter: { unitId: raw }, sort: u?.i ?? 1e8 };
        },
      };
    }
    case 'grid':
    case 'community': {
      const rows = await db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id']).execute();
      const byId = new Map(rows.map((g) => [g.id, g]));
      const level = dim === 'community' ? '2' : '3';
      const cache = new Map<string, Group>();
      return {
        grouping: { kind: 'column', column: 'grid_id' },
        groupOf: (raw) => {
          if (raw == null) return { key: null, code: null, name: '无网格', filter: { missing: 'grid' }, sort: 1e9 };
          let g = cache.get(raw);
          if (g) return g;
          let cur = byId.get(raw);
          for (let guard = 0; cur && cur.level !== level && guard < 10; guard++) cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
          if (cur) g = { key: cur.id, code: cur.code, name: cur.name, filter: { gridId: cur.id }, sort: 0 };
          else {
            // Above the level asked for (e.g. the street's own grid): its filter would take in every grid below it.
            const own = byId.get(raw);
            g = { key: `~${raw}`, code: own?.code ?? null, name: `${own?.name ?? raw}（未细分）`, filter: null, sort: 1e8 };
          }
          cache.set(raw, g);
          return g;
        },
      };
    }
    case 'category':
    case 'categoryTop': {
      const rows = await db.selectFrom('catalog').select(['id', 'code', 'name', 'path', 'parent_id', 'sort']).execute();
      const byId = new Map(rows.map((c) => [c.id, c]));
      return {
        grouping: { kind: 'column', column: 'category_id' },
        groupOf: (raw) => {
          if (raw == null) return { key: null, code: null, name: '未分类', filter: { missing: 'category' }, sort: 1e9 };
          const leaf = byId.get(raw);
          if (!leaf) return { key: raw, code: null, name: raw, filter: { categoryId: raw }, sort: 1e8 };
          if (dim === 'categoryTop') {
            // The list's category filter takes in the category and its direct children (the catalog's two levels).
            let top = leaf;
            for (let guard = 0; top.parent_id && byId.has(top.parent_id) && guard < 10; guard++) top = byId.get(top.parent_id)!;
            return { key: top.id, code: top.code, name: top.name, filter: { categoryId: top.id }, sort: top.sort };
          }
          const c = leaf;
          return { key: c.id, code: c.code, name: c.path, filter: { categoryId: c.id }, sort: c.sort };
        },
      };
    }
  }
}

export async function breakdown(ctx: NodeContext, p: Period, dim: Dimension): Promise<StatsBreakdown> {
  const { from, to } = periodBounds(p);
  const { grouping, groupOf } = await groupsOf(ctx, dim);
  const raw = await countFigures(ctx, from, to, grouping);
  const mins = await resolveMinutes(ctx, from, to, grouping);
  const groups = new Map<string | null, { g: Group; c: FigureCounts; m: number[] }>();
  const slot = (rawKey: string | null) => {
    const g = groupOf(rawKey);
    let s = groups.get(g.key);
    if (!s) groups.set(g.key, (s = { g, c: emptyCounts(), m: [] }));
    return s;
  };
  for (const [k, c] of raw) {
    const s = slot(k);
    s.c = addCounts(s.c, c);
  }
  for (const [k, m] of mins) {
    const s = slot(k);
    for (const x of m) s.m.push(x);
  }
  const rows = [...groups.values()]
    .map(({ g, c, m }) => ({ key: g.key, code: g.code, name: g.name, filter: g.filter, figures: deriveFigures(c, durationHours(m)), sort: g.sort }))
    .sort((a, b) => b.figures.received - a.figures.received || a.sort - b.sort || a.name.localeCompare(b.name, 'zh'))
    .map(({ sort: _s, ...r }) => r);
  return { period: p, dimension: dim, rows };
}

export async function trend(ctx: NodeContext, p: Period): Promise<StatsTrend> {
  const { from, to } = periodBounds(p);
  const granularity = trendGranularity(p);
  const bs = buckets(p, granularity);
  const index = new Map(bs.map((b, i) => [b.from, i]));
  // SQL keys are the bucket's natural start (a Monday, the 1st); the first bucket may start later.
  const slotOf = (k: string | null) => (k == null ? -1 : index.get(k < p.from ? p.from : k) ?? -1);
  const counts = await countFigures(ctx, from, to, { kind: 'time', unit: granularity });
  const mins = await resolveMinutes(ctx, from, to, { kind: 'time', unit: granularity });
  const acc = bs.map(() => ({ c: emptyCounts(), m: [] as number[] }));
  for (const [k, c] of counts) {
    const i = slotOf(k);
    if (i >= 0) acc[i]!.c = addCounts(acc[i]!.c, c);
  }
  for (const [k, m] of mins) {
    const i = slotOf(k);
    if (i >= 0) for (const x of m) acc[i]!.m.push(x);
  }
  // Received per bucket, the bucket's index computed in SQL by integer arithmetic (a date function
  // per row costs more than the rest of the scan): days and weeks from the CST day number, months
  // by comparing with the months' bounds. Few rows come back.
  const dayNum = sql<number>`CAST((created_at + 28800000) / 86400000 AS INTEGER)`;
  const day0 = Math.floor((from + 28_800_000) / 86_400_000);
  const bucketIdx =
    granularity === 'day'
      ? sql<number>`(${dayNum} - CAST(${day0} AS INTEGER))`
      : granularity === 'week'
        ? sql<number>`((${dayNum} + 3) / 7 - CAST(${Math.floor((day0 + 3) / 7)} AS INTEGER))`
        : bs.length > 1
          ? sql<number>`CASE ${sql.join(bs.slice(1).map((b, i) => sql`WHEN created_at < ${periodBounds(b).from} THEN ${i}`), sql` `)} ELSE ${bs.length - 1} END`
          : sql<number>`0`;
  const valid = sql`created_at >= ${from} AND created_at < ${to} AND status <> 'cancelled' AND merged_into IS NULL`;
  const byCh = await sql<{ b: number; k: string; n: number }>`SELECT ${bucketIdx} AS b, channel AS k, count(*) AS n FROM tickets WHERE ${valid} GROUP BY 1, 2`.execute(ctx.store.db);
  const byCat = await sql<{ b: number; k: string | null; n: number }>`SELECT ${bucketIdx} AS b, category_id AS k, count(*) AS n FROM tickets WHERE ${valid} GROUP BY 1, 2`.execute(ctx.store.db);
  const chMap = new Map<string, number[]>();
  for (const r of byCh.rows) {
    const i = Number(r.b);
    if (!(i >= 0 && i < bs.length)) continue;
    let arr = chMap.get(r.k);
    if (!arr) chMap.set(r.k, (arr = bs.map(() => 0)));
    arr[i]! += Number(r.n);
  }
  const { groupOf } = await groupsOf(ctx, 'categoryTop');
  const catMap = new Map<string | null, { name: string; counts: number[] }>();
  for (const r of byCat.rows) {
    const i = Number(r.b);
    if (!(i >= 0 && i < bs.length)) continue;
    const g = groupOf(r.k);
    let e = catMap.get(g.key);
    if (!e) catMap.set(g.key, (e = { name: g.name, counts: bs.map(() => 0) }));
    e.counts[i]! += Number(r.n);
  }
  // The calendar heat map: received per day over the year of the period's start.
  const year = periodContaining('year', p.from);
  const yb = periodBounds(year);
  const daily = await sql<{ d: number; n: number }>`SELECT ${dayNum} AS d, count(*) AS n FROM tickets
     WHERE created_at >= ${yb.from} AND created_at < ${yb.to} AND status <> 'cancelled' AND merged_into IS NULL GROUP BY 1`.execute(ctx.store.db);
  const total = (a: number[]) => a.reduce((s, x) => s + x, 0);
  return {
    period: p,
    granularity,
    buckets: bs.map((b, i) => ({ ...b, figures: deriveFigures(acc[i]!.c, durationHours(acc[i]!.m)) })),
    byChannel: [...chMap].map(([k, counts]) => ({ key: k, name: CHANNEL_LABELS[k as Channel] ?? k, counts })).sort((a, b) => total(b.counts) - total(a.counts)),
    byCategory: [...catMap].map(([key, e]) => ({ key, ...e })).sort((a, b) => total(b.counts) - total(a.counts)),
    daily: { year: Number(year.from.slice(0, 4)), days: daily.rows.map((r) => [bucketOfDay(Number(r.d), 'day'), Number(r.n)] as [string, number]) },
  };
}

/** The figures of a few rows side by side (for tables that compare periods). */
export function pick(f: Figures, keys: ReadonlyArray<keyof Figures>): Array<number | null> {
  return keys.map((k) => f[k]);
}

export { dateOf };
