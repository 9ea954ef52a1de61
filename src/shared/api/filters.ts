// The ticket list's filters: one schema shared by the list, the dashboard's shortcuts, the map's
// ticket points and every figure that opens the list, so a list and a figure can never disagree.

import { z } from 'zod/v4';
import { CHANNELS, TICKET_STATUSES, TICKET_TYPES, URGENCIES } from '../domain/ticket';
import { TICKET_FIGURES } from '../stats/figures';
import { epochMs, id } from './common';

export const ticketFilter = z
  .object({
    statuses: z.array(z.enum(TICKET_STATUSES)).max(10).optional(),
    categoryId: id.optional(),
    channel: z.enum(CHANNELS).optional(),
    gridId: id.optional(),
    unitId: id.optional(),
    type: z.enum(TICKET_TYPES).optional(),
    urgency: z.enum(URGENCIES).optional(),
    /** Tickets without a unit, a grid or a category (the 未派单/无网格/未分类 rows of a breakdown). */
    missing: z.enum(['unit', 'grid', 'category']).optional(),
    /** 'overdue' | 'dueSoon' */
    deadline: z.enum(['overdue', 'dueSoon']).optional(),
    /** Dashboard shortcuts: pendingAccept, inProgress, newToday, pendingCallback. */
    view: z.enum(['pendingAccept', 'inProgress', 'dueSoon', 'overdue', 'newToday', 'pendingCallback', 'mine']).optional(),
    from: epochMs.optional(),
    to: epochMs.optional(),
    /**
     * The tickets behind a statistics figure over [periodFrom, periodTo) (src/shared/stats/figures.ts):
     * the list applies the very expression the figure is counted with.
     */
    figure: z.enum(TICKET_FIGURES).optional(),
    periodFrom: epochMs.optional(),
    periodTo: epochMs.optional(),
    q: z.string().trim().max(100, '搜索词不能超过100字').optional(),
  })
  .refine((f) => !f.figure || (f.periodFrom != null && f.periodTo != null && f.periodFrom < f.periodTo), {
    message: '统计口径须带起止日期',
    path: ['figure'],
  });
export type TicketFilter = z.input<typeof ticketFilter>;
