// 一件事 → 一批事 → 一类事: recurring-problem mining over the street's history.
//
// Tickets created in the window (not cancelled, not merged into another, with a category) are read
// once, oldest first, and grouped by leader clustering: a ticket joins the earliest group of its
// leaf category whose first ticket (the anchor) is at the same place and reads alike
// (`samePlaceProblem`, src/shared/recurring/rules.ts), else it starts a group. Comparing with the
// anchor, not with any member, keeps a group to one place (no chaining along a road) and is the very
// rule a 专项治理 item links new tickets with. Candidate anchors come from an index by category and
// normalised address and a spatial hash of `radiusM` cells, so each ticket is compared with a
// handful of anchors, not with the history (./cluster.ts). The screens' window ends now: its groups
// are kept in memory and caught up with the tickets changed since (./miningState.ts). A group with ≥ minCount tickets spanning more than
// minSpanDays is a 批量问题; its root-cause words are jieba words weighted against the other groups
// (TF-IDF over the groups' descriptions, place names and category words left out). Groups of one
// category sharing a top word at different places form a 一类事.

import type { NodeContext } from '../core/context';
import type { MiningParams } from '../../../shared/recurring/rules';
import { MIN_CLASS_GROUPS } from '../../../shared/recurring/rules';
import type { RecurringClass, RecurringGroup, RecurringResult } from '../../../shared/api/recurring';
import { OPEN_STATUSES, type TicketStatus } from '../../../shared/domain/ticket';
import { isHan } from '../../../shared/text/searchTokens';
import { placeAwareSegmenter } from '../tickets/search';
import { onMinedRowsChanged, withGroups } from './miningState';
import { Slicer, rowOrder, type Group, type Row } from './cluster';

export { clusterTickets, type Group } from './cluster';

const DAY = 86_400_000;
const CST = 8 * 3600_000;
/** Groups returned at most (the largest first); the count of all is in `groupCount`. */
export const MAX_GROUPS = 300;
const MAX_CLASSES = 60;
/** Descriptions per group read for its root-cause words (the newest). */
const WORD_SAMPLE = 40;
const TOP_WORDS = 5;

/** Numbers written in Han characters (十四, 五度, 两三天): amounts, not causes. */
const HAN_NUMBER = /^[零一二三四五六七八九十百千万两几]+[度个次天年月号楼层]?$/;

const monthOf = (ms: number) => new Date(ms + CST).toISOString().slice(0, 7);

const nextMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
};

/** The months YYYY-MM (China time) from `from`'s to `to`'s (exclusive end), in order. */
export function monthsBetween(from: number, to: number): string[] {
  const out: string[] = [];
  let m = monthOf(from);
  const last = monthOf(to - 1);
  while (m <= last) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

/** Words of complaints in general, never a root cause. */
const STOP_WORDS = new Set(
  '反映 来电 来电人 市民 网格员 巡查 日常 发现 希望 尽快 处理 处置 相关 部门 相关部门 要求 至今 解决 多次 已经 已 影响 严重 居民 生活 派人 查看 核实 依法 查处 帮忙 一直 这样 经常 时间 咨询 答复 请予 请求 问题 情况 现在 目前 没有 不能 可以 我们 他们 大家 这里 那里 附近 门口 小区 周边 每天 晚上 白天 好几 几天 两三天 很长 很长时间 一个 一些 非常 特别 比较 还是 但是 而且 通过 郑好拍 信箱 市长 指挥 中心 转来 视频 智能 分析 摄像头 画面 疑似 置信度 设备 编号 请网格员 及时 管一管 管管 一下 通行 困难 表扬 工作人员 态度 热情 有人 只有 作为 还要 交叉口 路口 网格 依法查处 好几年 至今未 很多 只能 整个 容易 家里'.split(' '),
);

/** Whether a group is a 批量问题 under the parameters. */
export function isBatch(g: { members: Array<{ created_at: number }> }, p: MiningParams): boolean {
  if (g.members.length < p.minCount) return false;
  const span = g.members[g.members.length - 1]!.created_at - g.members[0]!.created_at;
  return span > p.minSpanDays * DAY;
}

export const groupKey = (g: Group) => `${g.anchor.category_id}:${g.anchor.id}`;

const OPEN = new Set<string>(OPEN_STATUSES as readonly TicketStatus[]);

function mostFrequent(values: string[]): string {
  const c = new Map<string, number>();
  let best = '';
  let n = 0;
  for (const v of values) {
    if (!v) continue;
    const k = (c.get(v) ?? 0) + 1;
    c.set(v, k);
    if (k > n) {
      n = k;
      best = v;
    }
  }
  return best;
}

/**
 * Root-cause word candidates of one ticket (jieba words of its description, general complaint words,
 * numbers, place names, its category's words and its own address left out), kept per ticket: the
 * segmentation is most of the words' cost. Dropped when the ticket changes or the place names do.
 */
const wordCache = new Map<string, { catWords: string; words: string[] }>();
let wordCachePlaces = -1;
const MAX_WORD_CACHE = 200_000;
onMinedRowsChanged((ids) => {
  for (const id of ids) wordCache.delete(id);
  rowsChanged++;
});

/**
 * The listed groups' output (figures, words, points), kept per groups array (the same array while
 * no block re-clustered) and everything else it reads: the rule and the listing, the months, the
 * rows (any change patched in place bumps `rowsChanged`), the names, the 专项治理 links and the
 * segmenter's place names. On 1,000,000 tickets the 300 listed groups hold ~300,000 tickets, and
 * building their output was most of a view.
 */
let rowsChanged = 0;
const outputCache = new WeakMap<Group[], { key: string; out: RecurringGroup[] }>();
/** Each listed group's output but its words (which weigh against all listed groups). */
const groupOutputCache = new WeakMap<Group, { key: string; base: Omit<RecurringGroup, 'words'> }>();

/** FNV-1a of a string, as a short cache-key part. */
function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36) + ':' + s.length;
}

