// The push half of sync on the street: read pending outbox operations in order (holding back
// any whose entity has an open conflict), add what the city needs to judge them (who acted, in
// which role and unit; category facts; unit codes), and record the city's answer in one transaction.

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { OpResult, PushResponse, SyncOp } from '../../shared/sync/protocol';

type Db = Kysely<Database>;

export async function pendingCount(db: Db): Promise<number> {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('acked_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The next pending operations, oldest first, enriched for the city. */
export async function readPending(db: Db, limit: number): Promise<SyncOp[]> {
  const rows = await db
    .selectFrom('outbox as o')
    .selectAll('o')
    .where('o.acked_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sync_conflicts as c')
            .select('c.op_id')
            .where('c.resolved_at', 'is', null)
            .whereRef('c.entity', '=', 'o.entity')
            .whereRef('c.entity_id', '=', 'o.entity_id'),
        ),
      ),
    )
    .orderBy('o.seq')
    .limit(limit)
    .execute();
  const ops: SyncOp[] = rows.map((r) => ({ id: r.id, seq: r.seq, entity: r.entity, entityId: r.entity_id, op: r.op, at: r.created_at, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  await enrich(db, ops);
  return ops;
}

const uniq = <T>(xs: Array<T | null | undefined>): T[] => [...new Set(xs.filter((x): x is T => x != null))];

async function byIds<T extends { id: string }>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<Map<string, T>> {
  const m = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) for (const r of await load(ids.slice(i, i + 500))) m.set(r.id, r);
  return m;
}

async function enrich(db: Db, ops: SyncOp[]): Promise<void> {
  const ticketOps = ops.filter((o) => o.entity === 'ticket');
  if (!ticketOps.length) return;
  const inputOf = (o: SyncOp) => (o.payload.input ?? {}) as Record<string, unknown>;
  const users = await byIds(uniq(ticketOps.map((o) => o.payload.by as string | undefined)), (ids) =>
    db.selectFrom('users').select(['id', 'role', 'unit_id', 'display_name']).where('id', 'in', ids).execute(),
  );
  const events = await byIds(uniq(ticketOps.map((o) => o.payload.eventId as string | undefined)), (ids) =>
    db.selectFrom('ticket_events').select(['id', 'unit_id', 'to_status']).where('id', 'in', ids).execute(),
  );
  const categoryIds = uniq(ticketOps.flatMap((o) => [inputOf(o).categoryId as string | undefined, (o.payload.ticket as any)?.categoryId as string | undefined]));
  const cats = await byIds(categoryIds, (ids) => db.selectFrom('catalog').select(['id', 'code', 'is_consultation', 'is_micro']).where('id', 'in', ids).execute());
  const unitIds = uniq([
    ...[...users.values()].map((u) => u.unit_id),
    ...[...events.values()].map((e) => e.unit_id),
    ...ticketOps.flatMap((o) => (inputOf(o).candidateUnitIds as string[] | undefined) ?? []),
  ]);
  const units = await byIds(unitIds, (ids) => db.selectFrom('units').select(['id', 'code']).where('id', 'in', ids).execute());
  const code = (id: string | null | undefined) => (id ? (units.get(id)?.code ?? null) : null);
  // Tickets that predate sync (no `create` in the outbox) travel with their state before the op,
  // so the city can adopt them.
  const ticketIds = uniq(ticketOps.filter((o) => o.op !== 'create').map((o) => o.entityId));
  const created = new Set<string>();
  for (let i = 0; i < ticketIds.length; i += 500) {
    const r = await db.selectFrom('outbox').select('entity_id').where('entity', '=', 'ticket').where('op', '=', 'create').where('entity_id', 'in', ticketIds.slice(i, i + 500)).execute();
    for (const x of r) created.add(x.entity_id);
  }
  const needBase = ticketIds.filter((id) => !created.has(id));
  const tickets = await byIds(needBase, (ids) => db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute());
  const baseCats = await byIds(uniq([...tickets.values()].map((t) => t.category_id)), (ids) => db.selectFrom('catalog').select(['id', 'code', 'is_consultation', 'is_micro']).where('id', 'in', ids).execute());
  const baseUnits = await byIds(uniq([...tickets.values()].map((t) => t.unit_id)), (ids) => db.selectFrom('units').select(['id', 'code']).where('id', 'in', ids).execute());
  const baseDone = new Set<string>();

  for (const o of ticketOps) {
    const p = o.payload;
    const u = users.get(p.by as string);
    p.actor = u
      ? { userId: u.id, role: u.role, unitCode: code(u.unit_id), name: u.display_name }
      : { userId: String(p.by ?? 'system'), role: 'system', unitCode: null };
    const input = inputOf(o);
    const catId = (input.categoryId as string | undefined) ?? ((p.ticket as any)?.categoryId as string | undefined);
    const cat = catId ? cats.get(catId) : undefined;
    if (cat) p.facts = { hasCategory: true, isConsultation: !!cat.is_consultation, isMicro: input.isMicro !== undefined ? !!input.isMicro : !!cat.is_micro, categoryCode: cat.code };
    if (o.op === 'dispatch') {
      const ev = events.get(p.eventId as string);
      p.unitCode = code(ev?.unit_id);
      p.candidateUnitCodes = ((input.candidateUnitIds as string[] | undefined) ?? []).map((id) => code(id)).filter(Boolean);
    }
    const t = tickets.get(o.entityId);
    if (t && !baseDone.has(o.entityId)) {
      // Only the first op of the batch on such a ticket needs the base; the rest follow it.
      baseDone.add(o.entityId);
      const bc = t.category_id ? baseCats.get(t.category_id) : undefined;
      const at = typeof p.from === 'string' ? { status: p.from, version: typeof p.version === 'number' ? p.version - 1 : t.version } : await stateBefore(db, o, t, events.get(p.eventId as string)?.to_status);
      p.base = {
        status: at.status,
        version: at.version,
        code: t.code,
        unitCode: t.unit_id ? (baseUnits.get(t.unit_id)?.code ?? null) : null,
        channel: t.channel,
        type: t.type,
        description: t.description,
        address: t.address,
        lon: t.lon,
        lat: t.lat,
        externalRef: t.external_ref,
        reporterName: t.reporter_name,
        reporterPhone: t.reporter_phone,
        createdAt: t.created_at,
        facts: { hasCategory: !!t.category_id, isConsultation: !!bc?.is_consultation || t.type === 'consultation', isMicro: !!t.is_micro, callbackPossible: !!t.reporter_phone, reportedBy: t.created_by, categoryCode: bc?.code ?? null },
      };
    }
  }
}

/**
 * The ticket's status and version just before an op that does not carry them (a note written by a
 * whistle session or a joint review changes neither): the status from its timeline event, the
 * version from the next op on the ticket that carries one (or the ticket's version if none does).
 */
async function stateBefore(db: Db, o: SyncOp, t: { status: string; version: number }, eventStatus: string | undefined): Promise<{ status: string; version: number }> {
  const later = await db
    .selectFrom('outbox')
    .select('payload')
    .where('entity', '=', 'ticket')
    .where('entity_id', '=', o.entityId)
    .where('seq', '>', o.seq)
    .orderBy('seq')
    .execute();
  for (const r of later) {
    const q = JSON.parse(r.payload) as { version?: unknown; from?: unknown };
    if (typeof q.version === 'number') return { status: eventStatus ?? (typeof q.from === 'string' ? q.from : t.status), version: q.version - 1 };
  }
  return { status: eventStatus ?? t.status, version: t.version };
}

/** Records the city's answer: acknowledged ops are marked, refused ones become conflicts. */
export async function recordPushResults(db: Db, ops: SyncOp[], resp: PushResponse, now: number): Promise<{ acked: number; rejected: number; deferred: number }> {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const acked: string[] = [];
  const rejected: OpResult[] = [];
  let deferred = 0;
  for (const r of resp.results) {
    if (!byId.has(r.id)) continue;
    if (r.status === 'applied' || r.status === 'duplicate') acked.push(r.id);
    else if (r.status === 'rejected') rejected.push(r);
    else deferred++;
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < acked.length; i += 500)
      await trx.updateTable('outbox').set({ acked_at: now }).where('id', 'in', acked.slice(i, i + 500)).where('acked_at', 'is', null).execute();
    for (const r of rejected) {
      const o = byId.get(r.id)!;
      const row = { op_id: o.id, entity: o.entity, entity_id: o.entityId, op: o.op, code: r.code ?? 'rejected', reason: r.reason ?? '市级拒绝了该操作', city_state: r.cityState ? JSON.stringify(r.cityState) : null, created_at: now, resolved_at: null, resolution: null, resolution_reason: null, resolved_by: null };
      await trx.insertInto('sync_conflicts').values(row).onConflict((oc) => oc.column('op_id').doUpdateSet({ code: row.code, reason: row.reason, city_state: row.city_state, created_at: now, resolved_at: null, resolution: null, resolution_reason: null, resolved_by: null })).execute();
    }
  });
  return { acked: acked.length, rejected: rejected.length, deferred };
}
