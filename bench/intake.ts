// Alarm intake through a real Eclipse Mosquitto broker (started here from Debian's binary) into
// the city (PGlite, or PostgreSQL with --database-url URL):
//   intake.alarms          — 20,000 alarms from 20 devices published at once: alarms per second
//                            from the first publish until every one is stored (parsed, located,
//                            de-duplicated, judged, aggregated).
//   intake.storm           — 10,000 alarms from 20 devices within one minute of device time:
//                            `alarms`, `stored`, `tickets` (target: tickets ≤ 20, stored = alarms).
//   intake.alarm_to_street — an alarm from a new device until its ticket is in a live street's
//                            SQLite store (broker → city → feed → live channel → pull): p50/p99.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { sql } from 'kysely';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { SyncClient } from '../src/main/sync/client';
import { initPki, issueStreetFiles, pkiPaths } from '../src/city/pki';
import { startCityServer } from '../src/city/server';
import { startBroker } from '../tests/support/mosquitto';
import { streetStore } from './sync';
import { argValue, emit, percentile, progress } from './stats';

const STREET = '410105001';
const CENTRE = { lon: 113.671088, lat: 34.7758 }; // inside 经八路街道

export async function benchIntake(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--alarms') ?? 20_000);
  const databaseUrl = argValue(args, '--database-url');
  const db = databaseUrl ? 'postgres' : 'pglite';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-intake-'));
  initPki(dir);
  issueStreetFiles(dir, STREET);
  const broker = await startBroker();
  const city = await startCityServer({ dataDir: dir, databaseUrl, port: 0, log: () => {}, mqtt: { url: broker.url, clientId: 'bench-city' } });
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'bench-pub' });
  try {
    await city.svc.registerStreet(STREET);
    const until = Date.now() + 10_000;
    while (!city.broker!.connected() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const intake = city.alarms;
    const stored = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM city_alarms`.execute(city.db.db)).rows[0]!.n);
    const tickets = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM city_tickets`.execute(city.db.db)).rows[0]!.n);
    const waitReceived = async (k: number) => {
      const end = Date.now() + 300_000;
      while (intake.counters.received < k && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      await intake.drain();
    };
    const t0 = Date.now() - 3_600_000;

    // ---- sustained throughput ----
    progress(`publishing ${n} alarms`);
    let start = performance.now();
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const device = `TP-${i % 20}`;
        const point = { lon: CENTRE.lon + (i % 20) * 0.0003, lat: CENTRE.lat };
        return pub.publishAsync(`alarms/garbage/${device}`, JSON.stringify({ kind: 'garbage', device, point, time: t0 + i }), { qos: 1 });
      }),
    );
    await waitReceived(n);
    let secs = (performance.now() - start) / 1000;
    const s1 = await stored();
    emit({ name: 'intake.alarms', n, stored: s1, per_s: s1 / secs, seconds: secs, db, load1: os.loadavg()[0] });

    // ---- storm ----
    const storm = 10_000;
    const before = { stored: s1, tickets: await tickets(), received: intake.counters.received };
    const s0 = t0 + 2 * 3_600_000;
    start = performance.now();
    await Promise.all(
      Array.from({ length: storm }, (_, i) => {
        const d = i % 20;
        const kind = d < 10 ? 'smoke' : 'manholeTilt';
        const device = `ST-${d}`;
        const point = { lon: CENTRE.lon - 0.004 + (d % 10) * 0.0008, lat: CENTRE.lat + (d < 10 ? 0.002 : -0.002) };
        return pub.publishAsync(`alarms/${kind}/${device}`, JSON.stringify({ kind, device, point, time: s0 + Math.floor((i * 60_000) / storm), value: 30 }), { qos: 1 });
      }),
    );
    await waitReceived(before.received + storm);
    secs = (performance.now() - start) / 1000;
    emit({ name: 'intake.storm', alarms: storm, stored: (await stored()) - before.stored, tickets: (await tickets()) - before.tickets, seconds: secs, db, load1: os.loadavg()[0] });

    // ---- alarm to a live street ----
    const store = await streetStore(dir);
    const ctx = createContext(store, { log: silentLogger });
    const p = pkiPaths(dir);
    const cred = { url: city.url, ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.street(STREET).cert), key: fs.readFileSync(p.street(STREET).key), streetCode: STREET };
    const client = new SyncClient(ctx, cred, { live: true, pollMs: 60_000 });
    client.start();
    // Catch up with what the storm dispatched, then measure one alarm at a time.
    const caughtUp = Date.now() + 60_000;
    while ((await client.pending()) > 0 || !client.state.live) {
      if (Date.now() > caughtUp) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const lat: number[] = [];
    const rounds = Number(argValue(args, '--rounds') ?? 40);
    for (let i = 0; i < rounds; i++) {
      const device = `E2S-${i}`;
      const point = { lon: CENTRE.lon - 0.003 + (i % 8) * 0.0008, lat: CENTRE.lat - 0.003 + Math.floor(i / 8) * 0.0008 };
      const t = performance.now();
      await pub.publishAsync(`alarms/gas/${device}`, JSON.stringify({ kind: 'gas', device, point, time: s0 + 7_200_000 + i * 1000, value: 40 }), { qos: 1 });
      const end = Date.now() + 10_000;
      for (;;) {
        const hit = await store.db.selectFrom('tickets').select('id').where('description', 'like', `%${device} %`).executeTakeFirst();
        if (hit) break;
        if (Date.now() > end) throw new Error(`alarm ${device} did not reach the street in 10 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      lat.push(performance.now() - t);
    }
    lat.sort((a, b) => a - b);
    emit({ name: 'intake.alarm_to_street', n: lat.length, p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99), max_ms: lat[lat.length - 1], db, load1: os.loadavg()[0] });
    await client.stop();
    await store.close();
  } finally {
    await pub.endAsync(true);
    await city.close();
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
