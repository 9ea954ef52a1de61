// 专项治理 items: a 批量问题 opened for root-cause treatment by a street leader or operator — a
// lead unit, helper units, a deadline, the group's tickets linked, progress notes, and closure with
// the root-cause fix (required). Each change is one transaction with its outbox op (entity
// `recurringItem`, src/shared/sync/ops.ts) and its audit entry. New matching tickets are linked
// by ./autoLink.ts when they are filed.

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import type { RecurringItemDetail, RecurringItemSummary, TicketRecurringLink, recurringCloseInput, recurringNoteInput, recurringOpenInput } from '../../../shared/api/recurring';
import type { TicketStatus } from '../../../shared/domain/ticket';
import { ticketCode, ticketCodeDayPrefix } from '../../../shared/domain/ticketCode';
import { samePlaceProblem, textProfile, type PlaceMode } from '../../../shared/recurring/rules';
import { AppError, notFound } from '../core/errors';
import { appendOutbox, opActorOf } from '../core/outbox';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { assertTicketVisible } from '../tickets/visibility';
import { groupKey, isBatch } from './mining';
import { currentGroups } from './miningState';
import { problemOf } from './cluster';

export const ITEM_CODE_PREFIX = 'ZX';

export function mayUseRecurring(user: User): void {
  if (user.role !== 'leader' && user.role !== 'operator')
    throw new AppError('forbiddenRole', '批量问题和专项治理仅向街道领导和受理员开放', { detail: `recurring for role ${user.role}` });
}

const short = (s: string) => (s.length > 120 ? s.slice(0, 120) + '…' : s);

/** A ticket as an item's or a group's list shows it (description cut to 120 characters). */
export function ticketBrief(t: { id: string; code: string; status: string; created_at: number; address: string; description: string; unit_name: string | null }) {
  return { id: t.id, code: t.code, status: t.status as TicketStatus, createdAt: t.created_at, address: t.address, description: short(t.description), unitName: t.unit_name };
}

/** Opens a group as an item; refused when an open item already covers the group's place and problem. */
export async function openItem(ctx: NodeContext, user: User, input: z.output<typeof recurringOpenInput>): Promise<string> {
  mayUseRecurring(user);
  const at = ctx.now();
  if (input.deadline <= at) throw new AppError('invalidInput', '完成期限须晚于现在');
  const { groups } = await currentGroups(ctx, input.params, null);
  const g = groups.find((x) => groupKey(x) === input.groupKey);
  if (!g || !isBatch(g, input.params)) throw new AppError('notFound', '该批量问题已不存在（数据已变化），请刷新后重试', { detail: `group ${input.groupKey}` });
  const helpers = [...new Set(input.helperUnitIds)].filter((u) => u !== input.leadUnitId);
  const id = uuidv7({ msecs: at });
  let code = '';
  await ctx.store.db.transaction().execute(async (trx) => {
    const units = await trx.selectFrom('units').select(['id', 'code', 'active']).where('id', 'in', [input.leadUnitId, ...helpers]).execute();
    const lead = units.find((u) => u.id === input.leadUnitId);
    if (!lead || !lead.active) throw new AppError('invalidInput', '牵头单位不存在或已停用', { detail: `lead unit ${input.leadUnitId}` });
    for (const h of helpers)
      if (!units.some((u) => u.id === h && u.active)) throw new AppError('invalidInput', '协办单位不存在或已停用', { detail: `helper unit ${h}` });
    const a = g.anchor;
    const open = await trx
      .selectFrom('recurring_items')
      .select(['code', 'title', 'category_id', 'place', 'lon', 'lat', 'grid_id', 'anchor_text', 'place_mode', 'radius_m', 'min_similarity'])
      .where('status', '=', 'open')
      .where('category_id', '=', a.category_id)
      .execute();
    for (const o of open) {
      const same = samePlaceProblem(
        { categoryId: o.category_id, address: o.place, lon: o.lon, lat: o.lat, gridId: o.grid_id, text: textProfile(o.anchor_text) },
        problemOf(a),
        { place: o.place_mode as PlaceMode, radiusM: o.radius_m, minSimilarity: o.min_similarity },
      );
      if (same) throw new AppError('conflict', `该批量问题已在专项治理中：${o.code}「${o.title}」`, { detail: `group ${input.groupKey} matches open item ${o.code}` });
    }
    const dayPrefix = ticketCodeDayPrefix(ITEM_CODE_PREFIX, at);
    const last = await trx.selectFrom('recurring_items').select('code').where('code', '>=', dayPrefix).where('code', '<', dayPrefix + '~').orderBy('code', 'desc').limit(1).executeTakeFirst();
    code = ticketCode(ITEM_CODE_PREFIX, at, last ? Number(last.code.slice(dayPrefix.length)) + 1 : 1);
    const cat = await trx.selectFrom('catalog').select(['code', 'path']).where('id', '=', a.category_id).executeTakeFirst();
    await trx
      .insertInto('recurring_items')
      .values({
        id,
        code,
        title: input.title,
        category_id: a.category_id,
        place: a.address,
        lon: a.lon,
        lat: a.lat,
        grid_id: a.grid_id,
        anchor_text: a.description,
        place_mode: input.params.place,
        radius_m: input.params.radiusM,
        min_similarity: input.params.minSimilarity,
        lead_unit_id: lead.id,
        helper_unit_ids: JSON.stringify(helpers),
        deadline: input.deadline,
        status: 'open',
        root_cause: null,
        opened_by: user.id,
        opened_by_name: user.displayName,
        opened_at: at,
        closed_by_name: null,
        closed_at: null,
        updated_at: at,
      })
      .execute();
    const reason = `开立时所在批量问题（${cat?.path ?? ''} · ${a.address}）`;
    const links = g.members.map((m) => ({ ticketId: m.id, reason, auto: false, linkedAt: at }));
    for (let i = 0; i < links.length; i += 200)
      await trx
        .insertInto('recurring_item_tickets')
        .values(links.slice(i, i + 200).map((l) => ({ item_id: id, ticket_id: l.ticketId, reason: l.reason, auto: 0, linked_at: at })))
        .execute();
    await appendOutbox(trx, {
      entity: 'recurringItem',
      entityId: id,
      op: 'open',
      at,
      payload: {
        actor: await opActorOf(trx, user),
        item: {
          id,
          code,
          title: input.title,
          categoryId: a.category_id,
          categoryCode: cat?.code ?? null,
          place: a.address,
          lon: a.lon,
          lat: a.lat,
          gridId: a.grid_id,
          rule: { place: input.params.place, radiusM: input.params.radiusM, minSimilarity: input.params.minSimilarity },
          leadUnitId: lead.id,
          leadUnitCode: lead.code,
          helperUnitIds: helpers,
          deadline: input.deadline,
          openedAt: at,
        },
        links,
      },
    });
    await appendAudit(trx, at, { actor: actorOf(user), action: 'recurring.open', target: code, detail: { itemId: id, title: input.title, tickets: links.length, leadUnitId: lead.id, helperUnitIds: helpers, deadline: input.deadline } });
  });
  ctx.log.info('recurring item opened', { id, code, tickets: g.members.length, by: user.username });
  ctx.events.publish({ type: 'recurring.changed', id });
  return id;
}

