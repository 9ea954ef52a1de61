// A new ticket that matches an open 专项治理 item is linked to it in the ticket's own filing
// transaction — or, for a report filed without a category, in the transaction of the register or
// classify action that gives it one — with the reason: the item keeps the mining rule it was opened with (leaf category,
// the anchor's place, radius or grid, text similarity to the anchor's description), and
// `samePlaceProblem` (src/shared/recurring/rules.ts) judges the ticket exactly as the mining does.

import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { appendOutbox } from '../core/outbox';
import { SYSTEM_ACTOR } from '../../../shared/sync/ops';
import { samePlaceProblem, textProfile, type PlaceMode } from '../../../shared/recurring/rules';

export interface LinkedItem {
  itemId: string;
  code: string;
  title: string;
  reason: string;
}

interface NewTicket {
  id: string;
  categoryId: string | null;
  address: string;
  lon: number | null;
  lat: number | null;
  gridId: string | null;
  description: string;
}

/** Links the ticket to every open item whose rule it matches; returns the links made. */
export async function linkToOpenItems(trx: Transaction<Database>, t: NewTicket, at: number): Promise<LinkedItem[]> {
  if (!t.categoryId) return [];
  const items = await trx
    .selectFrom('recurring_items')
    .select(['id', 'code', 'title', 'category_id', 'place', 'lon', 'lat', 'grid_id', 'anchor_text', 'place_mode', 'radius_m', 'min_similarity'])
    .where('status', '=', 'open')
    .where('category_id', '=', t.categoryId)
    .execute();
  if (!items.length) return [];
  const problem = { categoryId: t.categoryId, address: t.address, lon: t.lon, lat: t.lat, gridId: t.gridId, text: textProfile(t.description) };
  const out: LinkedItem[] = [];
  for (const i of items) {
    const reason = samePlaceProblem(
      { categoryId: i.category_id, address: i.place, lon: i.lon, lat: i.lat, gridId: i.grid_id, text: textProfile(i.anchor_text) },
      problem,
      { place: i.place_mode as PlaceMode, radiusM: i.radius_m, minSimilarity: i.min_similarity },
    );
    if (!reason) continue;
    const ins = await trx.insertInto('recurring_item_tickets').values({ item_id: i.id, ticket_id: t.id, reason, auto: 1, linked_at: at }).onConflict((oc) => oc.doNothing()).returning('ticket_id').executeTakeFirst();
    if (!ins) continue; // already linked
    await appendOutbox(trx, { entity: 'recurringItem', entityId: i.id, op: 'link', at, payload: { actor: SYSTEM_ACTOR, link: { ticketId: t.id, reason, auto: true, linkedAt: at } } });
    await trx.updateTable('recurring_items').set({ updated_at: at }).where('id', '=', i.id).execute();
    out.push({ itemId: i.id, code: i.code, title: i.title, reason });
  }
  return out;
}
