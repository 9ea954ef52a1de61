// API methods of 统计分析: the figures of a period with comparisons, breakdowns, trends, the daily
// calendar, Excel exports and the monthly report. Definitions live in src/shared/stats.

import { z } from 'zod/v4';
import { DIMENSIONS, type Dimension } from '../stats/dimensions';
import type { Figures } from '../stats/figures';
import { isDate, daysBetween, MAX_PERIOD_DAYS, PERIOD_KINDS, type Granularity, type Period } from '../stats/period';
import type { TicketFilter } from './filters';
import { empty, id, method } from './common';
import type { SeriesForecast } from '../stats/forecast';
import { RANKING_KINDS, type RankingCounts, type RankingKind, type RankingRules, type RankingRulesVersion, type ScoreItem } from '../stats/ranking';

const date = z.string().refine(isDate, '日期格式应为YYYY-MM-DD');

export const statsPeriod = z
  .object({ kind: z.enum(PERIOD_KINDS).default('range'), from: date, to: date })
  .refine((p) => p.from < p.to, { message: '结束日期须晚于开始日期', path: ['to'] })
  .refine((p) => !(p.from < p.to) || daysBetween(p.from, p.to) <= MAX_PERIOD_DAYS, { message: `统计区间不能超过${MAX_PERIOD_DAYS}天`, path: ['to'] });

export const statsOverviewInput = z.object({ period: statsPeriod, compare: z.boolean().default(true) });
export const statsBreakdownInput = z.object({ period: statsPeriod, dimension: z.enum(DIMENSIONS) });
export const statsTrendInput = z.object({ period: statsPeriod });
export const statsExportInput = z.object({
  period: statsPeriod,
  /** Which table: the key figures (with comparisons), a breakdown, or the trend. */
  table: z.enum(['overview', 'breakdown', 'trend']),
  dimension: z.enum(DIMENSIONS).optional(),
});
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为YYYY-MM');
export const statsReportInput = z.object({
  month,
  format: z.enum(['pdf', 'xlsx']),
});

export const statsRankingInput = z.object({ month, kind: z.enum(RANKING_KINDS).default('unit') });
const score = z.number({ error: '分数须为数字' }).finite('分数须为数字').min(0, '分数须在0到100之间').max(100, '分数须在0到100之间');
export const statsPerformanceInput = z.object({
  kind: z.enum(RANKING_KINDS),
  entityId: id,
  month,
  score,
  reason: z.string().trim().min(2, '请填写评分理由（至少2个字）').max(200, '评分理由不能超过200字'),
});
const points = z.number({ error: '须为数字' }).finite().min(0, '不能小于0').max(100, '不能超过100');
export const rankingRulesSchema = z.object({
  weights: z.object({ system: points, public: points, performance: points }),
  acceptShare: points.max(1, '按时签收占比须在0到1之间'),
  returnPoints: points,
  extensionPoints: points,
  overduePoints: points,
  supervisionPoints: z.tuple([points, points, points, points]),
  reopenPoints: points,
});
export const statsSetRankingRulesInput = z.object({ from: month, rules: rankingRulesSchema });

export interface StatsFigures {
  period: Period;
  label: string;
  figures: Figures;
}

export interface StatsOverview extends StatsFigures {
  /** 环比 and 同比 (absent when not asked for). */
  previous: StatsFigures | null;
  lastYear: StatsFigures | null;
  /** When the store's history starts (null: no tickets yet). */
  firstTicketAt: number | null;
  generatedAt: number;
}

export interface StatsGroupRow {
  /** The group's id (grid, unit, category) or value (channel, type, urgency); null: none. */
  key: string | null;
  code: string | null;
  name: string;
  /** The ticket list's filter for this group, or null when no list filter selects exactly it. */
  filter: Pick<TicketFilter, 'gridId' | 'unitId' | 'categoryId' | 'channel' | 'type' | 'urgency' | 'missing'> | null;
  figures: Figures;
}

export interface StatsBreakdown {
  period: Period;
  dimension: Dimension;
  rows: StatsGroupRow[];
}

export interface StatsTrendBucket {
  from: string;
  to: string;
  label: string;
  figures: Figures;
  /** Starts after the node's today: nothing could have happened in it yet (drawn as a gap, not as 0). */
  future: boolean;
}

