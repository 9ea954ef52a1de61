// Ticket commands: filing a new ticket and performing a life-cycle action. Each is one SQLite
// transaction that writes the ticket, its timeline event and its outbox operation together — or
// nothing at all. The actions themselves live in ./actions (one handler per action).

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import { computeDeadlines } from '../../../shared/domain/deadline';
import type { TicketStatus, Urgency } from '../../../shared/domain/ticket';
import type { ticketCreateInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { nextDailyCode } from '../core/dailyCodes';
import { getSetting } from '../core/settings';
import { appendOutbox, categoryFactsOf, opActorOf } from '../core/outbox';
import { gridAt } from '../grids/lookup';
import { ensurePhotoCheck, recordPhotoDecisionsIn, refreshPhotoLabels } from '../ai/photo';
import { linkSuggestionsOnCreate, recordDuplicateMerge } from '../ai/text';
import { linkToOpenItems, type LinkedItem } from '../recurring/autoLink';
import { applyTicketAction, type ActionInput } from './actions';
import { appendEvent, catalogItem, publishChange, reindex, requireAttachments, runMode, slaOf } from './ledger';

type FiledInput = z.output<typeof ticketCreateInput>;
/** What filing takes: the contract's input (other callers, e.g. the demo, need not list photo decisions). */
type CreateInput = Omit<FiledInput, 'photoDecisions'> & { photoDecisions?: FiledInput['photoDecisions'] };

/** The merge reason written when a report is merged into a duplicate as it is filed. */
export const MERGE_ON_CREATE_REASON = '重复诉求，并入已有工单';

/**
 * Report/register a new ticket. Street staff register at once; grid officers report. One
 * transaction files the ticket, records what the operator took of the photo suggestions, and —
 * when the operator recognised the report as a duplicate — merges it into that ticket: if any
 * part is refused, nothing is written (so a retry cannot file the report twice).
 */
export async function createTicket(ctx: NodeContext, user: User, input: CreateInput): Promise<string> {
  if (user.role === 'unit') throw new AppError('forbiddenRole', '处置单位不能新建工单');
  const at = ctx.now();
  const id = uuidv7({ msecs: at });
  let outsideStreet = false;
  let mergedStatus: TicketStatus | null = null;
  let linked: LinkedItem[] = [];
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
    const ai = await linkSuggestionsOnCreate(trx, id, input.ai, { categoryId: cat?.id ?? null, isMicro: !!isMicro, mergeInto: input.mergeInto }, at);
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
    const { photoDecisions = [], mergeInto } = input;
    await appendOutbox(trx, {
      entity: 'ticket',
      entityId: id,
      op: 'create',
      at,
      payload: {
        actor: await opActorOf(trx, user),
        ticket: {
          id,
          code,
          status,
          channel: input.channel,
          type: input.type,
          description: input.description,
          address: input.address,
          lon: input.lon ?? null,
          lat: input.lat ?? null,
          gridId,
          categoryId: cat?.id ?? null,
          urgency: input.urgency,
          isMicro: !!isMicro,
          isCrossBoundary: !!input.isCrossBoundary,
          externalRef: input.externalRef || null,
          reporterName: input.reporterName || null,
          reporterPhone: input.reporterPhone || null,
          photos: input.photos,
          outsideStreet,
        },
        facts: (await categoryFactsOf(trx, cat?.id, !!isMicro)) ?? { hasCategory: false, isConsultation: input.type === 'consultation', isMicro: !!isMicro, categoryCode: null },
      },
    });
    await recordPhotoDecisionsIn(trx, user, { id, categoryId: cat?.id ?? null }, photoDecisions, at);
    // 专项治理: a report about an item's problem at its place joins the item (not one merged away).
    if (!mergeInto) linked = await linkToOpenItems(trx, { id, categoryId: cat?.id ?? null, address: input.address, lon: input.lon ?? null, lat: input.lat ?? null, gridId, description: input.description }, at);
    if (mergeInto) {
      mergedStatus = await applyTicketAction(ctx, trx, user, { action: 'merge', id, targetId: mergeInto, reason: MERGE_ON_CREATE_REASON }, at);
      const merged = await trx.selectFrom('tickets').select('merged_into').where('id', '=', id).executeTakeFirstOrThrow();
      await recordDuplicateMerge(trx, input.ai?.duplicateSuggestionId, id, merged.merged_into!, at);
    }
  });
  ctx.log.info('ticket created', {
    id,
    by: user.username,
    ...(outsideStreet ? { outsideStreet: true, lon: input.lon, lat: input.lat } : {}),
    ...(input.mergeInto ? { mergedInto: input.mergeInto } : {}),
    ...(input.photoDecisions?.length ? { photoDecisions: input.photoDecisions.length } : {}),
    ...(linked.length ? { recurringItems: linked.map((l) => l.code) } : {}),
  });
  publishChange(ctx, id, '', 'create');
  for (const l of linked) ctx.events.publish({ type: 'recurring.changed', id: l.itemId });
  if (mergedStatus) publishChange(ctx, id, mergedStatus, 'merge');
  if (input.photoDecisions?.length) await refreshPhotoLabels(ctx);
  return id;
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
