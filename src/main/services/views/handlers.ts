// The operator's tools around the list: counts per status, bulk actions, Excel export of selected
// tickets, and saved views.

import type { OperatorToolMethod } from '../../../shared/api/operatorTools';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { bulkAct } from '../tickets/bulk';
import { exportTickets } from '../tickets/export';
import { exportWorkOrdersPdf } from '../tickets/printPdf';
import { statusCounts } from '../tickets/queries';
import { deleteView, listViews, saveView } from './savedViews';

export function operatorToolHandlers(ctx: NodeContext): HandlersFor<OperatorToolMethod> {
  return {
    'tickets.statusCounts': async ({ input, user }) => statusCounts(ctx, user, input.filter),
    'tickets.bulkAct': async ({ input, user }) => bulkAct(ctx, user, input),
    'tickets.export': async ({ input, user }) => exportTickets(ctx, user, input.ids),
    'tickets.exportPdf': async ({ input, user }) => exportWorkOrdersPdf(ctx, user, input),
    'views.list': async ({ user }) => listViews(ctx, user),
    'views.save': async ({ input, user }) => saveView(ctx, user, input),
    'views.delete': async ({ input, user }) => deleteView(ctx, user, input.id),
  };
}
