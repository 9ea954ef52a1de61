// Read side of tickets: the list (paged for AG Grid's infinite row model), the detail with its
// timeline, and the dashboard counts. What a user sees and how personal data is shown is decided in
// ./visibility.

import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { z } from 'zod';
import { cstMidnight } from '../../../shared/domain/calendar';
import { DUE_SOON_MS } from '../../../shared/domain/deadline';
import { allowedActions } from '../../../shared/domain/stateMachine';
import { OPEN_STATUSES, type TicketStatus } from '../../../shared/domain/ticket';
import { matchExpression } from '../../../shared/text/searchTokens';
import type { ticketFilter, ticketListInput } from '../../../shared/api/contract';
import type * as T from '../../../shared/api/types';
import type { Database, TicketRecord } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { actorOf, snapshotOf } from './ledger';
import { assertTicketVisible, maskPersonal, revealRefusal, ticketScope } from './visibility';
import { figureCondition } from '../stats/figureSql';

type Filter = z.output<typeof ticketFilter>;
type ListInput = z.output<typeof ticketListInput>;
type EB = ExpressionBuilder<Database, 'tickets'>;

const SORT_COLUMNS = {
  createdAt: 'tickets.created_at',
  resolveDeadline: 'tickets.resolve_deadline',
  code: 'tickets.code',
  status: 'tickets.status',
  updatedAt: 'tickets.updated_at',
} as const;

function viewCondition(eb: EB, view: NonNullable<Filter['view']>, now: number, user: T.User): Expression<SqlBool> {
  switch (view) {
    case 'pendingAccept':
      return eb('tickets.status', '=', 'dispatched');
    case 'inProgress':
      return eb('tickets.status', '=', 'accepted');
    case 'dueSoon':
      return eb.and([
        eb('tickets.status', 'in', OPEN_STATUSES),
        eb('tickets.resolve_deadline', '>=', now),
        eb('tickets.resolve_deadline', '<=', now + DUE_SOON_MS),
      ]);
    case 'overdue':
      return eb.and([eb('tickets.status', 'in', OPEN_STATUSES), eb('tickets.resolve_deadline', '<', now)]);
    case 'newToday':
      return eb('tickets.created_at', '>=', cstMidnight(now));
    case 'pendingCallback':
      return eb.and([
        eb('tickets.status', '=', 'verified'),
        eb('tickets.satisfaction', 'is', null),
        eb('tickets.reporter_phone', 'is not', null),
      ]);
    case 'mine':
      return user.role === 'unit' ? eb('tickets.unit_id', '=', user.unitId ?? '') : eb('tickets.created_by', '=', user.id);
  }
}

/** The WHERE clause of a ticket filter, including what the user may see (shared with the map's points). */
export function conditions(eb: EB, f: Filter, now: number, user: T.User): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  const vis = ticketScope(eb, user);
  if (vis) c.push(vis);
  if (f.statuses?.length) c.push(eb('tickets.status', 'in', f.statuses));
  if (f.categoryId) {
    // A top category filters by all its leaves.
    c.push(
      eb.or([
        eb('tickets.category_id', '=', f.categoryId),
        eb('tickets.category_id', 'in', eb.selectFrom('catalog').select('id').where('parent_id', '=', f.categoryId)),
      ]),
    );
  }
  if (f.channel) c.push(eb('tickets.channel', '=', f.channel));
  if (f.gridId) {
    // The grid and every grid below it (a community's grids and their micro-grids).
    c.push(
      eb(
        'tickets.grid_id',
        'in',
        sql<string>`(WITH RECURSIVE sub(id) AS (SELECT ${f.gridId} UNION SELECT g.id FROM grids g JOIN sub ON g.parent_id = sub.id) SELECT id FROM sub)`,
      ),
    );
  }
  if (f.unitId) c.push(eb('tickets.unit_id', '=', f.unitId));
  if (f.type) c.push(eb('tickets.type', '=', f.type));
  if (f.urgency) c.push(eb('tickets.urgency', '=', f.urgency));
  if (f.missing) c.push(eb(f.missing === 'unit' ? 'tickets.unit_id' : f.missing === 'grid' ? 'tickets.grid_id' : 'tickets.category_id', 'is', null));
  if (f.figure && f.periodFrom != null && f.periodTo != null) c.push(figureCondition(f.figure, f.periodFrom, f.periodTo));
  if (f.deadline) c.push(viewCondition(eb, f.deadline, now, user));
  if (f.view) c.push(viewCondition(eb, f.view, now, user));
  if (f.from != null) c.push(eb('tickets.created_at', '>=', f.from));
  if (f.to != null) c.push(eb('tickets.created_at', '<', f.to));
  if (f.q) {
    const match = matchExpression(f.q);
    if (!match) throw new AppError('badQuery', '搜索词中没有可检索的文字');
    c.push(eb(sql<number>`tickets.rowid`, 'in', sql<number>`(SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ${match})`));
  }
  return eb.and(c);
}

