// The outbox: every change to data the city must receive is written here in the same SQLite
// transaction as the change itself (one row per operation, a unique time-ordered id), so the sync
// client can push it later and nothing is lost or applied twice.

import { v7 as uuidv7 } from 'uuid';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';

/** Entities whose changes travel to the city. */
export type OutboxEntity = 'ticket' | (string & {});

export async function appendOutbox(
  trx: Transaction<Database>,
  entity: OutboxEntity,
  entityId: string,
  op: string,
  at: number,
  payload: Record<string, unknown>,
): Promise<string> {
  const id = uuidv7();
  await trx
    .insertInto('outbox')
    .values({ id, entity, entity_id: entityId, op, payload: JSON.stringify(payload), created_at: at, acked_at: null })
    .execute();
  return id;
}
