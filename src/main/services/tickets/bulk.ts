// Bulk work on tickets selected in the list (批量派单, 批量催办): the same action on each ticket,
// each through the one ticket action path (actOnTicket: the state machine, its own transaction,
// its timeline event and outbox operation), so a bulk action is N ordinary, separately recorded
// actions. A refusal of one ticket never stops or undoes the others; it is listed with its
// Chinese reason.

import type { z } from 'zod/v4';
import { URGE_MARK, type BulkActResult, type BulkItemResult, type bulkActInput } from '../../../shared/api/operatorTools';
import type { User } from '../../../shared/api/types';
import { ticketActionInput, type TicketActionInput } from '../../../shared/api/contract';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { requireRole } from '../auth/roles';
import { actOnTicket } from './commands';
import { assertTicketVisible } from './visibility';

type Input = z.output<typeof bulkActInput>;

/** Who works tickets in bulk: the street's own staff. */
const BULK_ROLES = ['operator', 'leader'] as const;

function actionFor(op: Input['op'], id: string): TicketActionInput {
  if (op.action === 'dispatch') return { action: 'dispatch', id, mode: 'designated', unitId: op.unitId, note: op.note };
  return { action: 'note', id, text: `${URGE_MARK}${op.text}` };
}

export async function bulkAct(ctx: NodeContext, user: User, input: Input): Promise<BulkActResult> {
  requireRole(user, BULK_ROLES, input.op.action === 'dispatch' ? '批量派单' : '批量催办');
  const codes = new Map(
    (await ctx.store.db.selectFrom('tickets').select(['id', 'code']).where('id', 'in', input.ids).execute()).map((r) => [r.id, r.code] as const),
  );
  const done: BulkItemResult[] = [];
  const failed: BulkItemResult[] = [];
  for (const id of input.ids) {
    const code = codes.get(id) ?? null;
    try {
      if (code == null) throw new AppError('notFound', '工单不存在');
      await assertTicketVisible(ctx, user, id);
      // Through the single action's own schema: exactly the input 派单 or 进展备注 on one ticket sends.
      await actOnTicket(ctx, user, ticketActionInput.parse(actionFor(input.op, id)));
      done.push({ id, code });
    } catch (err) {
      if (err instanceof AppError) {
        failed.push({ id, code, error: err.message });
        ctx.log.warn('bulk action refused for one ticket', { id, code, action: input.op.action, reason: err.code, detail: err.detail });
      } else {
        failed.push({ id, code, error: '系统内部错误，该工单未处理' });
        ctx.log.error('bulk action failed for one ticket', { id, code, action: input.op.action, error: err instanceof Error ? err.stack : String(err) });
      }
    }
  }
  ctx.log.info('bulk action', { action: input.op.action, by: user.username, done: done.length, failed: failed.length });
  return { done, failed };
}
