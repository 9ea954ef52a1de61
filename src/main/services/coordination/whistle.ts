// 吹哨报到: the street "blows the whistle" on a problem it cannot solve alone. Departments are
// summoned, report for duty (notified → acknowledged → on site / online → done), get tasks with
// deadlines; decisions and minutes are kept. A linked ticket moves on through the state machine:
// it is dispatched to the lead unit when the session opens, accepted when the lead unit's
// representative checks in, and resolved when every task on it is done — each step only where
// the state machine allows it for the person acting; otherwise the ticket gets a timeline note.
// Every change is one transaction with its outbox row (entity 'whistleSession').

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import type {
  WhistleDetail,
  WhistleSummary,
  whistleAddTaskInput,
  whistleCloseInput,
  whistleEntryInput,
  whistleOpenInput,
  whistleRespondInput,
  whistleSummonInput,
  whistleUpdateTaskInput,
} from '../../../shared/api/coordination';
import type { User } from '../../../shared/api/types';
import { checkTransition, type TicketAction } from '../../../shared/domain/stateMachine';
import { nextDailyCode } from '../core/dailyCodes';
import type { TicketStatus, Urgency } from '../../../shared/domain/ticket';
import {
  WHISTLE_DEPT_STATE_LABELS,
  canMoveDept,
  isCheckedIn,
  type WhistleDeptState,
  type WhistleEntryKind,
  type WhistleStatus,
  type WhistleTaskStatus,
} from '../../../shared/domain/whistle';
import type { WhistleSessionTable } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf } from '../core/outbox';
import { applyTicketAction } from '../tickets/actions';
import { actorOf, annotateOp, appendEvent, publishChange, snapshotOf } from '../tickets/ledger';
import { isStreetStaff, requireActiveUnits, requireStreetStaff, unitNames, type Trx } from './common';

type OpenInput = z.output<typeof whistleOpenInput>;
type RespondInput = z.output<typeof whistleRespondInput>;

const FINAL_TICKET: readonly string[] = ['closed', 'cancelled'];

interface TxResult {
  /** Tickets whose status changed or got a timeline entry: [id, status, action]. */
  tickets: Array<[string, string, string]>;
}


