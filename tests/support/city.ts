// A real city server for tests: its own CA and credentials in a temp dir, HTTPS on a free port,
// on embedded PGlite — or on the real PostgreSQL server named by CITY_TEST_PG_URL (a fresh
// database per server, so runs do not see each other).

import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { initPki, issueStreetFiles, pkiPaths } from '../../src/city/pki';
import { startCityServer, type CityServer, type CityServerOptions } from '../../src/city/server';
import { tempDir } from './fixture';
import type { CityCredential } from '../../src/main/sync/transport';

export const PG_URL = process.env.CITY_TEST_PG_URL;

let pkiTemplate: string | null = null;
function sharedPki(): string {
  if (!pkiTemplate) {
    pkiTemplate = tempDir('chengyun-pki-');
    initPki(pkiTemplate);
  }
  return pkiTemplate;
}

let dbCounter = 0;
/** A new, empty database on the test PostgreSQL server; returns its connection string. */
export async function freshPgDatabase(base: string): Promise<string> {
  const name = `city_test_${process.pid}_${Date.now()}_${dbCounter++}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestCity {
  dataDir: string;
  databaseUrl?: string;
  server: CityServer;
  credential(street: string, as?: string): CityCredential;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCity(
  opts: {
    streets?: string[];
    port?: number;
    postgres?: boolean;
    dataDir?: string;
    now?: () => number;
    open311PerMinute?: number;
    liveStreamsPerStreet?: number;
    sms?: CityServerOptions['sms'];
    /** The server's log (silent by default). */
    log?: (msg: string, extra?: Record<string, unknown>) => void;
  } = {},
): Promise<TestCity> {
  const dataDir = opts.dataDir ?? tempDir('chengyun-city-');
  // RSA key generation is the slow part: one PKI per test process, copied into each city's data.
  if (!fs.existsSync(pkiPaths(dataDir).caCert)) {
    const tpl = sharedPki();
    for (const s of opts.streets ?? ['410105001']) if (!fs.existsSync(pkiPaths(tpl).street(s).cert)) issueStreetFiles(tpl, s);
    fs.cpSync(pkiPaths(tpl).dir, pkiPaths(dataDir).dir, { recursive: true });
  }
  for (const s of opts.streets ?? ['410105001']) if (!fs.existsSync(pkiPaths(dataDir).street(s).cert)) issueStreetFiles(dataDir, s);
  const databaseUrl = (opts.postgres ?? !!PG_URL) && PG_URL ? await freshPgDatabase(PG_URL) : undefined;
  const start = (port: number) =>
    startCityServer({ dataDir, databaseUrl, port, now: opts.now, log: opts.log ?? (() => {}), open311PerMinute: opts.open311PerMinute, liveStreamsPerStreet: opts.liveStreamsPerStreet, sms: opts.sms });
  let server = await start(opts.port ?? 0);
  for (const s of opts.streets ?? ['410105001']) await server.svc.registerStreet(s);
  const city: TestCity = {
    dataDir,
    databaseUrl,
    server,
    credential(street, as = street) {
      const p = pkiPaths(dataDir);
      const f = p.street(street);
      return { url: server.url, ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(f.cert), key: fs.readFileSync(f.key), streetCode: as };
    },
    async restart() {
      const port = server.port;
      await server.close();
      server = await start(port);
      city.server = server;
    },
    async close() {
      await server.close();
    },
  };
  return city;
}

export function streetCredFiles(dataDir: string, street: string) {
  const p = pkiPaths(dataDir);
  const f = p.street(street);
  return { caFile: p.caCert, certFile: f.cert, keyFile: f.key };
}

export { path };
