// The city center reference server: HTTPS only (client certificates from the city CA), PostgreSQL
// through Kysely (PGlite by default, a real server by connection string).

import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { openCityDb, type CityDb } from './db';
import { CityService } from './service';
import { LiveHub } from './live';
import { createRouter, sendJson, type Route } from './http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Certificates } from './certs';
import { certRoutes } from './routes/certs';
import { syncRoutes } from './routes/sync';
import { adminRoutes } from './routes/admin';
import { consoleRoutes } from './console/routes';
import { open311Routes } from './open311/routes';
import { pkiPaths } from './pki';
import { BlobStore } from './blobs';
import path from 'node:path';
import { AlarmIntake } from './intake/alarms';
import { connectAlarmBroker, type AlarmBroker, type AlarmBrokerOptions } from './intake/mqtt';
import { IntakeCases } from './intake/cases';
import { zhenghaopaiRoutes } from './intake/zhenghaopai';
import { DigitalCityIntake, unknownCaseCategories } from './intake/digitalCity';
import { intakeAdminRoutes } from './intake/adminRoutes';
import { Police110Intake } from './intake/police110';
import { police110Routes } from './routes/police110';
import { SmsNotifier, type SmsOptions } from './sms/notifier';
import type { SmsGatewayConfig } from './sms/gateway';

export interface CityServerOptions {
  dataDir: string;
  databaseUrl?: string;
  host?: string;
  port?: number;
  now?: () => number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** Open311 POSTs allowed per API key and per client address per minute (default 60). */
  open311PerMinute?: number;
  /** Open live streams per street (default 4). */
  liveStreamsPerStreet?: number;
  /** The alarm broker to subscribe to (video-AI and IoT alarms); none when absent. */
  mqtt?: Omit<AlarmBrokerOptions, 'log'>;
  /** The operator's SMS platform (citizens told the ticket number and the result); none when absent. */
  sms?: SmsGatewayConfig & Pick<SmsOptions, 'retryDelaysMs' | 'pollMs'>;
  /** Extra route groups (e.g. Open311) mounted beside sync and admin. */
  extraRoutes?: (svc: CityService) => Route[];
}

/** Whether the client sent a certificate at all (getPeerCertificate() is empty when it did not). */
function hasPeerCertificate(sock: TLSSocket): boolean {
  const c = sock.getPeerCertificate();
  return !!c && Object.keys(c).length > 0;
}

export interface CityServer {
  url: string;
  port: number;
  svc: CityService;
  db: CityDb;
  live: LiveHub;
  certs: Certificates;
  server: https.Server;
  /** The alarm intake (always there: alarms may also be fed by tests or other transports). */
  alarms: AlarmIntake;
  /** 郑好拍 and 数字城管 cases (src/city/intake/cases.ts); `intake.onClosure` tells a notifier. */
  intake: IntakeCases;
  digitalCity: DigitalCityIntake;
  broker: AlarmBroker | null;
  /** 110 non-police transfers (the police dispatch system's routes). */
  police110: Police110Intake;
  /** SMS to citizens (inactive without a gateway; templates still editable). */
  sms: SmsNotifier;
  close(): Promise<void>;
}

