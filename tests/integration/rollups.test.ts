// The daily roll-ups (migrations 14 and 22, src/main/db/statsRollup.ts) and the kept parts of the
// statistics (migration 25, src/main/services/stats/keptParts.ts) against a recount from scratch:
// a seeded random sequence of ticket changes — new tickets, timeline events (dispatch, resolve,
// which move first_dispatch_at / first_resolve_at through their triggers, callbacks, supervision), status, unit, grid,
// category, channel, deadline, acceptance, return, reopen and merge changes, extension requests,
// deletions and a category's consultation flag — each in its own transaction as the app writes
// them; after every batch the figures from the roll-ups equal the figures counted from the tickets
// (whole street, by unit, grid, category and channel, by day/week/month), so do the durations and the
// received tickets per day, and the roll-up table equals a rebuild. The partials are kept from one
// batch to the next: only their 旬's versions can tell them what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Insertable } from 'kysely';
import type { Database } from '../../src/main/db/schema';
import { createFixture, type Fixture } from '../support/fixture';
import { countFigures, receivedByDay, resolveMinutes, type Grouping } from '../../src/main/services/stats/counts';
import { forgetKeptParts, keptPartKeys, splitIntoParts } from '../../src/main/services/stats/keptParts';
import { warmStatistics } from '../../src/main/services/stats/warmUp';
import { callbackRebuildSql, rebuildSql } from '../../src/main/db/statsRollup';
import { insertTicketsInBulk } from '../../src/main/db/bulkTicketInserts';
import { periodBounds } from '../../src/shared/stats/period';

let f: Fixture;
const T0 = Date.parse('2026-09-01T00:00:00+08:00');
const DAY = 86_400_000;

