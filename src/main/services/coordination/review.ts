// 三跨会商: a ticket that crosses regions, levels or departments is marked cross-boundary and put to
// a joint review with candidate units; each unit records its position (lead / assist / not ours);
// the street decides who owns it and who assists, and dispatches it to the owner through the state
// machine in the same transaction (the review is the negotiation of 商定派, settled up front).

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import type { ReviewDetail, ReviewSummary, reviewDecideInput, reviewOpenInput, reviewPositionInput } from '../../../shared/api/coordination';
import type { User } from '../../../shared/api/types';
import type { CrossDimension, ReviewPosition, ReviewStatus } from '../../../shared/domain/review';
import { CROSS_DIMENSION_LABELS } from '../../../shared/domain/review';
import { checkTransition } from '../../../shared/domain/stateMachine';
import type { TicketStatus } from '../../../shared/domain/ticket';
import type { ReviewTable } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf } from '../core/outbox';
import { applyTicketAction } from '../tickets/actions';
import { actorOf, annotateOp, appendEvent, publishChange, snapshotOf } from '../tickets/ledger';
import { isStreetStaff, requireActiveUnits, requireStreetStaff, type Trx } from './common';

async function loadReview(trx: Trx, id: string): Promise<ReviewTable> {
  const r = await trx.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('会商', id);
  return r;
}

export async function openReview(ctx: NodeContext, user: User, input: z.output<typeof reviewOpenInput>): Promise<string> {
  requireStreetStaff(user, '发起三跨会商');
  const at = ctx.now();
  const id = uuidv7({ msecs: at });
  const unitIds = [...new Set(input.unitIds)];
  if (unitIds.length < 2) throw new AppError('candidatesRequired', '会商须至少两个候选单位');
  let status = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tickets').selectAll().where('id', '=', input.ticketId).executeTakeFirst();
    if (!t) throw notFound('工单', input.ticketId);
    if (['closed', 'cancelled', 'resolved', 'verified'].includes(t.status)) throw new AppError('ticketFinal', `工单 ${t.code} 已办结或归档，不能发起会商`);
    const open = await trx.selectFrom('reviews').select('id').where('ticket_id', '=', t.id).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new AppError('reviewOpen', '该工单已有进行中的会商');
    const names = await requireActiveUnits(trx, unitIds);
    const review = { id, ticket_id: t.id, dimensions: JSON.stringify(input.dimensions), question: input.question, status: 'open', decision: null, owner_unit_id: null, shares: '[]', opened_by: user.id, opened_by_name: user.displayName, opened_at: at, decided_by_name: null, decided_at: null, updated_at: at };
    await trx.insertInto('reviews').values(review).execute();
    for (const u of unitIds) await trx.insertInto('review_units').values({ review_id: id, unit_id: u, position: 'pending', note: null, by_name: null, at: null }).execute();
    await trx.updateTable('tickets').set({ is_cross_boundary: 1, updated_at: at, version: t.version + 1 }).where('id', '=', t.id).execute();
    const text = `标记为三跨事件（${input.dimensions.map((d) => CROSS_DIMENSION_LABELS[d]).join('、')}），发起会商：${unitIds.map((u) => names.get(u)).join('、')}`;
    const eventId = await appendEvent(trx, t.id, user, at, { action: 'note', from: t.status as TicketStatus, to: t.status as TicketStatus, reason: text, data: { reviewId: id, crossBoundary: input.dimensions } });
    await appendOutbox(trx, await annotateOp(trx, user, t, at, eventId, text, { reviewId: id, crossBoundary: input.dimensions, isCrossBoundary: true }, t.version + 1));
    await appendOutbox(trx, { entity: 'review', entityId: id, op: 'open', at, payload: { actor: await opActorOf(trx, user), review: { ...review, status: 'open', dimensions: input.dimensions }, unitIds } });
    status = t.status;
  });
  ctx.events.publish({ type: 'review.changed', id });
  publishChange(ctx, input.ticketId, status, 'note');
  return id;
}

