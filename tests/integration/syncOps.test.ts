// The op catalogue at both ends of real HTTPS sync (city on PGlite, or PostgreSQL with
// CITY_TEST_PG_URL): the city refuses a malformed op with a reason and changes nothing; the street
// never sends one (it becomes a local conflict); outbox rows written before the catalogue (by an
// earlier street node, for a ticket that predates the first sync) are brought up to it and push.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture';
import { PG_URL, type TestCity } from '../support/city';
import { openSyncWorld, STREET, ticketInput, type SyncWorld } from '../support/syncWorld';
import { SyncClient } from '../../src/main/sync/client';
import { HttpsJson } from '../../src/city/client';
import type { PushResponse } from '../../src/shared/sync/protocol';

let w: SyncWorld;
let f: Fixture;
let city: TestCity;
let client: SyncClient | null;

function newClient() {
  client = w.client();
  return client;
}

/** Everything the city holds for the street that an op could change. */
async function cityState() {
  const db = city.server.db.db;
  const n = async (t: 'city_tickets' | 'city_ticket_events' | 'entity_ops') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    applied: await city.server.svc.appliedCount(STREET),
    tickets: await db.selectFrom('city_tickets').select(['id', 'status', 'version', 'unit_code', 'updated_at']).orderBy('id').execute(),
    events: await n('city_ticket_events'),
    entityOps: await n('entity_ops'),
    street: await db.selectFrom('streets').select(['last_applied_seq', 'last_applied_op', 'applied_count']).where('code', '=', STREET).executeTakeFirstOrThrow(),
  };
}

beforeEach(async () => {
  w = await openSyncWorld();
  ({ f, city } = w);
  client = null;
});
afterEach(async () => {
  await w.close();
});