async function loadSession(trx: Trx, id: string): Promise<WhistleSessionTable> {
  const s = await trx.selectFrom('whistle_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw notFound('吹哨报到事项', id);
  return s;
}

function requireOpen(s: WhistleSessionTable): void {
  if (s.status !== 'open') throw new AppError('sessionClosed', `吹哨报到 ${s.code} 已结束，不能再修改`);
}

async function touch(trx: Trx, s: WhistleSessionTable, at: number): Promise<void> {
  await trx.updateTable('whistle_sessions').set({ updated_at: at, version: s.version + 1 }).where('id', '=', s.id).execute();
}

/** A timeline note on a linked ticket (the ticket's status does not change). */
async function ticketNote(trx: Trx, ticketId: string, user: User, at: number, text: string, data: Record<string, unknown>, r: TxResult): Promise<void> {
  const t = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
  if (!t) return;
  const eventId = await appendEvent(trx, t.id, user, at, { action: 'note', from: t.status as TicketStatus, to: t.status as TicketStatus, reason: text, data });
  await trx.updateTable('tickets').set({ updated_at: at }).where('id', '=', t.id).execute();
  await appendOutbox(trx, await annotateOp(trx, user, t, at, eventId, text, data));
  r.tickets.push([t.id, t.status, 'note']);
}

/** Moves a ticket through the state machine if it allows `user` to; returns whether it did. */
async function tryTicketAction(
  ctx: NodeContext,
  trx: Trx,
  user: User,
  ticketId: string,
  action: TicketAction,
  input: Parameters<typeof applyTicketAction>[3],
  at: number,
  r: TxResult,
): Promise<boolean> {
  const t = await trx.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
  if (!t) return false;
  const verdict = checkTransition(await snapshotOf(trx, t), action, actorOf(user));
  if (!verdict.ok) return false;
  const to = await applyTicketAction(ctx, trx, user, input, at);
  r.tickets.push([ticketId, to, action]);
  return true;
}

export async function openWhistle(ctx: NodeContext, user: User, input: OpenInput): Promise<string> {
  requireStreetStaff(user, '发起吹哨报到');
  const at = ctx.now();
  const id = uuidv7({ msecs: at });
  const unitIds = [...new Set(input.unitIds)];
  if (input.reportBy <= at) throw new AppError('badReportBy', '报到时限须晚于当前时间');
  if (input.leadUnitId && !unitIds.includes(input.leadUnitId)) throw new AppError('badLead', '牵头单位须在召集的部门之中');
  for (const task of input.tasks) {
    if (!unitIds.includes(task.unitId)) throw new AppError('badTaskUnit', '任务只能分配给已召集的部门');
    if (task.deadline <= at) throw new AppError('badDeadline', `任务“${task.title}”的完成时限须晚于当前时间`);
  }
  const r: TxResult = { tickets: [] };
  let code = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const names = await requireActiveUnits(trx, unitIds);
    let ticket: { id: string; code: string; status: string; category_id: string | null } | undefined;
    if (input.ticketId) {
      ticket = await trx.selectFrom('tickets').select(['id', 'code', 'status', 'category_id']).where('id', '=', input.ticketId).executeTakeFirst();
      if (!ticket) throw notFound('工单', input.ticketId);
      if (FINAL_TICKET.includes(ticket.status)) throw new AppError('ticketFinal', `工单 ${ticket.code} 已归档或作废，不能吹哨`);
    }
    for (const task of input.tasks) {
      if (task.ticketId && task.ticketId !== ticket?.id) {
        const other = await trx.selectFrom('tickets').select('id').where('id', '=', task.ticketId).executeTakeFirst();
        if (!other) throw notFound('工单', task.ticketId);
      }
    }
    code = await nextDailyCode(trx, 'whistle_sessions', 'CS', at);
    const session = {
      id,
      code,
      title: input.title,
      problem: input.problem,
      urgency: input.urgency,
      place: input.place,
      ticket_id: ticket?.id ?? null,
      lead_unit_id: input.leadUnitId ?? null,
      report_by: input.reportBy,
      status: 'open' as const,
      opened_by: user.id,
      opened_by_name: user.displayName,
      opened_at: at,
      closed_at: null,
      summary: null,
      updated_at: at,
      version: 1,
    };
    await trx.insertInto('whistle_sessions').values(session).execute();
    for (const u of unitIds)
      await trx.insertInto('whistle_departments').values({ session_id: id, unit_id: u, state: 'notified', notified_at: at, acknowledged_at: null, checked_in_at: null, done_at: null, rep_name: null, note: null, source: 'local' }).execute();
    const tasks = input.tasks.map((t) => ({
      id: uuidv7({ msecs: at }),
      session_id: id,
      unit_id: t.unitId,
      ticket_id: t.ticketId ?? ticket?.id ?? null,
      title: t.title,
      deadline: t.deadline,
      status: 'open' as const,
      result: null,
      done_at: null,
      done_by_name: null,
      created_at: at,
      updated_at: at,
    }));
    for (const t of tasks) await trx.insertInto('whistle_tasks').values(t).execute();
    await appendOutbox(trx, { entity: 'whistleSession', entityId: id, op: 'open', at, payload: { actor: await opActorOf(trx, user), session, departments: unitIds, tasks } });
    if (ticket) {
      const list = unitIds.map((u) => names.get(u)).join('、');
      await ticketNote(trx, ticket.id, user, at, `发起吹哨报到 ${code}：召集${list}报到`, { whistleSessionId: id, whistleCode: code }, r);
      // Dispatch the ticket to the lead unit where the state machine allows it now.
      if (input.leadUnitId && ticket.category_id)
        await tryTicketAction(ctx, trx, user, ticket.id, 'dispatch', { action: 'dispatch', id: ticket.id, mode: 'designated', unitId: input.leadUnitId, note: `吹哨报到 ${code}：由${names.get(input.leadUnitId)}牵头处置` }, at, r);
    }
  });
  ctx.log.info('whistle session opened', { id, code, by: user.username, units: unitIds.length, ticket: input.ticketId ?? null });
  publish(ctx, id, 'open', r);
  return id;
}