/** A small seeded PRNG (mulberry32): the sequence is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

async function figuresAgree(label: string) {
  const periods = [
    periodBounds({ from: '2026-09-01', to: '2026-12-01' }),
    periodBounds({ from: '2026-09-15', to: '2026-10-15' }),
    periodBounds({ from: '2026-10-01', to: '2026-10-02' }),
  ];
  const groupings: Grouping[] = [
    { kind: 'all' },
    { kind: 'column', column: 'unit_id' },
    { kind: 'column', column: 'grid_id' },
    { kind: 'column', column: 'category_id' },
    { kind: 'column', column: 'channel' },
    { kind: 'time', unit: 'day' },
    { kind: 'time', unit: 'week' },
    { kind: 'time', unit: 'month' },
  ];
  for (const p of periods)
    for (const g of groupings) {
      const rolled = await countFigures(f.ctx, p.from, p.to, g);
      const scanned = await countFigures(f.ctx, p.from, p.to, g, { scan: true });
      const norm = (m: Map<string | null, unknown>) => Object.fromEntries([...m].map(([k, v]) => [String(k), v]).sort());
      expect(norm(rolled), `${label} ${JSON.stringify(g)} ${p.from}`).toEqual(norm(scanned));
      const sorted = (m: Map<string | null, number[]>) => Object.fromEntries([...m].map(([k, v]) => [String(k), [...v].sort((a, b) => a - b)]).sort());
      const kept = await resolveMinutes(f.ctx, p.from, p.to, g);
      const counted = await resolveMinutes(f.ctx, p.from, p.to, g, { scan: true });
      expect(sorted(kept), `${label} durations ${JSON.stringify(g)} ${p.from}`).toEqual(sorted(counted));
    }
  // Received per day, channel and category: the kept parts against one count of the whole period.
  for (const p of periods) {
    const flat = (parts: Awaited<ReturnType<typeof receivedByDay>>) => {
      const m = new Map<string, number>();
      for (const x of parts) for (let i = 0; i < x.n.length; i++) m.set(`${x.day[i]}|${x.channel[i]}|${x.category[i]}`, (m.get(`${x.day[i]}|${x.channel[i]}|${x.category[i]}`) ?? 0) + x.n[i]!);
      return Object.fromEntries([...m].sort());
    };
    const whole = (await sql<{ d: number; ch: string; k: string | null; n: number }>`SELECT CAST((created_at + 28800000) / 86400000 AS INTEGER) AS d, channel AS ch, category_id AS k, count(*) AS n
      FROM tickets WHERE created_at >= ${p.from} AND created_at < ${p.to} AND status <> 'cancelled' AND merged_into IS NULL GROUP BY 1, 2, 3`.execute(f.ctx.store.db)).rows;
    expect(flat(await receivedByDay(f.ctx, p.from, p.to)), `${label} received per day ${p.from}`).toEqual(
      Object.fromEntries(whole.map((r) => [`${r.d}|${r.ch}|${r.k}`, Number(r.n)]).sort()),
    );
  }
  // The three-month period is nine kept 旬; 09-15…10-15 is an edge, two 旬 and an edge; a day is an edge.
  expect(splitIntoParts(periods[0]!.from, periods[0]!.to).map((x) => x.part)).toEqual([2026090, 2026091, 2026092, 2026100, 2026101, 2026102, 2026110, 2026111, 2026112]);
  expect(splitIntoParts(periods[1]!.from, periods[1]!.to).map((x) => x.part)).toEqual([null, 2026092, 2026100, null]);
  expect(splitIntoParts(periods[2]!.from, periods[2]!.to).map((x) => x.part)).toEqual([null]);
  // One row per whole CST day (an integer midnight), whatever type the ticket's times have.
  const badDays = (await sql<{ n: number }>`SELECT count(*) AS n FROM stats_daily WHERE typeof(day) <> 'integer' OR (day + 28800000) % 86400000 <> 0`.execute(f.ctx.store.db)).rows[0]!.n;
  expect(badDays, `${label}: roll-up days that are not whole CST days`).toBe(0);
  // The table itself equals a recount from scratch.
  const before = (await sql`SELECT * FROM stats_daily WHERE created + resolved + dispatched + received + duplicates > 0 ORDER BY dim, day, key`.execute(f.ctx.store.db)).rows;
  await f.ctx.store.db.transaction().execute(async (trx) => {
    for (const stmt of rebuildSql().split(/;\s*\n/).map((x) => x.trim().replace(/;$/, '')).filter(Boolean)) await sql.raw(stmt).execute(trx);
  });
  const after = (await sql`SELECT * FROM stats_daily WHERE created + resolved + dispatched + received + duplicates > 0 ORDER BY dim, day, key`.execute(f.ctx.store.db)).rows;
  expect(before, `${label}: roll-up table vs rebuild`).toEqual(after);
  // The callback roll-ups (migration 23) too: rows with callbacks, against a recount.
  const cbq = sql`SELECT * FROM stats_daily_callbacks WHERE callbacks <> 0 OR satisfied <> 0 ORDER BY dim, day, key`;
  const cbBefore = (await cbq.execute(f.ctx.store.db)).rows;
  await f.ctx.store.db.transaction().execute(async (trx) => {
    for (const stmt of callbackRebuildSql().split(/;\s*\n/).map((x) => x.trim().replace(/;$/, '')).filter(Boolean)) await sql.raw(stmt).execute(trx);
  });
  const cbAfter = (await cbq.execute(f.ctx.store.db)).rows;
  expect(cbBefore.length, `${label}: callback roll-up rows`).toBeGreaterThan(0);
  expect(cbBefore, `${label}: callback roll-up table vs rebuild`).toEqual(cbAfter);
}

describe('daily roll-ups', () => {
  it('equal a recount after a random sequence of ticket changes', async () => {
    const rand = rng(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const db = f.ctx.store.db;
    const ids: string[] = [];
    let seq = 0;
    const units = ['u1', 'u2', 'u3', null];
    const grids = ['g3', 'g2', null];
    const cats = ['c11', 'c12', 'c21', null];
    const channels = ['hotline12345', 'gridPatrol', 'videoAi', 'walkIn'];
    const statuses = ['registered', 'dispatched', 'accepted', 'returned', 'resolved', 'verified', 'closed', 'reopened', 'cancelled'];
    // Some times carry fractions of a millisecond, as the demo seeder's do (REAL in SQLite).
    const when = () => T0 + (rand() < 0.5 ? Math.floor(rand() * 90 * DAY) : rand() * 90 * DAY);
    let counts: Record<string, number> = {};
    for (let batch = 0; batch < 6; batch++) {
      for (let step = 0; step < 120; step++) {
        const r = rand();
        const kind = ids.length < 10 || r < 0.2 ? 'create' : r < 0.4 ? 'event' : r < 0.85 ? 'update' : r < 0.92 ? 'extension' : r < 0.97 ? 'delete' : 'catalog';
        counts[kind] = (counts[kind] ?? 0) + 1;
        await db.transaction().execute(async (trx) => {
          if (kind === 'create') {
            // One ticket as the app files it, or a run of them as a pulled feed page writes them
            // (the insert triggers stand aside and the run's rows are added grouped).
            const bulk = rand() < 0.3;
            const rows: Array<Insertable<Database['tickets']>> = [];
            for (let k = bulk ? 1 + Math.floor(rand() * 4) : 1; k > 0; k--) {
              const id = `r${++seq}`;
              const created = when();
              rows.push({
                id, code: `JB${String(seq).padStart(6, '0')}`, channel: pick(channels), external_ref: null, reporter_name: null, reporter_phone: null, type: 'complaint',
                description: `随机 ${id}`, address: '体育路', lon: null, lat: null, grid_id: pick(grids), category_id: pick(cats), ai_category_id: null, ai_confidence: null,
                ai_model_version: null, category_source: null, urgency: 'normal', is_micro: rand() < 0.3 ? 1 : 0, is_cross_boundary: 0, status: pick(statuses), unit_id: pick(units),
                dispatch_mode: null, accept_deadline: rand() < 0.7 ? created + Math.floor(rand() * 4 * 3600_000) : null, resolve_deadline: rand() < 0.8 ? created + Math.floor(rand() * 5 * DAY) : null,
                supervision_level: 0, satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: 0, return_count: 0, created_by: null,
                created_at: created, updated_at: created, dispatched_at: null, accepted_at: null, resolved_at: null, closed_at: null, version: 1,
                });
              ids.push(id);
            }
            if (bulk) await insertTicketsInBulk(trx, () => trx.insertInto('tickets').values(rows).execute());
            else await trx.insertInto('tickets').values(rows).execute();
          } else if (kind === 'event') {
            const id = pick(ids);
            const t = await trx.selectFrom('tickets').select(['created_at']).where('id', '=', id).executeTakeFirstOrThrow();
            const action = pick(['dispatch', 'resolve', 'resolve', 'accept', 'callback', 'callback', 'supervise']);
            // A callback's satisfaction decides 满意率 (migration 23 rolls callbacks up by day, unit and grid);
            // a supervision's level, the 督办 figures (a ticket counted once, at its highest level).
            const data =
              action === 'callback'
                ? JSON.stringify({ satisfaction: pick(['satisfied', 'basicallySatisfied', 'unsatisfied', 'unreachable']) })
                : action === 'supervise'
                  ? JSON.stringify({ level: pick([1, 2, 3, 4]) })
                  : '{}';
            await trx
              .insertInto('ticket_events')
              .values({ id: `${id}-e${++seq}`, ticket_id: id, seq, action, from_status: null, to_status: 'accepted', actor_id: null, actor_name: '随机', actor_role: pick(['unit', 'gridOfficer', 'operator']), unit_id: null, at: t.created_at + rand() * 20 * DAY, reason: null, data })
              .execute();
          } else if (kind === 'update') {
            const id = pick(ids);
            const t = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            const change = pick(['status', 'unit', 'grid', 'category', 'channel', 'deadline', 'accepted', 'return', 'reopen', 'merge', 'micro', 'created']);
            const set: Record<string, unknown> = {};
            if (change === 'status') set.status = pick(statuses);
            if (change === 'unit') set.unit_id = pick(units);
            if (change === 'grid') set.grid_id = pick(grids);
            if (change === 'category') set.category_id = pick(cats);
            if (change === 'channel') set.channel = pick(channels);
            if (change === 'deadline') set.resolve_deadline = rand() < 0.2 ? null : t.created_at + Math.floor(rand() * 6 * DAY);
            if (change === 'accepted') set.accepted_at = rand() < 0.2 ? null : t.created_at + Math.floor(rand() * 5 * 3600_000);
            if (change === 'return') set.return_count = t.return_count + 1;
            if (change === 'reopen') set.reopen_count = t.reopen_count + 1;
            if (change === 'merge') set.merged_into = t.merged_into ? null : pick(ids.filter((x) => x !== id));
            if (change === 'micro') set.is_micro = t.is_micro ? 0 : 1;
            if (change === 'created') set.created_at = when();
            await trx.updateTable('tickets').set(set).where('id', '=', id).execute();
          } else if (kind === 'extension') {
            const id = pick(ids);
            const existing = await trx.selectFrom('ticket_extensions').select('id').where('ticket_id', '=', id).executeTakeFirst();
            if (existing && rand() < 0.5) await trx.deleteFrom('ticket_extensions').where('id', '=', existing.id).execute();
            else
              await trx
                .insertInto('ticket_extensions')
                .values({ id: `x${++seq}`, ticket_id: id, unit_id: 'u1', requested_by: 'user-cg', days: 2, reason: '随机', status: 'pending', requested_at: T0, decided_by: null, decided_at: null, decision_reason: null })
                .execute();
          } else if (kind === 'delete') {
            const id = pick(ids);
            // Another ticket merged into it keeps pointing at it: clear that first, as a deletion would have to.
            await trx.updateTable('tickets').set({ merged_into: null }).where('merged_into', '=', id).execute();
            await trx.deleteFrom('ticket_extensions').where('ticket_id', '=', id).execute();
            await trx.deleteFrom('ticket_events').where('ticket_id', '=', id).execute().catch(() => undefined);
            const left = await trx.selectFrom('ticket_events').select('id').where('ticket_id', '=', id).executeTakeFirst();
            if (!left) {
              await trx.deleteFrom('tickets').where('id', '=', id).execute();
              ids.splice(ids.indexOf(id), 1);
            }
          } else {
            const c = await trx.selectFrom('catalog').select(['is_consultation']).where('id', '=', 'c12').executeTakeFirstOrThrow();
            await trx.updateTable('catalog').set({ is_consultation: c.is_consultation ? 0 : 1 }).where('id', '=', 'c12').execute();
          }
        });
      }
      await figuresAgree(`batch ${batch}`);
    }
    // A category's consultation flag alone (no ticket changes, so no 旬's version moves): the
    // store's epoch must retire every kept part.
    const before = await countFigures(f.ctx, T0, T0 + 91 * DAY, { kind: 'all' });
    const c = await db.selectFrom('catalog').select(['is_consultation']).where('id', '=', 'c12').executeTakeFirstOrThrow();
    await db.updateTable('catalog').set({ is_consultation: c.is_consultation ? 0 : 1 }).where('id', '=', 'c12').execute();
    const after = await countFigures(f.ctx, T0, T0 + 91 * DAY, { kind: 'all' });
    expect(after.get('')!.consultations).not.toBe(before.get('')!.consultations);
    await figuresAgree('after a catalog change alone');
    // The node's warm-up after a start keeps the 24 whole months before the current one (the
    // fixture's now is in November 2026), and stops when told to.
    forgetKeptParts(f.ctx.store);
    expect(await warmStatistics(f.ctx, () => true)).toBe(0);
    expect(keptPartKeys(f.ctx.store)).toEqual([]);
    expect(await warmStatistics(f.ctx, () => false)).toBe(8);
    const kept = keptPartKeys(f.ctx.store);
    for (const k of ['counts:all|2026090', 'counts:grid_id|2026102', 'resolved:time-day|2026091', 'supervised:unit_id|2026100', 'received|2026102', 'counts:all|2024110'])
      expect(kept, k).toContain(k);
    expect(kept).not.toContain('counts:all|2026110');
    await figuresAgree('after the warm-up');
    // The sequence exercised every kind of change.
    expect(Object.keys(counts).sort()).toEqual(['catalog', 'create', 'delete', 'event', 'extension', 'update']);
    const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM tickets`.execute(db)).rows[0]!.n);
    expect(total).toBeGreaterThan(50);
    counts = {};
  }, 240_000);
});