function ticketWords(seg: { cut(text: string): string[]; places: ReadonlySet<string> }, r: Row, catWords: string): string[] {
  if (wordCachePlaces !== seg.places.size) {
    wordCache.clear();
    wordCachePlaces = seg.places.size;
  }
  const hit = wordCache.get(r.id);
  if (hit && hit.catWords === catWords) return hit.words;
  const words = [
    ...new Set(
      seg.cut(r.description).filter((w) => {
        const chars = Array.from(w);
        return chars.length >= 2 && chars.every(isHan) && !STOP_WORDS.has(w) && !HAN_NUMBER.test(w) && !seg.places.has(w) && !catWords.includes(w) && !r.address.includes(w);
      }),
    ),
  ];
  if (wordCache.size >= MAX_WORD_CACHE) wordCache.clear();
  wordCache.set(r.id, { catWords, words });
  return words;
}

/** The 批量问题 among the groups, the largest first; kept per (unchanged) groups array and rule. */
const batchCache = new WeakMap<Group[], Map<string, Group[]>>();
function batchesOf(groups: Group[], p: MiningParams): Group[] {
  let m = batchCache.get(groups);
  if (!m) batchCache.set(groups, (m = new Map()));
  const k = `${p.minCount}|${p.minSpanDays}`;
  let b = m.get(k);
  if (!b) m.set(k, (b = groups.filter((g) => isBatch(g, p)).sort((x, y) => y.members.length - x.members.length || rowOrder(x.anchor, y.anchor))));
  return b;
}

/**
 * The whole mining: 批量问题 with their figures and words, and 一类事 across places. The window
 * ends now (kept up to date in memory, ./miningState.ts) or at `opts.to` (straight from the store).
 */
