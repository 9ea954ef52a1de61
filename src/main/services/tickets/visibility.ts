// Personal data on a need-to-know basis: the one rule for which tickets a user sees and how a
// citizen's name and phone number are shown. Every API that returns ticket data goes through it —
// the ticket list and detail, search, the map's points and panels, duplicate candidates, sync
// conflicts.
//
// Which tickets:
//   operator, leader   every ticket of the street
//   unit               tickets dispatched or offered to its unit (and, in the detail, ones it once handled)
//   gridOfficer        tickets in their own grids (grids they are a member of or assigned to, and
//                      every grid below those), and tickets they filed themselves
//   admin              none: the administrator runs accounts and settings, not cases
// Personal data (reporter name and phone):
//   masked for everyone (张* / 138****1234). Operators and leaders see it in full by pressing 查看
//   on a ticket (tickets.revealPersonal). A unit sees it in full in the detail of its own ticket
//   while it is in progress (accepted) — it has to reach the citizen — and masked everywhere else.
//   Every full view is written to the audit log (a unit's automatic one at most once an hour per
//   ticket, so a detail page refreshing itself does not flood the log).

import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { maskName, maskPhone } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { Database } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendAudit } from '../audit/auditLog';

type EB = ExpressionBuilder<Database, 'tickets'>;

/** Grids a grid officer answers for (membership or assignment) and every grid below them. */
function officerGrids(userId: string) {
  return sql<string>`(WITH RECURSIVE own(id) AS (
      SELECT gm.grid_id FROM grid_members gm JOIN users u ON u.staff_id = gm.staff_id WHERE u.id = ${userId}
      UNION SELECT s.grid_id FROM staff s JOIN users u ON u.staff_id = s.id WHERE u.id = ${userId} AND s.grid_id IS NOT NULL
      UNION SELECT g.id FROM grids g JOIN own ON g.parent_id = own.id)
    SELECT id FROM own)`;
}

/** The WHERE restriction of what the user may see, or null for every ticket. */
export function ticketScope(eb: EB, user: User): Expression<SqlBool> | null {
  switch (user.role) {
    case 'operator':
    case 'leader':
      return null;
    case 'unit': {
      const unitId = user.unitId ?? '';
      return eb.or([
        eb('tickets.unit_id', '=', unitId),
        // Offered in a negotiated dispatch that is still open.
        eb.and([
          eb('tickets.status', '=', 'dispatched'),
          eb('tickets.id', 'in', eb.selectFrom('ticket_negotiations').select('ticket_id').where('unit_id', '=', unitId).where('response', '=', 'pending')),
        ]),
      ]);
    }
    case 'gridOfficer':
      return eb.or([eb('tickets.grid_id', 'in', officerGrids(user.id)), eb('tickets.created_by', '=', user.id)]);
    default:
      // admin, system: no ticket data.
      return sql<SqlBool>`0`;
  }
}

/** The ids of the tickets the user may see, as a subquery for queries over an aliased ticket table (null: all). */
export function visibleTicketIds(db: NodeContext['store']['db'], user: User) {
  if (user.role === 'operator' || user.role === 'leader') return null;
  return db.selectFrom('tickets').select('tickets.id').where((eb) => ticketScope(eb, user) ?? sql<SqlBool>`1`);
}

/** Throws unless the user may see this ticket (the detail view; units also see tickets they once handled). */
export async function assertTicketVisible(ctx: NodeContext, user: User, id: string): Promise<void> {
  const db = ctx.store.db;
  const visible = await db
    .selectFrom('tickets')
    .select('id')
    .where('id', '=', id)
    .where((eb) => ticketScope(eb, user) ?? sql<SqlBool>`1`)
    .executeTakeFirst();
  if (visible) return;
  if (user.role === 'unit') {
    const handled = await db.selectFrom('ticket_events').select('id').where('ticket_id', '=', id).where('unit_id', '=', user.unitId ?? '').executeTakeFirst();
    if (handled) return;
    throw new AppError('forbidden', '无权查看该工单（未派给本单位）', { detail: `unit ${user.unitId} may not see ticket ${id}` });
  }
  throw new AppError('forbidden', user.role === 'gridOfficer' ? '无权查看该工单（不在您负责的网格内）' : '无权查看工单', { detail: `${user.role} ${user.username} may not see ticket ${id}` });
}

