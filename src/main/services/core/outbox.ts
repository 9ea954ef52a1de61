// The outbox: every change to data the city must receive is written here in the same SQLite
// transaction as the change itself (one row per operation, a unique time-ordered id), so the sync
// client can push it later and nothing is lost or applied twice.
//
// Each row is one op of the catalogue (src/shared/sync/ops.ts), checked here before it is written,
// and carrying the facts the city needs that are known now (who acted and in which unit, category
// facts, unit codes, the ticket's status and version — and, for a ticket that predates the first
// sync, its whole state before the op). The helpers below collect those facts.

import { v7 as uuidv7 } from 'uuid';
import type { Transaction } from 'kysely';
import type { Database, TicketRecord } from '../../db/schema';
import type { User } from '../../../shared/api/types';
import { checkOp, type CategoryFacts, type NewOp, type OpActor, type TicketBase } from '../../../shared/sync/ops';
import type { Satisfaction, TicketStatus } from '../../../shared/domain/ticket';

type Trx = Transaction<Database>;

/** Writes one op (validated against the catalogue) in the caller's transaction; returns its id. */
export async function appendOutbox(trx: Trx, op: NewOp): Promise<string> {
  const c = checkOp(op);
  // A malformed op is a bug in the code that built it: fail the whole transaction, loudly.
  if (!c.ok) throw new Error(`outbox: refusing a malformed op (${c.reason})`);
  const id = uuidv7();
  await trx
    .insertInto('outbox')
    .values({ id, entity: op.entity, entity_id: op.entityId, op: op.op, payload: JSON.stringify(c.op.payload), created_at: op.at, acked_at: null })
    .execute();
  return id;
}

/** The acting user as the op records them (their unit by code). */
export async function opActorOf(trx: Trx, user: User): Promise<OpActor> {
  if (user.role === 'system' || !user.id) return { userId: user.id || 'system', name: user.displayName || '系统', role: 'system', unitCode: null };
  return { userId: user.id, name: user.displayName, role: user.role, unitCode: (await unitCodesOf(trx, [user.unitId]))[0] ?? null };
}

/** Unit codes for unit ids, in order (null for none or an unknown id). */
export async function unitCodesOf(trx: Trx, ids: ReadonlyArray<string | null | undefined>): Promise<Array<string | null>> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (!want.length) return ids.map(() => null);
  const rows = await trx.selectFrom('units').select(['id', 'code']).where('id', 'in', want).execute();
  const m = new Map(rows.map((r) => [r.id, r.code]));
  return ids.map((x) => (x ? (m.get(x) ?? null) : null));
}

/** A category's facts (its catalog code, consultation/micro flags); `isMicro` as filed overrides the catalog's. */
export async function categoryFactsOf(trx: Trx, categoryId: string | null | undefined, isMicro?: boolean): Promise<CategoryFacts | undefined> {
  if (!categoryId) return undefined;
  const c = await trx.selectFrom('catalog').select(['code', 'is_consultation', 'is_micro']).where('id', '=', categoryId).executeTakeFirst();
  if (!c) return undefined;
  return { hasCategory: true, isConsultation: !!c.is_consultation, isMicro: isMicro ?? !!c.is_micro, categoryCode: c.code };
}

/** Who the city's own dispatches are created by on the street (src/main/sync/feedApply.ts). */
export const CITY_CREATOR_ID = 'city';

/**
 * The ticket's state before an op, when the city may not have the ticket: it was not created
 * through the outbox (it predates the first sync) and did not come from the city. Undefined
 * otherwise — the city knows the ticket from its `create` op or its own dispatch.
 */
export async function ticketBaseOf(trx: Trx, t: TicketRecord): Promise<TicketBase | undefined> {
  if (t.created_by === CITY_CREATOR_ID) return undefined;
  const created = await trx.selectFrom('outbox').select('id').where('entity', '=', 'ticket').where('entity_id', '=', t.id).where('op', '=', 'create').limit(1).executeTakeFirst();
  if (created) return undefined;
  const [unitCode] = await unitCodesOf(trx, [t.unit_id]);
  const cat = t.category_id ? await trx.selectFrom('catalog').select(['code', 'is_consultation']).where('id', '=', t.category_id).executeTakeFirst() : undefined;
  return {
    status: t.status as TicketStatus,
    version: t.version,
    code: t.code,
    unitCode: unitCode ?? null,
    channel: t.channel,
    type: t.type,
    description: t.description,
    address: t.address,
    lon: t.lon,
    lat: t.lat,
    externalRef: t.external_ref,
    reporterName: t.reporter_name,
    reporterPhone: t.reporter_phone,
    result: t.result,
    satisfaction: (t.satisfaction as Satisfaction | null) ?? null,
    createdAt: t.created_at,
    facts: {
      hasCategory: !!t.category_id,
      isConsultation: !!cat?.is_consultation || t.type === 'consultation',
      isMicro: !!t.is_micro,
      callbackPossible: !!t.reporter_phone,
      reportedBy: t.created_by,
      categoryCode: cat?.code ?? null,
    },
  };
}
