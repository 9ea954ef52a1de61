// A run of tickets inserted in bulk (src/main/db/bulkTicketInserts.ts: the insert triggers stand
// aside and their rows are added grouped) leaves exactly what inserting them one by one leaves: the
// same daily roll-ups, the same 旬 versions and the same 一批事 change log, with the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createFixture, type Fixture } from '../support/fixture';
import { insertTicketsInBulk } from '../../src/main/db/bulkTicketInserts';

const T0 = Date.parse('2026-09-01T00:00:00+08:00');
const DAY = 86_400_000;

let one: Fixture;
let bulk: Fixture;
beforeAll(async () => {
  one = await createFixture();
  bulk = await createFixture();
});
afterAll(async () => {
  await one?.close();
  await bulk?.close();
});

function tickets(from: number, n: number) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const created = T0 + ((i * 7919) % 90) * DAY + (i % 24) * 3600_000;
    const resolved = i % 3 === 0 ? created + ((i % 5) + 1) * DAY : null;
    return {
      id: `b${i}`, code: `JB${String(i).padStart(6, '0')}`, channel: ['hotline12345', 'gridPatrol', 'videoAi'][i % 3]!, external_ref: null, reporter_name: null, reporter_phone: null,
      type: 'complaint', description: `批量 ${i}`, address: '体育路', lon: null, lat: null, grid_id: [null, 'g3', 'g2'][i % 3]!, category_id: [null, 'c11', 'c12', 'c21'][i % 4]!,
      ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: null, urgency: 'normal', is_micro: i % 5 === 0 ? 1 : 0, is_cross_boundary: 0,
      status: resolved ? 'resolved' : ['registered', 'dispatched', 'cancelled'][i % 3]!, unit_id: [null, 'u1', 'u2'][i % 3]!, dispatch_mode: null,
      accept_deadline: created + 2 * 3600_000, resolve_deadline: i % 4 ? created + 3 * DAY : null, supervision_level: 0, satisfaction: null, result: null,
      merged_into: null, parent_id: null, reopen_count: i % 7 === 0 ? 1 : 0, return_count: 0, created_by: null, created_at: created, updated_at: created,
      dispatched_at: null, accepted_at: i % 2 ? created + 3600_000 : null, resolved_at: resolved, closed_at: null, version: 1,
      first_dispatch_at: i % 3 ? created + 600_000 : null, first_resolve_at: resolved, first_resolve_role: resolved ? 'unit' : null,
    };
  });
}

async function derived(f: Fixture) {
  const db = f.ctx.store.db;
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    daily: await q('SELECT * FROM stats_daily ORDER BY dim, day, key'),
    parts: await q('SELECT part, v FROM stats_part_versions ORDER BY part'),
    changes: await q('SELECT ticket_id, seq FROM recurring_changes ORDER BY seq'),
  };
}

describe('bulk ticket inserts', () => {
  it('leave the same roll-ups, 旬 versions and change log as one-by-one inserts', async () => {
    // Both stores start from one ticket inserted the ordinary way, so the runs add to existing rows.
    for (const f of [one, bulk]) await f.ctx.store.db.insertInto('tickets').values(tickets(0, 1)).execute();
    for (const [from, n] of [[1, 40], [41, 1], [42, 25]] as const) {
      const rows = tickets(from, n);
      await one.ctx.store.db.transaction().execute(async (trx) => {
        for (const r of rows) await trx.insertInto('tickets').values(r).execute();
      });
      await bulk.ctx.store.db.transaction().execute((trx) => insertTicketsInBulk(trx, () => trx.insertInto('tickets').values(rows).execute()));
    }
    const a = await derived(one);
    const b = await derived(bulk);
    expect(a.daily.length).toBeGreaterThan(50);
    expect(a.parts.length).toBeGreaterThan(5);
    expect(a.changes).toHaveLength(67);
    expect(b).toEqual(a);
    // The gate is released with the run: a later ordinary insert counts as before.
    for (const f of [one, bulk]) await f.ctx.store.db.insertInto('tickets').values(tickets(67, 1)).execute();
    expect(await derived(bulk)).toEqual(await derived(one));
    expect((await sql`SELECT count(*) AS n FROM bulk_ticket_inserts`.execute(bulk.ctx.store.db)).rows).toEqual([{ n: 0 }]);
  });

  it('leave nothing behind when the run fails', async () => {
    const db = bulk.ctx.store.db;
    const before = await derived(bulk);
    await expect(
      db.transaction().execute((trx) =>
        insertTicketsInBulk(trx, async () => {
          await trx.insertInto('tickets').values(tickets(100, 3)).execute();
          throw new Error('feed page broken');
        }),
      ),
    ).rejects.toThrow('feed page broken');
    expect(await derived(bulk)).toEqual(before);
    expect((await sql`SELECT count(*) AS n FROM bulk_ticket_inserts`.execute(db)).rows).toEqual([{ n: 0 }]);
  });
});
