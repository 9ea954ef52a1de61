// Reference data the city publishes to streets through the pull feed: the dispatch catalog (派单目录),
// a street's grids, a year's working-day calendar, and text-model versions trained at the city.
// One schema per kind, checked by the city before it publishes and again by the street before it
// applies (a street never trusts the wire): what fails is refused whole, with a Chinese reason.

import { z } from 'zod/v4';
import type { FeedKind } from './protocol';
import { caseCodeMapPayload } from '../intake/caseCodes';

export const REFERENCE_KINDS = ['catalog', 'grids', 'calendar', 'modelVersion', 'caseCodeMap'] as const satisfies readonly FeedKind[];
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export const REFERENCE_KIND_LABELS: Record<ReferenceKind, string> = {
  catalog: '派单目录',
  grids: '网格',
  calendar: '工作日历',
  modelVersion: '分类模型',
  caseCodeMap: '数字城管编码对照表',
};

const version = z.string().trim().min(1, '缺少版本号').max(64, '版本号过长');
const code = z.string().trim().min(1, '缺少编码').max(64, '编码过长');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---- catalog ----

export const catalogEntry = z.object({
  code,
  name: z.string().trim().min(1, '缺少类别名称').max(100, '类别名称过长'),
  /** Parent category's code; null for a top-level category. */
  parent: code.nullable().default(null),
  /** Default unit by code; a code the street does not have keeps the street's own default. */
  defaultUnit: code.nullable().default(null),
  acceptWithinHours: z.number().positive('签收时限须大于0').max(720, '签收时限过长'),
  resolveWithin: z.number().positive('办结时限须大于0').max(365, '办结时限过长'),
  resolveUnit: z.enum(['workHours', 'workDays', 'hours'], { message: '办结时限单位须为 workHours、workDays 或 hours' }),
  isMicro: z.boolean().default(false),
  isConsultation: z.boolean().default(false),
  routeToCommunity: z.boolean().default(false),
  /** Hours overdue at which supervision reaches levels 2, 3, 4 (null = the run mode's defaults). */
  supervisionHours: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).nullable().default(null),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;

export const catalogPayload = z
  .object({ version, categories: z.array(catalogEntry).min(1, '目录为空').max(5000, '类别过多') })
  .superRefine((c, ctx) => {
    const codes = new Map<string, CatalogEntry>();
    for (const e of c.categories) {
      if (codes.has(e.code)) ctx.addIssue({ code: 'custom', message: `类别编码重复：${e.code}` });
      codes.set(e.code, e);
    }
    for (const e of c.categories) {
      if (e.parent == null) continue;
      if (!codes.has(e.parent)) ctx.addIssue({ code: 'custom', message: `类别“${e.name}”的上级编码 ${e.parent} 不在目录中` });
      // A cycle would leave the tree without a root for these categories.
      const seen = new Set([e.code]);
      for (let p = codes.get(e.parent); p; p = p.parent ? codes.get(p.parent) : undefined) {
        if (seen.has(p.code)) {
          ctx.addIssue({ code: 'custom', message: `类别“${e.name}”的上级关系成环` });
          break;
        }
        seen.add(p.code);
      }
    }
  });
export type CatalogPayload = z.infer<typeof catalogPayload>;

// ---- calendar ----

export const calendarPayload = z
  .object({
    version,
    year: z.number().int().min(2000).max(2100),
    /** Days off (YYYY-MM-DD) other than ordinary weekends, with the festival's name. */
    holidays: z.record(z.string().regex(DATE, '日期须为 YYYY-MM-DD'), z.string().trim().min(1).max(30)),
    /** Weekend days that are working days (调休上班). */
    workdays: z.array(z.string().regex(DATE, '日期须为 YYYY-MM-DD')).max(30),
  })
  .superRefine((c, ctx) => {
    const inYear = (d: string) => d.startsWith(`${c.year}-`) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
    for (const d of Object.keys(c.holidays)) if (!inYear(d)) ctx.addIssue({ code: 'custom', message: `节假日 ${d} 不是 ${c.year} 年的有效日期` });
    for (const d of c.workdays) {
      if (!inYear(d)) ctx.addIssue({ code: 'custom', message: `调休上班日 ${d} 不是 ${c.year} 年的有效日期` });
      else if (![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) ctx.addIssue({ code: 'custom', message: `调休上班日 ${d} 不是周末` });
      if (d in c.holidays) ctx.addIssue({ code: 'custom', message: `${d} 既是节假日又是调休上班日` });
    }
  });
export type CalendarPayload = z.infer<typeof calendarPayload>;

// ---- grids ----

/** A street's grids as a GeoJSON FeatureCollection in the grid import format (the street validates it fully). */
export const gridsPayload = z.object({
  version,
  geojson: z.object({ type: z.literal('FeatureCollection', { message: '网格数据须为 GeoJSON FeatureCollection' }), features: z.array(z.unknown()).min(1, '网格数据为空') }).passthrough(),
});
export type GridsPayload = z.infer<typeof gridsPayload>;

// ---- model versions ----

/**
 * A text classification model trained at the city. Its file (model.json) is fetched by content
 * address from `${SYNC_PATH}/models/:sha256`; its labels are catalog codes, which each street maps
 * onto its own catalog.
 */
export const modelVersionPayload = z.object({
  version: z.string().regex(/^[0-9A-Za-z]{1,40}$/, '模型版本号只能由字母和数字组成'),
  kind: z.literal('text'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  /** The model's card (format, description, training data summary, held-out scores at the city). */
  card: z.record(z.string(), z.unknown()),
});
export type ModelVersionPayload = z.infer<typeof modelVersionPayload>;

/** The bytes behind a model version's sha256: its files, base64, as one JSON document. */
export const MODEL_BUNDLE_FORMAT = 'chengyun-model-bundle/1';
export const MODEL_BUNDLE_FILES = ['model.json', 'card.json', 'weights.bin'] as const;
export interface ModelBundle {
  format: typeof MODEL_BUNDLE_FORMAT;
  files: Record<(typeof MODEL_BUNDLE_FILES)[number], string>;
}

export const REFERENCE_SCHEMAS = {
  catalog: catalogPayload,
  grids: gridsPayload,
  calendar: calendarPayload,
  modelVersion: modelVersionPayload,
  /** GB/T 30428 classes → catalog codes (src/shared/intake/caseCodes.ts). */
  caseCodeMap: caseCodeMapPayload,
} as const;

/** Validates a reference payload; returns its Chinese problems (empty when it is fine). */
export function referenceProblems(kind: ReferenceKind, payload: unknown): string[] {
  const r = REFERENCE_SCHEMAS[kind].safeParse(payload);
  if (r.success) return [];
  return r.error.issues.slice(0, 20).map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message));
}

/** A publication as the city sees it: to how many streets, and each street's receipt. */
export interface ReferencePublication {
  kind: ReferenceKind;
  version: string;
  publishedAt: number;
  streets: number;
  applied: Array<{ street: string; summary: string | null }>;
  rejected: Array<{ street: string; errors: string[] }>;
  /** Streets that have not sent a receipt yet. */
  pending: number;
}

/** The city's request to publish reference data (admin API). */
export const publishReferenceRequest = z.object({
  payload: z.record(z.string(), z.unknown()),
  /** Street codes; empty/absent = every street. */
  streets: z.array(z.string().min(1).max(32)).max(1000).optional(),
});
export type PublishReferenceRequest = z.input<typeof publishReferenceRequest>;
