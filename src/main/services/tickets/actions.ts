// Ticket life-cycle actions as a table of handlers, one per action of the state machine
// (src/shared/domain/stateMachine.ts). `applyTicketAction` does what every action shares — load,
// check the transition, write the ticket with its version, append the timeline event and the
// outbox operation — and each handler adds only what its action changes.

import { linkToOpenItems } from '../recurring/autoLink';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import { actionDetailsOf, checkTransition, type TicketAction } from '../../../shared/domain/stateMachine';
import { computeDeadlines, extendDeadline } from '../../../shared/domain/deadline';
import type { TicketStatus, Urgency } from '../../../shared/domain/ticket';
import type { ticketActionInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/api/types';
import type { TicketRecord, TicketUpdate } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, categoryFactsOf, opActorOf, ticketBaseOf, unitCodesOf } from '../core/outbox';
import type { NewOp, TicketActionOpBody } from '../../../shared/sync/ops';
import { gridAt } from '../grids/lookup';
import { recordSupervision } from '../coordination/supervisionRecords';
import { requirePhotoCheckReason } from '../ai/photo';
import { signInRecord, type SignInRecord } from '../../../shared/domain/signIn';
import {
  actorOf,
  annotateOp,
  appendEvent,
  catalogItem,
  communityUnitOf,
  reindex,
  requireAttachments,
  requireUnit,
  runMode,
  slaOf,
  snapshotOf,
  type EventSpec,
  type Trx,
} from './ledger';

export type ActionInput = z.output<typeof ticketActionInput>;
type InputOf<A extends TicketAction> = Extract<ActionInput, { action: A }>;

/** What a handler sees and fills in: the stored ticket, the update and the timeline event. */
interface ActionCall<A extends TicketAction> {
  ctx: NodeContext;
  trx: Trx;
  user: User;
  input: InputOf<A>;
  t: TicketRecord;
  to: TicketStatus;
  at: number;
  upd: TicketUpdate;
  ev: EventSpec;
  /** Ops on other tickets written in the same transaction (a merge target's timeline note). */
  extraOps: NewOp[];
}

interface ActionHandler<A extends TicketAction> {
  /** Before the ticket row is written: validate, fill `upd` and `ev`. */
  apply?: (c: ActionCall<A>) => Promise<void> | void;
  /** After the row, the event and the outbox operation are written (with the event's id). */
  after?: (c: ActionCall<A>, eventId: string) => Promise<void>;
}

/**
 * A sign-in (签收) is tracked on every ticket with an accept deadline, whatever its channel: the
 * timeline event records the deadline and whether (and by how much) it was late, and a late one
 * says 超时签收 with how late. The op to the city carries the same record (`signIn`).
 */
function recordSignIn(t: TicketRecord, at: number, ev: EventSpec): void {
  const rec = signInRecord(t, at);
  if (!rec) return;
  ev.data = { ...ev.data, ...rec.data };
  if (rec.reason) ev.reason = ev.reason ? `${rec.reason}；${ev.reason}` : rec.reason;
}

/** The sign-in record `recordSignIn` put in an event, for the op. */
function signInOf(ev: EventSpec): SignInRecord | null {
  const d = ev.data ?? {};
  return typeof d.signInDeadline === 'number' && typeof d.late === 'boolean' && typeof d.lateMinutes === 'number'
    ? { signInDeadline: d.signInDeadline, late: d.late, lateMinutes: d.lateMinutes }
    : null;
}

/** A report that gets its category now may be about an open 专项治理 item's problem: link it (with the reason). */
async function linkOnCategory({ trx, t, upd, at }: ActionCall<'register'> | ActionCall<'classify'>) {
  if (!upd.category_id || upd.category_id === t.category_id || t.merged_into) return;
  await linkToOpenItems(trx, { id: t.id, categoryId: upd.category_id, address: t.address, lon: t.lon, lat: t.lat, gridId: t.grid_id, description: t.description }, at);
}

async function recategorise({ ctx, trx, input, t, upd, ev }: ActionCall<'register'> | ActionCall<'classify'>) {
  if (!input.categoryId) return;
  const cat = await catalogItem(trx, input.categoryId);
  upd.category_id = cat.id;
  upd.category_source = 'manual';
  const urgency = (input.action === 'classify' && input.urgency) || (t.urgency as Urgency);
  upd.urgency = urgency;
  upd.is_micro = input.action === 'classify' && input.isMicro !== undefined ? (input.isMicro ? 1 : 0) : cat.is_micro;
  upd.resolve_deadline = computeDeadlines(ctx.calendar, t.created_at, slaOf(cat), await runMode(trx), urgency).resolveDeadline;
  ev.data = { categoryId: cat.id, categoryPath: cat.path, previousCategoryId: t.category_id };
}

