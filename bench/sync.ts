// Sync with the city over real HTTPS (client certificates), city on PGlite (or PostgreSQL with
// --database-url URL). The city runs in a process of its own (bench/syncCity.ts), as in use where
// it is another machine; `--one-process` runs it in the street's process instead (the layout of
// the figures before 2026-12-04):
//   sync.push   — drain a 100,000-operation outbox backlog (create/dispatch/accept/resolve of
//                 25,000 tickets, judged by the city's state machine) in the street's own batches,
//                 after another street's 2,000 ops have warmed the city up: operations per second.
//   sync.pull   — apply 20,000 feed items (12345 direct dispatches): items per second. With
//                 --pull-catalog N the street has N more leaf categories (one in ten 咨询类) and
//                 each dispatch names one, as the city's classified channels do (12345's own
//                 scheme has 517); the line then carries `catalog`.
//   sync.fanout — a directive to 215 streets each holding an open live channel (SSE): latency from
//                 the send to each street's receipt, p50/p99 over every street and directive.
// With --database-url the city gets a database of its own on that server, created for the run and
// dropped after it: a city left from an earlier run would hold that run's feed, which the push
// round would then pull inside its timed window.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { SyncClient } from '../src/main/sync/client';
import { CityTransport } from '../src/main/sync/transport';
import { initPki, issueClientCert, issueStreetFiles, loadCa, pkiPaths } from '../src/city/pki';
import { startCityServer, type CityServer } from '../src/city/server';
import { MAX_PUSH_OPS, SYNC_PATH, type FeedItem } from '../src/shared/sync/protocol';
import { argValue, emit, percentile, progress } from './stats';
import type { CityCommand } from './syncCity';
import { timeCityPush } from './cityPushTimer';

const STREET = '410105001';
/** The street whose push warms the city up before the timed one, and its tickets (4 ops each). */
const WARM_STREET = '410105002';
const WARM_TICKETS = 500;

/** A new, empty database on the server `base` names, for one run; `drop` removes it. */
async function freshDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `chengyun_bench_${process.pid}_${Date.now()}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name}`) };
}

export async function streetStore(dir: string, code = STREET) {
  const store = await openStore(path.join(dir, 'street.sqlite'));
  const db = store.db;
  await db.insertInto('street').values({ id: 's1', code, name: '经八路街道', district: '金水区', city: '郑州市', center_lon: 113.67, center_lat: 34.775, area_km2: 3.44, population: 86000 }).execute();
  await db.insertInto('units').values([
    { id: 'u1', code: 'CG', name: '金水区城市管理局', kind: 'department', parent_id: null, phone: null, active: 1 },
    { id: 'u5', code: 'SQB', name: '经八路街道社区建设办公室', kind: 'street', parent_id: null, phone: null, active: 1 },
  ]).execute();
  await db.insertInto('catalog').values({ id: 'c12', code: 'c12', name: '井盖破损', parent_id: null, path: '市容环境/井盖破损', is_leaf: 1, default_unit_id: 'u1', accept_within_hours: 2, resolve_within: 3, resolve_unit: 'workDays', is_micro: 0, is_consultation: 0, sort: 0, active: 1 }).execute();
  await db.insertInto('users').values([
    { id: 'user-op', username: 'operator', display_name: '王受理', role: 'operator', unit_id: null, staff_id: null, password_hash: 'x', active: 1, created_at: Date.now() },
    { id: 'user-cg', username: 'cg', display_name: '城管联络员', role: 'unit', unit_id: 'u1', staff_id: null, password_hash: 'x', active: 1, created_at: Date.now() },
  ]).execute();
  return store;
}

/** The bench's city: in this process, or in a child process (bench/syncCity.ts) driven over IPC. */
interface BenchCity {
  url: string;
  layout: 'processes' | 'one-process';
  registerStreet(code: string): Promise<void>;
  /** Starts counting the city's push wall time and its process's CPU (in one process: 0, counted with the street's). */
  measure(): Promise<void>;
  measured(): Promise<{ pushMs: number; cpuS: number }>;
  insertFeed(rows: Array<{ street_code: string; kind: string; entity_id: string; at: string; payload: string }>): Promise<void>;
  sendDirective(title: string, body: string, streets: string[]): Promise<{ id: string }>;
  close(): Promise<void>;
}