describe(`the op catalogue at both ends (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('the city refuses a malformed op with the reason, applies nothing of it, and holds later ops on its entity', async () => {
    await f.as('operator')('tickets.create', ticketInput);
    await newClient().syncOnce();
    const tid = (await city.server.svc.streetTickets(STREET))[0]!.id;
    const before = await cityState();
    const h = new HttpsJson(city.server.url, city.credential(STREET), { 'x-street-code': STREET });
    const op = (n: number, o: Record<string, unknown>) => ({ id: `01999999-0000-7000-8000-00000000000${n}`, seq: 100 + n, entityId: tid, at: Date.now(), ...o });
    const resp = await h.json<PushResponse>('POST', '/sync/v1/push', {
      ops: [
        // No actor, and a status that does not exist.
        op(1, { entity: 'ticket', op: 'cancel', payload: { input: { action: 'cancel', id: tid, reason: '作废重复件' }, eventId: 'e1', from: 'registered', to: 'gone', version: 2 } }),
        // A well-formed op behind it on the same ticket waits.
        op(2, { entity: 'ticket', op: 'cancel', payload: { input: { action: 'cancel', id: tid, reason: '作废重复件' }, eventId: 'e2', from: 'registered', to: 'cancelled', version: 2, actor: { userId: 'user-op', name: '王受理', role: 'operator', unitCode: null } } }),
        op(3, { entity: 'spaceship', op: 'launch', payload: {} }),
      ],
    });
    h.close();
    expect(resp.results[0]).toMatchObject({ status: 'rejected', code: 'malformedOp' });
    expect(resp.results[0]!.reason).toMatch(/ticket\.cancel: .*to.*actor|ticket\.cancel: .*actor/s);
    expect(resp.results[1]).toMatchObject({ status: 'deferred' });
    expect(resp.results[2]).toMatchObject({ status: 'rejected', code: 'malformedOp', reason: expect.stringContaining('unknown operation spaceship.launch') });
    expect(await cityState()).toEqual(before);
    const refused = await city.server.db.db.selectFrom('rejected_ops').select(['op_id', 'code', 'reason']).orderBy('op_id').execute();
    expect(refused.map((r) => r.code)).toEqual(['malformedOp', 'malformedOp']);
    expect((await city.server.svc.ticket(tid))!.status).toBe('registered');
  });

  it('the street never sends a malformed row: it becomes a local conflict with the reason, other entities still push', async () => {
    const op = f.as('operator');
    const a = (await op('tickets.create', ticketInput)).ticket;
    const b = (await op('tickets.create', { ...ticketInput, description: '经八路3号路灯不亮，影响夜间出行' })).ticket;
    // Corrupt a's create row (as a damaged store or a bug would).
    const row = await f.ctx.store.db.selectFrom('outbox').select(['id', 'payload']).where('entity_id', '=', a.id).executeTakeFirstOrThrow();
    const p = JSON.parse(row.payload);
    p.ticket.status = 'closed';
    await f.ctx.store.db.updateTable('outbox').set({ payload: JSON.stringify(p) }).where('id', '=', row.id).execute();
    await op('tickets.act', { action: 'dispatch', id: a.id, mode: 'oneClick' });
    const r = await newClient().syncOnce();
    // b's create, and the audited login (audit entries travel like every synced entity).
    expect(r.pushed).toBe(1 + Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('entity', '=', 'audit').executeTakeFirstOrThrow()).n));
    const conflicts = await f.ctx.store.db.selectFrom('sync_conflicts').select(['op_id', 'code', 'reason', 'entity_id']).execute();
    expect(conflicts).toEqual([{ op_id: row.id, code: 'malformedOp', entity_id: a.id, reason: expect.stringContaining('ticket.status') }]);
    const remote = await city.server.svc.streetTickets(STREET);
    expect(remote.map((t) => t.id)).toEqual([b.id]);
    // a's dispatch waits behind its create.
    expect(await f.ctx.store.db.selectFrom('outbox').select('op').where('entity_id', '=', a.id).where('acked_at', 'is', null).orderBy('seq').execute()).toEqual([{ op: 'create' }, { op: 'dispatch' }]);
  });

  it('rows written before the catalogue, for a ticket from before the first sync, still push and the city adopts the ticket', async () => {
    const op = f.as('operator');
    const t = (await op('tickets.create', ticketInput)).ticket;
    // The ticket predates the first sync (no create op queued), and the ops on it were written by
    // the previous street node: the acting user's id only — no actor, facts, unit codes or base.
    await f.ctx.store.db.deleteFrom('outbox').execute();
    await op('reviews.open', { ticketId: t.id, dimensions: ['department'], question: '井盖权属不清，城管与住建均称非本单位', unitIds: ['u1', 'u2'] });
    await op('tickets.act', { action: 'dispatch', id: t.id, mode: 'designated', unitId: 'u1' });
    await f.as('cg')('tickets.act', { action: 'accept', id: t.id });
    // (The unit's login is audited: its audit entry is left out here.)
    const rows = await f.ctx.store.db.selectFrom('outbox').select(['id', 'entity', 'op', 'payload']).where('entity', '!=', 'audit').orderBy('seq').execute();
    expect(rows.map((r) => `${r.entity}.${r.op}`)).toEqual(['ticket.annotate', 'review.open', 'ticket.dispatch', 'ticket.accept']);
    for (const r of rows) {
      const rest = JSON.parse(r.payload);
      const { actor, version } = rest;
      for (const k of ['actor', 'facts', 'base', 'unitCode', 'candidateUnitCodes', 'status', 'version']) delete rest[k];
      const legacy = r.op === 'annotate' ? { ...rest, by: actor.userId } : { ...rest, ...(version != null ? { version } : {}), by: actor.userId };
      await f.ctx.store.db.updateTable('outbox').set({ op: r.op === 'annotate' ? 'note' : r.op, payload: JSON.stringify(legacy) }).where('id', '=', r.id).execute();
    }
    const res = await newClient().syncOnce();
    // The four legacy rows and the unit's audited login.
    expect(res).toMatchObject({ pushed: 4 + Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('entity', '=', 'audit').executeTakeFirstOrThrow()).n), rejected: 0 });
    expect(await f.ctx.store.db.selectFrom('sync_conflicts').selectAll().execute()).toEqual([]);
    const c = (await city.server.svc.ticket(t.id))!;
    const local = await f.ctx.store.db.selectFrom('tickets').select(['status', 'version']).where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ status: 'accepted', version: local.version, unitCode: 'CG', code: t.code, description: ticketInput.description });
    expect(c.events.map((e) => e.action)).toEqual(['note', 'dispatch', 'accept']);
    // The review (a non-ticket entity) is kept with its actor looked up from the user id.
    const kept = await city.server.db.db.selectFrom('entity_ops').select(['entity', 'payload']).where('entity', '!=', 'audit').execute();
    expect(kept).toHaveLength(1);
    const payload = typeof kept[0]!.payload === 'string' ? JSON.parse(kept[0]!.payload) : kept[0]!.payload;
    expect(payload.actor).toEqual({ userId: 'user-operator', name: expect.any(String), role: 'operator', unitCode: null });
  });

  it('an op on a ticket from before the first sync carries the ticket’s state, written when the op was', async () => {
    const op = f.as('operator');
    const t = (await op('tickets.create', ticketInput)).ticket;
    await f.ctx.store.db.deleteFrom('outbox').execute();
    await op('tickets.act', { action: 'dispatch', id: t.id, mode: 'designated', unitId: 'u1' });
    const row = await f.ctx.store.db.selectFrom('outbox').select('payload').executeTakeFirstOrThrow();
    expect(JSON.parse(row.payload)).toMatchObject({
      actor: { userId: 'user-operator', role: 'operator', unitCode: null },
      from: 'registered',
      to: 'dispatched',
      unitCode: 'CG',
      base: { status: 'registered', version: 1, code: t.code, facts: { categoryCode: 'c12', hasCategory: true } },
    });
    await newClient().syncOnce();
    expect((await city.server.svc.ticket(t.id))!).toMatchObject({ status: 'dispatched', unitCode: 'CG' });
  });
});