function publish(ctx: NodeContext, id: string, what: string, r: TxResult): void {
  ctx.events.publish({ type: 'whistle.changed', id, what });
  for (const [tid, status, action] of r.tickets) publishChange(ctx, tid, status, action);
}

/** Units may act only for themselves; street staff may record any department's response. */
function actingUnit(user: User, requested: string | undefined): string {
  if (user.role === 'unit') {
    if (!user.unitId) throw new AppError('notYourUnit', '当前账号未关联单位');
    if (requested && requested !== user.unitId) throw new AppError('notYourUnit', '只能为本单位报到，不能代其他部门操作', { detail: `${user.username} (${user.unitId}) acted for ${requested}` });
    return user.unitId;
  }
  if (!isStreetStaff(user)) throw new AppError('forbiddenRole', '无权操作吹哨报到事项');
  if (!requested) throw new AppError('unitRequired', '请选择部门');
  return requested;
}

export async function respondWhistle(ctx: NodeContext, user: User, input: RespondInput): Promise<void> {
  const unitId = actingUnit(user, input.unitId);
  const at = ctx.now();
  const r: TxResult = { tickets: [] };
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    await applyResponse(ctx, trx, s, unitId, input.state, { user, repName: input.repName ?? (user.role === 'unit' ? user.displayName : null), note: input.note ?? null, source: 'local', at }, r);
  });
  publish(ctx, input.sessionId, 'respond', r);
}

async function applyResponse(
  ctx: NodeContext,
  trx: Trx,
  s: WhistleSessionTable,
  unitId: string,
  state: WhistleDeptState,
  o: { user: User; repName: string | null; note: string | null; source: 'local' | 'city'; at: number },
  r: TxResult,
): Promise<void> {
  const d = await trx.selectFrom('whistle_departments').selectAll().where('session_id', '=', s.id).where('unit_id', '=', unitId).executeTakeFirst();
  if (!d) throw new AppError('notSummoned', '该部门不在本次吹哨报到的召集名单中');
  const from = d.state as WhistleDeptState;
  if (!canMoveDept(from, state))
    throw new AppError('badDeptState', `报到状态不能从“${WHISTLE_DEPT_STATE_LABELS[from]}”改为“${WHISTLE_DEPT_STATE_LABELS[state]}”`);
  if (state === 'done') {
    const open = await trx.selectFrom('whistle_tasks').select('id').where('session_id', '=', s.id).where('unit_id', '=', unitId).where('status', '!=', 'done').executeTakeFirst();
    if (open) throw new AppError('tasksOpen', '本单位还有未完成的任务，完成任务后再标记完成');
  }
  const at = o.at;
  const upd = {
    state,
    acknowledged_at: d.acknowledged_at ?? at,
    checked_in_at: isCheckedIn(state) ? (d.checked_in_at ?? at) : d.checked_in_at,
    done_at: state === 'done' ? at : d.done_at,
    rep_name: o.repName ?? d.rep_name,
    note: o.note ?? d.note,
    source: o.source,
  };
  await trx.updateTable('whistle_departments').set(upd).where('session_id', '=', s.id).where('unit_id', '=', unitId).execute();
  await touch(trx, s, at);
  await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'respond', at, payload: { actor: await opActorOf(trx, o.user), unitId, from, to: state, ...upd } });
  // The lead unit reporting for duty signs for the linked ticket.
  if (s.ticket_id && isCheckedIn(state) && !isCheckedIn(from) && s.lead_unit_id === unitId && o.user.role === 'unit')
    await tryTicketAction(ctx, trx, o.user, s.ticket_id, 'accept', { action: 'accept', id: s.ticket_id }, at, r);
}

