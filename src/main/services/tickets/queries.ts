// Read side of tickets: the list (paged for AG Grid's infinite row model), the detail with its
// timeline, and the dashboard counts. What a user sees and how personal data is shown is decided in
// ./visibility.

import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { z } from 'zod/v4';
import { cstMidnight } from '../../../shared/domain/calendar';
import { DUE_SOON_MS, DUE_SOON_SHARE } from '../../../shared/domain/deadline';
import { allowedActions } from '../../../shared/domain/stateMachine';
import { DEADLINE_STATUSES, OPEN_STATUSES, type TicketStatus } from '../../../shared/domain/ticket';
import type { ticketFilter, ticketListInput } from '../../../shared/api/contract';
import type * as T from '../../../shared/api/types';
import type { Database, TicketRecord } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { notFound } from '../core/errors';
import { actorOf, snapshotOf } from './ledger';
import { planSearch, searchCondition, type SearchPlan } from './search';
import { assertTicketVisible, personalForDetail, revealRefusal, ticketScope } from './visibility';
import { figureCondition } from '../stats/figureSql';
import { alarmOf } from './alarms';

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
        // The window scales with the deadline's length (dueSoonWindow), counted from creation.
        eb(sql<number>`(tickets.resolve_deadline - ${now})`, '<=', sql<number>`(tickets.resolve_deadline - tickets.created_at) * ${DUE_SOON_SHARE}`),
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

/** The search plan of a filter's query (planned once per request, in the node), or undefined. */
export async function searchOf(ctx: NodeContext, f: Filter): Promise<SearchPlan | undefined> {
  return f.q ? planSearch(ctx, f.q) : undefined;
}

/**
 * The WHERE clause of a ticket filter, including what the user may see (shared with the map's
 * points). A filter with a query needs its plan (`searchOf`).
 */
