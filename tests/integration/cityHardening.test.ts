// The city server against hostile requests and misused credentials, over real HTTPS: `GET //`
// without a certificate (a known crasher) and its kin get a 4xx and the server goes on; revoked
// certificates are refused on every request; a district speaks only as itself and switches run
// modes only when granted; Open311 POSTs are rate-limited (429 in the spec's format); a body over
// the limit gets a 413 the client reads; live streams per street are bounded; an Open311 request
// for a street not yet connected is held and dispatched when the street connects; the CA key can
// live off the server.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../support/city';
import { rawGet, rawRequest } from '../support/raw';
import { tempDir } from '../support/fixture';
import { initPki, issueDistrictFiles, issueStreetFiles, pkiPaths } from '../../src/city/pki';
import { startCityServer } from '../../src/city/server';
import { createApiKey } from '../../src/city/open311/store';
import { ADMIN_PATH } from '../../src/city/routes/admin';
import { SYNC_PATH } from '../../src/shared/sync/protocol';

const JBL = '410105001';
const UNCONNECTED = '410105007'; // 南阳新村街道: in the outlines, no credential yet
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
let now = T0;
let city: TestCity;
let key: string;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function cred(kind: 'admin' | 'street' | 'district', code = JBL) {
  const p = pkiPaths(city.dataDir);
  const f = kind === 'admin' ? { cert: p.adminCert, key: p.adminKey } : kind === 'street' ? p.street(code) : p.district(code);
  return { cert: fs.readFileSync(f.cert), key: fs.readFileSync(f.key) };
}

