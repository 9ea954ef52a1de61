// Open311's own tables (city migration 2): API keys (only a SHA-256 hash of each key is kept) and
// the Open311 side of every request filed through it. A request is tied to its city ticket by the
// ticket's external_ref (`open311:<token>`), written by the same 12345 dispatch transaction that
// creates the ticket — so a request row and its ticket can never point at different things.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { CityDatabase } from '../db';

export interface Open311KeysTable {
  id: string;
  name: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface Open311RequestsTable {
  token: string;
  external_ref: string;
  service_code: string;
  street_code: string;
  key_id: string;
  description: string | null;
  attributes: unknown;
  address_string: string | null;
  address_id: string | null;
  zipcode: string | null;
  email: string | null;
  device_id: string | null;
  account_id: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  media_url: string | null;
  lat: number | null;
  lon: number | null;
  requested_at: string;
  /** The dispatch waiting for a street that is not yet connected (null once dispatched). */
  held: unknown;
  delivered_at: string | null;
}

export type Open311Tables = {
  open311_keys: Open311KeysTable;
  open311_requests: Open311RequestsTable;
};

export type Open311Db = Kysely<CityDatabase & Open311Tables>;

export function open311Db(db: Kysely<CityDatabase>): Open311Db {
  return db.withTables<Open311Tables>();
}

export const hashKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

/** Creates an API key for a 311 client; returns the key itself, which is never stored. */
export async function createApiKey(db: Kysely<CityDatabase>, name: string, now = Date.now()): Promise<{ id: string; name: string; key: string }> {
  const clean = name.trim();
  if (!clean || clean.length > 100) throw new Error('the key name must be 1 to 100 characters');
  const key = `o311_${crypto.randomBytes(24).toString('base64url')}`;
  const id = uuidv7({ msecs: now });
  await open311Db(db).insertInto('open311_keys').values({ id, name: clean, key_hash: hashKey(key), created_at: String(now), revoked_at: null }).execute();
  return { id, name: clean, key };
}

/** The key's id and name when the key is known and not revoked. */
export async function checkApiKey(db: Kysely<CityDatabase>, key: string): Promise<{ id: string; name: string } | null> {
  if (!key || key.length > 200) return null;
  const r = await open311Db(db).selectFrom('open311_keys').select(['id', 'name']).where('key_hash', '=', hashKey(key)).where('revoked_at', 'is', null).executeTakeFirst();
  return r ?? null;
}

export const externalRefOf = (token: string) => `open311:${token}`;

/** Requests waiting for streets that are not yet connected (the city console lists them). */
export async function heldRequests(db: Kysely<CityDatabase>, limit = 100) {
  const rows = await open311Db(db)
    .selectFrom('open311_requests')
    .select(['token', 'street_code', 'service_code', 'description', 'address_string', 'requested_at'])
    .where('held', 'is not', null)
    .orderBy('requested_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ token: r.token, street: r.street_code, serviceCode: r.service_code, description: r.description, address: r.address_string, requestedAt: Number(r.requested_at) }));
}
