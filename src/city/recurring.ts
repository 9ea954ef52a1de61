// 专项治理 items at the city: each street's recurringItem ops (src/shared/sync/ops.ts), applied in
// the push's transaction after the ops are kept in entity_ops, so the city can list the streets'
// items, the tickets linked to each (with the reason) and their progress and closure.

import type { Transaction } from 'kysely';
import type { CityDatabase } from './db';
import type { TypedSyncOp } from '../shared/sync/ops';

type Trx = Transaction<CityDatabase>;
export type RecurringOp = Extract<TypedSyncOp, { entity: 'recurringItem' }>;

export async function applyRecurringOps(trx: Trx, street: string, ops: RecurringOp[]): Promise<void> {
  for (const o of ops) {
    const itemId = o.entityId;
    if (o.op === 'open') {
      const i = o.payload.item;
      await trx
        .insertInto('city_recurring_items')
        .values({
          id: i.id,
          street_code: street,
          code: i.code,
          title: i.title,
          category_id: i.categoryId,
          category_code: i.categoryCode,
          place: i.place,
          lon: i.lon,
          lat: i.lat,
          grid_id: i.gridId,
          rule: JSON.stringify(i.rule),
          lead_unit_id: i.leadUnitId,
          lead_unit_code: i.leadUnitCode,
          helper_unit_ids: JSON.stringify(i.helperUnitIds),
          deadline: String(i.deadline),
          status: 'open',
          root_cause: null,
          opened_by_name: o.payload.actor.name,
          opened_at: String(i.openedAt),
          closed_by_name: null,
          closed_at: null,
          updated_at: String(o.at),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const links = o.payload.links;
      for (let k = 0; k < links.length; k += 500)
        await trx
          .insertInto('city_recurring_links')
          .values(links.slice(k, k + 500).map((l) => ({ item_id: i.id, ticket_id: l.ticketId, street_code: street, reason: l.reason, auto: l.auto, linked_at: String(l.linkedAt) })))
          .onConflict((oc) => oc.columns(['item_id', 'ticket_id']).doNothing())
          .execute();
    } else if (o.op === 'link') {
      const l = o.payload.link;
      await trx
        .insertInto('city_recurring_links')
        .values({ item_id: itemId, ticket_id: l.ticketId, street_code: street, reason: l.reason, auto: l.auto, linked_at: String(l.linkedAt) })
        .onConflict((oc) => oc.columns(['item_id', 'ticket_id']).doNothing())
        .execute();
      await trx.updateTable('city_recurring_items').set({ updated_at: String(o.at) }).where('id', '=', itemId).where('street_code', '=', street).execute();
    } else if (o.op === 'note') {
      const n = o.payload.note;
      await trx
        .insertInto('city_recurring_notes')
        .values({ id: n.id, item_id: itemId, street_code: street, text: n.text, by_name: n.byName, at: String(n.at) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await trx.updateTable('city_recurring_items').set({ updated_at: String(o.at) }).where('id', '=', itemId).where('street_code', '=', street).execute();
    } else if (o.op === 'close') {
      await trx
        .updateTable('city_recurring_items')
        .set({ status: 'closed', root_cause: o.payload.rootCause, closed_at: String(o.payload.closedAt), closed_by_name: o.payload.actor.name, updated_at: String(o.at) })
        .where('id', '=', itemId)
        .where('street_code', '=', street)
        .execute();
    }
  }
}