export async function startCityServer(opts: CityServerOptions): Promise<CityServer> {
  const p = pkiPaths(opts.dataDir);
  for (const f of [p.caCert, p.serverCert, p.serverKey])
    if (!fs.existsSync(f)) throw new Error(`missing ${f}: run \`npm run -s city -- init-pki --data ${opts.dataDir}\` first`);
  const log = opts.log ?? ((msg, extra) => process.stderr.write(JSON.stringify({ level: 'info', msg, ...extra }) + '\n'));
  const db = await openCityDb({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  const live = new LiveHub(15_000, opts.liveStreamsPerStreet);
  const svc = new CityService(db.db, { now: opts.now, onFeed: (items) => live.publish(items) });
  const blobs = new BlobStore(path.join(opts.dataDir, 'blobs'));
  const certs = new Certificates(db.db, svc.now, log);
  await certs.load();
  const alarms = new AlarmIntake(svc, db.db, { blobs, now: opts.now, log });
  const intake = new IntakeCases(svc, db.db, blobs, log);
  const digitalCity = new DigitalCityIntake(intake, db.db);
  svc.addReferenceCheck((kind, payload) => (kind === 'caseCodeMap' ? unknownCaseCategories(payload).map((c) => `目录中没有类别编码 ${c}`) : []));
  svc.onReferencePublished(async (kind) => {
    if (kind === 'caseCodeMap') log('held 数字城管 cases dispatched after a new code table', { n: await digitalCity.retryHeld() });
  });
  const police110 = new Police110Intake(svc, db.db, { now: opts.now, log });
  const { retryDelaysMs, pollMs, ...gateway } = opts.sms ?? ({} as Partial<NonNullable<CityServerOptions['sms']>>);
  const sms = new SmsNotifier(svc, db.db, {
    gateway: opts.sms ? (gateway as SmsGatewayConfig) : null,
    police110Consent: (incidentNo) => police110.smsConsent(incidentNo),
    retryDelaysMs,
    pollMs,
    now: opts.now,
    log,
  });
  sms.start();
  const routes = [
    ...zhenghaopaiRoutes(intake),
    ...digitalCity.routes(),
    ...intakeAdminRoutes(intake, digitalCity),
    ...police110Routes(police110),
    ...syncRoutes(svc, live, blobs),
    ...adminRoutes(svc, live, blobs),
    ...certRoutes(svc, certs, live, opts.dataDir),
    ...consoleRoutes(svc, live, log, alarms, { certs, dataDir: opts.dataDir, intake, police110, sms }),
    ...open311Routes(svc, { log, perMinute: opts.open311PerMinute }),
    ...(opts.extraRoutes?.(svc) ?? []),
  ];
  const handler = createRouter(routes, log, { isRevoked: (req) => certs.isRevoked(req) });
  const server = https.createServer(
    {
      ca: fs.readFileSync(p.caCert),
      cert: fs.readFileSync(p.serverCert),
      key: fs.readFileSync(p.serverKey),
      // Streets and operators present a certificate from the city CA. Open311 clients present
      // none, so the handshake lets certificate-less clients through; the router serves them only
      // public routes (callerOf: no authorized certificate = no role), and a certificate that does
      // not verify against the city CA is cut right after the handshake (below).
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    (req, res) =>
      void handler(req, res).catch((err) => {
        // The router answers its own errors; this is the last net under it.
        log('request failed', { error: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: '服务器内部错误' });
        else res.destroy();
      }),
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Malformed HTTP (bad request line, oversized headers …): a plain 4xx, then close.
    if (!socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({ error: 'badRequest', message: status === 431 ? '请求头过大' : status === 408 ? '请求超时' : '请求格式不正确' });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  server.on('upgrade', (_req, socket: Duplex) => {
    // No route upgrades: refuse instead of leaving the socket hanging.
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n', () => socket.destroy());
  });
  // Every socket, whatever state it is in (mid-handshake, upgraded, draining): close() ends them all.
  const sockets = new Set<Duplex>();
  server.on('connection', (sock: Duplex) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  server.on('secureConnection', (sock: TLSSocket) => {
    if (!sock.authorized && hasPeerCertificate(sock)) {
      log('tls refused', { error: String(sock.authorizationError) });
      sock.destroy();
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on('tlsClientError', (err) => log('tls refused', { error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8443, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${opts.host ?? '127.0.0.1'}:${port}`;
  log('city server listening', { url, database: db.kind });
  // Embedded PGlite starts PostgreSQL without fsync (its fixed start parameters): a power cut can
  // lose the last acknowledged pushes. Fine for a trial or a demo; a city in service uses PostgreSQL.
  if (db.kind === 'pglite') log('embedded PGlite does not flush to disk on commit; run the city in service with --database-url (PostgreSQL)', { dataDir: opts.dataDir });
  const broker = opts.mqtt ? connectAlarmBroker(alarms, { ...opts.mqtt, log }) : null;
  return {
    url,
    port,
    svc,
    db,
    live,
    certs,
    server,
    alarms,
    intake,
    digitalCity,
    broker,
    police110,
    sms,
    close: async () => {
      await broker?.close();
      await sms.stop();
      await alarms.drain();
      live.close();
      server.closeAllConnections();
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    },
  };
}
