// API methods of the catalog's local settings (设置 › 派单目录): per leaf category, the street's own
// default unit, whether one-click dispatch goes to the ticket's community, whether the category is
// offered, and its supervision thresholds — and its deadlines while the catalog is the street's own
// (once the city has published the catalog, the deadlines are the city's and read-only here).

import { z } from 'zod/v4';
import { SLA_UNIT_LABELS, type SlaUnit } from '../domain/deadline';
import { empty, id, method } from './common';

/** The fields a street sets itself; a city catalog published later keeps them (`catalog.local_fields`). */
export const CATALOG_LOCAL_FIELDS = ['defaultUnitId', 'routeToCommunity', 'active', 'supervisionHours'] as const;
export type CatalogLocalField = (typeof CATALOG_LOCAL_FIELDS)[number];
/** The fields the street set itself, from the stored JSON (anything unreadable counts as none). */
export function parseLocalFields(json: string | null | undefined): CatalogLocalField[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? CATALOG_LOCAL_FIELDS.filter((f) => v.includes(f)) : [];
  } catch {
    return [];
  }
}
/** The deadlines: the street's own only while the city has not published the catalog. */
export const CATALOG_DEADLINE_FIELDS = ['acceptWithinHours', 'resolveWithin', 'resolveUnit'] as const;

const hours = z.number({ message: '请填写小时数' }).positive('小时数须大于0').max(8760, '小时数过大');

export const catalogLeafSaveInput = z
  .object({
    id,
    defaultUnitId: id.nullable().optional(),
    routeToCommunity: z.boolean().optional(),
    active: z.boolean().optional(),
    /** Hours overdue at which supervision reaches levels 2, 3, 4; null = the run mode's defaults. */
    supervisionHours: z.tuple([hours, hours, hours]).nullable().optional(),
    acceptWithinHours: z.number({ message: '请填写签收时限' }).positive('签收时限须大于0').max(720, '签收时限不能超过720小时').optional(),
    resolveWithin: z.number({ message: '请填写办结时限' }).positive('办结时限须大于0').max(365, '办结时限过长').optional(),
    resolveUnit: z.enum(Object.keys(SLA_UNIT_LABELS) as [SlaUnit, ...SlaUnit[]], { message: '请选择办结时限单位' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const s = v.supervisionHours;
    if (s && !(s[0] < s[1] && s[1] < s[2])) ctx.addIssue({ code: 'custom', path: ['supervisionHours'], message: '督办阈值须逐级递增（二级 < 三级 < 四级）' });
  });
export type CatalogLeafSaveInput = z.infer<typeof catalogLeafSaveInput>;

export interface CatalogLeafSetting {
  id: string;
  code: string;
  path: string;
  defaultUnitId: string | null;
  defaultUnitName: string | null;
  routeToCommunity: boolean;
  active: boolean;
  supervisionHours: [number, number, number] | null;
  acceptWithinHours: number;
  resolveWithin: number;
  resolveUnit: SlaUnit;
  isMicro: boolean;
  isConsultation: boolean;
  /** Which of the local fields the street set itself (kept when the city publishes the catalog). */
  localFields: CatalogLocalField[];
}

export interface CatalogSettings {
  /** The city published this street's catalog: deadlines are the city's (read-only here). */
  cityManaged: boolean;
  cityVersion: string | null;
  leaves: CatalogLeafSetting[];
}

export const catalogSettingsMethods = {
  'catalog.settings': method<typeof empty, CatalogSettings>(empty),
  'catalog.saveLeaf': method<typeof catalogLeafSaveInput, CatalogLeafSetting>(catalogLeafSaveInput),
} as const;