async function inProcessCity(dataDir: string, databaseUrl: string | undefined): Promise<BenchCity> {
  const city: CityServer = await startCityServer({ dataDir, databaseUrl, port: 0, log: () => {} });
  const pushTimer = timeCityPush(city);
  return {
    url: city.url,
    layout: 'one-process',
    registerStreet: (code) => city.svc.registerStreet(code).then(() => undefined),
    measure: async () => pushTimer.reset(),
    measured: async () => ({ pushMs: pushTimer.ms(), cpuS: 0 }),
    insertFeed: (rows) => city.db.db.insertInto('feed').values(rows).execute().then(() => undefined),
    sendDirective: (title, body, streets) => city.svc.sendDirective({ title, body, priority: 'urgent', streets }).then((d) => ({ id: d.id })),
    close: () => city.close(),
  };
}

async function childProcessCity(dataDir: string, databaseUrl: string | undefined): Promise<BenchCity> {
  const child: ChildProcess = fork(path.join(__dirname, 'syncCity.ts'), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CITY_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CITY_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve(m.value);
    else w?.reject(new Error(`city process: ${m.error}`));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`city process exited (${code})`));
    waiting.clear();
  });
  const call = <T>(command: CityCommand) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, command });
    });
  const started = await call<{ url: string }>({ cmd: 'start', dataDir, databaseUrl });
  return {
    url: started.url,
    layout: 'processes',
    registerStreet: (code) => call({ cmd: 'registerStreet', code }),
    measure: () => call({ cmd: 'measure' }),
    measured: () => call({ cmd: 'measured' }),
    insertFeed: (rows) => call({ cmd: 'insertFeed', rows }),
    sendDirective: (title, body, streets) => call({ cmd: 'sendDirective', title, body, streets }),
    close: async () => {
      await call({ cmd: 'close' });
      child.disconnect();
    },
  };
}

const OPERATOR = { userId: 'user-op', name: '王受理', role: 'operator', unitCode: null };
const UNIT = { userId: 'user-cg', name: '城管联络员', role: 'unit', unitCode: 'CG' };

/** 25,000 tickets worked offline: tickets, their dispatch events and 4 outbox ops each. */
async function backlog(store: Awaited<ReturnType<typeof streetStore>>, tickets: number) {
  const at0 = Date.now() - 86_400_000;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < tickets; i += 500) {
      const tRows = [];
      const eRows = [];
      const oRows = [];
      for (let j = i; j < Math.min(tickets, i + 500); j++) {
        const id = uuidv7();
        const at = at0 + j;
        const code = `JB-BENCH-${String(j).padStart(6, '0')}`;
        tRows.push({ id, code, channel: 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: null, type: 'complaint', description: `井盖缺失第${j}件`, address: '经八路', lon: null, lat: null, grid_id: null, category_id: 'c12', ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: 'manual', urgency: 'normal', is_micro: 0, is_cross_boundary: 0, status: 'resolved', unit_id: 'u1', dispatch_mode: 'designated', accept_deadline: null, resolve_deadline: null, supervision_level: 0, satisfaction: null, result: '已修复完毕', merged_into: null, parent_id: null, reopen_count: 0, return_count: 0, created_by: 'user-op', created_at: at, updated_at: at, dispatched_at: at, accepted_at: at, resolved_at: at, closed_at: null, version: 4 });
        const evId = uuidv7();
        eRows.push({ id: evId, ticket_id: id, seq: 1, action: 'dispatch', from_status: 'registered', to_status: 'dispatched', actor_id: 'user-op', actor_name: '王受理', actor_role: 'operator', unit_id: 'u1', at, reason: null, data: '{}' });
        // The ops as the street node writes them (src/shared/sync/ops.ts): actor, facts and unit codes in each.
        const op = (o: string, payload: Record<string, unknown>) => ({ id: uuidv7(), entity: 'ticket', entity_id: id, op: o, payload: JSON.stringify(payload), created_at: at, acked_at: null });
        oRows.push(
          op('create', {
            actor: OPERATOR,
            ticket: { id, code, status: 'registered', channel: 'hotline12345', type: 'complaint', description: `井盖缺失第${j}件`, address: '经八路', lon: null, lat: null, gridId: null, categoryId: 'c12', urgency: 'normal', isMicro: false, isCrossBoundary: false, externalRef: null, reporterName: null, reporterPhone: null, photos: [], outsideStreet: false },
            facts: { hasCategory: true, isConsultation: false, isMicro: false, categoryCode: 'c12' },
          }),
          op('dispatch', { actor: OPERATOR, input: { action: 'dispatch', id, mode: 'designated', unitId: 'u1' }, eventId: evId, from: 'registered', to: 'dispatched', version: 2, unitCode: 'CG', candidateUnitCodes: [] }),
          op('accept', { actor: UNIT, input: { action: 'accept', id }, eventId: uuidv7(), from: 'dispatched', to: 'accepted', version: 3 }),
          op('resolve', { actor: UNIT, input: { action: 'resolve', id, result: '已修复完毕', photos: [] }, eventId: uuidv7(), from: 'accepted', to: 'resolved', version: 4 }),
        );
      }
      await trx.insertInto('tickets').values(tRows).execute();
      await trx.insertInto('ticket_events').values(eRows).execute();
      await trx.insertInto('outbox').values(oRows).execute();
    }
  });
}