/**
 * A department's response that came back from the city (for the sync client): applied like a
 * local one, marked as coming from the city. Changes nothing when the move is not allowed.
 */
export async function applyCityWhistleResponse(
  ctx: NodeContext,
  input: { sessionId: string; unitId: string; state: WhistleDeptState; repName?: string | null; note?: string | null; at?: number },
): Promise<void> {
  const at = input.at ?? ctx.now();
  const city: User = { id: 'city', username: 'city', displayName: '市城运中心', role: 'system', unitId: null, unitName: null };
  const r: TxResult = { tickets: [] };
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    await applyResponse(ctx, trx, s, input.unitId, input.state, { user: city, repName: input.repName ?? null, note: input.note ?? null, source: 'city', at }, r);
  });
  publish(ctx, input.sessionId, 'respond', r);
}

export async function summonMore(ctx: NodeContext, user: User, input: z.output<typeof whistleSummonInput>): Promise<void> {
  requireStreetStaff(user, '召集部门');
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    await requireActiveUnits(trx, input.unitIds);
    const have = new Set((await trx.selectFrom('whistle_departments').select('unit_id').where('session_id', '=', s.id).execute()).map((d) => d.unit_id));
    const add = [...new Set(input.unitIds)].filter((u) => !have.has(u));
    if (!add.length) throw new AppError('alreadySummoned', '所选部门均已在召集名单中');
    for (const u of add)
      await trx.insertInto('whistle_departments').values({ session_id: s.id, unit_id: u, state: 'notified', notified_at: at, acknowledged_at: null, checked_in_at: null, done_at: null, rep_name: null, note: null, source: 'local' }).execute();
    await touch(trx, s, at);
    await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'summon', at, payload: { actor: await opActorOf(trx, user), unitIds: add } });
  });
  publish(ctx, input.sessionId, 'summon', { tickets: [] });
}

export async function addTask(ctx: NodeContext, user: User, input: z.output<typeof whistleAddTaskInput>): Promise<void> {
  requireStreetStaff(user, '分配任务');
  const at = ctx.now();
  if (input.deadline <= at) throw new AppError('badDeadline', '任务完成时限须晚于当前时间');
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    const d = await trx.selectFrom('whistle_departments').select('unit_id').where('session_id', '=', s.id).where('unit_id', '=', input.unitId).executeTakeFirst();
    if (!d) throw new AppError('badTaskUnit', '任务只能分配给已召集的部门');
    const ticketId = input.ticketId ?? s.ticket_id;
    if (input.ticketId && !(await trx.selectFrom('tickets').select('id').where('id', '=', input.ticketId).executeTakeFirst())) throw notFound('工单', input.ticketId);
    const task = { id: uuidv7({ msecs: at }), session_id: s.id, unit_id: input.unitId, ticket_id: ticketId, title: input.title, deadline: input.deadline, status: 'open' as const, result: null, done_at: null, done_by_name: null, created_at: at, updated_at: at };
    await trx.insertInto('whistle_tasks').values(task).execute();
    // A department that had finished has work again.
    await trx.updateTable('whistle_departments').set({ state: 'onSite', done_at: null }).where('session_id', '=', s.id).where('unit_id', '=', input.unitId).where('state', '=', 'done').execute();
    await touch(trx, s, at);
    await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'addTask', at, payload: { actor: await opActorOf(trx, user), task } });
  });
  publish(ctx, input.sessionId, 'task', { tickets: [] });
}