export async function recordPosition(ctx: NodeContext, user: User, input: z.output<typeof reviewPositionInput>): Promise<void> {
  const at = ctx.now();
  let unitId: string;
  if (user.role === 'unit') {
    if (!user.unitId || (input.unitId && input.unitId !== user.unitId)) throw new AppError('notYourUnit', '只能表达本单位的意见');
    unitId = user.unitId;
  } else {
    requireStreetStaff(user, '记录单位意见');
    if (!input.unitId) throw new AppError('unitRequired', '请选择单位');
    unitId = input.unitId;
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    const r = await loadReview(trx, input.reviewId);
    if (r.status !== 'open') throw new AppError('reviewDecided', '会商已定责，不能再修改意见');
    const u = await trx.selectFrom('review_units').select('unit_id').where('review_id', '=', r.id).where('unit_id', '=', unitId).executeTakeFirst();
    if (!u) throw new AppError('notCandidate', '该单位不是本次会商的候选单位');
    const row = { position: input.position as ReviewPosition, note: input.note ?? null, by_name: user.displayName, at };
    await trx.updateTable('review_units').set(row).where('review_id', '=', r.id).where('unit_id', '=', unitId).execute();
    await trx.updateTable('reviews').set({ updated_at: at }).where('id', '=', r.id).execute();
    await appendOutbox(trx, { entity: 'review', entityId: r.id, op: 'position', at, payload: { actor: await opActorOf(trx, user), unitId, ...row } });
  });
  ctx.events.publish({ type: 'review.changed', id: input.reviewId });
}

export async function decideReview(ctx: NodeContext, user: User, input: z.output<typeof reviewDecideInput>): Promise<void> {
  requireStreetStaff(user, '作出会商结论');
  const at = ctx.now();
  let ticketId = '';
  let newStatus = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const r = await loadReview(trx, input.reviewId);
    if (r.status !== 'open') throw new AppError('reviewDecided', '会商已有结论');
    ticketId = r.ticket_id;
    const units = await trx
      .selectFrom('review_units')
      .leftJoin('units', 'units.id', 'review_units.unit_id')
      .select(['review_units.unit_id', 'review_units.position', 'units.name'])
      .where('review_id', '=', r.id)
      .execute();
    const candidates = new Set(units.map((u) => u.unit_id));
    if (!candidates.has(input.ownerUnitId)) throw new AppError('badOwner', '牵头单位须为会商候选单位');
    // Deciding over a unit that has not stated its position, or naming as lead a unit that said it
    // would only assist, needs a stated reason; it is kept with the decision.
    const pending = units.filter((u) => u.position === 'pending').map((u) => u.name ?? u.unit_id);
    const owner = units.find((u) => u.unit_id === input.ownerUnitId)!;
    const problems = [...(pending.length ? [`${pending.join('、')} 尚待表态`] : []), ...(owner.position === 'assist' ? [`所定牵头单位 ${owner.name ?? owner.unit_id} 表态为配合办理`] : [])];
    const reason = input.reason?.trim() ?? '';
    if (problems.length && reason.length < 4)
      throw new AppError('reasonRequired', `${problems.join('；')}，确定结论须说明原因（至少4个字）`, { detail: `reviews.decide ${r.id}: ${problems.length} open point(s)` });
    const decision = problems.length ? `${input.decision}（${problems.join('；')}；原因：${reason}）` : input.decision;
    for (const s of input.shares) if (!candidates.has(s.unitId)) throw new AppError('badShare', '配合单位须为会商候选单位');
    await requireActiveUnits(trx, [input.ownerUnitId]);
    await trx
      .updateTable('reviews')
      .set({ status: 'decided', decision, owner_unit_id: input.ownerUnitId, shares: JSON.stringify(input.shares), decided_by_name: user.displayName, decided_at: at, updated_at: at })
      .where('id', '=', r.id)
      .execute();
    await appendOutbox(trx, { entity: 'review', entityId: r.id, op: 'decide', at, payload: { actor: await opActorOf(trx, user), ownerUnitId: input.ownerUnitId, decision, shares: input.shares } });
    const t = await trx.selectFrom('tickets').selectAll().where('id', '=', r.ticket_id).executeTakeFirstOrThrow();
    newStatus = t.status;
    if (input.dispatch) {
      const verdict = checkTransition(await snapshotOf(trx, t), 'dispatch', actorOf(user));
      if (!verdict.ok) throw new AppError(verdict.code, `会商结论未保存：${verdict.reason}（可取消“立即派单”后再保存）`);
      // The owner agreed in the review, so the ticket goes to it directly, with the review's
      // conclusion as the dispatch note (and the review id in the outbox row above).
      newStatus = await applyTicketAction(ctx, trx, user, { action: 'dispatch', id: t.id, mode: 'designated', unitId: input.ownerUnitId, note: `经三跨会商确定由其牵头办理：${decision}` }, at);
    } else {
      const eventId = await appendEvent(trx, t.id, user, at, { action: 'note', from: t.status as TicketStatus, to: t.status as TicketStatus, reason: `三跨会商结论：${decision}`, data: { reviewId: r.id, ownerUnitId: input.ownerUnitId } });
      await appendOutbox(trx, await annotateOp(trx, user, t, at, eventId, `三跨会商结论：${decision}`, { reviewId: r.id, ownerUnitId: input.ownerUnitId }));
    }
  });
  ctx.events.publish({ type: 'review.changed', id: input.reviewId });
  publishChange(ctx, ticketId, newStatus, input.dispatch ? 'dispatch' : 'note');
}