export async function benchSync(args: string[]): Promise<void> {
  const ops = Number(argValue(args, '--sync-ops') ?? 100_000);
  const pullItems = Number(argValue(args, '--sync-pull') ?? 20_000);
  const pullCatalog = Number(argValue(args, '--pull-catalog') ?? 0);
  const streets = Number(argValue(args, '--streets') ?? 215);
  const server = argValue(args, '--database-url');
  const fresh = server ? await freshDatabase(server) : null;
  const databaseUrl = fresh?.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-sync-'));
  initPki(dir);
  issueStreetFiles(dir, STREET);
  const city = args.includes('--one-process') ? await inProcessCity(dir, databaseUrl) : await childProcessCity(dir, databaseUrl);
  const db = databaseUrl ? 'postgres' : 'pglite';
  const layout = city.layout;
  try {
    await city.registerStreet(STREET);
    const store = await streetStore(dir);
    const ctx = createContext(store, { log: silentLogger });
    const p = pkiPaths(dir);
    const cred = { url: city.url, ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.street(STREET).cert), key: fs.readFileSync(p.street(STREET).key), streetCode: STREET };

    // ---- warm-up ----
    // A city in use has been running for days: its code (and PGlite's WebAssembly, compiled again
    // by V8's optimising tier in the background) is warm. A street of its own pushes 2,000 ops
    // first, so the timed push does not also pay for the fresh process's compilation.
    progress('warming the city up with another street\'s 2,000 operations');
    {
      issueStreetFiles(dir, WARM_STREET);
      await city.registerStreet(WARM_STREET);
      const wdir = path.join(dir, 'warm');
      fs.mkdirSync(wdir);
      const wstore = await streetStore(wdir, WARM_STREET);
      await backlog(wstore, WARM_TICKETS);
      const wctx = createContext(wstore, { log: silentLogger });
      const wc = new SyncClient(wctx, { ...cred, cert: fs.readFileSync(p.street(WARM_STREET).cert), key: fs.readFileSync(p.street(WARM_STREET).key), streetCode: WARM_STREET }, { live: false });
      const w = await wc.syncOnce();
      if (w.pushed !== WARM_TICKETS * 4 || w.rejected) throw new Error(`warm-up push: ${JSON.stringify(w)}`);
      await wc.stop();
      await wstore.close();
    }

    // ---- push ----
    progress(`building a ${ops}-operation backlog`);
    await backlog(store, Math.ceil(ops / 4));
    // The street's own batch size (MAX_PUSH_OPS, 2,000), as the node drains a backlog.
    const client = new SyncClient(ctx, cred, { live: false });
    await city.measure();
    progress('draining the backlog to the city');
    let t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await client.syncOnce();
    let secs = (performance.now() - t0) / 1000;
    // CPU seconds of the street's and the city's processes (all threads; one process: street +
    // city + PGlite): a load-robust cost figure. PostgreSQL's own processes are not counted.
    const cpu = process.cpuUsage(cpu0);
    const cityPush = await city.measured();
    const cpuS = (cpu.user + cpu.system) / 1e6 + cityPush.cpuS;
    if (r.pushed !== Math.ceil(ops / 4) * 4 || r.rejected || r.pulled) {
      const conflicts = await store.db.selectFrom('sync_conflicts').select(['code', 'reason']).limit(3).execute();
      throw new Error(`push: ${JSON.stringify(r)} ${JSON.stringify(conflicts)}`);
    }
    emit({ name: 'sync.push', n: r.pushed, per_s: r.pushed / secs, seconds: secs, city_apply_s: cityPush.pushMs / 1000, cpu_s: cpuS, street_cpu_s: cpuS - cityPush.cpuS, city_cpu_s: cityPush.cpuS, per_cpu_s: r.pushed / cpuS, batch: MAX_PUSH_OPS, db, layout, load1: os.loadavg()[0] });

    // ---- pull ----
    progress(`queueing ${pullItems} 12345 dispatches in the street's feed`);
    const now = Date.now();
    for (let i = 0; i < pullCatalog; i += 100)
      await store.db
        .insertInto('catalog')
        .values(
          Array.from({ length: Math.min(100, pullCatalog - i) }, (_, k) => ({
            id: `cp${i + k}`, code: `cp${i + k}`, name: `分类${i + k}`, parent_id: null, path: `市容环境/分类${i + k}`, is_leaf: 1, default_unit_id: 'u1',
            accept_within_hours: 2, resolve_within: 3, resolve_unit: 'workDays', is_micro: 0, is_consultation: (i + k) % 10 === 0 ? 1 : 0, sort: 0, active: 1,
          })),
        )
        .execute();
    for (let i = 0; i < pullItems; i += 1000) {
      const rows = [];
      for (let j = i; j < Math.min(pullItems, i + 1000); j++) {
        const id = uuidv7();
        const code = `12345-BENCH-${String(j).padStart(6, '0')}`;
        const ticket = { id, streetCode: STREET, code, status: 'dispatched', version: 1, unitCode: 'CG', source: 'city', channel: 'hotline12345', type: 'complaint', description: `市民反映第${j}处路灯不亮`, address: '经八路', lon: null, lat: null, externalRef: code, reporterName: null, reporterPhone: null, result: null, satisfaction: null, createdAt: now, updatedAt: now };
        rows.push({ street_code: STREET, kind: 'ticket.dispatched', entity_id: id, at: String(now), payload: JSON.stringify({ ticket, unitCode: 'CG', acceptWithinHours: 2, resolveWithinDays: 5, ...(pullCatalog ? { categoryCode: `cp${j % pullCatalog}` } : {}) }) });
      }
      await city.insertFeed(rows);
    }
    await city.measure();
    t0 = performance.now();
    const cpu1 = process.cpuUsage();
    const r2 = await client.syncOnce();
    secs = (performance.now() - t0) / 1000;
    const cpuPull = process.cpuUsage(cpu1);
    const cpuPullS = (cpuPull.user + cpuPull.system) / 1e6 + (await city.measured()).cpuS;
    if (r2.pulled !== pullItems) throw new Error(`pull: ${JSON.stringify(r2)}`);
    emit({ name: 'sync.pull', n: r2.pulled, per_s: r2.pulled / secs, seconds: secs, cpu_s: cpuPullS, per_cpu_s: r2.pulled / cpuPullS, page: 500, ...(pullCatalog ? { catalog: pullCatalog } : {}), db, layout, load1: os.loadavg()[0] });
    await client.stop();
    await store.close();

    // ---- fan-out ----
    progress(`issuing ${streets} street credentials and opening ${streets} live channels`);
    const ca = loadCa(dir);
    const codes = Array.from({ length: streets }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
    const received = new Map<string, number[]>();
    const handles: Array<{ close: () => void; done: Promise<void> }> = [];
    const transports: CityTransport[] = [];
    let open = 0;
    const allOpen = new Promise<void>((resolve) => {
      for (const code of codes) {
        const c = issueClientCert(ca, code, 'street');
        const t = new CityTransport({ url: city.url, ca: ca.caCert, cert: c.cert, key: c.key, streetCode: code });
        transports.push(t);
        const h = t.live(
          `${SYNC_PATH}/live`,
          (event, data) => {
            if (event !== 'feed') return;
            const item = JSON.parse(data) as FeedItem;
            const arr = received.get(item.entityId) ?? [];
            arr.push(performance.now());
            received.set(item.entityId, arr);
          },
          () => {
            if (++open === codes.length) resolve();
          },
        );
        h.done.catch(() => {});
        handles.push(h);
      }
    });
    await allOpen;
    for (const code of codes) await city.registerStreet(code);
    const rounds = Number(argValue(args, '--directives') ?? 20);
    const lat: number[] = [];
    let missing = 0;
    for (let k = 0; k < rounds; k++) {
      const start = performance.now();
      const d = await city.sendDirective(`基准指令${k}`, '请立即部署防汛工作', codes);
      const deadline = Date.now() + 10_000;
      while ((received.get(d.id)?.length ?? 0) < codes.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const got = received.get(d.id) ?? [];
      missing += codes.length - got.length;
      for (const t of got) lat.push(t - start);
      await new Promise((r) => setTimeout(r, 100));
    }
    lat.sort((a, b) => a - b);
    emit({ name: 'sync.fanout', streets, directives: rounds, n: lat.length, missing, p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99), max_ms: lat[lat.length - 1], db, layout, load1: os.loadavg()[0] });
    for (const h of handles) h.close();
    for (const t of transports) t.close();
  } finally {
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await fresh?.drop();
  }
}
