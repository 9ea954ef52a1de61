// `npm run city` — the city center reference server and its operator commands.
//
//   npm run city [-- --port 8443 --data ./city-data --database-url postgres://… --host 127.0.0.1]
//       [--mqtt mqtt://HOST:1883 [--mqtt-username U --mqtt-password P] [--mqtt-ca CA.pem]]   (video-AI and IoT alarms)
//   npm run -s city -- init-pki [--data DIR] [--hosts 127.0.0.1,localhost] [--streets CODE,CODE]
//   npm run -s city -- add-street CODE [--data DIR] [--node-hosts 192.168.1.20,host.lan]
//       (with --node-hosts also the street node's LAN HTTPS certificate, CODE.node.crt/.key)
//   npm run -s city -- dispatch --street CODE --text … --address … [--lon --lat --unit UNITCODE --phone --name]
//   npm run -s city -- directive --title … --body … [--priority normal|urgent|critical] [--deadline ISO] [--streets A,B]
//       [--run-mode daily|holiday|majorEvent|emergency [--run-mode-end ISO]]   (switches the streets' run mode)
//       [--district 410105]   (sent as that district's operations center, to its streets only;
//                              needs its credential: add-district)
//   npm run -s city -- review CODE --approve | --return REASON | --satisfaction satisfied|basicallySatisfied|unsatisfied
//       (12345 审核 of a street's result: approve, return for rework, or the citizen's callback; reaches the street)
//   npm run -s city -- directives [--district CODE]   (who has and has not acknowledged)
//   npm run -s city -- add-district CODE   (a district operations center's client credential)
//   npm run -s city -- publish-catalog FILE.json [--streets A,B]    (派单目录, see src/shared/sync/reference.ts)
//   npm run -s city -- publish-calendar FILE.json [--streets A,B]   (a year's holidays and 调休上班 days)
//   npm run -s city -- publish-grids FILE.geojson --street CODE [--version V]   (one street's grids)
//   npm run -s city -- publish-model DIR [--streets A,B]   (a text model version trained at the city)
//   npm run -s city -- references           (reference data published: applied / refused / pending per street)
//   npm run -s city -- training-data [--since ISO] > pooled.csv   (labelled tickets of every street, CSV
//       id,title,text,category with catalog codes: `npm run -s ai -- train --data pooled.csv --out DIR`)
//   npm run -s city -- whistle-response --street CODE --session ID --unit UNITCODE --state acknowledged|onSite|online|done [--name REP] [--note …]
//   npm run -s city -- ticket CODE|ID       (the city's copy of a ticket, as JSON)
//   npm run -s city -- streets
//   npm run -s city -- open311-key NAME   (prints a new Open311 API key; the city keeps only its hash)
//   npm run -s city -- init-pki --ca-out DIR   (the CA private key goes to DIR, off the server;
//       later add-street / add-district take --ca-key DIR/ca.key)
//   npm run -s city -- revoke CN|SERIAL [--reason …]   (a street/district code, city-admin, or a
//       certificate serial: on the deny list checked on every request)
//   npm run -s city -- revocations          (revoked certificates, and every certificate seen)
//   npm run -s city -- grant-run-mode DISTRICT [--off]   (lets a district center switch its streets' run mode)
//   npm run -s city -- grant-review DISTRICT [--off]   (delegates 12345 result review of the district's own
//       streets to its center; it then reviews with `review CODE … --district DISTRICT`)
//   npm run -s city -- add-intake-client zhenghaopai|digitalCity NAME   (client credential of the 郑好拍 app
//       platform or the 数字城管 system: OU = the channel, CN = NAME)
//   npm run -s city -- publish-case-codes [FILE.json] [--streets A,B]   (数字城管编码对照表, GB/T 30428 classes →
//       catalog codes; the shipped default: src/city/intake/data/digital-city-case-codes.json)
//   npm run -s city -- intake               (郑好拍 and 数字城管: counters by outcome and refusal, held cases)
//   serve options: --open311-rate N (Open311 POSTs per API key and per address per minute, default 60)
//       --sms-url URL --sms-account ACCOUNT --sms-key KEY (or CITY_SMS_URL/_ACCOUNT/_KEY): the operator's
//       SMS platform (citizens told the ticket number and the result; README “短信通知”)
//   npm run -s city -- add-police110 NAME   (the police dispatch system's client credential, OU=police110)
//   npm run -s city -- police110-incident NO   (the feedback record of a 110 transfer, as the police system reads it)
//   npm run -s city -- sms-stand-in [--port 9099] [--account dev] [--key devkey]   (a local stand-in for the
//       SMS platform, for development and tests — never the real gateway)
// Output: JSON lines on stdout; errors: one line on stderr, exit code 1.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INTAKE_CLIENT_ROLES, initPki, issueDistrictFiles, issueIntakeFiles, issuePolice110Files, issueStreetFiles, issueStreetNodeFiles, pkiPaths, type IntakeClientRole } from './pki';
import { DEFAULT_CASE_CODES_FILE } from './intake/digitalCity';
import { startSmsStandIn } from './sms/standIn';
import { POLICE110_PATH } from '../shared/intake/police110';
import { districtName, districtNames } from './divisions';
import { packModelDir } from './models';
import { startCityServer } from './server';
import { HttpsJson } from './client';
import { ADMIN_PATH } from './routes/admin';
import { openCityDb } from './db';
import { OPEN311_ADMIN_PATH } from './open311/routes';
import { createApiKey } from './open311/store';
import { Certificates } from './certs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    mqtt: { type: 'string' },
    'mqtt-username': { type: 'string' },
    'mqtt-password': { type: 'string' },
    'mqtt-ca': { type: 'string' },
    'database-url': { type: 'string' },
    host: { type: 'string' },
    'node-hosts': { type: 'string' },
    hosts: { type: 'string' },
    streets: { type: 'string' },
    url: { type: 'string' },
    street: { type: 'string' },
    text: { type: 'string' },
    address: { type: 'string' },
    lon: { type: 'string' },
    lat: { type: 'string' },
    unit: { type: 'string' },
    phone: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    priority: { type: 'string' },
    deadline: { type: 'string' },
    'run-mode': { type: 'string' },
    session: { type: 'string' },
    state: { type: 'string' },
    note: { type: 'string' },
    'run-mode-end': { type: 'string' },
    approve: { type: 'boolean' },
    return: { type: 'string' },
    satisfaction: { type: 'string' },
    district: { type: 'string' },
    since: { type: 'string' },
    version: { type: 'string' },
    'ca-out': { type: 'string' },
    'ca-key': { type: 'string' },
    reason: { type: 'string' },
    off: { type: 'boolean' },
    'open311-rate': { type: 'string' },
    'sms-url': { type: 'string' },
    'sms-account': { type: 'string' },
    'sms-key': { type: 'string' },
    account: { type: 'string' },
    key: { type: 'string' },
  },
});