export interface StatsTrend {
  period: Period;
  granularity: Granularity;
  buckets: StatsTrendBucket[];
  /** Received per bucket and channel / top-level category (the stacked bars). */
  byChannel: Array<{ key: string; name: string; counts: number[] }>;
  byCategory: Array<{ key: string | null; name: string; counts: number[] }>;
  /** Received per day over the calendar year of the period's start (the calendar heat map). */
  daily: { year: number; days: Array<[string, number]> };
}

export interface StatsFile {
  name: string;
  mime: string;
  dataBase64: string;
}

/** An entity's row in a month's ranking (三维评价). */
export interface RankingRow {
  key: string;
  code: string | null;
  name: string;
  /** The ticket list's filter for the entity (the explanation items add the figure and month). */
  filter: { unitId: string } | { gridId: string };
  /** Rank by total (ties share a rank); null: no score this month. */
  rank: number | null;
  /** Rank in the previous month (frozen when that month is); null: not ranked then. */
  previousRank: number | null;
  system: number | null;
  public: number | null;
  performance: number | null;
  total: number | null;
  /** For a frozen month: the scores recomputed from today's tickets when they differ (更正). */
  correction: { system: number | null; public: number | null; performance: number | null; total: number | null; rank: number | null } | null;
  /** Today's counts and the items that make today's scores (each item's figure opens its tickets). */
  counts: RankingCounts;
  items: ScoreItem[];
  performanceEntry: { score: number; reason: string; byName: string; at: number } | null;
}

export interface RankingView {
  month: string;
  kind: RankingKind;
  /** frozen: the month has ended and its ranking was frozen; live: the month is still running. */
  state: 'live' | 'frozen';
  frozenAt: number | null;
  previousMonth: string;
  rules: RankingRulesVersion;
  rows: RankingRow[];
  /** How many entities have a rank (the unit role sees only its own row). */
  rankedCount: number;
  ownOnly: boolean;
  /** Whether the caller may enter 绩效刚性评 scores and change the rules (street leaders). */
  mayEnter: boolean;
  firstTicketAt: number | null;
}

/** A top-level category's weekly received counts and its 8-week forecast (按季施策). */
export interface ForecastCategory {
  key: string;
  code: string | null;
  name: string;
  /** Index into StatsForecast.weeks of the category's first week (its first week with a ticket). */
  start: number;
  /** Received per complete week from `start` to the last complete week. */
  history: number[];
  forecast: SeriesForecast;
  /** Set when the forecast rises well above the recent level: the weeks (Mondays), the peak and the named seasons those weeks fall in. */
  warning: { weeks: string[]; peak: number; recentLevel: number; seasons: string[] } | null;
}

export interface StatsForecast {
  /** Monday (CST) of the complete weeks of history, oldest first; the forecast starts the week after the last. */
  weeks: string[];
  /** Mondays of the forecast weeks (the first is the current, still running week). */
  forecastWeeks: string[];
  categories: ForecastCategory[];
  generatedAt: number;
}

export interface RankingRulesInfo {
  versions: RankingRulesVersion[];
  current: RankingRulesVersion;
  defaults: RankingRules;
  /** The earliest month a new version may start (this month: past months are never rewritten). */
  earliestFrom: string;
}

export const statsMethods = {
  'stats.overview': method<typeof statsOverviewInput, StatsOverview>(statsOverviewInput),
  'stats.breakdown': method<typeof statsBreakdownInput, StatsBreakdown>(statsBreakdownInput),
  'stats.trend': method<typeof statsTrendInput, StatsTrend>(statsTrendInput),
  'stats.forecast': method<typeof empty, StatsForecast>(empty),
  'stats.export': method<typeof statsExportInput, StatsFile>(statsExportInput),
  'stats.report': method<typeof statsReportInput, StatsFile>(statsReportInput),
  'stats.ranking': method<typeof statsRankingInput, RankingView>(statsRankingInput),
  'stats.performanceScore': method<typeof statsPerformanceInput, { ok: true }>(statsPerformanceInput),
  'stats.rankingRules': method<typeof empty, RankingRulesInfo>(empty),
  'stats.setRankingRules': method<typeof statsSetRankingRulesInput, RankingRulesInfo>(statsSetRankingRulesInput),
} as const;
