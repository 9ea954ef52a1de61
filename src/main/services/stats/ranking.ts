// 三维评价 rankings of units, communities and grids per month (scores defined in
// src/shared/stats/ranking.ts). A month's ranking is computed from the figures (./counts, the same
// expressions the ticket list filters by) and the entered 绩效刚性评 scores; once the month has
// ended it is frozen (ranking_freezes + a row per entity in ranking_rows), so a later correction
// of a ticket shows as a correction (frozen vs recomputed), never as a silent change.

import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import type { RankingRow, RankingRulesInfo, RankingView } from '../../../shared/api/stats';
import {
  checkRules,
  DEFAULT_RANKING_RULES,
  rankingCounts,
  rankTotals,
  RANKING_FIGURES,
  rulesForMonth,
  scoreEntity,
  type EntityScores,
  type RankingCounts,
  type RankingKind,
  type RankingRules,
  type RankingRulesVersion,
} from '../../../shared/stats/ranking';
import { addCounts, emptyCounts, type FigureCounts } from '../../../shared/stats/figures';
import { addMonths, periodBounds } from '../../../shared/stats/period';
import { CST_OFFSET_MS } from '../../../shared/domain/calendar';
import { AppError } from '../core/errors';
import { getSetting, setSetting } from '../core/settings';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { countFigures } from './counts';
import { groupsOf } from './queries';

export const RULES_SETTING = 'ranking.rules';

/** The month (YYYY-MM, China time) of an epoch ms. */
export function monthOf(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 7);
}
export const nextMonth = (m: string) => addMonths(`${m}-01`, 1).slice(0, 7);
export const prevMonth = (m: string) => addMonths(`${m}-01`, -1).slice(0, 7);
function monthBounds(m: string): { from: number; to: number } {
  return periodBounds({ from: `${m}-01`, to: addMonths(`${m}-01`, 1) });
}

export async function ruleVersions(ctx: NodeContext): Promise<RankingRulesVersion[]> {
  const v = await getSetting(ctx.store.db, RULES_SETTING);
  if (!Array.isArray(v)) return [];
  // A damaged setting falls back to the defaults rather than breaking every ranking.
  return (v as RankingRulesVersion[]).filter((x) => x && typeof x.from === 'string' && x.rules && checkRules({ ...DEFAULT_RANKING_RULES, ...x.rules }) == null).map((x) => ({ from: x.from, rules: { ...DEFAULT_RANKING_RULES, ...x.rules } }));
}

export async function rulesInfo(ctx: NodeContext): Promise<RankingRulesInfo> {
  const versions = await ruleVersions(ctx);
  const cur = monthOf(ctx.now());
  return { versions, current: rulesForMonth(versions, cur), defaults: DEFAULT_RANKING_RULES, earliestFrom: cur };
}

/** A new version of the rules from `from` on (this month or later); later versions it covers are dropped. */
export async function setRankingRules(ctx: NodeContext, user: User, from: string, rules: RankingRules): Promise<RankingRulesInfo> {
  if (user.role !== 'leader') throw new AppError('forbiddenRole', '只有街道领导可以修改评价规则', { detail: `${user.role} ${user.username} may not change ranking rules` });
  const bad = checkRules(rules);
  if (bad) throw new AppError('invalidInput', bad);
  const cur = monthOf(ctx.now());
  if (from < cur) throw new AppError('invalidInput', `评价规则只能从本月（${cur}）或以后的月份起生效，已结束月份的排名不会改写`, { detail: `ranking rules from ${from} < current month ${cur}` });
  const before = await ruleVersions(ctx);
  const versions = [...before.filter((v) => v.from < from), { from, rules }].sort((a, b) => a.from.localeCompare(b.from));
  await ctx.store.db.transaction().execute(async (trx) => {
    await setSetting(trx, RULES_SETTING, versions);
    await appendAudit(trx, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: RULES_SETTING, detail: { from, rules, replaced: before.filter((v) => v.from >= from) } });
  });
  ctx.log.info('ranking rules changed', { user: user.username, from });
  return rulesInfo(ctx);
}

interface Computed {
  key: string;
  code: string | null;
  name: string;
  filter: RankingRow['filter'];
  counts: RankingCounts;
  scores: EntityScores;
  rank: number | null;
  entry: RankingRow['performanceEntry'];
}

