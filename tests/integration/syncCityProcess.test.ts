// The city as a separate process, killed with SIGKILL while a batch is in flight: nothing is
// half-applied, and after a restart the street's backlog (10,000+ operations made offline)
// drains with no loss and no duplicate. PGlite, or PostgreSQL when CITY_TEST_PG_URL is set.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { freshPgDatabase, PG_URL } from '../support/city';
import { TcpProxy } from '../support/tcpProxy';
import { initPki, issueStreetFiles, pkiPaths } from '../../src/city/pki';
import { openCityDb } from '../../src/city/db';
import { CityService } from '../../src/city/service';
import { SyncClient } from '../../src/main/sync/client';
import fs from 'node:fs';

const STREET = '410105001';
let f: Fixture;
let dataDir: string;
let dbUrl: string | undefined;
let child: ChildProcess | null = null;
let proxy: TcpProxy;

function startCity(): Promise<{ port: number; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const args = ['src/city/cli.ts', 'serve', '--data', dataDir, '--port', '0', ...(dbUrl ? ['--database-url', dbUrl] : [])];
    const proc = spawn('node_modules/.bin/tsx', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    proc.stderr!.resume();
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /"listening":"https:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (m) resolve({ port: Number(m[1]), proc });
    });
    proc.on('exit', (code) => reject(new Error(`city exited ${code}: ${out}`)));
  });
}

async function stopCity(sig: NodeJS.Signals = 'SIGTERM') {
  const c = child;
  child = null;
  if (!c || c.exitCode != null) return;
  const done = new Promise((r) => c.once('exit', r));
  // tsx → node: signal the whole group so the server process itself dies.
  try {
    process.kill(-c.pid!, sig);
  } catch {
    c.kill(sig);
  }
  await done;
}

beforeEach(async () => {
  f = await createFixture();
  dataDir = tempDir('chengyun-cityproc-');
  initPki(dataDir);
  issueStreetFiles(dataDir, STREET);
  dbUrl = PG_URL ? await freshPgDatabase(PG_URL) : undefined;
});
afterEach(async () => {
  await stopCity('SIGKILL');
  await proxy?.close();
  await f.close();
});

/** Many operations made while offline: real tickets, plus patrol check-ins in bulk. */
async function offlineWork(generic: number) {
  const op = f.as('operator');
  for (let i = 0; i < 20; i++) {
    const d = await op('tickets.create', { channel: 'gridPatrol', type: 'report', description: `离线期间巡查发现的问题第${i + 1}件`, address: '经八路体育场路', categoryId: 'c12' });
    await op('tickets.act', { action: 'dispatch', id: d.ticket.id, mode: 'oneClick' });
  }
  const now = f.ctx.now();
  await f.ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < generic; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(generic, i + 500); j++)
        rows.push({
          id: uuidv7(),
          entity: 'patrol',
          entity_id: `kp-${j % 50}`,
          op: 'checkIn',
          // A well-formed catalogue op (src/shared/sync/ops.ts): the street refuses to send any other.
          payload: JSON.stringify({ actor: { userId: 'user-op', name: '王受理', role: 'operator', unitCode: null }, checkin: { id: `pc-${j}`, place_id: `kp-${j % 50}`, at: now + j, by_id: 'user-op', by_name: '王受理', ok: 1, note: `巡查${j}` }, placeName: '加油站' }),
          created_at: now + j,
          acked_at: null,
        });
      await trx.insertInto('outbox').values(rows).execute();
    }
  });
}

describe(`the city process killed mid-batch (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('nothing half-applied; after restart 10,000+ offline ops drain once; city and street agree row by row', async () => {
    await offlineWork(10_000);
    const total = Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // 20 tickets × (create, dispatch) + the generic ops + the operator's audited login.
    expect(total).toBe(10_041);
    const c1 = await startCity();
    child = c1.proc;
    proxy = new TcpProxy(c1.port);
    await proxy.listen();
    const p = pkiPaths(dataDir);
    const cred = { url: `https://127.0.0.1:${proxy.port}`, ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.street(STREET).cert), key: fs.readFileSync(p.street(STREET).key), streetCode: STREET };
    const BATCH = 1000;
    const client = new SyncClient(f.ctx, cred, { live: false, batchSize: BATCH, requestTimeoutMs: 20_000 });
    // Kill the city once the third batch is on its way.
    let sent = 0;
    const killAt = 2 * 250_000;
    proxy.onUpload = (n) => {
      sent += n;
      if (sent > killAt && child) void stopCity('SIGKILL');
    };
    await expect(client.syncOnce()).rejects.toThrow();
    proxy.onUpload = null;
    const acked = Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('acked_at', 'is not', null).executeTakeFirstOrThrow()).n);
    expect(acked % BATCH).toBe(0);
    // Restart on the same data: whole batches only.
    const c2 = await startCity();
    child = c2.proc;
    proxy.setTarget(c2.port);
    const r = await client.syncOnce();
    expect(r.rejected).toBe(0);
    await client.stop();
    await stopCity('SIGTERM');
    const pending = await f.ctx.store.db.selectFrom('outbox').select('id').where('acked_at', 'is', null).execute();
    expect(pending).toHaveLength(0);
    const city = await openCityDb({ dataDir, databaseUrl: dbUrl });
    try {
      const applied = await new CityService(city.db).appliedOpIds(STREET);
      expect(applied).toHaveLength(total);
      expect(await new CityService(city.db).appliedCount(STREET)).toBe(total);
      const ids = new Set((await f.ctx.store.db.selectFrom('outbox').select('id').execute()).map((o) => o.id));
      expect(applied.every((a) => ids.has(a))).toBe(true);
      const entityOps = await city.db.selectFrom('entity_ops').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(entityOps.n)).toBe(10_001); // the generic ops and the audit entry
      const tickets = await city.db.selectFrom('city_tickets').select(['id', 'status', 'version']).where('street_code', '=', STREET).orderBy('id').execute();
      const local = await f.ctx.store.db.selectFrom('tickets').select(['id', 'status', 'version']).orderBy('id').execute();
      expect(tickets.map((t) => ({ ...t, version: Number(t.version) }))).toEqual(local);
      const events = await city.db.selectFrom('city_ticket_events').select('op_id').execute();
      expect(events).toHaveLength(40);
    } finally {
      await city.close();
    }
  });
});
