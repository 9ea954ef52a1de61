// 三维评价: the monthly scores of units, communities and grids, defined once here and used by the
// street node (src/main/services/stats/ranking.ts), the CLI, the 排名 tab and the tests.
//
//   系统自动评 (system)      from the figures of the month (./figures): timeliness — 按时签收率 and
//                            按时办结率 — less points per returned, extended, overdue (late resolved),
//                            supervised (by level) and reopened ticket.
//   群众参与评 (public)      满意率 of the month's callbacks, × 100.
//   绩效刚性评 (performance) the score (0–100) a street leader enters per entity and month, with a reason.
//   总分 (total)             the weighted mean of the three over those that have a value (weights
//                            renormalized; an entity with none of them is not ranked).
//
// Every score is 0–100 and is explained by items, each naming the figure whose tickets made it, so
// the list behind an item is the figure's own list filtered to the entity and month.

import type { FigureCounts, TicketFigure } from './figures';

/** What is ranked. Units by the ticket's unit; communities and grids by the ticket's grid. */
export const RANKING_KINDS = ['unit', 'community', 'grid'] as const;
export type RankingKind = (typeof RANKING_KINDS)[number];
export const RANKING_KIND_LABELS: Record<RankingKind, string> = { unit: '处置单位', community: '社区', grid: '网格' };

/** The weights and rules of the three scores (a setting; versions apply from a month on). */
export interface RankingRules {
  /** Weights of 系统自动评, 群众参与评, 绩效刚性评 in the total (any non-negative numbers). */
  weights: { system: number; public: number; performance: number };
  /** 系统自动评 base = 100 × (acceptShare × 按时签收率 + (1 − acceptShare) × 按时办结率). */
  acceptShare: number;
  /** Points taken per returned ticket (退回, of tickets first dispatched in the month). */
  returnPoints: number;
  /** Points per ticket with an extension request (延期, of tickets first dispatched in the month). */
  extensionPoints: number;
  /** Points per ticket resolved after its deadline (超时办结, first resolved in the month). */
  overduePoints: number;
  /** Points per supervised ticket by the highest level reached in the month (一级…四级督办). */
  supervisionPoints: [number, number, number, number];
  /** Points per reopened ticket (重启, of tickets first resolved in the month). */
  reopenPoints: number;
}

/** The defaults (documented in the README, 三维评价 section). */
export const DEFAULT_RANKING_RULES: RankingRules = {
  weights: { system: 0.5, public: 0.3, performance: 0.2 },
  acceptShare: 0.4,
  returnPoints: 2,
  extensionPoints: 1,
  overduePoints: 1,
  supervisionPoints: [1, 2, 3, 5],
  reopenPoints: 2,
};

/** A version of the rules and the first month (YYYY-MM) it applies to. */
export interface RankingRulesVersion {
  from: string;
  rules: RankingRules;
}

/** The rules that apply to a month: the latest version starting at or before it, else the defaults. */
export function rulesForMonth(versions: readonly RankingRulesVersion[], month: string): RankingRulesVersion {
  let best: RankingRulesVersion = { from: '0000-01', rules: DEFAULT_RANKING_RULES };
  for (const v of versions) if (v.from <= month && v.from >= best.from) best = v;
  return best;
}

/** One line of a score's explanation: a figure's tickets and the points they gave or took. */
export interface ScoreItem {
  score: 'system' | 'public' | 'performance';
  /** Chinese text, e.g. 退回 3 件 × 2 分. */
  label: string;
  /** The figure whose tickets (of this entity, this month) the item is about; null: entered score. */
  figure: TicketFigure | null;
  count: number;
  /** Signed points this item contributes to its score (negative: points lost). */
  points: number;
}

export interface EntityScores {
  system: number | null;
  public: number | null;
  performance: number | null;
  total: number | null;
  items: ScoreItem[];
}

/** The counts a ranking keeps per entity and month (frozen with it). */
export const RANKING_FIGURES = [
  'dispatched',
  'acceptedInTime',
  'acceptedLate',
  'resolved',
  'resolvedOnTime',
  'resolvedLate',
  'returned',
  'extended',
  'reopened',
  'supervisedL1',
  'supervisedL2',
  'supervisedL3',
  'supervisedL4',
  'callbacks',
  'satisfied',
  'unsatisfied',
] as const satisfies readonly TicketFigure[];
export type RankingCounts = Pick<FigureCounts, (typeof RANKING_FIGURES)[number]>;

export function rankingCounts(c: FigureCounts): RankingCounts {
  return Object.fromEntries(RANKING_FIGURES.map((k) => [k, c[k]])) as RankingCounts;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number) => Math.max(0, Math.min(100, x));

/**
 * 系统自动评: 100 × the weighted timeliness rates (按时签收率 with share `acceptShare`, 按时办结率
 * the rest; when only one of them has a denominator it counts alone), less the points of returned,
 * extended, overdue, supervised and reopened tickets, bounded to 0–100. Null when the entity had
 * neither a first dispatch nor a first resolve in the month.
 */