/** Entity names for rows that only have an entered score (no tickets in the month). */
async function entityInfo(ctx: NodeContext, kind: RankingKind, ids: string[]): Promise<Map<string, { code: string | null; name: string }>> {
  if (!ids.length) return new Map();
  const rows =
    kind === 'unit'
      ? await ctx.store.db.selectFrom('units').select(['id', 'code', 'name']).where('id', 'in', ids).execute()
      : await ctx.store.db.selectFrom('grids').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}

/** A month's ranking of one kind from today's tickets and entered scores. */
export async function computeRanking(ctx: NodeContext, month: string, kind: RankingKind, rules: RankingRules): Promise<Computed[]> {
  const { from, to } = monthBounds(month);
  const { grouping, groupOf } = await groupsOf(ctx, kind);
  const raw = await countFigures(ctx, from, to, grouping);
  const groups = new Map<string, { code: string | null; name: string; filter: RankingRow['filter']; c: FigureCounts }>();
  for (const [k, c] of raw) {
    const g = groupOf(k);
    // Tickets without a unit/grid, or on a grid above the level ranked, belong to no entity.
    if (g.key == null || g.key.startsWith('~') || !g.filter) continue;
    const filter = kind === 'unit' ? { unitId: g.key } : { gridId: g.key };
    const s = groups.get(g.key);
    if (s) s.c = addCounts(s.c, c);
    else groups.set(g.key, { code: g.code, name: g.name, filter, c });
  }
  const entries = await ctx.store.db.selectFrom('performance_scores').selectAll().where('kind', '=', kind).where('month', '=', month).execute();
  const missing = entries.map((e) => e.entity_id).filter((id) => !groups.has(id));
  const info = await entityInfo(ctx, kind, missing);
  for (const id of missing) {
    const i = info.get(id);
    if (i) groups.set(id, { ...i, filter: kind === 'unit' ? { unitId: id } : { gridId: id }, c: emptyCounts() });
  }
  const byId = new Map(entries.map((e) => [e.entity_id, e]));
  const list = [...groups].map(([key, g]) => {
    const e = byId.get(key);
    const counts = rankingCounts(g.c);
    return {
      key,
      code: g.code,
      name: g.name,
      filter: g.filter,
      counts,
      scores: scoreEntity(counts, e ? { score: e.score, reason: e.reason } : null, rules),
      rank: null as number | null,
      entry: e ? { score: e.score, reason: e.reason, byName: e.entered_by_name, at: e.entered_at } : null,
    };
  });
  const ranks = rankTotals(list.map((x) => x.scores.total));
  list.forEach((x, i) => (x.rank = ranks[i]!));
  return list.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh'));
}

/**
 * Freezes a month's ranking of one kind (once; a month not yet ended is refused). Returns whether
 * it froze now.
 */
export async function freezeMonth(ctx: NodeContext, month: string, kind: RankingKind): Promise<boolean> {
  if (month >= monthOf(ctx.now())) throw new AppError('invalidInput', `${month} 尚未结束，不能冻结排名`);
  const db = ctx.store.db;
  const done = await db.selectFrom('ranking_freezes').select('month').where('month', '=', month).where('kind', '=', kind).executeTakeFirst();
  if (done) return false;
  const rules = rulesForMonth(await ruleVersions(ctx), month);
  const rows = await computeRanking(ctx, month, kind, rules.rules);
  return db.transaction().execute(async (trx) => {
    // Two freezes racing: the first one's rows stand.
    const again = await trx.selectFrom('ranking_freezes').select('month').where('month', '=', month).where('kind', '=', kind).executeTakeFirst();
    if (again) return false;
    await trx.insertInto('ranking_freezes').values({ month, kind, frozen_at: ctx.now(), rules_from: rules.from, rules: JSON.stringify(rules.rules) }).execute();
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('ranking_rows')
        .values(
          rows.slice(i, i + 200).map((r) => ({
            month,
            kind,
            entity_id: r.key,
            code: r.code,
            name: r.name,
            system: r.scores.system,
            public: r.scores.public,
            performance: r.scores.performance,
            total: r.scores.total,
            rank: r.rank,
            counts: JSON.stringify(r.counts),
          })),
        )
        .execute();
    return true;
  });
}

/**
 * Freezes every ended month not yet frozen, from the store's first ticket (at most the last
 * `maxMonths`), for every kind. Run by the node's periodic job and before a past month is read.
 */