const dataDir = path.resolve(values.data ?? process.env.CITY_DATA ?? './city-data');
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

function fail(msg: string): never {
  process.stderr.write(`city: ${msg}\n`);
  process.exit(1);
}

/** `--run-mode-end ISO` → epoch ms (null when absent). */
function runModeEnd(v: string | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) fail(`--run-mode-end ${v} is not a date`);
  return t;
}

/**
 * Runs `viaServer` against the running city server when there is one (a server.json in the data
 * directory, or --url), else — also when it refuses connections — `direct` on the database.
 */
async function serverOrDatabase<T>(databaseUrl: string | undefined, viaServer: (c: HttpsJson) => Promise<T>, direct: (db: Awaited<ReturnType<typeof openCityDb>>) => Promise<T>): Promise<T> {
  if (!databaseUrl && (values.url || fs.existsSync(path.join(dataDir, 'server.json')))) {
    const c = admin();
    try {
      return await viaServer(c);
    } catch (err) {
      if (!/ECONNREFUSED/.test(String((err as Error).message ?? err)) && (err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
    } finally {
      c.close();
    }
  }
  const db = await openCityDb({ dataDir, databaseUrl });
  try {
    return await direct(db);
  } finally {
    await db.close();
  }
}

/** The city operator's client (or, with --district, that district operations center's). */
function admin(): HttpsJson {
  const p = pkiPaths(dataDir);
  const cred = values.district ? p.district(values.district) : { cert: p.adminCert, key: p.adminKey };
  if (!fs.existsSync(cred.cert)) fail(values.district ? `no credential for district ${values.district} in ${p.dir}: run add-district ${values.district} first` : `no admin credential in ${p.dir}: run init-pki first`);
  let url = values.url;
  if (!url) {
    try {
      url = JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')).url as string;
    } catch {
      url = 'https://127.0.0.1:8443';
    }
  }
  return new HttpsJson(url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
}

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) fail(`--${name} is required`);
  return v;
}

async function main() {
  const cmd = positionals[0] ?? 'serve';
  switch (cmd) {
    case 'serve': {
      const port = values.port ? Number(values.port) : 8443;
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);
      const rate = values['open311-rate'] ? Number(values['open311-rate']) : undefined;
      if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) fail(`--open311-rate ${values['open311-rate']} is not a positive whole number`);
      const pki = initPki(dataDir);
      if (pki.created) out({ pki: 'created', dir: pki.paths.dir });
      // What slips past the request handlers is logged; the server goes on serving the others.
      const log = (level: string, msg: string, err: unknown) => process.stderr.write(JSON.stringify({ level, msg, error: err instanceof Error ? err.stack : String(err) }) + '\n');
      process.on('unhandledRejection', (err) => log('error', 'unhandled rejection (the server goes on)', err));
      process.on('uncaughtException', (err) => log('error', 'uncaught exception (the server goes on)', err));
      const mqttUrl = values.mqtt ?? process.env.CITY_MQTT_URL;
      if (mqttUrl && !/^(mqtts?|tcp|ssl|wss?):\/\/[^\s]+$/.test(mqttUrl)) fail(`--mqtt ${mqttUrl}: expected mqtt://HOST:PORT or mqtts://HOST:PORT`);
      if (values['mqtt-ca'] && !fs.existsSync(values['mqtt-ca'])) fail(`--mqtt-ca ${values['mqtt-ca']}: no such file`);
      const mqtt = mqttUrl
        ? { url: mqttUrl, username: values['mqtt-username'], password: values['mqtt-password'] ?? process.env.CITY_MQTT_PASSWORD, caFile: values['mqtt-ca'] }
        : undefined;
      const smsUrl = values['sms-url'] ?? process.env.CITY_SMS_URL;
      const smsAccount = values['sms-account'] ?? process.env.CITY_SMS_ACCOUNT;
      const smsKey = values['sms-key'] ?? process.env.CITY_SMS_KEY;
      if (smsUrl && !/^https?:\/\/\S+$/.test(smsUrl)) fail(`--sms-url ${smsUrl}: expected http(s)://HOST:PORT`);
      if (smsUrl && (!smsAccount || !smsKey)) fail('--sms-url needs --sms-account and --sms-key (or CITY_SMS_ACCOUNT / CITY_SMS_KEY)');
      const sms = smsUrl ? { baseUrl: smsUrl, account: smsAccount!, key: smsKey! } : undefined;
      const srv = await startCityServer({ dataDir, databaseUrl: values['database-url'] ?? process.env.CITY_DATABASE_URL, host: values.host ?? '127.0.0.1', port, mqtt, open311PerMinute: rate, sms });
      // Streets with a credential on disk are registered (so "all streets" directives reach them).
      const dir = path.join(pki.paths.dir, 'streets');
      if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (f.endsWith('.crt') && !f.endsWith('.node.crt')) await srv.svc.registerStreet(f.slice(0, -4));
      fs.writeFileSync(path.join(dataDir, 'server.json'), JSON.stringify({ url: srv.url, pid: process.pid }));
      out({ listening: srv.url, database: srv.db.kind, data: dataDir });
      const stop = async () => {
        await srv.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    case 'init-pki': {
      const hosts = (values.hosts ?? '127.0.0.1,localhost').split(',').map((s) => s.trim()).filter(Boolean);
      const r = initPki(dataDir, hosts, { caOut: values['ca-out'] });
      out({ pki: r.created ? 'created' : 'exists', dir: r.paths.dir, ca: r.paths.caCert, caKey: r.caKey, admin: r.paths.adminCert });
      for (const code of (values.streets ?? '').split(',').map((s) => s.trim()).filter(Boolean)) out({ street: code, ...issueStreetFiles(dataDir, code, r.caKey) });
      return;
    }
    case 'add-street': {
      const code = positionals[1] ?? fail('add-street needs a street code');
      initPki(dataDir);
      const nodeHosts = values['node-hosts']?.split(',').map((h) => h.trim()).filter(Boolean);
      out({ street: code, ...issueStreetFiles(dataDir, code, values['ca-key']), ...(nodeHosts ? issueStreetNodeFiles(dataDir, code, nodeHosts, values['ca-key']) : {}) });
      return;
    }
    case 'add-district': {
      const code = positionals[1] ?? fail('add-district needs a 6-digit district code (e.g. 410105)');
      if (!districtName(code)) fail(`${code} is not a district of this city (${Object.keys(districtNames()).join(', ')})`);
      initPki(dataDir);
      out({ district: code, name: districtName(code), ...issueDistrictFiles(dataDir, code, values['ca-key']) });
      return;
    }
    case 'add-police110': {
      const name = positionals[1] ?? fail('add-police110 needs a name for the police system (e.g. zz110)');
      initPki(dataDir);
      out({ police110: name, ...issuePolice110Files(dataDir, name, values['ca-key']) });
      return;
    }
    case 'police110-incident': {
      // As the police system reads it: with its credential (the first one issued, or --name).
      const no = positionals[1] ?? fail('police110-incident needs an incident number');
      const p = pkiPaths(dataDir);
      const dir = path.join(p.dir, 'police110');
      const name = values.name ?? (fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.crt'))?.slice(0, -4) : undefined);
      if (!name) fail('no police110 credential: run add-police110 NAME first');
      const cred = p.police110(name);
      let url = values.url;
      if (!url) url = fs.existsSync(path.join(dataDir, 'server.json')) ? (JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')).url as string) : 'https://127.0.0.1:8443';
      const c = new HttpsJson(url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
      try {
        out(await c.json('GET', `${POLICE110_PATH}/incidents/${encodeURIComponent(no)}`));
      } finally {
        c.close();
      }
      return;
    }
    case 'sms-stand-in': {
      const port = values.port ? Number(values.port) : 9099;
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);
      const s = await startSmsStandIn({ port, account: values.account ?? 'dev', key: values.key ?? 'devkey', log: (msg, extra) => out({ msg, ...extra }) });
      out({ smsStandIn: s.url, account: values.account ?? 'dev' });
      const stop = async () => {
        await s.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    case 'publish-catalog':
    case 'publish-calendar':
    case 'publish-grids': {
      const kind = cmd.slice('publish-'.length) as 'catalog' | 'calendar' | 'grids';
      const file = positionals[1] ?? fail(`${cmd} needs a file`);
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch (err) {
        fail(`cannot read ${file}: ${(err as Error).message}`);
      }
      let streets = values.streets?.split(',').map((s) => s.trim()).filter(Boolean);
      if (kind === 'grids') {
        // A grid file is a GeoJSON FeatureCollection for one street.
        streets = [need('street')];
        payload = { version: values.version ?? new Date().toISOString().slice(0, 10), geojson: payload };
      }
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/reference/${kind}`, { payload, streets }));
      c.close();
      return;
    }
    case 'publish-model': {
      const dir = positionals[1] ?? fail('publish-model needs a model directory (model.json, card.json, weights.bin)');
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/models${values.streets ? `?streets=${encodeURIComponent(values.streets)}` : ''}`, packModelDir(dir)));
      c.close();
      return;
    }
    case 'references': {
      const c = admin();
      for (const p of await c.json<unknown[]>('GET', `${ADMIN_PATH}/reference`)) out(p);
      c.close();
      return;
    }
    case 'training-data': {
      const since = values.since ? Date.parse(values.since) : undefined;
      if (values.since && !Number.isFinite(since)) fail(`--since ${values.since} is not a date`);
      const c = admin();
      const rows = await c.json<Array<{ id: string; text: string; category: string }>>('GET', `${ADMIN_PATH}/training-data${since != null ? `?since=${since}` : ''}`);
      c.close();
      // CSV (RFC 4180: every field quoted) in the format `ai train` reads.
      const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
      process.stdout.write(['id,title,text,category', ...rows.map((r) => [r.id, '', r.text, r.category].map(q).join(','))].join('\n') + '\n');
      process.stderr.write(`city: ${rows.length} labelled tickets\n`);
      return;
    }
    case 'dispatch': {
      const c = admin();
      const body = {
        street: need('street'),
        text: need('text'),
        address: need('address'),
        ...(values.lon ? { lon: Number(values.lon) } : {}),
        ...(values.lat ? { lat: Number(values.lat) } : {}),
        ...(values.unit ? { unit: values.unit } : {}),
        ...(values.phone ? { reporterPhone: values.phone } : {}),
        ...(values.name ? { reporterName: values.name } : {}),
      };
      out(await c.json('POST', `${ADMIN_PATH}/dispatch`, body));
      c.close();
      return;
    }
    case 'directive': {
      const c = admin();
      const deadline = values.deadline ? Date.parse(values.deadline) : null;
      if (values.deadline && !Number.isFinite(deadline)) fail(`--deadline ${values.deadline} is not a date`);
      const body = {
        title: need('title'),
        body: need('body'),
        priority: values.priority ?? 'normal',
        deadline,
        ...(values['run-mode'] ? { runMode: { mode: values['run-mode'], end: runModeEnd(values['run-mode-end']) } } : {}),
        ...(values.streets ? { streets: values.streets.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      };
      out(await c.json('POST', `${ADMIN_PATH}/directives`, body));
      c.close();
      return;
    }
    case 'whistle-response': {
      const c = admin();
      out(
        await c.json('POST', `${ADMIN_PATH}/whistle-responses`, {
          street: need('street'),
          sessionId: need('session'),
          unitCode: need('unit'),
          state: need('state'),
          repName: values.name ?? null,
          note: values.note ?? null,
        }),
      );
      c.close();
      return;
    }
    case 'directives': {
      const c = admin(); // with --district: that district's directives only
      for (const d of await c.json<unknown[]>('GET', `${ADMIN_PATH}/directives`)) out(d);
      c.close();
      return;
    }
    case 'review': {
      const id = positionals[1] ?? fail('review needs a ticket code or id');
      const given = [values.approve, values.return !== undefined, values.satisfaction !== undefined].filter(Boolean).length;
      if (given !== 1) fail('review needs exactly one of --approve, --return REASON, --satisfaction satisfied|basicallySatisfied|unsatisfied');
      const body = values.approve
        ? { decision: 'approve', ...(values.note ? { note: values.note } : {}) }
        : values.return !== undefined
          ? { decision: 'return', reason: values.return }
          : { decision: 'callback', satisfaction: values.satisfaction, ...(values.note ? { note: values.note } : {}) };
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/tickets/${encodeURIComponent(id)}/review`, body));
      c.close();
      return;
    }
    case 'ticket': {
      const id = positionals[1] ?? fail('ticket needs a ticket code or id');
      const c = admin();
      out(await c.json('GET', `${ADMIN_PATH}/tickets/${encodeURIComponent(id)}`));
      c.close();
      return;
    }
    case 'streets': {
      const c = admin();
      out(await c.json('GET', `${ADMIN_PATH}/streets`));
      c.close();
      return;
    }
    case 'open311-key': {
      // Prints a new Open311 API key for a 311 app; the city keeps only its hash. Through the
      // running server when there is one (PGlite's directory is its alone), else straight to the
      // database.
      const name = positionals[1] ?? fail('open311-key needs a name (the 311 app or partner the key is for)');
      const databaseUrl = values['database-url'] ?? process.env.CITY_DATABASE_URL;
      out(await serverOrDatabase(databaseUrl, (c) => c.json('POST', `${OPEN311_ADMIN_PATH}/keys`, { name }), (db) => createApiKey(db.db, name)));
      return;
    }
    case 'revoke': {
      const target = positionals[1] ?? fail('revoke needs a certificate name (street or district code, city-admin) or a serial');
      const databaseUrl = values['database-url'] ?? process.env.CITY_DATABASE_URL;
      // No server running (or a shared PostgreSQL): straight to the database; a running server reads it within seconds.
      out(
        await serverOrDatabase(
          databaseUrl,
          (c) => c.json('POST', `${ADMIN_PATH}/revocations`, { target, ...(values.reason ? { reason: values.reason } : {}) }),
          async (db) => {
            const certs = new Certificates(db.db, Date.now, () => {});
            return certs.revoke({ ...(await certs.resolve(target, dataDir)), reason: values.reason ?? null });
          },
        ),
      );
      return;
    }
    case 'revocations': {
      const c = admin();
      out(await c.json('GET', `${ADMIN_PATH}/revocations`));
      c.close();
      return;
    }
    case 'grant-review': {
      const code = positionals[1] ?? fail('grant-review needs a 6-digit district code');
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/districts/${encodeURIComponent(code)}/grants`, { review: !values.off }));
      c.close();
      return;
    }
    case 'add-intake-client': {
      const role = positionals[1] ?? fail(`add-intake-client needs a channel (${INTAKE_CLIENT_ROLES.join(', ')}) and a name`);
      const name = positionals[2] ?? fail('add-intake-client needs a name for the client (e.g. app-platform)');
      if (!(INTAKE_CLIENT_ROLES as readonly string[]).includes(role)) fail(`${role} is not an intake channel (${INTAKE_CLIENT_ROLES.join(', ')})`);
      initPki(dataDir);
      out({ channel: role, name, ...issueIntakeFiles(dataDir, role as IntakeClientRole, name, values['ca-key']) });
      return;
    }
    case 'publish-case-codes': {
      const file = positionals[1] ?? DEFAULT_CASE_CODES_FILE;
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch (err) {
        fail(`cannot read ${file}: ${(err as Error).message}`);
      }
      const streets = values.streets?.split(',').map((s) => s.trim()).filter(Boolean);
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/reference/caseCodeMap`, { payload, streets }));
      c.close();
      return;
    }
    case 'intake': {
      const c = admin();
      out(await c.json('GET', `${ADMIN_PATH}/intake`));
      c.close();
      return;
    }
    case 'grant-run-mode': {
      const code = positionals[1] ?? fail('grant-run-mode needs a 6-digit district code');
      const c = admin();
      out(await c.json('POST', `${ADMIN_PATH}/districts/${encodeURIComponent(code)}/grants`, { runMode: !values.off }));
      c.close();
      return;
    }
    default:
      fail(
        `unknown command ${cmd} (serve, init-pki, revoke, revocations, grant-run-mode, grant-review, add-intake-client, publish-case-codes, intake, add-street, add-district, dispatch, directive, directives, whistle-response, review, ticket, streets, open311-key, publish-catalog, publish-calendar, publish-grids, publish-model, references, training-data)`,
      );
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