function call(method: string, target: string, opts: { as?: { cert: Buffer; key: Buffer }; body?: string | Buffer; type?: string; headers?: Record<string, string>; from?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(target, city.server.url),
      {
        method,
        agent: false,
        ca: fs.readFileSync(pkiPaths(city.dataDir).caCert),
        ...(opts.from ? { localAddress: opts.from } : {}),
        ...(opts.as ?? {}),
        headers: { ...(opts.body !== undefined ? { 'content-type': opts.type ?? 'application/json', 'content-length': Buffer.byteLength(opts.body) } : {}), ...opts.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: any = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** `from`: another loopback address (127.0.0.x) as the client's. */
const open311 = (form: Record<string, string>, from?: string) =>
  call('POST', '/open311/v2/requests.json', { body: new URLSearchParams(form).toString(), type: 'application/x-www-form-urlencoded', from });

async function stillAnswers() {
  expect((await call('GET', '/open311/v2/services.json')).status).toBe(200);
  expect((await call('GET', `${SYNC_PATH}/pull?after=0`, { as: cred('street') })).status).toBe(200);
  expect(unhandled).toEqual([]);
}

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  city = await startTestCity({ streets: [JBL], now: () => now, open311PerMinute: 5, liveStreamsPerStreet: 2 });
  issueDistrictFiles(city.dataDir, '410105');
  key = (await createApiKey(city.server.db.db, '测试应用')).key;
});
afterAll(async () => {
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
  await city?.close();
});

describe('city server: malformed requests', () => {
  it('GET // without a client certificate gets a 4xx and the server goes on', async () => {
    const port = city.server.port;
    const r = await rawGet({ port, tls: true }, '//');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('请求地址不正确');
    for (const target of ['///', '//console', 'https://evil/x', '*', '/open311/v2/requests/%E0%A4%A.json', '/%E0%A4%A', `${SYNC_PATH}/tickets/%E0%A4%A`, '/console/tickets/%E0%A4%A'])
      expect((await rawGet({ port, tls: true }, target)).status, target).toBeLessThan(500);
    // With a certificate too.
    const admin = cred('admin');
    for (const target of ['//', `${ADMIN_PATH}/tickets/%E0%A4%A`]) expect((await rawGet({ port, tls: admin }, target)).status, target).toBe(400);
    await stillAnswers();
  });

  it('absurd headers, unknown methods, WebSocket upgrades, bad bodies: 4xx', async () => {
    const port = city.server.port;
    expect((await rawGet({ port, tls: true }, '/open311/v2/services.json', { 'x-big': 'x'.repeat(70_000) })).status).toBe(431);
    expect((await rawRequest({ port, tls: true }, `BREW /open311/v2/services.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)).status).toBeGreaterThanOrEqual(400);
    expect((await rawRequest({ port, tls: true }, `GET // HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n`)).status).toBe(404);
    const admin = { as: cred('admin') };
    const notJson = await call('POST', `${ADMIN_PATH}/directives`, { ...admin, body: '{nope' });
    expect([notJson.status, notJson.json.message]).toEqual([400, '请求数据不是有效的 JSON']);
    expect((await call('POST', `${ADMIN_PATH}/directives`, { ...admin, body: '{}', type: 'text/plain' })).status).toBe(415);
    expect((await call('PUT', `${ADMIN_PATH}/directives`, admin)).status).toBe(405);
    await stillAnswers();
  });

  it('a body over the limit gets a 413 the client actually receives (JSON route and Open311 form)', async () => {
    const big = await call('POST', `${SYNC_PATH}/push`, { as: cred('street'), body: JSON.stringify({ ops: [], pad: 'x'.repeat(33 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(big.json.message).toBe('提交的数据过大');
    const form = await open311({ api_key: key, description: 'x'.repeat(300 * 1024) });
    expect(form.status).toBe(413);
    expect(form.json).toEqual([{ code: 413, description: expect.stringContaining('表单超过') }]);
    await stillAnswers();
  });
});

describe('city server: credentials', () => {
  it('a district sends directives only as itself, and switches run modes only when granted', async () => {
    const district = { as: cred('district', '410105') };
    const d = await call('POST', `${ADMIN_PATH}/directives`, { ...district, body: JSON.stringify({ title: '防汛检查', body: '请各街道检查排水设施', issuedBy: '市城运中心' }) });
    expect(d.status).toBe(200);
    expect(d.json.issuedBy).toBe('金水区城运中心');
    const mode = JSON.stringify({ title: '进入应急模式', body: '暴雨红色预警', runMode: { mode: 'emergency' } });
    const refused = await call('POST', `${ADMIN_PATH}/directives`, { ...district, body: mode });
    expect([refused.status, refused.json.error]).toEqual([403, 'runModeNotGranted']);
    // A district cannot grant itself.
    expect((await call('POST', `${ADMIN_PATH}/districts/410105/grants`, { ...district, body: JSON.stringify({ runMode: true }) })).status).toBe(403);
    expect((await call('POST', `${ADMIN_PATH}/districts/410105/grants`, { as: cred('admin'), body: JSON.stringify({ runMode: true }) })).status).toBe(200);
    const granted = await call('POST', `${ADMIN_PATH}/directives`, { ...district, body: mode });
    expect([granted.status, granted.json.runMode?.mode]).toEqual([200, 'emergency']);
  });

  it('a revoked certificate is refused on every request; the console lists it', async () => {
    const code = '410105009';
    issueStreetFiles(city.dataDir, code);
    const street = { as: cred('street', code) };
    expect((await call('GET', `${SYNC_PATH}/pull?after=0`, street)).status).toBe(200);
    const r = await call('POST', `${ADMIN_PATH}/revocations`, { as: cred('admin'), body: JSON.stringify({ target: code, reason: '设备丢失' }) });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ cn: code, role: 'street', reason: '设备丢失' });
    const refused = await call('GET', `${SYNC_PATH}/pull?after=0`, street);
    expect([refused.status, refused.json.message]).toEqual([403, '证书已吊销']);
    expect((await call('GET', '/open311/v2/services.json', street)).status).toBe(403);
    // Others go on.
    await stillAnswers();
    const page = await call('GET', '/console', { as: cred('admin') });
    expect(page.text).toContain('data-testid="revoked-row"');
    expect(page.text).toContain(r.json.serial);
    expect(page.text).toContain('设备丢失');
    // The console revokes too (by serial, from the list of certificates seen).
    const districtSerial = (await city.server.certs.seenList()).find((c) => c.cn === '410105')!.serial;
    const form = await call('POST', '/console/revoke', { as: cred('admin'), body: `target=${districtSerial}`, type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(303);
    expect((await call('GET', `${ADMIN_PATH}/directives`, { as: cred('district', '410105') })).status).toBe(403);
    // An unknown name is refused in Chinese and changes nothing.
    const bad = await call('POST', '/console/revoke', { as: cred('admin'), body: 'target=nobody', type: 'application/x-www-form-urlencoded' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('没有找到这张证书');
  });

  it('a console dispatch with a field left empty asks for it by name; one too short says so; nothing is sent', async () => {
    const form = (body: string) => call('POST', '/console/dispatch', { as: cred('admin'), body, type: 'application/x-www-form-urlencoded' });
    const feedBefore = await city.server.svc.pull(JBL, 0, 1000);
    const empty = await form(`street=${JBL}&text=&address=${encodeURIComponent('经八路与纬二路口')}`);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请填写诉求内容');
    const missing = await form(`street=${JBL}&address=${encodeURIComponent('经八路与纬二路口')}`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('请填写诉求内容');
    const short = await form(`street=${JBL}&text=${encodeURIComponent('路灯')}&address=${encodeURIComponent('经八路与纬二路口')}`);
    expect(short.status).toBe(400);
    expect(short.text).toContain('诉求内容太短（至少5个字）');
    expect((await city.server.svc.pull(JBL, 0, 1000)).items).toHaveLength(feedBefore.items.length);
  });

  it('live streams per street are bounded (429 past the limit)', async () => {
    const opened: ReturnType<typeof https.request>[] = [];
    const open = () =>
      new Promise<number>((resolve, reject) => {
        const req = https.request(new URL(`${SYNC_PATH}/live`, city.server.url), { agent: false, ca: fs.readFileSync(pkiPaths(city.dataDir).caCert), ...cred('street') }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
        opened.push(req);
      });
    try {
      expect(await open()).toBe(200);
      expect(await open()).toBe(200);
      expect(await open()).toBe(429);
    } finally {
      for (const r of opened) r.destroy();
    }
  });
});

describe('Open311 limits and held requests', () => {
  it('POSTs past the per-address and per-key limits get 429 with Retry-After in the spec’s error format; field lengths are limited', async () => {
    now += 61_000;
    const k2 = (await createApiKey(city.server.db.db, '限流测试')).key;
    const tooLong = await open311({ api_key: k2, service_code: '0602', lat: '34.7752', long: '113.6702', zipcode: '4'.repeat(30), 'attribute[LAMP_FAULT]': '1' }, '127.0.0.2');
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('zipcode 不能超过 20 个字符');
    // Per key: five from five addresses, the sixth (from a fresh address) is refused.
    for (let i = 3; i < 7; i++) expect((await open311({ api_key: k2, service_code: '9999' }, `127.0.0.${i}`)).status).toBe(400);
    const byKey = await open311({ api_key: k2, service_code: '9999' }, '127.0.0.20');
    expect(byKey.status).toBe(429);
    expect(Number(byKey.headers['retry-after'])).toBeGreaterThan(0);
    expect(byKey.json).toEqual([{ code: 429, description: expect.stringContaining('每个 API 密钥每分钟至多 5 次') }]);
    // Per address: five with different (wrong) keys, then the sixth.
    for (let i = 0; i < 5; i++) expect((await open311({ api_key: `o311_wrong${i}`, service_code: '9999' }, '127.0.0.30')).status).toBe(403);
    const byAddress = await open311({ api_key: 'o311_wrong9', service_code: '9999' }, '127.0.0.30');
    expect(byAddress.status).toBe(429);
    expect(byAddress.json).toEqual([{ code: 429, description: expect.stringContaining('每个地址每分钟至多 5 次') }]);
    // The window passes.
    now += 61_000;
    expect((await open311({ api_key: k2, service_code: '9999' }, '127.0.0.30')).status).toBe(400);
  });

  it('an Open311 request for a street not yet connected is held, listed in the console, and dispatched when the street connects', async () => {
    now += 61_000;
    const r = await open311({ api_key: key, service_code: '0602', lat: '34.7740', long: '113.6500', description: '南阳新村附近路灯不亮', 'attribute[LAMP_FAULT]': '1' });
    expect(r.status).toBe(200);
    expect(r.json[0]).toMatchObject({ service_request_id: '', service_notice: expect.stringContaining('尚未接入') });
    const token = r.json[0].token as string;
    expect((await call('GET', `/open311/v2/tokens/${token}.json`)).json).toEqual([{ service_request_id: '', token }]);
    const page = await call('GET', '/console', { as: cred('admin') });
    expect(page.text).toContain('data-testid="held-row"');
    expect(page.text).toContain('南阳新村附近路灯不亮');
    // The street connects: its first request registers it, and the held request becomes its ticket.
    issueStreetFiles(city.dataDir, UNCONNECTED);
    const pull = await call('GET', `${SYNC_PATH}/pull?after=0`, { as: cred('street', UNCONNECTED) });
    expect(pull.status).toBe(200);
    const dispatched = pull.json.items.filter((i: any) => i.kind === 'ticket.dispatched');
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0].payload.ticket.description).toContain('南阳新村附近路灯不亮');
    const byToken = await call('GET', `/open311/v2/tokens/${token}.json`);
    expect(byToken.json[0].service_request_id).toMatch(/^12345-/);
    expect((await call('GET', '/console', { as: cred('admin') })).text).not.toContain('data-testid="held-row"');
  });
});

describe('CA key off the server', () => {
  it('init-pki --ca-out keeps the CA key out of the data directory; the server runs on the certificate alone', async () => {
    const data = tempDir('chengyun-city-ca-');
    const offline = tempDir('chengyun-ca-offline-');
    const r = initPki(data, ['127.0.0.1'], { caOut: offline });
    expect(r.caKey).toBe(path.join(offline, 'ca.key'));
    expect(fs.existsSync(pkiPaths(data).caKey)).toBe(false);
    expect(fs.readdirSync(path.join(data, 'pki')).some((f) => /key/.test(f) && f.startsWith('ca'))).toBe(false);
    expect(() => issueStreetFiles(data, JBL)).toThrow(/--ca-key/);
    issueStreetFiles(data, JBL, r.caKey);
    expect(() => initPki(tempDir(), ['127.0.0.1'], { caOut: path.join(data, 'inside') })).not.toThrow();
    const d2 = tempDir();
    expect(() => initPki(d2, ['127.0.0.1'], { caOut: path.join(d2, 'keys') })).toThrow(/inside the server's data directory/);
    const srv = await startCityServer({ dataDir: data, port: 0, log: () => {} });
    try {
      const res = await rawGet({ port: srv.port, tls: true }, '/open311/v2/services.json');
      expect(res.status).toBe(200);
    } finally {
      await srv.close();
    }
  });
});