export async function freezeDueRankings(ctx: NodeContext, maxMonths = 24): Promise<number> {
  const first = await ctx.store.db.selectFrom('tickets').select((eb) => eb.fn.min('created_at').as('t')).executeTakeFirst();
  if (first?.t == null) return 0;
  const cur = monthOf(ctx.now());
  let m = monthOf(Number(first.t));
  const floor = addMonths(`${cur}-01`, -maxMonths).slice(0, 7);
  if (m < floor) m = floor;
  let n = 0;
  for (; m < cur; m = nextMonth(m)) for (const kind of ['unit', 'community', 'grid'] as const) if (await freezeMonth(ctx, m, kind)) n++;
  return n;
}

interface Frozen {
  frozenAt: number;
  rules: RankingRulesVersion;
  rows: Map<string, { code: string | null; name: string; system: number | null; public: number | null; performance: number | null; total: number | null; rank: number | null; counts: RankingCounts }>;
}

async function readFrozen(ctx: NodeContext, month: string, kind: RankingKind): Promise<Frozen | null> {
  const db = ctx.store.db;
  const f = await db.selectFrom('ranking_freezes').selectAll().where('month', '=', month).where('kind', '=', kind).executeTakeFirst();
  if (!f) return null;
  const rows = await db.selectFrom('ranking_rows').selectAll().where('month', '=', month).where('kind', '=', kind).execute();
  return {
    frozenAt: f.frozen_at,
    rules: { from: f.rules_from, rules: { ...DEFAULT_RANKING_RULES, ...(JSON.parse(f.rules) as RankingRules) } },
    rows: new Map(rows.map((r) => [r.entity_id, { code: r.code, name: r.name, system: r.system, public: r.public, performance: r.performance, total: r.total, rank: r.rank, counts: JSON.parse(r.counts) as RankingCounts }])),
  };
}

/** A month's ranks (frozen when the month is, else live). */
async function ranksOf(ctx: NodeContext, month: string, kind: RankingKind): Promise<Map<string, number | null>> {
  if (month < monthOf(ctx.now())) {
    await freezeMonth(ctx, month, kind);
    const f = await readFrozen(ctx, month, kind);
    if (f) return new Map([...f.rows].map(([k, r]) => [k, r.rank]));
  }
  const rules = rulesForMonth(await ruleVersions(ctx), month);
  return new Map((await computeRanking(ctx, month, kind, rules.rules)).map((r) => [r.key, r.rank]));
}

const same = (a: number | null, b: number | null) => (a == null ? b == null : b != null && Math.abs(a - b) < 0.05);

/**
 * The ranking of a month as shown: frozen scores for an ended month (with today's recomputation
 * where it differs), live scores for the running one; movement against the previous month. The
 * unit role gets its own unit's row only.
 */
