// API methods of 统计分析: the figures of a period with comparisons, breakdowns, trends, the daily
// calendar, Excel exports and the monthly report. Definitions live in src/shared/stats.

import { z } from 'zod';
import { DIMENSIONS, type Dimension } from '../stats/dimensions';
import type { Figures } from '../stats/figures';
import { isDate, daysBetween, MAX_PERIOD_DAYS, PERIOD_KINDS, type Granularity, type Period } from '../stats/period';
import type { TicketFilter } from './filters';
import { method } from './common';

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
export const statsReportInput = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为YYYY-MM'),
  format: z.enum(['pdf', 'xlsx']),
});

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

export const statsMethods = {
  'stats.overview': method<typeof statsOverviewInput, StatsOverview>(statsOverviewInput),
  'stats.breakdown': method<typeof statsBreakdownInput, StatsBreakdown>(statsBreakdownInput),
  'stats.trend': method<typeof statsTrendInput, StatsTrend>(statsTrendInput),
  'stats.export': method<typeof statsExportInput, StatsFile>(statsExportInput),
  'stats.report': method<typeof statsReportInput, StatsFile>(statsReportInput),
} as const;