async function openRow(ctx: NodeContext, itemId: string) {
  const row = await ctx.store.db.selectFrom('recurring_items').select(['id', 'code', 'status']).where('id', '=', itemId).executeTakeFirst();
  if (!row) throw notFound('专项治理事项', itemId);
  if (row.status !== 'open') throw new AppError('conflict', '该专项治理已结项，不能再修改', { detail: `item ${row.code} is closed` });
  return row;
}

export async function addNote(ctx: NodeContext, user: User, input: z.output<typeof recurringNoteInput>): Promise<void> {
  mayUseRecurring(user);
  const at = ctx.now();
  const row = await openRow(ctx, input.itemId);
  const note = { id: uuidv7({ msecs: at }), text: input.text, byName: user.displayName, at };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('recurring_item_notes').values({ id: note.id, item_id: row.id, text: note.text, by_id: user.id, by_name: note.byName, at }).execute();
    await trx.updateTable('recurring_items').set({ updated_at: at }).where('id', '=', row.id).execute();
    await appendOutbox(trx, { entity: 'recurringItem', entityId: row.id, op: 'note', at, payload: { actor: await opActorOf(trx, user), note } });
    await appendAudit(trx, at, { actor: actorOf(user), action: 'recurring.note', target: row.code, detail: { itemId: row.id, length: note.text.length } });
  });
  ctx.events.publish({ type: 'recurring.changed', id: row.id });
}

export async function closeItem(ctx: NodeContext, user: User, input: z.output<typeof recurringCloseInput>): Promise<void> {
  mayUseRecurring(user);
  const at = ctx.now();
  const row = await openRow(ctx, input.itemId);
  await ctx.store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('recurring_items')
      .set({ status: 'closed', root_cause: input.rootCause, closed_at: at, closed_by_name: user.displayName, updated_at: at })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', '该专项治理已结项', { detail: `item ${row.code} closed meanwhile` });
    await appendOutbox(trx, { entity: 'recurringItem', entityId: row.id, op: 'close', at, payload: { actor: await opActorOf(trx, user), rootCause: input.rootCause, closedAt: at } });
    await appendAudit(trx, at, { actor: actorOf(user), action: 'recurring.close', target: row.code, detail: { itemId: row.id, rootCause: input.rootCause } });
  });
  ctx.log.info('recurring item closed', { id: row.id, code: row.code, by: user.username });
  ctx.events.publish({ type: 'recurring.changed', id: row.id });
}