export async function rankingView(ctx: NodeContext, user: User, month: string, kind: RankingKind): Promise<RankingView> {
  if (user.role === 'unit') {
    if (kind !== 'unit') throw new AppError('forbiddenRole', '处置单位只能查看本单位的排名', { detail: `unit user ${user.username} asked for ${kind} ranking` });
    if (!user.unitId) throw new AppError('forbiddenRole', '账号未关联处置单位', { detail: `unit user ${user.username} has no unit` });
  } else if (user.role !== 'leader' && user.role !== 'operator') {
    throw new AppError('forbiddenRole', '排名仅向街道领导、受理员和处置单位开放', { detail: `ranking for role ${user.role}` });
  }
  const cur = monthOf(ctx.now());
  if (month > cur) throw new AppError('invalidInput', `${month} 还没有到，请选择本月或以前的月份`);
  const ended = month < cur;
  if (ended) await freezeMonth(ctx, month, kind);
  const frozen = ended ? await readFrozen(ctx, month, kind) : null;
  const rules = frozen?.rules ?? rulesForMonth(await ruleVersions(ctx), month);
  const live = await computeRanking(ctx, month, kind, rules.rules);
  const previousMonth = prevMonth(month);
  const prevRanks = await ranksOf(ctx, previousMonth, kind);
  const liveById = new Map(live.map((r) => [r.key, r]));

  let rows: RankingRow[];
  const zero = Object.fromEntries(RANKING_FIGURES.map((k) => [k, 0])) as RankingCounts;
  if (frozen) {
    const ids = new Set([...frozen.rows.keys(), ...liveById.keys()]);
    rows = [...ids].map((key) => {
      const f = frozen.rows.get(key);
      const l = liveById.get(key);
      const now = l ? { system: l.scores.system, public: l.scores.public, performance: l.scores.performance, total: l.scores.total, rank: l.rank } : { system: null, public: null, performance: null, total: null, rank: null };
      const shown = f ?? { system: null, public: null, performance: null, total: null, rank: null };
      const differs = !same(shown.system, now.system) || !same(shown.public, now.public) || !same(shown.performance, now.performance) || !same(shown.total, now.total) || shown.rank !== now.rank;
      return {
        key,
        code: f?.code ?? l?.code ?? null,
        name: f?.name ?? l?.name ?? key,
        filter: kind === 'unit' ? { unitId: key } : { gridId: key },
        rank: shown.rank,
        previousRank: prevRanks.get(key) ?? null,
        system: shown.system,
        public: shown.public,
        performance: shown.performance,
        total: shown.total,
        correction: differs ? now : null,
        counts: l?.counts ?? zero,
        items: l?.scores.items ?? [],
        performanceEntry: l?.entry ?? null,
      };
    });
    rows.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh'));
  } else {
    rows = live.map((l) => ({
      key: l.key,
      code: l.code,
      name: l.name,
      filter: l.filter,
      rank: l.rank,
      previousRank: prevRanks.get(l.key) ?? null,
      system: l.scores.system,
      public: l.scores.public,
      performance: l.scores.performance,
      total: l.scores.total,
      correction: null,
      counts: l.counts,
      items: l.scores.items,
      performanceEntry: l.entry,
    }));
  }
  const rankedCount = rows.filter((r) => r.rank != null).length;
  const ownOnly = user.role === 'unit';
  if (ownOnly) rows = rows.filter((r) => r.key === user.unitId);
  const first = await ctx.store.db.selectFrom('tickets').select((eb) => eb.fn.min('created_at').as('t')).executeTakeFirst();
  return {
    month,
    kind,
    state: frozen ? 'frozen' : 'live',
    frozenAt: frozen?.frozenAt ?? null,
    previousMonth,
    rules,
    rows,
    rankedCount,
    ownOnly,
    mayEnter: user.role === 'leader',
    firstTicketAt: first?.t == null ? null : Number(first.t),
  };
}

/** Enters (or replaces) a 绩效刚性评 score for an entity and month, with its reason; audited. */
export async function enterPerformanceScore(
  ctx: NodeContext,
  user: User,
  input: { kind: RankingKind; entityId: string; month: string; score: number; reason: string },
): Promise<void> {
  if (user.role !== 'leader') throw new AppError('forbiddenRole', '只有街道领导可以录入绩效刚性评', { detail: `${user.role} ${user.username} may not enter performance scores` });
  const cur = monthOf(ctx.now());
  if (input.month > cur) throw new AppError('invalidInput', `${input.month} 还没有到，不能评分`);
  const db = ctx.store.db;
  const exists =
    input.kind === 'unit'
      ? await db.selectFrom('units').select('id').where('id', '=', input.entityId).executeTakeFirst()
      : await db.selectFrom('grids').select('id').where('id', '=', input.entityId).where('level', '=', input.kind === 'community' ? '2' : '3').executeTakeFirst();
  if (!exists) throw new AppError('invalidInput', input.kind === 'unit' ? '没有这个处置单位' : input.kind === 'community' ? '没有这个社区' : '没有这个网格', { detail: `${input.kind} ${input.entityId} not found` });
  const score = Math.round(input.score * 10) / 10;
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('performance_scores').select(['score', 'reason']).where('kind', '=', input.kind).where('entity_id', '=', input.entityId).where('month', '=', input.month).executeTakeFirst();
    const row = { kind: input.kind, entity_id: input.entityId, month: input.month, score, reason: input.reason, entered_by: user.id, entered_by_name: user.displayName, entered_at: ctx.now() };
    await trx
      .insertInto('performance_scores')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'entity_id', 'month']).doUpdateSet({ score, reason: input.reason, entered_by: user.id, entered_by_name: user.displayName, entered_at: ctx.now() }))
      .execute();
    await appendAudit(trx, ctx.now(), {
      actor: actorOf(user),
      action: 'performance.score',
      target: `${input.kind}:${input.entityId}:${input.month}`,
      detail: { kind: input.kind, entityId: input.entityId, month: input.month, score, reason: input.reason, previous: before ?? null },
    });
  });
  ctx.log.info('performance score entered', { user: user.username, kind: input.kind, entityId: input.entityId, month: input.month, score });
}
