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
  comparedPeriods,
  trendGranularity,
  type Period,
} from '../../../shared/stats/period';
import type { StatsBreakdown, StatsFigures, StatsGroupRow, StatsOverview, StatsTrend } from '../../../shared/api/stats';
import type { NodeContext } from '../core/context';
import { bucketOfDay, countFigures, receivedByDay, resolveMinutes, type Grouping } from './counts';

const CST_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export async function periodFigures(ctx: NodeContext, p: Period): Promise<StatsFigures> {
  const { from, to } = periodBounds(p);
  const counts = (await countFigures(ctx, from, to, { kind: 'all' })).get('') ?? emptyCounts();
  const minutes = (await resolveMinutes(ctx, from, to, { kind: 'all' })).get('') ?? [];
  return { period: p, label: periodLabel(p), figures: deriveFigures(counts, durationHours(minutes)) };
}

export async function overview(ctx: NodeContext, p: Period, compare: boolean): Promise<StatsOverview> {
  const cur = await periodFigures(ctx, p);
  // A period still running is compared with the same days of the others (同期).
  const cmp = comparedPeriods(p, dateOf(ctx.now()));
  const withLabel = (f: StatsFigures) => (cmp.partial ? { ...f, label: `${f.label}（同期）` } : f);
  const previous = compare ? withLabel(await periodFigures(ctx, cmp.previous)) : null;
  const lastYear = compare ? withLabel(await periodFigures(ctx, cmp.lastYear)) : null;
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
  // Received per bucket by channel and by top-level category, and per day for the calendar heat
  // map (over the year of the period's start), from the received tickets per day (whole 旬 kept).
  const startDay = bs.map((b) => Math.floor((periodBounds(b).from + CST_MS) / DAY_MS));
  const slotOfDay = (d: number) => {
    // The last bucket starting on or before day d (buckets are contiguous).
    let lo = 0;
    let hi = startDay.length - 1;
    if (!(d >= startDay[0]!)) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (startDay[mid]! <= d) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const chMap = new Map<string, number[]>();
  const { groupOf } = await groupsOf(ctx, 'categoryTop');
  const catMap = new Map<string | null, { name: string; counts: number[] }>();
  for (const part of await receivedByDay(ctx, from, to))
    for (let j = 0; j < part.n.length; j++) {
      const i = slotOfDay(part.day[j]!);
      if (i < 0) continue;
      const n = part.n[j]!;
      let arr = chMap.get(part.channel[j]!);
      if (!arr) chMap.set(part.channel[j]!, (arr = bs.map(() => 0)));
      arr[i]! += n;
      const g = groupOf(part.category[j]!);
      let e = catMap.get(g.key);
      if (!e) catMap.set(g.key, (e = { name: g.name, counts: bs.map(() => 0) }));
      e.counts[i]! += n;
    }
  const year = periodContaining('year', p.from);
  const yb = periodBounds(year);
  const perDay = new Map<number, number>();
  for (const part of await receivedByDay(ctx, yb.from, yb.to))
    for (let j = 0; j < part.n.length; j++) perDay.set(part.day[j]!, (perDay.get(part.day[j]!) ?? 0) + part.n[j]!);
  const total = (a: number[]) => a.reduce((s, x) => s + x, 0);
  const today = dateOf(ctx.now());
  return {
    period: p,
    granularity,
    buckets: bs.map((b, i) => ({ ...b, figures: deriveFigures(acc[i]!.c, durationHours(acc[i]!.m)), future: b.from > today })),
    byChannel: [...chMap].map(([k, counts]) => ({ key: k, name: CHANNEL_LABELS[k as Channel] ?? k, counts })).sort((a, b) => total(b.counts) - total(a.counts)),
    byCategory: [...catMap].map(([key, e]) => ({ key, ...e })).sort((a, b) => total(b.counts) - total(a.counts)),
    daily: { year: Number(year.from.slice(0, 4)), days: [...perDay].sort((x, y) => x[0] - y[0]).map(([d, n]) => [bucketOfDay(d, 'day'), n] as [string, number]) },
  };
}

/** The figures of a few rows side by side (for tables that compare periods). */
export function pick(f: Figures, keys: ReadonlyArray<keyof Figures>): Array<number | null> {
  return keys.map((k) => f[k]);
}

export { dateOf };