export async function updateTask(ctx: NodeContext, user: User, input: z.output<typeof whistleUpdateTaskInput>): Promise<string> {
  const at = ctx.now();
  const r: TxResult = { tickets: [] };
  let sessionId = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const task = await trx.selectFrom('whistle_tasks').selectAll().where('id', '=', input.taskId).executeTakeFirst();
    if (!task) throw notFound('任务', input.taskId);
    sessionId = task.session_id;
    if (user.role === 'unit') {
      if (!user.unitId || user.unitId !== task.unit_id)
        throw new AppError('notYourUnit', '只能更新本单位的任务，不能修改其他部门的任务', { detail: `${user.username} (${user.unitId}) tried task ${task.id} of ${task.unit_id}` });
    } else if (!isStreetStaff(user)) throw new AppError('forbiddenRole', '无权更新任务');
    const s = await loadSession(trx, task.session_id);
    requireOpen(s);
    if (task.status === 'done') throw new AppError('taskDone', '该任务已完成，不能再修改');
    const status = input.status as WhistleTaskStatus;
    if (status === 'done' && (!input.result || input.result.length < 2)) throw new AppError('resultRequired', '请填写任务完成情况（至少2个字）');
    const d = await trx.selectFrom('whistle_departments').selectAll().where('session_id', '=', s.id).where('unit_id', '=', task.unit_id).executeTakeFirstOrThrow();
    if (user.role === 'unit' && !isCheckedIn(d.state as WhistleDeptState)) throw new AppError('notCheckedIn', '请先报到（到场或线上），再更新任务');
    await trx
      .updateTable('whistle_tasks')
      .set({ status, result: input.result ?? task.result, updated_at: at, ...(status === 'done' ? { done_at: at, done_by_name: user.displayName } : {}) })
      .where('id', '=', task.id)
      .execute();
    await touch(trx, s, at);
    await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'updateTask', at, payload: { actor: await opActorOf(trx, user), taskId: task.id, unitId: task.unit_id, status, result: input.result ?? null } });
    if (status !== 'done') return;
    const names = await unitNames(trx, [task.unit_id]);
    const unitName = names.get(task.unit_id) ?? task.unit_id;
    // All of this unit's tasks done: the department is done.
    const unitOpen = await trx.selectFrom('whistle_tasks').select('id').where('session_id', '=', s.id).where('unit_id', '=', task.unit_id).where('status', '!=', 'done').executeTakeFirst();
    if (!unitOpen && isCheckedIn(d.state as WhistleDeptState) && d.state !== 'done') {
      await trx.updateTable('whistle_departments').set({ state: 'done', done_at: at }).where('session_id', '=', s.id).where('unit_id', '=', task.unit_id).execute();
      await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'respond', at, payload: { actor: await opActorOf(trx, user), unitId: task.unit_id, from: d.state as WhistleDeptState, to: 'done', done_at: at } });
    }
    if (!task.ticket_id) return;
    await ticketNote(trx, task.ticket_id, user, at, `吹哨报到 ${s.code}：${unitName}完成任务“${task.title}”——${input.result}`, { whistleSessionId: s.id, taskId: task.id }, r);
    const openOnTicket = await trx.selectFrom('whistle_tasks').select('id').where('ticket_id', '=', task.ticket_id).where('status', '!=', 'done').executeTakeFirst();
    if (openOnTicket) return;
    // Every task on the ticket is done: resolve it where the state machine lets this user do so.
    const done = await trx
      .selectFrom('whistle_tasks as t')
      .innerJoin('units as u', 'u.id', 't.unit_id')
      .select(['u.name', 't.result'])
      .where('t.ticket_id', '=', task.ticket_id)
      .orderBy('t.done_at')
      .execute();
    const result = `吹哨报到 ${s.code} 联合处置完成。${done.map((x) => `${x.name}：${x.result ?? ''}`).join('；')}`.slice(0, 2000);
    const resolved = await tryTicketAction(ctx, trx, user, task.ticket_id, 'resolve', { action: 'resolve', id: task.ticket_id, result, photos: [] }, at, r);
    if (!resolved) await ticketNote(trx, task.ticket_id, user, at, `吹哨报到 ${s.code}：联动任务已全部完成，请处置单位办结`, { whistleSessionId: s.id, allTasksDone: true }, r);
  });
  publish(ctx, sessionId, 'task', r);
  return sessionId;
}

