// The API of 一批事 and 专项治理 (src/shared/api/recurring.ts).

import type { HandlersFor } from '../core/handlers';
import type { NodeContext } from '../core/context';
import type { recurringMethods } from '../../../shared/api/recurring';
import { AppError } from '../core/errors';
import { mineRecurring } from './mining';
import { addNote, closeItem, getItem, itemsForTicket, listItems, mayUseRecurring, openItem, ticketBrief } from './items';

type RecurringMethod = keyof typeof recurringMethods;

export function recurringHandlers(ctx: NodeContext): HandlersFor<RecurringMethod> {
  return {
    'recurring.groups': async ({ input, user }) => {
      mayUseRecurring(user);
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { batches, ...result } = await mineRecurring(ctx, input.params);
      return result;
    },
    'recurring.group': async ({ input, user }) => {
      mayUseRecurring(user);
      const r = await mineRecurring(ctx, input.params, { only: input.key });
      const group = r.groups[0];
      if (!group) throw new AppError('notFound', '该批量问题已不存在（数据或参数已变化），请返回列表刷新', { detail: `group ${input.key}` });
      const rows = await ctx.store.db
        .selectFrom('tickets as t')
        .leftJoin('units as u', 'u.id', 't.unit_id')
        .select(['t.id', 't.code', 't.status', 't.created_at', 't.address', 't.description', 'u.name as unit_name'])
        .where('t.id', 'in', group.ticketIds)
        .orderBy('t.created_at', 'desc')
        .execute();
      return {
        group,
        months: r.months,
        tickets: rows.map(ticketBrief),
      };
    },
    'recurring.items': async ({ input, user }) => listItems(ctx, user, input.status),
    'recurring.item': async ({ input, user }) => getItem(ctx, user, input.id),
    'recurring.open': async ({ input, user }) => getItem(ctx, user, await openItem(ctx, user, input)),
    'recurring.note': async ({ input, user }) => {
      await addNote(ctx, user, input);
      return getItem(ctx, user, input.itemId);
    },
    'recurring.close': async ({ input, user }) => {
      await closeItem(ctx, user, input);
      return getItem(ctx, user, input.itemId);
    },
    'recurring.forTicket': async ({ input, user }) => itemsForTicket(ctx, user, input.ticketId),
  };
}
