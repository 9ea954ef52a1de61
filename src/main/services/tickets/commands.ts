// Ticket life-cycle actions. Each user action is one SQLite transaction that writes the ticket,
// its timeline event and its outbox operation together — or nothing at all.

import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { z } from 'zod';
import {
  checkTransition,
  type Actor,
  type ActionDetails,
  type TicketAction,
  type TicketSnapshot,
} from '../../../shared/domain/stateMachine';
import { computeDeadlines, extendDeadline, type SlaUnit } from '../../../shared/domain/deadline';
import type { RunMode, TicketStatus, Urgency } from '../../../shared/domain/ticket';
import { nextDailyCode } from '../core/dailyCodes';
import { indexText } from '../../../shared/text/searchTokens';
import type { ticketActionInput, ticketCreateInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/api/types';
import type { Database, TicketRecord, TicketUpdate } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { gridAt } from '../grids/lookup';
import { getSetting } from '../core/settings';
import { appendOutbox } from '../core/outbox';
import { recordSupervision } from '../coordination/supervision';
import { ensurePhotoCheck, requirePhotoCheckReason } from '../ai/photo';
import { linkSuggestionsOnCreate } from '../ai/text';

type Trx = Transaction<Database>;
type CreateInput = z.output<typeof ticketCreateInput>;
type ActionInput = z.output<typeof ticketActionInput>;

export function actorOf(user: User): Actor {
  return { userId: user.id, role: user.role, unitId: user.unitId };
}

async function catalogItem(db: Kysely<Database> | Trx, id: string) {
  const c = await db.selectFrom('catalog').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new AppError('badCategory', '所选分类不存在', { detail: `catalog ${id} not found` });
  if (!c.is_leaf) throw new AppError('badCategory', '请选择最末一级分类', { detail: `catalog ${id} is not a leaf` });
  return c;
}

async function requireUnit(db: Trx, id: string) {
  const u = await db.selectFrom('units').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst();
  if (!u || !u.active) throw new AppError('badUnit', '处置单位不存在或已停用', { detail: `unit ${id}` });
  return u;
}

async function requireAttachments(db: Trx, shas: readonly string[]) {
  if (!shas.length) return;
  const found = await db.selectFrom('attachments').select('sha256').where('sha256', 'in', shas).execute();
  if (found.length !== new Set(shas).size)
    throw new AppError('badAttachment', '有照片未上传成功，请重新上传', { detail: `missing attachments among ${shas.join(',')}` });
}

/**
 * The committee of the community that contains a grid (walking up to level 2), for categories
 * that one-click dispatch sends to the ticket's own community.
 */
export async function communityUnitOf(db: Kysely<Database> | Trx, gridId: string | null): Promise<string | null> {
  for (let id = gridId, depth = 0; id && depth < 6; depth++) {
    const g = await db.selectFrom('grids').select(['id', 'level', 'parent_id']).where('id', '=', id).executeTakeFirst();
    if (!g) return null;
    if (g.level === '2') {
      const u = await db.selectFrom('units').select('id').where('grid_id', '=', g.id).where('active', '=', 1).executeTakeFirst();
      return u?.id ?? null;
    }
    id = g.parent_id;
  }
  return null;
}

/** Builds the state machine's view of a stored ticket. */
export async function snapshotOf(db: Kysely<Database> | Trx, t: TicketRecord): Promise<TicketSnapshot> {
  const [cat, pendingNeg, pendingExt] = await Promise.all([
    t.category_id
      ? db.selectFrom('catalog').select(['is_consultation']).where('id', '=', t.category_id).executeTakeFirst()
      : Promise.resolve(undefined),
    t.status === 'dispatched' && t.dispatch_mode === 'negotiated'
      ? db
          .selectFrom('ticket_negotiations')
          .select('unit_id')
          .where('ticket_id', '=', t.id)
          .where('response', '=', 'pending')
          .where('round', '=', (eb) =>
            eb.selectFrom('ticket_negotiations').select(eb.fn.max('round').as('r')).where('ticket_id', '=', t.id),
          )
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom('ticket_extensions')
      .select('id')
      .where('ticket_id', '=', t.id)
      .where('status', '=', 'pending')
      .executeTakeFirst(),
  ]);
  return {
    status: t.status as TicketStatus,
    unitId: t.unit_id,
    pendingNegotiationUnitIds: pendingNeg.map((n) => n.unit_id),
    isConsultation: t.type === 'consultation' || !!cat?.is_consultation,
    isMicro: !!t.is_micro,
    hasCategory: !!t.category_id,
    reportedByUserId: t.created_by,
    hasPendingExtension: !!pendingExt,
    callbackDone: t.satisfaction != null,
    callbackPossible: !!t.reporter_phone,
  };
}

export interface EventSpec {
  action: TicketAction | 'report';
  from: TicketStatus | null;
  to: TicketStatus;
  reason?: string | null;
  data?: Record<string, unknown>;
  unitId?: string | null;
}

export async function appendEvent(trx: Trx, ticketId: string, user: User, at: number, e: EventSpec): Promise<string> {
  const last = await trx
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  const id = uuidv7();
  await trx
    .insertInto('ticket_events')
    .values({
      id,
      ticket_id: ticketId,
      seq: Number(last?.seq ?? 0) + 1,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      actor_id: user.id,
      actor_name: user.displayName,
      actor_role: user.role,
      unit_id: e.unitId ?? user.unitId,
      at,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
  return id;
}

export async function reindex(trx: Trx, ticketId: string) {
  const t = await trx
    .selectFrom('tickets')
    .select([sql<number>`rowid`.as('rowid'), 'code', 'description', 'address', 'external_ref'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  await sql`DELETE FROM tickets_fts WHERE rowid = ${t.rowid}`.execute(trx);
  await sql`INSERT INTO tickets_fts(rowid, body) VALUES (${t.rowid}, ${indexText(t.code, t.description, t.address, t.external_ref)})`.execute(trx);
}

async function runMode(db: Kysely<Database> | Trx): Promise<RunMode> {
  return ((await getSetting(db, 'runMode')) as RunMode | undefined) ?? 'daily';
}


export function publishChange(ctx: NodeContext, id: string, status: string, action: string) {
  ctx.events.publish({ type: 'ticket.changed', id, status, action });
}

/** Report/register a new ticket. Street staff register at once; grid officers report. */
export async function createTicket(ctx: NodeContext, user: User, input: CreateInput): Promise<string> {
  if (user.role === 'unit') throw new AppError('forbiddenRole', '处置单位不能新建工单');
  const at = ctx.now();
  const id = uuidv7({ msecs: at });
  let outsideStreet = false;
  await ctx.store.db.transaction().execute(async (trx) => {
    const prefix = ((await getSetting(trx, 'street.codePrefix')) as string | undefined) ?? 'GD';
    await requireAttachments(trx, input.photos);
    let gridId = input.gridId ?? null;
    outsideStreet = false;
    if (gridId) {
      const g = await trx.selectFrom('grids').select('id').where('id', '=', gridId).executeTakeFirst();
      if (!g) throw new AppError('badGrid', '所选网格不存在', { detail: `grid ${gridId}` });
    } else if (input.lon != null && input.lat != null) {
      gridId = (await gridAt(trx, ctx.store, input.lon, input.lat))?.id ?? null;
      // A point outside the street is recorded as it is, with no grid, and flagged — not guessed.
      outsideStreet = gridId == null;
    }
    if ((input.lon == null) !== (input.lat == null)) throw new AppError('badPoint', '经度和纬度须同时填写');
    const cat = input.categoryId ? await catalogItem(trx, input.categoryId) : null;
    const mode = await runMode(trx);
    const deadlines = cat
      ? computeDeadlines(ctx.calendar, at, slaOf(cat), mode, input.urgency as Urgency)
      : null;
    const registers = user.role === 'operator' || user.role === 'leader';
    const status: TicketStatus = registers ? 'registered' : 'reported';
    const code = await nextDailyCode(trx, 'tickets', prefix, at);
    const isMicro = input.isMicro || (cat?.is_micro ?? 0) ? 1 : 0;
    const ai = await linkSuggestionsOnCreate(trx, id, input.ai, { categoryId: cat?.id ?? null, isMicro: !!isMicro }, at);
    await trx
      .insertInto('tickets')
      .values({
        id,
        code,
        channel: input.channel,
        external_ref: input.externalRef || null,
        reporter_name: input.reporterName || null,
        reporter_phone: input.reporterPhone || null,
        type: input.type,
        description: input.description,
        address: input.address,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        grid_id: gridId,
        category_id: cat?.id ?? null,
        ...ai,
        urgency: input.urgency,
        is_micro: isMicro,
        is_cross_boundary: input.isCrossBoundary ? 1 : 0,
        status,
        unit_id: null,
        dispatch_mode: null,
        accept_deadline: null,
        resolve_deadline: deadlines?.resolveDeadline ?? null,
        supervision_level: 0,
        satisfaction: null,
        result: null,
        merged_into: null,
        parent_id: null,
        reopen_count: 0,
        return_count: 0,
        created_by: user.id,
        created_at: at,
        updated_at: at,
        dispatched_at: null,
        accepted_at: null,
        resolved_at: null,
        closed_at: null,
        version: 1,
      })
      .execute();
    const reportEvent = await appendEvent(trx, id, user, at, {
      action: 'report',
      from: null,
      to: 'reported',
      data: { channel: input.channel, photos: input.photos.length, ...(outsideStreet ? { outsideStreet: true } : {}) },
    });
    if (registers)
      await appendEvent(trx, id, user, at, { action: 'register', from: 'reported', to: 'registered', data: cat ? { categoryId: cat.id } : {} });
    for (const sha of new Set(input.photos))
      await trx.insertInto('ticket_attachments').values({ ticket_id: id, sha256: sha, kind: 'before', event_id: reportEvent, added_at: at }).execute();
    await reindex(trx, id);
    await appendOutbox(trx, 'ticket', id, 'create', at, { ticket: { id, code, status, ...input, gridId, ...(outsideStreet ? { outsideStreet: true } : {}) }, by: user.id });
  });
  ctx.log.info('ticket created', { id, by: user.username, ...(outsideStreet ? { outsideStreet: true, lon: input.lon, lat: input.lat } : {}) });
  publishChange(ctx, id, '', 'create');
  return id;
}

function slaOf(c: { accept_within_hours: number; resolve_within: number; resolve_unit: string }) {
  return { acceptWithinHours: c.accept_within_hours, resolveWithin: c.resolve_within, resolveUnit: c.resolve_unit as SlaUnit };
}

function detailsOf(input: ActionInput): ActionDetails {
  switch (input.action) {
    case 'verify':
      return { verifyPassed: input.passed };
    case 'callback':
      return { satisfaction: input.satisfaction };
    case 'respondNegotiation':
      return { negotiationAccepted: input.accepted };
    case 'merge':
      return { mergeTargetId: input.targetId };
    default:
      return {};
  }
}

/** Performs one life-cycle action. Rejections throw before anything is written. */
export async function actOnTicket(ctx: NodeContext, user: User, input: ActionInput): Promise<void> {
  const at = ctx.now();
  // The before/after photo check runs (in the photo worker) before the verification transaction.
  if (input.action === 'verify' && input.passed) await ensurePhotoCheck(ctx, input.id);
  const newStatus = await ctx.store.db.transaction().execute((trx) => applyTicketAction(ctx, trx, user, input, at));
  ctx.log.info('ticket action', { id: input.id, action: input.action, to: newStatus, by: user.username });
  publishChange(ctx, input.id, newStatus, input.action);
}

/**
 * One life-cycle action inside the caller's transaction (so coordination actions — a whistle
 * session, a joint review — can move a ticket in the same transaction as their own change).
 * Returns the new status; the caller publishes the change once the transaction has committed.
 */
// (The body keeps the indentation it had inside actOnTicket's transaction, to keep merges small.)
export async function applyTicketAction(ctx: NodeContext, trx: Trx, user: User, input: ActionInput, at: number): Promise<TicketStatus> {
    const t = await trx.selectFrom('tickets').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!t) throw notFound('工单', input.id);
    const snap = await snapshotOf(trx, t);
    const verdict = checkTransition(snap, input.action, actorOf(user), detailsOf(input));
    if (!verdict.ok) throw new AppError(verdict.code, verdict.reason, { detail: `${input.action} on ${t.id} (${t.status}) by ${user.username}: ${verdict.code}` });
    const from = t.status as TicketStatus;
    const to = verdict.to;
    const upd: TicketUpdate = { status: to, updated_at: at, version: t.version + 1 };
    const ev: EventSpec = { action: input.action, from, to, data: {} };
    const extraOutbox: Array<[string, Record<string, unknown>]> = [];

    switch (input.action) {
      case 'register':
      case 'classify': {
        if (input.categoryId) {
          const cat = await catalogItem(trx, input.categoryId);
          upd.category_id = cat.id;
          upd.category_source = 'manual';
          const urgency = (input.action === 'classify' && input.urgency) || (t.urgency as Urgency);
          upd.urgency = urgency;
          upd.is_micro = input.action === 'classify' && input.isMicro !== undefined ? (input.isMicro ? 1 : 0) : cat.is_micro;
          upd.resolve_deadline = computeDeadlines(ctx.calendar, t.created_at, slaOf(cat), await runMode(trx), urgency).resolveDeadline;
          ev.data = { categoryId: cat.id, categoryPath: cat.path, previousCategoryId: t.category_id };
        }
        break;
      }
      case 'dispatch': {
        if (input.action !== 'dispatch') break;
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
        break;
      }
      case 'respondNegotiation': {
        if (input.action !== 'respondNegotiation') break;
        if (!input.accepted && (!input.reason || input.reason.length < 2))
          throw new AppError('reasonRequired', '拒绝商定须填写理由');
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
        ev.unitId = user.unitId;
        break;
      }
      case 'accept':
        upd.accepted_at = at;
        break;
      case 'return':
        Object.assign(upd, { unit_id: null, return_count: t.return_count + 1 });
        ev.reason = input.reason;
        ev.unitId = t.unit_id;
        break;
      case 'requestExtension': {
        if (input.action !== 'requestExtension') break;
        const extId = uuidv7();
        await trx
          .insertInto('ticket_extensions')
          .values({ id: extId, ticket_id: t.id, unit_id: user.unitId!, requested_by: user.id, days: input.days, reason: input.reason, status: 'pending', requested_at: at, decided_by: null, decided_at: null, decision_reason: null })
          .execute();
        ev.reason = input.reason;
        ev.data = { extensionId: extId, days: input.days };
        break;
      }
      case 'decideExtension': {
        if (input.action !== 'decideExtension') break;
        const ext = await trx.selectFrom('ticket_extensions').selectAll().where('ticket_id', '=', t.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
        if (!input.approved && (!input.reason || input.reason.length < 2))
          throw new AppError('reasonRequired', '驳回延期须填写理由');
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
        break;
      }
      case 'note':
        if (input.action === 'note') ev.reason = input.text;
        break;
      case 'resolve': {
        if (input.action !== 'resolve') break;
        await requireAttachments(trx, input.photos);
        // A new resolution needs a new callback.
        Object.assign(upd, { result: input.result, resolved_at: at, satisfaction: null });
        ev.data = { result: input.result, photos: input.photos.length };
        break;
      }
      case 'verify': {
        if (input.action !== 'verify') break;
        if (!input.passed && (!input.reason || input.reason.length < 2))
          throw new AppError('reasonRequired', '核查不通过须填写理由');
        if (!input.passed) Object.assign(upd, { reopen_count: t.reopen_count + 1, resolved_at: null });
        ev.reason = input.reason ?? null;
        ev.data = { passed: input.passed, ...(await requirePhotoCheckReason(trx, t.id, input.passed, input.reason)) };
        break;
      }
      case 'callback': {
        if (input.action !== 'callback') break;
        upd.satisfaction = input.satisfaction;
        if (to === 'reopened') Object.assign(upd, { reopen_count: t.reopen_count + 1, resolved_at: null });
        ev.reason = input.note ?? null;
        ev.data = { satisfaction: input.satisfaction };
        break;
      }
      case 'close':
        upd.closed_at = at;
        if (input.action === 'close') ev.reason = input.note ?? null;
        break;
      case 'reopen':
        Object.assign(upd, { reopen_count: t.reopen_count + 1, satisfaction: null, resolved_at: null, closed_at: null });
        ev.reason = input.reason;
        break;
      case 'cancel':
        ev.reason = input.reason;
        break;
      case 'merge': {
        if (input.action !== 'merge') break;
        const target = await trx.selectFrom('tickets').select(['id', 'code', 'status', 'merged_into']).where((eb) => eb.or([eb('id', '=', input.targetId), eb('code', '=', input.targetId)])).executeTakeFirst();
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
        extraOutbox.push([target.id, { action: 'note', eventId: targetSeqEvent, mergedFrom: t.id }]);
        break;
      }
      case 'relocate': {
        if (input.action !== 'relocate') break;
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
        break;
      }
      case 'supervise':
        if (input.action !== 'supervise') break;
        upd.supervision_level = input.level;
        ev.reason = input.reason;
        ev.data = { level: input.level };
        break;
    }

    const res = await trx.updateTable('tickets').set(upd).where('id', '=', t.id).where('version', '=', t.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', '工单已被他人修改，请刷新后重试');
    const eventId = await appendEvent(trx, t.id, user, at, ev);
    if (input.action === 'relocate') await reindex(trx, t.id);
    if (input.action === 'resolve')
      for (const sha of new Set(input.photos))
        await trx.insertInto('ticket_attachments').values({ ticket_id: t.id, sha256: sha, kind: 'after', event_id: eventId, added_at: at }).onConflict((oc) => oc.doNothing()).execute();
    await appendOutbox(trx, 'ticket', t.id, input.action, at, { input, eventId, from, to, version: t.version + 1, by: user.id });
    for (const [tid, payload] of extraOutbox) await appendOutbox(trx, 'ticket', tid, 'note', at, { ...payload, by: user.id });
    if (input.action === 'supervise')
      await recordSupervision(trx, { ticket: t, kind: user.role === 'system' ? 'auto' : 'manual', level: input.level, mode: await runMode(trx), cal: ctx.calendar, at, by: user, note: input.reason });
    return to;
}

/** Raises the supervision level of overdue tickets (督办 escalation). Returns how many changed. */
export async function escalateOverdue(ctx: NodeContext, system: User): Promise<number> {
  const { escalationLevel } = await import('../../../shared/domain/deadline');
  const now = ctx.now();
  const overdue = await ctx.store.db
    .selectFrom('tickets')
    .select(['id', 'resolve_deadline', 'supervision_level', 'status'])
    .where('status', 'in', ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened'])
    .where('resolve_deadline', '<', now)
    .execute();
  let changed = 0;
  for (const t of overdue) {
    const level = escalationLevel(ctx.calendar, t.resolve_deadline!, now);
    if (level > t.supervision_level) {
      await actOnTicket(ctx, system, { action: 'supervise', id: t.id, level, reason: `超期自动升级为${level}级督办` });
      changed++;
    }
  }
  return changed;
}
