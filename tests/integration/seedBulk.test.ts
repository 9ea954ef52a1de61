// The demo seeder's bulk load (src/main/demo/bulkLoad.ts: per-row triggers and secondary indexes
// set aside while the tickets go in, put back at the end with a recount of the roll-ups) against
// the per-row path (every trigger and index live), same seed and `now`, in two real SQLite files:
// the same tickets (every column, including those the event triggers keep), timelines,
// extensions, negotiations, full-text rows and daily roll-ups; the same schema (every index and
// trigger, by name and text); integrity_check ok; and the restored triggers keep working.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/db/store';
import { all, exec, run } from '../../src/main/db/sqlite3Dialect';
import { seedDemoStreet, type SeedResult } from '../../src/main/demo/seed';
import { rebuildSql } from '../../src/main/db/statsRollup';

const NOW = Date.parse('2026-11-23T10:30:00+08:00');
const N = 2500;

let dir: string;
let perRow: Store;
let bulk: Store;
let rPerRow: SeedResult;
let rBulk: SeedResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-seedbulk-'));
  perRow = await openStore(path.join(dir, 'per-row.sqlite'));
  bulk = await openStore(path.join(dir, 'bulk.sqlite'));
  rPerRow = await seedDemoStreet(perRow, { tickets: N, seed: 11, now: NOW, bulk: false });
  rBulk = await seedDemoStreet(bulk, { tickets: N, seed: 11, now: NOW });
}, 300_000);

afterAll(async () => {
  await perRow?.close();
  await bulk?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const rows = (s: Store, sql: string) => all<Record<string, unknown>>(s.raw, sql);

describe('bulk-loaded demo street', () => {
  it('has the same tickets, timelines and counts as the per-row path', async () => {
    expect(rBulk.tickets).toBe(N);
    expect(rBulk.tickets).toBe(rPerRow.tickets);
    expect(rBulk.events).toBe(rPerRow.events);
    for (const table of ['tickets', 'ticket_events', 'ticket_extensions', 'ticket_negotiations', 'tickets_fts', 'grids', 'units', 'staff', 'catalog']) {
      // By key: the driver may run queued multi-row INSERTs of one table in any order, so implicit
      // rowids (and so the physical order) differ between any two seedings; the seeder gives
      // tickets and their full-text rows explicit rowids.
      const order = table === 'ticket_negotiations' ? 'ticket_id, unit_id, round' : table === 'tickets' || table === 'tickets_fts' ? 'rowid' : 'id';
      const a = await rows(perRow, `SELECT * FROM ${table} ORDER BY ${order}`);
      const b = await rows(bulk, `SELECT * FROM ${table} ORDER BY ${order}`);
      expect(b.length, table).toBe(a.length);
      expect(b, table).toEqual(a);
    }
    // The facts the event triggers keep are really there (not equal because both are empty).
    const [facts] = await rows(bulk, `SELECT count(first_dispatch_at) AS d, count(first_resolve_at) AS r, count(first_resolve_role) AS role, sum(has_extension) AS x FROM tickets`);
    expect(Number(facts!.d)).toBeGreaterThan(N / 2);
    expect(Number(facts!.r)).toBeGreaterThan(N / 2);
    expect(facts!.role).toBe(facts!.r);
    expect(Number(facts!.x)).toBeGreaterThan(0);
  });

  it('has the same daily roll-ups, equal to a recount', async () => {
    const q = 'SELECT * FROM stats_daily ORDER BY dim, day, key';
    const a = await rows(perRow, q);
    const b = await rows(bulk, q);
    expect(b.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    await exec(bulk.raw, `BEGIN; ${rebuildSql()}`);
    const recount = await rows(bulk, q);
    await exec(bulk.raw, 'ROLLBACK');
    expect(b).toEqual(recount);
    // The callback roll-ups (migration 23) likewise.
    const cq = 'SELECT * FROM stats_daily_callbacks ORDER BY dim, day, key';
    const ca = await rows(perRow, cq);
    const cb = await rows(bulk, cq);
    expect(cb.length).toBeGreaterThan(100);
    expect(cb).toEqual(ca);
  });

  it('has the same schema: every index and trigger, by name and text, and is intact', async () => {
    const q = `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`;
    const a = await rows(perRow, q);
    const b = await rows(bulk, q);
    expect(b.filter((r) => r.type === 'trigger').map((r) => r.name)).toContain('tickets_rollup_insert');
    expect(b.filter((r) => r.type === 'index' && r.tbl_name === 'tickets').length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(await rows(bulk, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await rows(bulk, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it('keeps the roll-ups and first-event facts by trigger again after the load', async () => {
    const [t] = await rows(bulk, `SELECT created_at FROM tickets ORDER BY rowid DESC LIMIT 1`);
    const at = Number(t!.created_at);
    const day = `(CAST((${at} + 28800000) / 86400000 AS INTEGER) * 86400000 - 28800000)`;
    const count = async (col: string) =>
      Number((await rows(bulk, `SELECT coalesce(sum(${col}), 0) AS n FROM stats_daily WHERE dim = 'all' AND key = '' AND day = ${day}`))[0]!.n);
    const [created0, dispatched0] = [await count('created'), await count('dispatched')];
    await exec(bulk.raw, 'BEGIN');
    try {
      await run(
        bulk.raw,
        `INSERT INTO tickets (id, code, channel, type, description, address, status, created_at, updated_at)
         VALUES ('bulk-test', 'JB-TEST-1', 'hotline12345', 'complaint', '测试', '测试地址', 'dispatched', ?, ?)`,
        [at, at],
      );
      await run(
        bulk.raw,
        `INSERT INTO ticket_events (id, ticket_id, seq, action, from_status, to_status, actor_name, actor_role, at)
         VALUES ('bulk-test-e1', 'bulk-test', 1, 'dispatch', 'registered', 'dispatched', '测试', 'operator', ?)`,
        [at + 1000],
      );
      const [f] = await rows(bulk, `SELECT first_dispatch_at FROM tickets WHERE id = 'bulk-test'`);
      expect(Number(f!.first_dispatch_at)).toBe(at + 1000);
      expect(await count('created')).toBe(created0 + 1);
      expect(await count('dispatched')).toBe(dispatched0 + 1);
    } finally {
      await exec(bulk.raw, 'ROLLBACK');
    }
  });
});
