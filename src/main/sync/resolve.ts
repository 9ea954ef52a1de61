// Street-side sync services the operator drives: resolving conflicts and acknowledging directives.
// Each is one transaction; an acknowledgement travels to the city through the outbox like any change.

import type { NodeContext } from '../services/core/context';
import type { User } from '../../shared/api/types';
import type { CityTicket } from '../../shared/sync/protocol';
import { AppError, notFound } from '../services/core/errors';
import { appendOutbox, opActorOf } from '../services/core/outbox';
import { adoptCityVersion } from './feedApply';

export type Resolution = 'retry' | 'rebase' | 'discard';

export async function listConflicts(ctx: NodeContext, includeResolved: boolean) {
  let q = ctx.store.db
    .selectFrom('sync_conflicts as c')
    .leftJoin('outbox as o', 'o.id', 'c.op_id')
    .leftJoin('tickets as t', (j) => j.onRef('t.id', '=', 'c.entity_id').on('c.entity', '=', 'ticket'))
    .select(['c.op_id', 'c.entity', 'c.entity_id', 'c.op', 'c.code', 'c.reason', 'c.city_state', 'c.created_at', 'c.resolved_at', 'c.resolution', 'c.resolution_reason', 'c.resolved_by', 'o.payload', 'o.created_at as op_at', 't.code as ticket_code', 't.status as local_status'])
    .orderBy('c.created_at', 'desc')
    .limit(500);
  if (!includeResolved) q = q.where('c.resolved_at', 'is', null);
  const rows = await q.execute();
  const waiting = await ctx.store.db
    .selectFrom('outbox as o')
    .innerJoin('sync_conflicts as c', (j) => j.onRef('c.entity', '=', 'o.entity').onRef('c.entity_id', '=', 'o.entity_id'))
    .select(['c.op_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.resolved_at', 'is', null)
    .where('o.acked_at', 'is', null)
    .whereRef('o.id', '!=', 'c.op_id')
    .groupBy('c.op_id')
    .execute();
  const waitingBy = new Map(waiting.map((w) => [w.op_id, Number(w.n)]));
  return rows.map((r) => ({
    opId: r.op_id,
    entity: r.entity,
    entityId: r.entity_id,
    op: r.op,
    code: r.code,
    reason: r.reason,
    cityState: r.city_state ? (JSON.parse(r.city_state) as CityTicket) : null,
    createdAt: r.created_at,
    opAt: r.op_at ?? null,
    payload: r.payload ? (JSON.parse(r.payload) as Record<string, unknown>) : null,
    ticketCode: r.ticket_code ?? null,
    localStatus: r.local_status ?? null,
    waiting: waitingBy.get(r.op_id) ?? 0,
    resolvedAt: r.resolved_at,
    resolution: r.resolution as Resolution | null,
    resolutionReason: r.resolution_reason,
    resolvedBy: r.resolved_by,
  }));
}

/**
 * retry: send the same operation again (the city decides anew).
 * rebase: the local ticket takes the city's version; the refused operation and those waiting
 *   behind it on the same ticket are superseded (kept in the log, not sent); redo the work on top.
 * discard: the operation is not sent, with the operator's reason; local data stays as it is.
 */
export async function resolveConflict(ctx: NodeContext, user: User, opId: string, resolution: Resolution, reason?: string): Promise<void> {
  if (user.role !== 'operator' && user.role !== 'leader') throw new AppError('forbiddenRole', '只有受理员或街道领导可以处理同步冲突');
  if (resolution === 'discard' && (!reason || reason.trim().length < 2)) throw new AppError('reasonRequired', '放弃操作须填写理由');
  const now = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('sync_conflicts').selectAll().where('op_id', '=', opId).executeTakeFirst();
    if (!c) throw notFound('同步冲突', opId);
    if (c.resolved_at != null) throw new AppError('alreadyResolved', '该冲突已处理');
    if (resolution === 'rebase') {
      if (c.entity !== 'ticket' || !c.city_state) throw new AppError('noCityVersion', '市级没有该工单的版本，不能以市级为准；请重试或放弃');
      await adoptCityVersion(trx, JSON.parse(c.city_state) as CityTicket, now, '同步冲突处理', { id: user.id, name: user.displayName, role: user.role });
      // The refused op and every later unacknowledged op on this ticket are superseded.
      await trx.updateTable('outbox').set({ acked_at: now }).where('entity', '=', c.entity).where('entity_id', '=', c.entity_id).where('acked_at', 'is', null).execute();
    } else if (resolution === 'discard') {
      await trx.updateTable('outbox').set({ acked_at: now }).where('id', '=', opId).where('acked_at', 'is', null).execute();
    }
    await trx
      .updateTable('sync_conflicts')
      .set({ resolved_at: now, resolution, resolution_reason: reason?.trim() || null, resolved_by: user.displayName })
      .where('op_id', '=', opId)
      .execute();
  });
  ctx.log.info('sync conflict resolved', { opId, resolution, by: user.username, reason });
  ctx.events.publish({ type: 'sync.changed' });
  ctx.events.publish({ type: 'sync.wake' });
}

export async function listDirectives(ctx: NodeContext) {
  const rows = await ctx.store.db.selectFrom('city_directives').selectAll().orderBy('acked_at', (ob) => ob.nullsFirst()).orderBy('issued_at', 'desc').limit(200).execute();
  return rows.map((d) => ({
    id: d.id,
    title: d.title,
    body: d.body,
    priority: d.priority as 'normal' | 'urgent' | 'critical',
    deadline: d.deadline,
    issuedAt: d.issued_at,
    issuedBy: d.issued_by,
    receivedAt: d.received_at,
    ackedAt: d.acked_at,
    ackedBy: d.acked_by_name,
  }));
}

export async function ackDirective(ctx: NodeContext, user: User, id: string, note?: string): Promise<void> {
  if (user.role === 'system') throw new AppError('forbiddenRole', '无权签收');
  const now = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const d = await trx.selectFrom('city_directives').select(['id', 'acked_at']).where('id', '=', id).executeTakeFirst();
    if (!d) throw notFound('指令', id);
    if (d.acked_at != null) throw new AppError('alreadyAcked', '该指令已签收');
    await trx.updateTable('city_directives').set({ acked_at: now, acked_by: user.id, acked_by_name: user.displayName }).where('id', '=', id).execute();
    await appendOutbox(trx, { entity: 'directiveAck', entityId: id, op: 'ack', at: now, payload: { actor: await opActorOf(trx, user), note: note ?? null } });
  });
  ctx.log.info('directive acknowledged', { id, by: user.username });
  ctx.events.publish({ type: 'sync.changed' });
  ctx.events.publish({ type: 'sync.wake' });
}
