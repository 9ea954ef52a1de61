// API methods of 一件事 → 一批事 → 一类事: the recurring-problem groups mined from the street's
// history, the classes across places, and 专项治理 items (open a group as an item, notes, closure
// with the root-cause fix; new matching tickets are linked automatically). Rules: src/shared/recurring.

import { z } from 'zod/v4';
import { DEFAULT_MINING, PLACE_MODES, type MiningParams } from '../recurring/rules';
import type { TicketStatus } from '../domain/ticket';
import { epochMs, id, method } from './common';

const int = (min: number, max: number, label: string) =>
  z.number({ error: `${label}须为数字` }).int(`${label}须为整数`).min(min, `${label}不能小于${min}`).max(max, `${label}不能大于${max}`);

export const miningParams = z.object({
  windowDays: int(30, 1830, '时间窗口（天）').default(DEFAULT_MINING.windowDays),
  place: z.enum(PLACE_MODES).default(DEFAULT_MINING.place),
  radiusM: int(10, 1000, '距离（米）').default(DEFAULT_MINING.radiusM),
  minSimilarity: z.number({ error: '相似度须为数字' }).min(0, '相似度须在0到1之间').max(1, '相似度须在0到1之间').default(DEFAULT_MINING.minSimilarity),
  minCount: int(2, 100, '最少件数').default(DEFAULT_MINING.minCount),
  minSpanDays: int(0, 365, '最短跨度（天）').default(DEFAULT_MINING.minSpanDays),
});

export const recurringGroupsInput = z.object({ params: miningParams.prefault({}) });
export const recurringGroupInput = z.object({ key: z.string().min(1).max(200), params: miningParams.prefault({}) });

const title = z.string().trim().min(4, '标题至少4个字').max(100, '标题不能超过100字');
export const recurringOpenInput = z.object({
  /** The group (its key under these parameters) whose tickets the item starts with. */
  groupKey: z.string().min(1).max(200),
  params: miningParams.prefault({}),
  title,
  leadUnitId: id,
  helperUnitIds: z.array(id).max(10, '协办单位最多10个').default([]),
  deadline: epochMs,
});
export const recurringNoteInput = z.object({ itemId: id, text: z.string().trim().min(2, '进展至少2个字').max(2000, '进展不能超过2000字') });
export const recurringCloseInput = z.object({
  itemId: id,
  rootCause: z.string().trim().min(10, '请写明根源治理措施（至少10个字）').max(2000, '根源治理措施不能超过2000字'),
});
export const recurringItemsInput = z.object({ status: z.enum(['open', 'closed']).optional() });

export interface RecurringUnit {
  unitId: string;
  name: string;
  count: number;
}

/** A 批量问题: tickets about the same problem at the same place over the window. */
export interface RecurringGroup {
  /** Stable under the same parameters: the leaf category and the group's first ticket. */
  key: string;
  categoryId: string;
  categoryPath: string;
  /** The most frequent address of its tickets. */
  place: string;
  gridName: string | null;
  communityName: string | null;
  lon: number | null;
  lat: number | null;
  count: number;
  /** Still open (not resolved, verified or closed). */
  open: number;
  firstAt: number;
  lastAt: number;
  spanDays: number;
  /** Tickets per month, aligned with the result's `months`. */
  trend: number[];
  /** Tickets with a point: [ticketId, lon, lat]. */
  points: Array<[string, number, number]>;
  units: RecurringUnit[];
  /** Root-cause words (jieba), most frequent first. */
  words: string[];
  ticketIds: string[];
  /** The open or closed 专项治理 item that already holds most of these tickets. */
  item: { id: string; code: string; title: string; status: 'open' | 'closed' } | null;
}

/** A 一类事: the same category and root-cause words at several places. */
export interface RecurringClass {
  key: string;
  categoryId: string;
  categoryPath: string;
  words: string[];
  groupKeys: string[];
  places: string[];
  tickets: number;
}

export interface RecurringResult {
  params: MiningParams;
  /** The window [from, to) and its months (YYYY-MM, China time). */
  from: number;
  to: number;
  months: string[];
  /** Tickets looked at (created in the window, not cancelled or merged, with a category). */
  scanned: number;
  /** All 批量问题 found; `groups` holds the largest (at most 300). */
  groupCount: number;
  groups: RecurringGroup[];
  classes: RecurringClass[];
  /** When the store's history starts (null: no tickets yet). */
  firstTicketAt: number | null;
  tookMs: number;
}

export interface RecurringTicketRow {
  id: string;
  code: string;
  status: TicketStatus;
  createdAt: number;
  address: string;
  description: string;
  unitName: string | null;
}

export interface RecurringGroupDetail {
  group: RecurringGroup;
  months: string[];
  tickets: RecurringTicketRow[];
}

export interface RecurringItemSummary {
  id: string;
  code: string;
  title: string;
  status: 'open' | 'closed';
  categoryPath: string;
  place: string;
  leadUnitName: string;
  deadline: number;
  tickets: number;
  autoLinked: number;
  openedAt: number;
  closedAt: number | null;
}

export interface RecurringItemDetail extends RecurringItemSummary {
  helperUnits: Array<{ unitId: string; name: string }>;
  openedByName: string;
  rootCause: string | null;
  closedByName: string | null;
  rule: { place: MiningParams['place']; radiusM: number; minSimilarity: number };
  lon: number | null;
  lat: number | null;
  links: Array<RecurringTicketRow & { reason: string; auto: boolean; linkedAt: number; lon: number | null; lat: number | null }>;
  notes: Array<{ id: string; text: string; byName: string; at: number }>;
  /** Whether the caller may add notes and close it (leaders and operators, while it is open). */
  mayEdit: boolean;
}

/** The items a ticket is linked to, with the reason (the ticket detail shows them). */
export interface TicketRecurringLink {
  itemId: string;
  code: string;
  title: string;
  status: 'open' | 'closed';
  reason: string;
  auto: boolean;
}

export const recurringMethods = {
  'recurring.groups': method<typeof recurringGroupsInput, RecurringResult>(recurringGroupsInput),
  'recurring.group': method<typeof recurringGroupInput, RecurringGroupDetail>(recurringGroupInput),
  'recurring.items': method<typeof recurringItemsInput, RecurringItemSummary[]>(recurringItemsInput),
  'recurring.item': method<z.ZodObject<{ id: typeof id }>, RecurringItemDetail>(z.object({ id })),
  'recurring.open': method<typeof recurringOpenInput, RecurringItemDetail>(recurringOpenInput),
  'recurring.note': method<typeof recurringNoteInput, RecurringItemDetail>(recurringNoteInput),
  'recurring.close': method<typeof recurringCloseInput, RecurringItemDetail>(recurringCloseInput),
  'recurring.forTicket': method<z.ZodObject<{ ticketId: typeof id }>, TicketRecurringLink[]>(z.object({ ticketId: id })),
} as const;
