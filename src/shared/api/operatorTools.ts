// API methods of the operator's tools around the ticket list: exact counts per status for the
// current filter, bulk work on selected tickets (each still one action per ticket through
// tickets.act's path), the Excel export of selected tickets, and saved views (a user's named
// filters, pinnable to the dashboard).

import { z } from 'zod/v4';
import type { TicketStatus } from '../domain/ticket';
import { empty, id, method, optionalText } from './common';
import { ticketFilter } from './filters';

/** At most this many tickets in one bulk action or export (what an operator selects by hand). */
export const BULK_MAX = 200;
/** The timeline text of a 催办 (urging) starts with this mark: it is a progress note by the street. */
export const URGE_MARK = '【催办】';
export const URGE_DEFAULT_TEXT = '请抓紧办理，按时限办结并及时反馈。';

const ids = z
  .array(id)
  .min(1, '请先勾选工单')
  .max(BULK_MAX, `一次最多处理${BULK_MAX}件工单`)
  .refine((a) => new Set(a).size === a.length, '工单重复');

export const bulkActInput = z.object({
  ids,
  op: z.discriminatedUnion('action', [
    /** 批量派单: every selected ticket to one unit (指定派). */
    z.object({ action: z.literal('dispatch'), unitId: id, note: optionalText(1000) }),
    /** 批量催办: a progress note marked 催办 on every selected ticket. */
    z.object({ action: z.literal('urge'), text: z.string().trim().min(2, '请填写催办内容').max(500, '催办内容不能超过500字') }),
  ]),
});
export type BulkActInput = z.input<typeof bulkActInput>;

export interface BulkItemResult {
  id: string;
  /** The ticket's code, or null when no such ticket exists (or it is not visible). */
  code: string | null;
  /** Chinese reason for a refusal; absent when the action was done. */
  error?: string;
}

export interface BulkActResult {
  done: BulkItemResult[];
  failed: BulkItemResult[];
}

export interface StatusCounts {
  /** Tickets the whole filter selects (exact, one count query). */
  total: number;
  /** Per status, under the filter without its status choice (the chips toggle it). */
  byStatus: Partial<Record<TicketStatus, number>>;
}

export const ticketExportInput = z.object({ ids });
/** 导出PDF: the work orders of the selected tickets, as printed (派工单 or 工单). */
export const ticketPdfInput = z.object({ ids, kind: z.enum(['dispatch', 'full'], { message: '打印类型须为派工单或工单' }) });
export const statusCountsInput = z.object({ filter: ticketFilter.prefault({}) });
const viewIdInput = z.object({ id });

/** The list's filters as saved in a view: the list's own URL query (#/tickets?…). */
export const viewQuery = z
  .string()
  .max(1000, '筛选条件过长')
  .regex(/^[A-Za-z]+=[^&#\s]*(&[A-Za-z]+=[^&#\s]*)*$|^$/, '筛选条件格式无效');

export const VIEW_NAME_MAX = 30;
export const VIEWS_PER_USER_MAX = 50;

export const viewSaveInput = z.object({
  /** Absent: a new view. */
  id: id.optional(),
  name: z.string().trim().min(1, '请填写视图名称').max(VIEW_NAME_MAX, `视图名称不能超过${VIEW_NAME_MAX}字`),
  query: viewQuery,
  pinned: z.boolean().default(false),
});

export interface SavedView {
  id: string;
  name: string;
  query: string;
  pinned: boolean;
  createdAt: number;
}

export const operatorToolMethods = {
  /** The total and the per-status counts of a filter (the list's header and chips). */
  'tickets.statusCounts': method<typeof statusCountsInput, StatusCounts>(statusCountsInput),
  /** One action on many tickets: each ticket its own action (own transaction, timeline, outbox); refusals listed per ticket. */
  'tickets.bulkAct': method<typeof bulkActInput, BulkActResult>(bulkActInput),
  /** The selected tickets as an Excel file, personal data masked; audited as an export. */
  'tickets.export': method<typeof ticketExportInput, { name: string; mime: string; dataBase64: string; rows: number }>(ticketExportInput),
  /** The same work-order sheets as the print view, as a PDF (Chromium's print); masked like the screen; audited as an export. */
  'tickets.exportPdf': method<typeof ticketPdfInput, { name: string; mime: string; dataBase64: string; tickets: number }>(ticketPdfInput),
  'views.list': method<typeof empty, SavedView[]>(empty),
  'views.save': method<typeof viewSaveInput, SavedView>(viewSaveInput),
  'views.delete': method<typeof viewIdInput, { ok: true }>(viewIdInput),
} as const;
export type OperatorToolMethod = keyof typeof operatorToolMethods;