export const ROW_COLUMNS = [
  'tickets.id',
  'tickets.code',
  'tickets.channel',
  'tickets.type',
  'tickets.status',
  'tickets.description',
  'tickets.address',
  'tickets.grid_id',
  'tickets.category_id',
  'tickets.unit_id',
  'tickets.urgency',
  'tickets.created_at',
  'tickets.updated_at',
  'tickets.accept_deadline',
  'tickets.resolve_deadline',
  'tickets.supervision_level',
  'tickets.is_micro',
] as const;

type RowRecord = Pick<TicketRecord, 'id' | 'code' | 'channel' | 'type' | 'status' | 'description' | 'address' | 'grid_id' | 'category_id' | 'unit_id' | 'urgency' | 'created_at' | 'updated_at' | 'accept_deadline' | 'resolve_deadline' | 'supervision_level' | 'is_micro'>;

export function toRow(r: RowRecord): T.TicketRow {
  return {
    id: r.id,
    code: r.code,
    channel: r.channel as T.TicketRow['channel'],
    type: r.type as T.TicketRow['type'],
    status: r.status as TicketStatus,
    description: r.description.length > 200 ? r.description.slice(0, 200) + '…' : r.description,
    address: r.address,
    gridId: r.grid_id,
    categoryId: r.category_id,
    unitId: r.unit_id,
    urgency: r.urgency as T.TicketRow['urgency'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    acceptDeadline: r.accept_deadline,
    resolveDeadline: r.resolve_deadline,
    supervisionLevel: r.supervision_level,
    isMicro: !!r.is_micro,
  };
}

export async function listTickets(ctx: NodeContext, user: T.User, input: ListInput): Promise<T.TicketPage> {
  const now = ctx.now();
  const limit = input.endRow - input.startRow;
  const sort = input.sort[0] ?? { colId: 'createdAt' as const, sort: 'desc' as const };
  if (input.filter.q && sort.colId === 'createdAt') return searchByArrival(ctx, user, input, now, sort.sort);
  let q = ctx.store.db
    .selectFrom('tickets')
    .select(ROW_COLUMNS)
    .where((eb) => conditions(eb, input.filter, now, user));
  if (sort.colId === 'createdAt') {
    // Read along the created_at index (its entries end in rowid), so no sort step is needed.
    q = q.orderBy('tickets.created_at', sort.sort).orderBy(sql`tickets.rowid`, sort.sort);
  } else {
    q = q.orderBy(SORT_COLUMNS[sort.colId], sort.sort).orderBy(sql`tickets.rowid`, 'desc');
  }
  const rows = await q.limit(limit).offset(input.startRow).execute();
  return {
    rows: rows.map(toRow),
    lastRow: rows.length < limit ? input.startRow + rows.length : -1,
  };
}

/**
 * Full-text search in arrival order: the FTS index is walked by rowid (the order tickets reached
 * this node) and joined to the ticket, so the first page stops after enough matches instead of
 * collecting every match of a common word first.
 */
async function searchByArrival(ctx: NodeContext, user: T.User, input: ListInput, now: number, dir: 'asc' | 'desc'): Promise<T.TicketPage> {
  const match = matchExpression(input.filter.q!);
  if (!match) throw new AppError('badQuery', '搜索词中没有可检索的文字');
  const limit = input.endRow - input.startRow;
  const rest: Filter = { ...input.filter, q: undefined };
  const rows = await ctx.store.db
    .selectFrom('tickets_fts')
    .crossJoin('tickets')
    .select(ROW_COLUMNS)
    .where(sql<SqlBool>`tickets_fts MATCH ${match}`)
    .where(sql<SqlBool>`tickets.rowid = tickets_fts.rowid`)
    .where((eb) => conditions(eb as unknown as EB, rest, now, user))
    .orderBy(sql`tickets_fts.rowid`, dir)
    .limit(limit)
    .offset(input.startRow)
    .execute();
  return { rows: rows.map(toRow), lastRow: rows.length < limit ? input.startRow + rows.length : -1 };
}

export async function countTickets(ctx: NodeContext, user: T.User, filter: Filter): Promise<number> {
  const now = ctx.now();
  const r = await ctx.store.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => conditions(eb, filter, now, user))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function dashboardCounts(ctx: NodeContext, user: T.User): Promise<T.DashboardCounts> {
  const views = ['pendingAccept', 'inProgress', 'dueSoon', 'overdue', 'newToday', 'pendingCallback'] as const;
  const out = {} as T.DashboardCounts;
  for (const v of views) out[v] = await countTickets(ctx, user, { view: v });
  return out;
}

export async function getTicketDetail(ctx: NodeContext, user: T.User, id: string): Promise<T.TicketDetail> {
  const db = ctx.store.db;
  const t = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound('工单', id);
  await assertTicketVisible(ctx, user, id);
  const [events, attachments, negotiations, extensions, snap] = await Promise.all([
    db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('ticket_attachments')
      .innerJoin('attachments', 'attachments.sha256', 'ticket_attachments.sha256')
      .select(['attachments.sha256', 'attachments.mime', 'attachments.size', 'attachments.name', 'ticket_attachments.kind', 'ticket_attachments.added_at'])
      .where('ticket_attachments.ticket_id', '=', id)
      .orderBy('ticket_attachments.added_at')
      .execute(),
    db.selectFrom('ticket_negotiations').selectAll().where('ticket_id', '=', id).orderBy('round', 'desc').execute(),
    db.selectFrom('ticket_extensions').selectAll().where('ticket_id', '=', id).orderBy('requested_at').execute(),
    snapshotOf(db, t),
  ]);
  const personal = maskPersonal({ reporterName: t.reporter_name, reporterPhone: t.reporter_phone });
  const latestRound = negotiations[0]?.round;
  return {
    ticket: {
      ...toRow(t),
      description: t.description,
      externalRef: t.external_ref,
      ...personal,
      revealAllowed: revealRefusal(user, t) === null,
      lon: t.lon,
      lat: t.lat,
      isCrossBoundary: !!t.is_cross_boundary,
      outsideStreet: t.lon != null && t.grid_id == null,
      dispatchMode: t.dispatch_mode as T.Ticket['dispatchMode'],
      satisfaction: t.satisfaction as T.Ticket['satisfaction'],
      result: t.result,
      mergedInto: t.merged_into,
      parentId: t.parent_id,
      reopenCount: t.reopen_count,
      returnCount: t.return_count,
      createdBy: t.created_by,
      closedAt: t.closed_at,
      resolvedAt: t.resolved_at,
      version: t.version,
    },
    events: events.map((e) => ({
      id: e.id,
      seq: e.seq,
      action: e.action as T.TicketEvent['action'],
      fromStatus: e.from_status as TicketStatus | null,
      toStatus: e.to_status as TicketStatus,
      actorName: e.actor_name,
      actorRole: e.actor_role as T.TicketEvent['actorRole'],
      unitId: e.unit_id,
      at: e.at,
      reason: e.reason,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
    attachments: attachments.map((a) => ({ sha256: a.sha256, mime: a.mime, size: a.size, name: a.name, kind: a.kind as 'before' | 'after', addedAt: a.added_at })),
    negotiations: negotiations
      .filter((n) => n.round === latestRound)
      .map((n) => ({ unitId: n.unit_id, response: n.response as T.Negotiation['response'], reason: n.reason, respondedAt: n.responded_at })),
    extensions: extensions.map((x) => ({
      id: x.id,
      unitId: x.unit_id,
      days: x.days,
      reason: x.reason,
      status: x.status as T.ExtensionRequest['status'],
      requestedAt: x.requested_at,
      decidedAt: x.decided_at,
      decisionReason: x.decision_reason,
    })),
    allowedActions: allowedActions(snap, actorOf(user)),
    now: ctx.now(),
  };
}
