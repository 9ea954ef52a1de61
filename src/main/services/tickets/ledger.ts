// The ticket ledger: the lowest layer of the ticket feature. Reads a ticket's state-machine
// snapshot, appends timeline events, keeps the full-text row, checks references (catalog, unit,
// attachments) and announces changes. Commands, actions and coordination build on it; it imports
// none of them.

import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Actor, TicketAction, TicketSnapshot } from '../../../shared/domain/stateMachine';
import type { SlaUnit } from '../../../shared/domain/deadline';
import type { RunMode, TicketStatus } from '../../../shared/domain/ticket';
import { indexText } from '../../../shared/text/searchTokens';
import type { User } from '../../../shared/api/types';
import type { Database, TicketRecord } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { getSetting } from '../core/settings';
import { opActorOf, ticketBaseOf } from '../core/outbox';
import type { NewOp } from '../../../shared/sync/ops';

export type Trx = Transaction<Database>;

export function actorOf(user: User): Actor {
  return { userId: user.id, role: user.role, unitId: user.unitId };
}

export async function catalogItem(db: Kysely<Database> | Trx, id: string) {
  const c = await db.selectFrom('catalog').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new AppError('badCategory', '所选分类不存在', { detail: `catalog ${id} not found` });
  if (!c.is_leaf) throw new AppError('badCategory', '请选择最末一级分类', { detail: `catalog ${id} is not a leaf` });
  return c;
}

export async function requireUnit(db: Trx, id: string) {
  const u = await db.selectFrom('units').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst();
  if (!u || !u.active) throw new AppError('badUnit', '处置单位不存在或已停用', { detail: `unit ${id}` });
  return u;
}

export async function requireAttachments(db: Trx, shas: readonly string[]) {
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

export async function runMode(db: Kysely<Database> | Trx): Promise<RunMode> {
  return ((await getSetting(db, 'runMode')) as RunMode | undefined) ?? 'daily';
}

export function publishChange(ctx: NodeContext, id: string, status: string, action: string) {
  ctx.events.publish({ type: 'ticket.changed', id, status, action });
}

export function slaOf(c: { accept_within_hours: number; resolve_within: number; resolve_unit: string }) {
  return { acceptWithinHours: c.accept_within_hours, resolveWithin: c.resolve_within, resolveUnit: c.resolve_unit as SlaUnit };
}

/**
 * The op for a timeline entry a coordination feature writes on a ticket (whistle session, joint
 * review, merge target): `t` as loaded before the entry, `version` the ticket's version after it.
 */
export async function annotateOp(trx: Trx, user: User, t: TicketRecord, at: number, eventId: string, reason: string | null, data: Record<string, unknown>, version = t.version): Promise<NewOp> {
  const base = await ticketBaseOf(trx, t);
  return {
    entity: 'ticket',
    entityId: t.id,
    op: 'annotate',
    at,
    payload: { actor: await opActorOf(trx, user), eventId, status: t.status as TicketStatus, version, reason, data, ...(base ? { base } : {}) },
  };
}