const HANDLERS: { [A in TicketAction]: ActionHandler<A> } = {
  register: { apply: recategorise, after: linkOnCategory },
  classify: { apply: recategorise, after: linkOnCategory },
  dispatch: {
    async apply({ ctx, trx, input, t, at, upd, ev }) {
      const cat = await catalogItem(trx, t.category_id!);
      let unitId: string | null = null;
      if (input.mode === 'oneClick') {
        const community = cat.route_to_community ? await communityUnitOf(trx, t.grid_id) : null;
        const target = community ?? cat.default_unit_id;
        if (!target) throw new AppError('noDefaultUnit', `分类“${cat.path}”没有默认处置单位，请用指定派`);
        unitId = (await requireUnit(trx, target)).id;
      } else if (input.mode === 'designated') {
        if (!input.unitId) throw new AppError('unitRequired', '指定派须选择处置单位');
        unitId = (await requireUnit(trx, input.unitId)).id;
      } else {
        const ids = [...new Set(input.candidateUnitIds ?? [])];
        if (ids.length < 2) throw new AppError('candidatesRequired', '商定派须选择至少两个候选单位');
        for (const u of ids) await requireUnit(trx, u);
        const r = await trx
          .selectFrom('ticket_negotiations')
          .select((eb) => eb.fn.max('round').as('r'))
          .where('ticket_id', '=', t.id)
          .executeTakeFirst();
        const round = Number(r?.r ?? 0) + 1;
        for (const u of ids)
          await trx.insertInto('ticket_negotiations').values({ ticket_id: t.id, unit_id: u, round, response: 'pending', reason: null, responded_at: null }).execute();
        ev.data = { candidateUnitIds: ids, round };
      }
      const dl = computeDeadlines(ctx.calendar, at, slaOf(cat), await runMode(trx), t.urgency as Urgency);
      const resolveDeadline = t.resolve_deadline ?? dl.resolveDeadline;
      // Signing for a ticket can never be due after the ticket itself is due.
      Object.assign(upd, { unit_id: unitId, dispatch_mode: input.mode, dispatched_at: at, accept_deadline: Math.min(dl.acceptDeadline, Math.max(resolveDeadline, at)) });
      if (t.resolve_deadline == null) upd.resolve_deadline = resolveDeadline;
      ev.unitId = unitId;
      ev.reason = input.note ?? null;
      ev.data = { ...ev.data, mode: input.mode, unitId };
    },
  },
  respondNegotiation: {
    async apply({ trx, user, input, t, to, at, upd, ev }) {
      if (!input.accepted && (!input.reason || input.reason.length < 2)) throw new AppError('reasonRequired', '拒绝商定须填写理由');
      await trx
        .updateTable('ticket_negotiations')
        .set({ response: input.accepted ? 'accepted' : 'declined', reason: input.reason ?? null, responded_at: at })
        .where('ticket_id', '=', t.id)
        .where('unit_id', '=', user.unitId!)
        .where('response', '=', 'pending')
        .execute();
      if (input.accepted) Object.assign(upd, { unit_id: user.unitId, accepted_at: at });
      if (to === 'returned') upd.return_count = t.return_count + 1;
      ev.reason = input.reason ?? null;
      ev.data = { accepted: input.accepted };
      // Taking a negotiated ticket is its sign-in: recorded like `accept`.
      if (input.accepted) recordSignIn(t, at, ev);
      ev.unitId = user.unitId;
    },
  },
  accept: {
    apply({ t, at, upd, ev }) {
      upd.accepted_at = at;
      recordSignIn(t, at, ev);
    },
  },
  return: {
    apply({ input, t, upd, ev }) {
      Object.assign(upd, { unit_id: null, return_count: t.return_count + 1 });
      ev.reason = input.reason;
      ev.unitId = t.unit_id;
    },
  },
  requestExtension: {
    async apply({ trx, user, input, t, at, ev }) {
      const extId = uuidv7();
      await trx
        .insertInto('ticket_extensions')
        .values({ id: extId, ticket_id: t.id, unit_id: user.unitId!, requested_by: user.id, days: input.days, reason: input.reason, status: 'pending', requested_at: at, decided_by: null, decided_at: null, decision_reason: null })
        .execute();
      ev.reason = input.reason;
      ev.data = { extensionId: extId, days: input.days };
    },
  },
  decideExtension: {
    async apply({ ctx, trx, user, input, t, at, upd, ev }) {
      const ext = await trx.selectFrom('ticket_extensions').selectAll().where('ticket_id', '=', t.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
      if (!input.approved && (!input.reason || input.reason.length < 2)) throw new AppError('reasonRequired', '驳回延期须填写理由');
      await trx
        .updateTable('ticket_extensions')
        .set({ status: input.approved ? 'approved' : 'rejected', decided_by: user.id, decided_at: at, decision_reason: input.reason ?? null })
        .where('id', '=', ext.id)
        .execute();
      if (input.approved && t.resolve_deadline != null) {
        upd.resolve_deadline = extendDeadline(ctx.calendar, t.resolve_deadline, ext.days);
        if (upd.resolve_deadline > at) upd.supervision_level = 0;
      }
      ev.reason = input.reason ?? null;
      ev.data = { extensionId: ext.id, approved: input.approved, days: ext.days, newDeadline: upd.resolve_deadline ?? null };
    },
  },
  note: {
    apply({ input, ev }) {
      ev.reason = input.text;
    },
  },
  resolve: {
    async apply({ trx, input, at, upd, ev }) {
      await requireAttachments(trx, input.photos);
      // A new resolution needs a new callback.
      Object.assign(upd, { result: input.result, resolved_at: at, satisfaction: null });
      ev.data = { result: input.result, photos: input.photos.length };
    },
    async after({ trx, input, t, at }, eventId) {
      for (const sha of new Set(input.photos))
        await trx.insertInto('ticket_attachments').values({ ticket_id: t.id, sha256: sha, kind: 'after', event_id: eventId, added_at: at }).onConflict((oc) => oc.doNothing()).execute();
    },
  },
  verify: {
    async apply({ trx, input, t, upd, ev }) {
      if (!input.passed && (!input.reason || input.reason.length < 2)) throw new AppError('reasonRequired', '核查不通过须填写理由');
      if (!input.passed) Object.assign(upd, { reopen_count: t.reopen_count + 1, resolved_at: null });
      ev.reason = input.reason ?? null;
      ev.data = { passed: input.passed, ...(await requirePhotoCheckReason(trx, t.id, input.passed, input.reason)) };
    },
  },
  callback: {
    apply({ input, t, to, upd, ev }) {
      upd.satisfaction = input.satisfaction;
      if (to === 'reopened') Object.assign(upd, { reopen_count: t.reopen_count + 1, resolved_at: null });
      ev.reason = input.note ?? null;
      ev.data = { satisfaction: input.satisfaction };
    },
  },
  close: {
    apply({ input, at, upd, ev }) {
      upd.closed_at = at;
      ev.reason = input.note ?? null;
    },
  },
  reopen: {
    apply({ input, t, upd, ev }) {
      Object.assign(upd, { reopen_count: t.reopen_count + 1, satisfaction: null, resolved_at: null, closed_at: null });
      ev.reason = input.reason;
    },
  },
  cancel: {
    apply({ input, ev }) {
      ev.reason = input.reason;
    },
  },
  merge: {
    async apply({ trx, user, input, t, at, upd, ev, extraOps }) {
      const target = await trx.selectFrom('tickets').selectAll().where((eb) => eb.or([eb('id', '=', input.targetId), eb('code', '=', input.targetId)])).executeTakeFirst();
      if (!target) throw new AppError('mergeTarget', '要并入的工单不存在');
      if (target.id === t.id) throw new AppError('mergeTarget', '不能把工单并入它自己');
      if (target.status === 'cancelled') throw new AppError('mergeTarget', `工单 ${target.code} 已作废，不能并入`);
      upd.merged_into = target.id;
      ev.reason = input.reason;
      ev.data = { targetId: target.id, targetCode: target.code };
      const targetSeqEvent = await appendEvent(trx, target.id, user, at, {
        action: 'note',
        from: target.status as TicketStatus,
        to: target.status as TicketStatus,
        reason: `并入重复工单 ${t.code}：${input.reason}`,
        data: { mergedFrom: t.id, mergedFromCode: t.code },
      });
      await trx.updateTable('tickets').set({ updated_at: at }).where('id', '=', target.id).execute();
      extraOps.push(await annotateOp(trx, user, target, at, targetSeqEvent, `并入重复工单 ${t.code}：${input.reason}`, { mergedFrom: t.id, mergedFromCode: t.code }));
    },
  },
  relocate: {
    async apply({ ctx, trx, input, t, upd, ev }) {
      if ((input.lon == null) !== (input.lat == null)) throw new AppError('badPoint', '经度和纬度须同时填写');
      // The grid follows the point; a point outside the street is flagged, not guessed.
      const grid = input.lon != null && input.lat != null ? await gridAt(trx, ctx.store, input.lon, input.lat) : null;
      Object.assign(upd, { address: input.address, lon: input.lon ?? null, lat: input.lat ?? null, grid_id: grid?.id ?? null });
      ev.reason = input.reason;
      ev.data = {
        from: { address: t.address, lon: t.lon, lat: t.lat, gridId: t.grid_id },
        to: { address: input.address, lon: input.lon ?? null, lat: input.lat ?? null, gridId: grid?.id ?? null },
        ...(input.lon != null && !grid ? { outsideStreet: true } : {}),
      };
    },
    async after({ trx, t }) {
      await reindex(trx, t.id);
    },
  },
  supervise: {
    apply({ input, upd, ev }) {
      upd.supervision_level = input.level;
      ev.reason = input.reason;
      ev.data = { level: input.level };
    },
    async after({ ctx, trx, user, input, t, at }) {
      await recordSupervision(trx, { ticket: t, kind: user.role === 'system' ? 'auto' : 'manual', level: input.level, mode: await runMode(trx), cal: ctx.calendar, at, by: user, note: input.reason });
    },
  },
};

/**
 * One life-cycle action inside the caller's transaction (so coordination actions — a whistle
 * session, a joint review — can move a ticket in the same transaction as their own change).
 * Rejections throw before anything is written. Returns the new status; the caller publishes the
 * change once the transaction has committed.
 */
export async function applyTicketAction(ctx: NodeContext, trx: Trx, user: User, input: ActionInput, at: number): Promise<TicketStatus> {
  const t = await trx.selectFrom('tickets').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!t) throw notFound('工单', input.id);
  const snap = await snapshotOf(trx, t);
  const verdict = checkTransition(snap, input.action, actorOf(user), actionDetailsOf(input));
  if (!verdict.ok) throw new AppError(verdict.code, verdict.reason, { detail: `${input.action} on ${t.id} (${t.status}) by ${user.username}: ${verdict.code}` });
  const from = t.status as TicketStatus;
  const to = verdict.to;
  const call: ActionCall<TicketAction> = {
    ctx,
    trx,
    user,
    input,
    t,
    to,
    at,
    upd: { status: to, updated_at: at, version: t.version + 1 },
    ev: { action: input.action, from, to, data: {} },
    extraOps: [],
  };
  const handler = HANDLERS[input.action] as ActionHandler<TicketAction>;
  // The ticket as it is before the action, for a city that may not have it yet.
  const base = await ticketBaseOf(trx, t);
  await handler.apply?.(call);

  const res = await trx.updateTable('tickets').set(call.upd).where('id', '=', t.id).where('version', '=', t.version).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', '工单已被他人修改，请刷新后重试');
  const eventId = await appendEvent(trx, t.id, user, at, call.ev);
  const payload: TicketActionOpBody['payload'] = { actor: await opActorOf(trx, user), input, eventId, from, to, version: t.version + 1, ...(base ? { base } : {}) };
  if ((input.action === 'register' || input.action === 'classify') && input.categoryId)
    payload.facts = await categoryFactsOf(trx, input.categoryId, input.action === 'classify' ? input.isMicro : undefined);
  const signIn = signInOf(call.ev);
  if (signIn) payload.signIn = signIn;
  if (input.action === 'dispatch') {
    const [unitCode, ...candidates] = await unitCodesOf(trx, [call.upd.unit_id, ...(input.candidateUnitIds ?? [])]);
    Object.assign(payload, { unitCode: unitCode ?? null, candidateUnitCodes: candidates.filter((c): c is string => !!c) });
  }
  await appendOutbox(trx, { entity: 'ticket', entityId: t.id, op: input.action, at, payload } as NewOp);
  for (const op of call.extraOps) await appendOutbox(trx, op);
  await handler.after?.(call, eventId);
  return to;
}