function summarySelect(ctx: NodeContext) {
  return ctx.store.db
    .selectFrom('recurring_items as i')
    .leftJoin('catalog as c', 'c.id', 'i.category_id')
    .leftJoin('units as u', 'u.id', 'i.lead_unit_id')
    .select((eb) => [
      'i.id',
      'i.code',
      'i.title',
      'i.status',
      'c.path',
      'i.place',
      'u.name as lead_name',
      'i.deadline',
      'i.opened_at',
      'i.closed_at',
      eb.selectFrom('recurring_item_tickets as l').select((e) => e.fn.countAll<number>().as('n')).whereRef('l.item_id', '=', 'i.id').as('tickets'),
      eb.selectFrom('recurring_item_tickets as l').select((e) => e.fn.countAll<number>().as('n')).whereRef('l.item_id', '=', 'i.id').where('l.auto', '=', 1).as('auto_linked'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];
const toSummary = (r: SummaryRow): RecurringItemSummary => ({
  id: r.id,
  code: r.code,
  title: r.title,
  status: r.status as 'open' | 'closed',
  categoryPath: r.path ?? '（分类已删除）',
  place: r.place,
  leadUnitName: r.lead_name ?? '（单位已删除）',
  deadline: r.deadline,
  tickets: Number(r.tickets ?? 0),
  autoLinked: Number(r.auto_linked ?? 0),
  openedAt: r.opened_at,
  closedAt: r.closed_at,
});

export async function listItems(ctx: NodeContext, user: User, status?: 'open' | 'closed'): Promise<RecurringItemSummary[]> {
  mayUseRecurring(user);
  let q = summarySelect(ctx);
  if (status) q = q.where('i.status', '=', status);
  return (await q.orderBy('i.status', 'desc').orderBy('i.opened_at', 'desc').limit(500).execute()).map(toSummary);
}

export async function getItem(ctx: NodeContext, user: User, id: string): Promise<RecurringItemDetail> {
  mayUseRecurring(user);
  const db = ctx.store.db;
  const r = await summarySelect(ctx).where('i.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('专项治理事项', id);
  const full = await db.selectFrom('recurring_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const helperIds = JSON.parse(full.helper_unit_ids) as string[];
  const [helpers, links, notes] = await Promise.all([
    helperIds.length ? db.selectFrom('units').select(['id', 'name']).where('id', 'in', helperIds).execute() : Promise.resolve([]),
    db
      .selectFrom('recurring_item_tickets as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .leftJoin('units as u', 'u.id', 't.unit_id')
      .select(['t.id', 't.code', 't.status', 't.created_at', 't.address', 't.description', 't.lon', 't.lat', 'u.name as unit_name', 'l.reason', 'l.auto', 'l.linked_at'])
      .where('l.item_id', '=', id)
      .orderBy('t.created_at', 'desc')
      .execute(),
    db.selectFrom('recurring_item_notes').select(['id', 'text', 'by_name', 'at']).where('item_id', '=', id).orderBy('at', 'desc').execute(),
  ]);
  return {
    ...toSummary(r),
    helperUnits: helperIds.map((h) => ({ unitId: h, name: helpers.find((u) => u.id === h)?.name ?? '（单位已删除）' })),
    openedByName: full.opened_by_name,
    rootCause: full.root_cause,
    closedByName: full.closed_by_name,
    rule: { place: full.place_mode as PlaceMode, radiusM: full.radius_m, minSimilarity: full.min_similarity },
    lon: full.lon,
    lat: full.lat,
    links: links.map((l) => ({
      ...ticketBrief(l),
      reason: l.reason,
      auto: l.auto === 1,
      linkedAt: l.linked_at,
      lon: l.lon,
      lat: l.lat,
    })),
    notes: notes.map((n) => ({ id: n.id, text: n.text, byName: n.by_name, at: n.at })),
    mayEdit: full.status === 'open',
  };
}

/** The items a ticket is linked to (any role that may see the ticket). */
export async function itemsForTicket(ctx: NodeContext, user: User, ticketId: string): Promise<TicketRecurringLink[]> {
  await assertTicketVisible(ctx, user, ticketId);
  const rows = await ctx.store.db
    .selectFrom('recurring_item_tickets as l')
    .innerJoin('recurring_items as i', 'i.id', 'l.item_id')
    .select(['i.id', 'i.code', 'i.title', 'i.status', 'l.reason', 'l.auto'])
    .where('l.ticket_id', '=', ticketId)
    .orderBy('l.linked_at')
    .execute();
  return rows.map((x) => ({ itemId: x.id, code: x.code, title: x.title, status: x.status as 'open' | 'closed', reason: x.reason, auto: x.auto === 1 }));
}
