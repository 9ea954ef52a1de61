// The ticket list's filters: one schema shared by the list, the dashboard's shortcuts, the map's
// ticket points and every figure that opens the list, so a list and a figure can never disagree.

import { z } from 'zod';
import { CHANNELS, TICKET_STATUSES } from '../domain/ticket';
import { epochMs, id } from './common';

export const ticketFilter = z.object({
  statuses: z.array(z.enum(TICKET_STATUSES)).max(10).optional(),
  categoryId: id.optional(),
  channel: z.enum(CHANNELS).optional(),
  gridId: id.optional(),
  unitId: id.optional(),
  /** 'overdue' | 'dueSoon' */
  deadline: z.enum(['overdue', 'dueSoon']).optional(),
  /** Dashboard shortcuts: pendingAccept, inProgress, newToday, pendingCallback. */
  view: z.enum(['pendingAccept', 'inProgress', 'dueSoon', 'overdue', 'newToday', 'pendingCallback', 'mine']).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  q: z.string().trim().max(100, '搜索词不能超过100字').optional(),
});
export type TicketFilter = z.input<typeof ticketFilter>;