export function conditions(eb: EB, f: Filter, now: number, user: T.User, search?: SearchPlan): Expression<SqlBool> {
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
    if (!search) throw new Error('conditions: a filter with a query needs its search plan');
    c.push(searchCondition(eb, search));
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
  const search = await searchOf(ctx, input.filter);
  if (search && !search.caller && sort.colId === 'createdAt') {
    // In the default order (newest first) the phrase as typed ranks before the words found apart.
    if (search.phrase && sort.sort === 'desc') return searchRanked(ctx, user, input, now, search.phrase, search.all);
    return searchByArrival(ctx, user, input, now, sort.sort, search.all);
  }
  if (sort.colId === 'resolveDeadline' && sort.sort === 'asc') return byRunningDeadline(ctx, user, input, now, search);
  let q = ctx.store.db
    .selectFrom('tickets')
    .select(ROW_COLUMNS)
    .where((eb) => conditions(eb, input.filter, now, user, search));
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
 * 时限 ascending: the tickets whose deadline is running (open, with a deadline), soonest first —
 * what an operator sorting by deadline wants to see — then the others (finished, or without a
 * deadline; the list shows them as —), NULL deadlines last. Two tiers paged as one list; the
 * first is small and served by the (status, resolve_deadline) index.
 */
async function byRunningDeadline(ctx: NodeContext, user: T.User, input: ListInput, now: number, search: SearchPlan | undefined): Promise<T.TicketPage> {
  const limit = input.endRow - input.startRow;
  const running = (eb: EB) => eb.and([eb('tickets.status', 'in', DEADLINE_STATUSES), eb('tickets.resolve_deadline', 'is not', null)]);
  const base = () => ctx.store.db.selectFrom('tickets').where((eb) => conditions(eb, input.filter, now, user, search));
  const tier1 = (n: number, offset: number) =>
    base().select(ROW_COLUMNS).where(running).orderBy('tickets.resolve_deadline', 'asc').orderBy(sql`tickets.rowid`, 'desc').limit(n).offset(offset).execute();
  let first: Awaited<ReturnType<typeof tier1>> = [];
  let firstCount: number;
  if (input.startRow === 0) {
    first = await tier1(limit, 0);
    firstCount = first.length;
  } else {
    const r = await base().select((eb) => eb.fn.countAll<number>().as('n')).where(running).executeTakeFirstOrThrow();
    firstCount = Number(r.n);
    if (input.startRow < firstCount) first = await tier1(limit, input.startRow);
  }
  const need = limit - first.length;
  const second =
    need > 0
      ? await base()
          .select(ROW_COLUMNS)
          .where((eb) => eb.not(running(eb)))
          .orderBy(sql`tickets.resolve_deadline IS NULL`)
          .orderBy('tickets.resolve_deadline', 'asc')
          .orderBy(sql`tickets.rowid`, 'desc')
          .limit(need)
          .offset(Math.max(0, input.startRow - firstCount))
          .execute()
      : [];
  const rows = [...first, ...second];
  return { rows: rows.map(toRow), lastRow: need > 0 && second.length < need ? input.startRow + rows.length : -1 };
}

/** Rows of tickets matching an FTS expression under the rest of the filter, newest arrival first. */
function ftsRows(ctx: NodeContext, user: T.User, filter: Filter, now: number, match: string, dir: 'asc' | 'desc', limit: number, offset: number) {
  const rest: Filter = { ...filter, q: undefined };
  return ctx.store.db
    .selectFrom('tickets_fts')
    .crossJoin('tickets')
    .select(ROW_COLUMNS)
    .where(sql<SqlBool>`tickets_fts MATCH ${match}`)
    .where(sql<SqlBool>`tickets.rowid = tickets_fts.rowid`)
    .where((eb) => conditions(eb as unknown as EB, rest, now, user))
    .orderBy(sql`tickets_fts.rowid`, dir)
    .limit(limit)
    .offset(offset)
    .execute();
}

/**
 * Full-text search in arrival order: the FTS index is walked by rowid (the order tickets reached
 * this node) and joined to the ticket, so the first page stops after enough matches instead of
 * collecting every match of a common word first.
 */
async function searchByArrival(ctx: NodeContext, user: T.User, input: ListInput, now: number, dir: 'asc' | 'desc', match: string): Promise<T.TicketPage> {
  const limit = input.endRow - input.startRow;
  const rows = await ftsRows(ctx, user, input.filter, now, match, dir, limit, input.startRow);
  return { rows: rows.map(toRow), lastRow: rows.length < limit ? input.startRow + rows.length : -1 };
}

/**
 * A segmented search ranked in two tiers, each newest first: tickets containing the phrase as
 * typed (经七路井盖), then those containing all its words apart (经七路 … 井盖). The tiers are
 * disjoint (the second excludes the first in FTS5), so pages never repeat a ticket.
 */
async function searchRanked(ctx: NodeContext, user: T.User, input: ListInput, now: number, phrase: string, all: string): Promise<T.TicketPage> {
  const limit = input.endRow - input.startRow;
  const rest = `(${all}) NOT (${phrase})`;
  let first: Awaited<ReturnType<typeof ftsRows>> = [];
  let phraseCount: number;
  if (input.startRow === 0) {
    first = await ftsRows(ctx, user, input.filter, now, phrase, 'desc', limit, 0);
    // A full first page needs no second tier, so the phrase's matches need no count.
    phraseCount = first.length;
  } else {
    phraseCount = await ftsCount(ctx, user, input.filter, now, phrase);
    if (input.startRow < phraseCount) first = await ftsRows(ctx, user, input.filter, now, phrase, 'desc', limit, input.startRow);
  }
  const need = limit - first.length;
  const second = need > 0 ? await ftsRows(ctx, user, input.filter, now, rest, 'desc', need, Math.max(0, input.startRow - phraseCount)) : [];
  const rows = [...first, ...second];
  const done = need > 0 && second.length < need;
  return { rows: rows.map(toRow), lastRow: done ? input.startRow + rows.length : -1 };
}

async function ftsCount(ctx: NodeContext, user: T.User, filter: Filter, now: number, match: string): Promise<number> {
  const rest: Filter = { ...filter, q: undefined };
  const r = await ctx.store.db
    .selectFrom('tickets_fts')
    .crossJoin('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<SqlBool>`tickets_fts MATCH ${match}`)
    .where(sql<SqlBool>`tickets.rowid = tickets_fts.rowid`)
    .where((eb) => conditions(eb as unknown as EB, rest, now, user))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countTickets(ctx: NodeContext, user: T.User, filter: Filter): Promise<number> {
  const now = ctx.now();
  const search = await searchOf(ctx, filter);
  const r = await ctx.store.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => conditions(eb, filter, now, user, search))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The list's header: the filter's exact total and, per status, the count under the same filter
 * without its status choice (so the chips show what choosing a status would give). Both use
 * `conditions`, the list's own WHERE clause.
 */
export async function statusCounts(ctx: NodeContext, user: T.User, filter: Filter): Promise<{ total: number; byStatus: Partial<Record<TicketStatus, number>> }> {
  const now = ctx.now();
  const search = await searchOf(ctx, filter);
  const rest: Filter = { ...filter, statuses: undefined };
  const rows = await ctx.store.db
    .selectFrom('tickets')
    .select((eb) => ['tickets.status', eb.fn.countAll<number>().as('n')])
    .where((eb) => conditions(eb, rest, now, user, search))
    .groupBy('tickets.status')
    .execute();
  const byStatus: Partial<Record<TicketStatus, number>> = {};
  for (const r of rows) byStatus[r.status as TicketStatus] = Number(r.n);
  const total = filter.statuses?.length
    ? filter.statuses.reduce((n, st) => n + (byStatus[st] ?? 0), 0)
    : rows.reduce((n, r) => n + Number(r.n), 0);
  return { total, byStatus };
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
  const [events, attachments, negotiations, extensions, snap, alarm] = await Promise.all([
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
    alarmOf(db, id),
  ]);
  const { inFull, ...personal } = await personalForDetail(ctx, user, t);
  const latestRound = negotiations[0]?.round;
  return {
    ticket: {
      ...toRow(t),
      description: t.description,
      externalRef: t.external_ref,
      ...personal,
      revealAllowed: revealRefusal(user, t) === null,
      personalInFull: inFull,
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
      acceptedAt: t.accepted_at,
      version: t.version,
    },
    alarm,
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