export async function mineRecurring(
  ctx: NodeContext,
  p: MiningParams,
  opts: {
    only?: string;
    to?: number;
    /** Only groups with a ticket in [from, to) (a month's report). */
    activeIn?: [number, number];
    /** Checked between slices (the node closing): the run then throws `MiningStopped`. */
    stopped?: () => boolean;
  } = {},
): Promise<RecurringResult & { batches: Group[] }> {
  const t0 = performance.now();
  const db = ctx.store.db;
  // The output is built under the same per-store turn as the clustering: a catch-up by another run
  // (which patches members in place) cannot interleave with it between slices.
  return withGroups(ctx, p, opts.to ?? null, opts.to == null, opts.stopped, async ({ from, to, scanned, groups }) => {
    const batches = batchesOf(groups, p);
    const active = opts.activeIn;
    const inRange = active ? batches.filter((g) => g.members.some((r) => r.created_at >= active[0] && r.created_at < active[1])) : batches;
    const shown = opts.only ? inRange.filter((g) => groupKey(g) === opts.only) : inRange.slice(0, MAX_GROUPS);
    const months = monthsBetween(from, to);
    // Each month's first instant (China time), and the end of the last.
    const monthStarts = [...months, nextMonth(months[months.length - 1]!)].map((m) => Date.parse(`${m}-01T00:00:00+08:00`));
    const first = await db.selectFrom('tickets').select((eb) => eb.fn.min('created_at').as('t')).executeTakeFirst();

    const [cats, units, grids, links] = await Promise.all([
      db.selectFrom('catalog').select(['id', 'name', 'path']).execute(),
      db.selectFrom('units').select(['id', 'name']).execute(),
      db.selectFrom('grids').select(['id', 'name', 'level', 'parent_id']).execute(),
      db
        .selectFrom('recurring_item_tickets as l')
        .innerJoin('recurring_items as i', 'i.id', 'l.item_id')
        .select(['l.ticket_id', 'i.id', 'i.code', 'i.title', 'i.status'])
        .execute(),
    ]);
    const catById = new Map(cats.map((c) => [c.id, c]));
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const gridById = new Map(grids.map((g) => [g.id, g]));
    const itemOfTicket = new Map<string, (typeof links)[number]>();
    for (const l of links) itemOfTicket.set(l.ticket_id, l);
    const communityOf = (gridId: string | null): string | null => {
      let g = gridId ? gridById.get(gridId) : undefined;
      while (g && g.level !== '2') g = g.parent_id ? gridById.get(g.parent_id) : undefined;
      return g?.name ?? null;
    };

    // Root-cause words: TF-IDF of each group's sampled descriptions against all groups' samples.
    const seg = shown.length ? await placeAwareSegmenter(ctx.store, ctx.now()) : null;
    // What a group's output reads besides its members: the months, the names, the 专项治理 links.
    const baseKey = JSON.stringify([
      months[0], months.length,
      hashOf(cats.map((c) => `${c.id}\u0001${c.path}`).join('\u0002')),
      hashOf(units.map((u) => `${u.id}\u0001${u.name}`).join('\u0002')),
      hashOf(grids.map((g) => `${g.id}\u0001${g.name}\u0001${g.level}\u0001${g.parent_id}`).join('\u0002')),
      hashOf(links.map((l) => `${l.ticket_id}\u0001${l.id}\u0001${l.code}\u0001${l.title}\u0001${l.status}`).join('\u0002')),
    ]);
    const cacheKey = JSON.stringify([p, opts.only ?? null, active ?? null, rowsChanged, seg?.places.size ?? -1, baseKey]);
    const kept = outputCache.get(groups);
    // Building the listed groups' output is a second of work on a large street after a re-clustering:
    // in slices too.
    const slicer = new Slicer();
    const out = kept?.key === cacheKey ? kept.out : await listedGroups();
    if (kept?.key !== cacheKey) outputCache.set(groups, { key: cacheKey, out });
    return {
      params: p,
      from,
      to,
      months,
      scanned,
      groupCount: inRange.length,
      groups: out,
      classes: classesOf(out),
      firstTicketAt: first?.t ?? null,
      tookMs: Math.round(performance.now() - t0),
      batches,
    };

    async function listedGroups(): Promise<RecurringGroup[]> {
      const groupWords: Array<Map<string, number>> = [];
      const df = new Map<string, number>();
      let docs = 0;
      for (const g of shown) {
        const catWords = catById.get(g.anchor.category_id)?.path ?? '';
        const tf = new Map<string, number>();
        for (const r of g.members.slice(-WORD_SAMPLE)) {
          docs++;
          for (const w of ticketWords(seg!, r, catWords)) {
            tf.set(w, (tf.get(w) ?? 0) + 1);
            df.set(w, (df.get(w) ?? 0) + 1);
          }
        }
        groupWords.push(tf);
        if (slicer.due()) await slicer.pause();
      }
      const bases: Array<Omit<RecurringGroup, 'words'>> = [];
      for (const g of shown) {
        // The group's own output is kept while its size, its members' patched status and unit (`rev`)
        // and what else it reads are the same.
        const stamp = `${baseKey}|${g.members.length}|${g.rev}`;
        let kept = groupOutputCache.get(g);
        if (kept?.key !== stamp) groupOutputCache.set(g, (kept = { key: stamp, base: groupOutput(g) }));
        bases.push(kept.base);
        if (slicer.due()) await slicer.pause();
      }
      return shown.map((g, gi) => {
        const m = g.members;
        const tf = groupWords[gi]!;
        const sample = Math.min(m.length, WORD_SAMPLE);
        const words = [...tf.entries()]
          .filter(([, n]) => n >= Math.max(2, Math.ceil(sample * 0.3)))
          .map(([w, n]) => [w, (n / sample) * Math.log((docs + 1) / (df.get(w)! + 0.5))] as const)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, TOP_WORDS)
          .map(([w]) => w);
        return { ...bases[gi]!, words };
      });
    }

    function groupOutput(g: Group): Omit<RecurringGroup, 'words'> {
      const m = g.members;
      let open = 0;
      const unitCount = new Map<string, number>();
      for (const r of m) {
        if (OPEN.has(r.status)) open++;
        if (r.unit_id) unitCount.set(r.unit_id, (unitCount.get(r.unit_id) ?? 0) + 1);
      }
      // Members come oldest first: walk the months' starts alongside.
      const trend = new Array<number>(months.length).fill(0);
      let mi = 0;
      for (const r of m) {
        while (mi + 1 < monthStarts.length && r.created_at >= monthStarts[mi + 1]!) mi++;
        if (r.created_at >= monthStarts[0]! && mi < months.length) trend[mi]!++;
      }
      const itemVotes = new Map<string, { n: number; l: (typeof links)[number] }>();
      for (const r of m) {
        const l = itemOfTicket.get(r.id);
        if (l) itemVotes.set(l.id, { n: (itemVotes.get(l.id)?.n ?? 0) + 1, l });
      }
      const item = [...itemVotes.values()].sort((a, b) => b.n - a.n)[0]?.l;
      const gridId = g.anchor.grid_id;
      return {
        key: groupKey(g),
        categoryId: g.anchor.category_id,
        categoryPath: catById.get(g.anchor.category_id)?.path ?? '（分类已删除）',
        place: mostFrequent(m.map((r) => r.address)) || g.anchor.address,
        gridName: gridId ? (gridById.get(gridId)?.name ?? null) : null,
        communityName: communityOf(gridId),
        lon: g.anchor.lon,
        lat: g.anchor.lat,
        count: m.length,
        open,
        firstAt: m[0]!.created_at,
        lastAt: m[m.length - 1]!.created_at,
        spanDays: Math.round((m[m.length - 1]!.created_at - m[0]!.created_at) / DAY),
        trend,
        points: m.filter((r) => r.lon != null && r.lat != null).map((r) => [r.id, r.lon!, r.lat!] as [string, number, number]),
        units: [...unitCount.entries()].map(([unitId, count]) => ({ unitId, name: unitName.get(unitId) ?? '（单位已删除）', count })).sort((a, b) => b.count - a.count),
        ticketIds: m.map((r) => r.id),
        item: item ? { id: item.id, code: item.code, title: item.title, status: item.status as 'open' | 'closed' } : null,
      };
    }
  });
}