export async function addEntry(ctx: NodeContext, user: User, input: z.output<typeof whistleEntryInput>): Promise<void> {
  requireStreetStaff(user, '记录决定事项和会议纪要');
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    const entry = { id: uuidv7({ msecs: at }), session_id: s.id, kind: input.kind, text: input.text, by_name: user.displayName, at };
    await trx.insertInto('whistle_entries').values(entry).execute();
    await touch(trx, s, at);
    await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'addEntry', at, payload: { actor: await opActorOf(trx, user), entry } });
  });
  publish(ctx, input.sessionId, 'entry', { tickets: [] });
}

export async function closeWhistle(ctx: NodeContext, user: User, input: z.output<typeof whistleCloseInput>): Promise<void> {
  requireStreetStaff(user, '结束吹哨报到');
  const at = ctx.now();
  const r: TxResult = { tickets: [] };
  await ctx.store.db.transaction().execute(async (trx) => {
    const s = await loadSession(trx, input.sessionId);
    requireOpen(s);
    // Departments summoned that never reported: ending without them needs a stated reason.
    const absent = await trx
      .selectFrom('whistle_departments')
      .leftJoin('units', 'units.id', 'whistle_departments.unit_id')
      .select(['whistle_departments.unit_id', 'units.name'])
      .where('whistle_departments.session_id', '=', s.id)
      .where('whistle_departments.checked_in_at', 'is', null)
      .execute();
    const reason = input.reason?.trim() ?? '';
    if (absent.length && reason.length < 4)
      throw new AppError('reasonRequired', `${absent.map((a) => a.name ?? a.unit_id).join('、')} 尚未报到，结束吹哨须说明原因（至少4个字）`, {
        detail: `whistle.close ${s.id}: ${absent.length} department(s) never checked in`,
      });
    const summary = absent.length ? `${input.summary}（未报到：${absent.map((a) => a.name ?? a.unit_id).join('、')}；原因：${reason}）` : input.summary;
    await trx.updateTable('whistle_sessions').set({ status: 'closed', closed_at: at, summary, updated_at: at, version: s.version + 1 }).where('id', '=', s.id).execute();
    await appendOutbox(trx, { entity: 'whistleSession', entityId: s.id, op: 'close', at, payload: { actor: await opActorOf(trx, user), summary } });
    if (s.ticket_id) await ticketNote(trx, s.ticket_id, user, at, `吹哨报到 ${s.code} 结束：${summary}`, { whistleSessionId: s.id }, r);
  });
  publish(ctx, input.sessionId, 'close', r);
}

// ---------------------------------------------------------------------------------------------
// Queries

async function visibleTo(ctx: NodeContext, user: User, sessionId: string): Promise<boolean> {
  if (isStreetStaff(user)) return true;
  if (user.role !== 'unit' || !user.unitId) return false;
  const d = await ctx.store.db.selectFrom('whistle_departments').select('unit_id').where('session_id', '=', sessionId).where('unit_id', '=', user.unitId).executeTakeFirst();
  return !!d;
}

export async function listWhistles(ctx: NodeContext, user: User, input: { status?: 'open' | 'closed'; ticketId?: string }): Promise<WhistleSummary[]> {
  const db = ctx.store.db;
  if (!isStreetStaff(user) && !(user.role === 'unit' && user.unitId)) return [];
  let q = db.selectFrom('whistle_sessions as s').selectAll('s').orderBy('s.opened_at', 'desc').limit(500);
  if (input.status) q = q.where('s.status', '=', input.status);
  if (input.ticketId) q = q.where('s.ticket_id', '=', input.ticketId);
  if (user.role === 'unit')
    q = q.where('s.id', 'in', db.selectFrom('whistle_departments').select('session_id').where('unit_id', '=', user.unitId!));
  const sessions = await q.execute();
  if (!sessions.length) return [];
  const ids = sessions.map((s) => s.id);
  const [depts, tasks] = await Promise.all([
    db.selectFrom('whistle_departments').select(['session_id', 'state']).where('session_id', 'in', ids).execute(),
    db.selectFrom('whistle_tasks').select(['session_id', 'status']).where('session_id', 'in', ids).execute(),
  ]);
  return sessions.map((s) => {
    const ds = depts.filter((d) => d.session_id === s.id);
    const ts = tasks.filter((t) => t.session_id === s.id);
    return summaryOf(s, ds.length, ds.filter((d) => isCheckedIn(d.state as WhistleDeptState)).length, ts.length, ts.filter((t) => t.status === 'done').length);
  });
}