function summaryOf(r: ReviewTable & { code: string; tstatus: string }, positionsIn: number, units: number): ReviewSummary {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketCode: r.code,
    ticketStatus: r.tstatus as TicketStatus,
    dimensions: JSON.parse(r.dimensions) as CrossDimension[],
    question: r.question,
    status: r.status as ReviewStatus,
    ownerUnitId: r.owner_unit_id,
    openedAt: r.opened_at,
    decidedAt: r.decided_at,
    positionsIn,
    units,
  };
}

function baseQuery(ctx: NodeContext) {
  return ctx.store.db.selectFrom('reviews as r').innerJoin('tickets as t', 't.id', 'r.ticket_id').selectAll('r').select(['t.code', 't.status as tstatus']);
}

export async function listReviews(ctx: NodeContext, user: User, input: { status?: 'open' | 'decided'; ticketId?: string }): Promise<ReviewSummary[]> {
  const db = ctx.store.db;
  let q = baseQuery(ctx).orderBy('r.opened_at', 'desc').limit(500);
  if (input.status) q = q.where('r.status', '=', input.status);
  if (input.ticketId) q = q.where('r.ticket_id', '=', input.ticketId);
  if (user.role === 'unit') {
    if (!user.unitId) return [];
    q = q.where('r.id', 'in', db.selectFrom('review_units').select('review_id').where('unit_id', '=', user.unitId));
  } else if (!isStreetStaff(user)) return [];
  const rows = await q.execute();
  if (!rows.length) return [];
  const units = await db.selectFrom('review_units').select(['review_id', 'position']).where('review_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => {
    const us = units.filter((u) => u.review_id === r.id);
    return summaryOf(r, us.filter((u) => u.position !== 'pending').length, us.length);
  });
}

export async function getReview(ctx: NodeContext, user: User, id: string): Promise<ReviewDetail> {
  const db = ctx.store.db;
  const r = await baseQuery(ctx).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('会商', id);
  const units = await db.selectFrom('review_units as ru').innerJoin('units as u', 'u.id', 'ru.unit_id').selectAll('ru').select('u.name').where('ru.review_id', '=', id).orderBy('u.code').execute();
  if (!isStreetStaff(user) && !(user.role === 'unit' && units.some((u) => u.unit_id === user.unitId))) throw notFound('会商', id);
  return {
    ...summaryOf(r, units.filter((u) => u.position !== 'pending').length, units.length),
    decision: r.decision,
    shares: JSON.parse(r.shares) as Array<{ unitId: string; duty: string }>,
    openedByName: r.opened_by_name,
    decidedByName: r.decided_by_name,
    unitList: units.map((u) => ({ unitId: u.unit_id, unitName: u.name, position: u.position as ReviewPosition, note: u.note, byName: u.by_name, at: u.at })),
    canManage: isStreetStaff(user) && r.status === 'open',
    myUnitId: user.role === 'unit' ? user.unitId : null,
    now: ctx.now(),
  };
}