/**
 * 一类事: per category, the groups (places) sharing a root-cause word; a word shared by fewer than
 * MIN_CLASS_GROUPS places is not a class; words covering the same places are one class.
 */
export function classesOf(groups: RecurringGroup[]): RecurringClass[] {
  const byCat = new Map<string, RecurringGroup[]>();
  for (const g of groups) (byCat.get(g.categoryId) ?? byCat.set(g.categoryId, []).get(g.categoryId)!).push(g);
  const out: RecurringClass[] = [];
  for (const [categoryId, gs] of byCat) {
    const byWord = new Map<string, RecurringGroup[]>();
    for (const g of gs) for (const w of g.words) (byWord.get(w) ?? byWord.set(w, []).get(w)!).push(g);
    const bySet = new Map<string, { words: string[]; groups: RecurringGroup[] }>();
    for (const [w, l] of byWord) {
      const places = new Set(l.map((g) => g.place));
      if (l.length < MIN_CLASS_GROUPS || places.size < MIN_CLASS_GROUPS) continue;
      const k = l.map((g) => g.key).sort().join(',');
      const e = bySet.get(k);
      if (e) e.words.push(w);
      else bySet.set(k, { words: [w], groups: l });
    }
    for (const { words, groups: l } of bySet.values())
      out.push({
        key: `${categoryId}:${[...words].sort().join('+')}`,
        categoryId,
        categoryPath: l[0]!.categoryPath,
        words: [...words].sort(),
        groupKeys: l.map((g) => g.key),
        places: [...new Set(l.map((g) => g.place))],
        tickets: l.reduce((n, g) => n + g.count, 0),
      });
  }
  return out.sort((a, b) => b.tickets - a.tickets || b.groupKeys.length - a.groupKeys.length || (a.key < b.key ? -1 : 1)).slice(0, MAX_CLASSES);
}