export interface Personal {
  reporterName: string | null;
  reporterPhone: string | null;
}

/** The masked form every response carries by default. */
export function maskPersonal(p: Personal): Personal {
  return { reporterName: maskName(p.reporterName), reporterPhone: maskPhone(p.reporterPhone) };
}

/** Masks reporterName/reporterPhone wherever they appear in a record, nested ones too (sync ops, the city's state). */
export function maskPersonalFields<T>(v: T, depth = 0): T {
  if (!v || typeof v !== 'object' || depth > 6) return v;
  if (Array.isArray(v)) return v.map((x: unknown) => maskPersonalFields(x, depth + 1)) as T;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'reporterName' && typeof x === 'string') o[k] = maskName(x);
    else if (k === 'reporterPhone' && typeof x === 'string') o[k] = maskPhone(x);
    else o[k] = maskPersonalFields(x, depth + 1);
  }
  return o as T;
}

/** Why this user may not see the ticket's personal data in full, or null when they may. */
export function revealRefusal(user: User, t: { unit_id: string | null; status: string }): string | null {
  if (user.role === 'operator' || user.role === 'leader') return null;
  if (user.role === 'unit') {
    if (t.unit_id !== user.unitId) return '该工单不是本单位在办的工单，不能查看来电人信息';
    if (t.status !== 'accepted') return '只有本单位处置中的工单才能查看来电人信息';
    return null;
  }
  return '您的角色无权查看来电人信息';
}

/** 查看: the reporter's name and phone in full, for those who need them, audited. */
export async function revealPersonal(ctx: NodeContext, user: User, id: string): Promise<Personal> {
  const t = await ctx.store.db.selectFrom('tickets').select(['id', 'code', 'unit_id', 'status', 'reporter_name', 'reporter_phone']).where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound('工单', id);
  await assertTicketVisible(ctx, user, id);
  const refused = revealRefusal(user, t);
  if (refused) throw new AppError('forbiddenRole', refused, { detail: `${user.role} ${user.username} may not reveal personal data of ${t.code}` });
  await recordPersonalView(ctx, user, t, false);
  return { reporterName: t.reporter_name, reporterPhone: t.reporter_phone };
}

const AUTOMATIC_VIEW_EVERY_MS = 3_600_000;

type ViewedTicket = { id: string; code: string; reporter_name: string | null; reporter_phone: string | null };

/** Writes a full view of a ticket's personal data to the audit log (an automatic one at most hourly). */
async function recordPersonalView(ctx: NodeContext, user: User, t: ViewedTicket, automatic: boolean): Promise<void> {
  const now = ctx.now();
  if (automatic) {
    const recent = await ctx.store.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'personal.view')
      .where('at', '>', now - AUTOMATIC_VIEW_EVERY_MS)
      .where('actor_id', '=', user.id)
      .where('target', '=', t.code)
      .executeTakeFirst();
    if (recent) return;
  }
  await appendAudit(ctx.store.db, now, {
    actor: { id: user.id, name: `${user.displayName}（${user.username}）`, role: user.role },
    action: 'personal.view',
    target: t.code,
    detail: { ticketId: t.id, fields: ['reporterName', 'reporterPhone'].filter((f) => (f === 'reporterName' ? t.reporter_name : t.reporter_phone) != null), ...(automatic ? { automatic: true } : {}) },
  });
}

/**
 * The personal data a ticket's detail shows this user: in full for a unit on its own ticket in
 * progress (audited), masked for everyone else (operators and leaders press 查看).
 */
export async function personalForDetail(ctx: NodeContext, user: User, t: ViewedTicket & { unit_id: string | null; status: string }): Promise<Personal & { inFull: boolean }> {
  if (user.role === 'unit' && revealRefusal(user, t) === null && (t.reporter_name != null || t.reporter_phone != null)) {
    await recordPersonalView(ctx, user, t, true);
    return { reporterName: t.reporter_name, reporterPhone: t.reporter_phone, inFull: true };
  }
  return { ...maskPersonal({ reporterName: t.reporter_name, reporterPhone: t.reporter_phone }), inFull: false };
}