export function systemScore(c: RankingCounts, r: RankingRules): { score: number | null; items: ScoreItem[] } {
  const items: ScoreItem[] = [];
  const hasAccept = c.dispatched > 0;
  const hasResolve = c.resolved > 0;
  if (!hasAccept && !hasResolve) return { score: null, items };
  const share = hasAccept && hasResolve ? r.acceptShare : hasAccept ? 1 : 0;
  let base = 0;
  if (hasAccept) {
    const w = 100 * share;
    base += (w * c.acceptedInTime) / c.dispatched;
    items.push({ score: 'system', label: `按时签收 ${c.acceptedInTime}/${c.dispatched} 件（占 ${round1(w)} 分）`, figure: 'acceptedInTime', count: c.acceptedInTime, points: round1((w * c.acceptedInTime) / c.dispatched) });
    if (c.acceptedLate) items.push({ score: 'system', label: `未按时签收 ${c.acceptedLate} 件`, figure: 'acceptedLate', count: c.acceptedLate, points: -round1((w * c.acceptedLate) / c.dispatched) });
  }
  if (hasResolve) {
    const w = 100 * (1 - share);
    base += (w * c.resolvedOnTime) / c.resolved;
    items.push({ score: 'system', label: `按时办结 ${c.resolvedOnTime}/${c.resolved} 件（占 ${round1(w)} 分）`, figure: 'resolvedOnTime', count: c.resolvedOnTime, points: round1((w * c.resolvedOnTime) / c.resolved) });
    if (c.resolvedLate) items.push({ score: 'system', label: `超时办结 ${c.resolvedLate} 件（时效）`, figure: 'resolvedLate', count: c.resolvedLate, points: -round1((w * c.resolvedLate) / c.resolved) });
  }
  let penalty = 0;
  const pen = (figure: TicketFigure, count: number, each: number, what: string) => {
    if (!count || !each) return;
    penalty += count * each;
    items.push({ score: 'system', label: `${what} ${count} 件 × ${each} 分`, figure, count, points: -count * each });
  };
  pen('returned', c.returned, r.returnPoints, '退回');
  pen('extended', c.extended, r.extensionPoints, '延期');
  pen('resolvedLate', c.resolvedLate, r.overduePoints, '超期扣分');
  pen('supervisedL1', c.supervisedL1, r.supervisionPoints[0], '一级督办');
  pen('supervisedL2', c.supervisedL2, r.supervisionPoints[1], '二级督办');
  pen('supervisedL3', c.supervisedL3, r.supervisionPoints[2], '三级督办');
  pen('supervisedL4', c.supervisedL4, r.supervisionPoints[3], '四级督办');
  pen('reopened', c.reopened, r.reopenPoints, '重启');
  return { score: round1(clamp(base - penalty)), items };
}

/** 群众参与评: 100 × satisfied / callbacks of the month (null without callbacks). */
export function publicScore(c: RankingCounts): { score: number | null; items: ScoreItem[] } {
  if (!c.callbacks) return { score: null, items: [] };
  const items: ScoreItem[] = [{ score: 'public', label: `满意、基本满意 ${c.satisfied}/${c.callbacks} 次回访`, figure: 'satisfied', count: c.satisfied, points: round1((100 * c.satisfied) / c.callbacks) }];
  if (c.unsatisfied) items.push({ score: 'public', label: `不满意 ${c.unsatisfied} 次回访`, figure: 'unsatisfied', count: c.unsatisfied, points: -round1((100 * c.unsatisfied) / c.callbacks) });
  return { score: round1((100 * c.satisfied) / c.callbacks), items };
}

/**
 * The three scores and the total: the weighted mean of the scores that have a value (a missing
 * score's weight is left out, not counted as 0). `performance` is the entered 绩效刚性评 or null.
 */
export function scoreEntity(c: RankingCounts, performance: { score: number; reason: string } | null, r: RankingRules): EntityScores {
  const sys = systemScore(c, r);
  const pub = publicScore(c);
  const items = [...sys.items, ...pub.items];
  if (performance) items.push({ score: 'performance', label: `绩效刚性评 ${performance.score} 分：${performance.reason}`, figure: null, count: 0, points: performance.score });
  const parts: Array<[number | null, number]> = [
    [sys.score, r.weights.system],
    [pub.score, r.weights.public],
    [performance?.score ?? null, r.weights.performance],
  ];
  let sum = 0;
  let w = 0;
  for (const [s, wt] of parts)
    if (s != null && wt > 0) {
      sum += s * wt;
      w += wt;
    }
  return { system: sys.score, public: pub.score, performance: performance?.score ?? null, total: w > 0 ? round1(sum / w) : null, items };
}

/**
 * Ranks by total, highest first; equal totals share a rank (1, 2, 2, 4); entities without a total
 * get null. Returns the ranks in the order of `totals`.
 */
export function rankTotals(totals: ReadonlyArray<number | null>): Array<number | null> {
  const order = totals
    .map((t, i) => ({ t, i }))
    .filter((x): x is { t: number; i: number } => x.t != null)
    .sort((a, b) => b.t - a.t);
  const ranks: Array<number | null> = totals.map(() => null);
  order.forEach((x, k) => {
    ranks[x.i] = k > 0 && order[k - 1]!.t === x.t ? ranks[order[k - 1]!.i]! : k + 1;
  });
  return ranks;
}

/** Checks a rules object (from a setting or an input): a Chinese message, or null when valid. */
export function checkRules(r: RankingRules): string | null {
  const nums = [r.weights.system, r.weights.public, r.weights.performance, r.acceptShare, r.returnPoints, r.extensionPoints, r.overduePoints, r.reopenPoints, ...r.supervisionPoints];
  if (nums.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)) return '权重和扣分须为不小于0的数';
  if (r.weights.system + r.weights.public + r.weights.performance <= 0) return '三项权重不能全为0';
  if (r.acceptShare > 1) return '按时签收占比须在0到1之间';
  if (nums.some((x) => x > 100)) return '权重和扣分不能超过100';
  return null;
}