function summaryOf(s: WhistleSessionTable, departments: number, checkedIn: number, tasks: number, tasksDone: number): WhistleSummary {
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    place: s.place,
    urgency: s.urgency as Urgency,
    status: s.status as WhistleStatus,
    openedAt: s.opened_at,
    reportBy: s.report_by,
    closedAt: s.closed_at,
    ticketId: s.ticket_id,
    departments,
    checkedIn,
    tasks,
    tasksDone,
  };
}

export async function getWhistle(ctx: NodeContext, user: User, id: string): Promise<WhistleDetail> {
  const db = ctx.store.db;
  const s = await db.selectFrom('whistle_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s || !(await visibleTo(ctx, user, id))) throw notFound('吹哨报到事项', id);
  const [depts, tasks, entries, ticket] = await Promise.all([
    db.selectFrom('whistle_departments as d').innerJoin('units as u', 'u.id', 'd.unit_id').selectAll('d').select('u.name').where('d.session_id', '=', id).orderBy('d.notified_at').orderBy('u.code').execute(),
    db.selectFrom('whistle_tasks').selectAll().where('session_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('whistle_entries').selectAll().where('session_id', '=', id).orderBy('at').execute(),
    s.ticket_id ? db.selectFrom('tickets').select(['id', 'code', 'status', 'description']).where('id', '=', s.ticket_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const now = ctx.now();
  // The lead unit first, then in the order they were summoned; tasks in the same order.
  depts.sort((a, b) => Number(b.unit_id === s.lead_unit_id) - Number(a.unit_id === s.lead_unit_id));
  const rank = new Map(depts.map((d, i) => [d.unit_id, i]));
  tasks.sort((a, b) => a.created_at - b.created_at || (rank.get(a.unit_id) ?? 0) - (rank.get(b.unit_id) ?? 0) || a.id.localeCompare(b.id));
  return {
    ...summaryOf(s, depts.length, depts.filter((d) => isCheckedIn(d.state as WhistleDeptState)).length, tasks.length, tasks.filter((t) => t.status === 'done').length),
    problem: s.problem,
    leadUnitId: s.lead_unit_id,
    openedByName: s.opened_by_name,
    summary: s.summary,
    ticket: ticket ? { id: ticket.id, code: ticket.code, status: ticket.status as TicketStatus, description: ticket.description } : null,
    depts: depts.map((d) => ({
      unitId: d.unit_id,
      unitName: d.name,
      state: d.state as WhistleDeptState,
      notifiedAt: d.notified_at,
      acknowledgedAt: d.acknowledged_at,
      checkedInAt: d.checked_in_at,
      doneAt: d.done_at,
      repName: d.rep_name,
      note: d.note,
      late: d.checked_in_at != null ? d.checked_in_at > s.report_by : now > s.report_by,
    })),
    taskList: tasks.map((t) => ({
      id: t.id,
      unitId: t.unit_id,
      ticketId: t.ticket_id,
      title: t.title,
      deadline: t.deadline,
      status: t.status as WhistleTaskStatus,
      result: t.result,
      doneAt: t.done_at,
      doneByName: t.done_by_name,
    })),
    entries: entries.map((e) => ({ id: e.id, kind: e.kind as WhistleEntryKind, text: e.text, byName: e.by_name, at: e.at })),
    canManage: isStreetStaff(user) && s.status === 'open',
    myUnitId: user.role === 'unit' ? user.unitId : null,
    now,
  };
}
