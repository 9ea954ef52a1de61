// Open311 GeoReport v2 on the real city server over real HTTPS, as a 311 app uses it: no client
// certificate, an API key on POST. A filed request becomes a city ticket dispatched to the street
// whose outline contains the point, reaches the real street node through sync, and its accept and
// resolve there come back as open → closed with Chinese status notes. XML (parsed by an independent
// parser) and JSON carry the same content. PGlite, or PostgreSQL when CITY_TEST_PG_URL is set.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, PG_URL, freshPgDatabase, type TestCity } from '../support/city';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { pkiPaths, createCa, issueClientCert } from '../../src/city/pki';
import { createApiKey } from '../../src/city/open311/store';
import { openCityDb } from '../../src/city/db';
import { SyncClient } from '../../src/main/sync/client';
import { CATALOG } from '../../src/main/demo/catalog';
import { setSetting } from '../../src/main/services/core/settings';

const JBL = '410105001'; // 经八路街道
const HYL = '410105002'; // 花园路街道 (east of 经八路)
const IN_JBL = { lat: '34.7752', long: '113.6702' };
const IN_HYL = { lat: '34.7740', long: '113.6900' };
const BASE = '/open311/v2';
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 24 * 3600_000;

let city: TestCity;
let cityNow = T0;
let key: string;
let ca: Buffer;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function call(method: 'GET' | 'POST', path: string, opts: { form?: Record<string, string | string[]>; cert?: { cert: string | Buffer; key: string | Buffer }; contentType?: string } = {}): Promise<Res> {
  let body: Buffer | undefined;
  if (opts.form) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    body = Buffer.from(p.toString());
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, city.server.url),
      {
        method,
        agent: false,
        ca,
        ...(opts.cert ?? {}),
        headers: body ? { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', 'content-length': body.length } : {},
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const LISTS = ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'];
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => LISTS.includes(name) });
const ITEM: Record<string, string> = { services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };

/** What an XML document parses to, given the JSON document of the same resource. */
function xmlShape(v: unknown, key: string): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.length ? { [ITEM[key]!]: v.map((x) => xmlShape(x, ITEM[key]!)) } : '';
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, xmlShape(x, k)]));
}

/** GETs a resource in both formats; checks XML is well-formed, UTF-8 declared, and carries exactly the JSON's content. */
async function both(path: string, root: string): Promise<{ status: number; json: any; xml: any; headers: Res['headers'] }> {
  const [x, j] = await Promise.all([call('GET', `${BASE}/${path.replace('{fmt}', 'xml')}`), call('GET', `${BASE}/${path.replace('{fmt}', 'json')}`)]);
  expect(x.status).toBe(j.status);
  expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(j.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(x.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const xml = parser.parse(x.text);
  const json = JSON.parse(j.text);
  expect(Object.keys(xml).filter((k) => k !== '?xml')).toEqual([root]);
  expect(xml[root]).toEqual(xmlShape(json, root));
  return { status: j.status, json, xml: xml[root], headers: j.headers };
}

async function post(form: Record<string, string | string[]>, fmt: 'xml' | 'json' = 'json') {
  const r = await call('POST', `${BASE}/requests.${fmt}`, { form });
  return { status: r.status, body: fmt === 'json' ? JSON.parse(r.text) : parser.parse(r.text), text: r.text };
}

const good = (extra: Record<string, string | string[]> = {}) => ({
  api_key: key,
  service_code: '0602',
  ...IN_JBL,
  description: '体育场路往北一段路灯都不亮，晚上很黑',
  'attribute[LAMP_FAULT]': '1',
  'attribute[LAMP_COUNT]': '3',
  ...extra,
});

beforeAll(async () => {
  city = await startTestCity({ streets: [JBL, HYL], now: () => cityNow });
  ca = fs.readFileSync(pkiPaths(city.dataDir).caCert);
  key = (await createApiKey(city.server.db.db, '郑好办测试')).key;
});
afterAll(async () => {
  await city?.close();
});

describe(`Open311 GeoReport v2 (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a client without a certificate reaches Open311 but no sync or admin route, and learns nothing there', async () => {
    expect((await call('GET', `${BASE}/discovery.xml`)).status).toBe(200);
    const nothing = await call('GET', '/no/such/path');
    expect(nothing.status).toBe(404);
    for (const [m, p] of [
      ['GET', '/sync/v1/pull?after=0'],
      ['POST', '/sync/v1/push'],
      ['GET', '/sync/v1/live'],
      ['GET', '/sync/v1/tickets/x'],
      ['GET', '/admin/v1/streets'],
      ['POST', '/admin/v1/dispatch'],
      ['POST', '/admin/v1/open311/keys'],
    ] as const) {
      const r = await call(m, p, m === 'POST' ? { form: {} } : {});
      // Exactly what a path that does not exist answers.
      expect([p, r.status, r.text]).toEqual([p, nothing.status, nothing.text]);
    }
    // A street's certificate still works on its routes.
    const s = pkiPaths(city.dataDir).street(JBL);
    const own = await call('GET', '/sync/v1/pull?after=0', { cert: { cert: fs.readFileSync(s.cert), key: fs.readFileSync(s.key) } });
    expect(own.status).toBe(200);
    // A certificate from another CA is cut right after the handshake, on every path.
    const rogue = issueClientCert(createCa(), JBL, 'street');
    await expect(call('GET', `${BASE}/services.json`, { cert: rogue })).rejects.toThrow();
    await expect(call('GET', '/sync/v1/pull?after=0', { cert: rogue })).rejects.toThrow();
  });

  it('discovery and the services list, in XML and JSON', async () => {
    const d = await both('discovery.{fmt}', 'discovery');
    expect(d.json.endpoints).toEqual([expect.objectContaining({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] })]);
    expect(d.json.endpoints[0].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/open311\/v2\/$/);
    const s = await both('services.{fmt}', 'services');
    // The street's default catalog, leaf for leaf (the city keeps its own copy).
    expect(s.json.map((x: any) => [x.service_code, x.service_name, x.group])).toEqual(CATALOG.flatMap((t) => t.leaves.map((l) => [l.code, l.name, t.name])));
    expect(s.json.find((x: any) => x.service_code === '0602')).toMatchObject({ service_name: '路灯不亮', group: '公共设施', metadata: true, type: 'realtime' });
    expect(s.json.find((x: any) => x.service_code === '0101')).toMatchObject({ service_name: '暴露垃圾', group: '市容环境', metadata: false });
    expect(s.xml.service.find((x: any) => x.service_code === '0602').metadata).toBe('true');
  });

  it('service definitions carry attributes; unknown or attribute-less services are 404 in the spec’s error format', async () => {
    const d = await both('services/0602.{fmt}', 'service_definition');
    expect(d.json.service_code).toBe('0602');
    expect(d.json.attributes.map((a: any) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['LAMP_FAULT', 'singlevaluelist', true, 1],
      ['LAMP_COUNT', 'number', false, 2],
      ['POLE_NO', 'string', false, 3],
    ]);
    expect(d.json.attributes[0].values[0]).toEqual({ key: '1', name: '不亮' });
    expect(d.xml.attributes.attribute[0].values.value.map((v: any) => v.name)).toEqual(['不亮', '闪烁', '白天常亮', '灯杆倾斜或破损']);
    const none = await both('services/9999.{fmt}', 'errors');
    expect(none.status).toBe(404);
    expect(none.json).toEqual([{ code: 404, description: expect.stringContaining('9999') }]);
    expect((await both('services/0101.{fmt}', 'errors')).status).toBe(404);
    const bad = await call('GET', `${BASE}/nothing.xml`);
    expect(bad.status).toBe(404);
    expect(parser.parse(bad.text).errors.error[0].code).toBe('404');
  });

  it('POST refuses a missing or wrong api_key (403) and bad fields (400), each in the spec’s format, and files nothing', async () => {
    const before = await city.server.svc.streetTickets(JBL);
    for (const api_key of [undefined, 'o311_not-a-key']) {
      const form = good(api_key ? { api_key } : {});
      if (!api_key) delete (form as Record<string, unknown>).api_key;
      const x = await post(form, 'xml');
      expect(x.status).toBe(403);
      expect(x.body.errors.error).toEqual([{ code: '403', description: expect.stringContaining('api_key') }]);
      const j = await post(form, 'json');
      expect(j.status).toBe(403);
      expect(j.body).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    }
    // Missing service_code and location: one error each.
    const miss = await post({ api_key: key, description: '路灯不亮' }, 'xml');
    expect(miss.status).toBe(400);
    expect(miss.body.errors.error.map((e: any) => e.code)).toEqual(['400', '400']);
    expect(miss.body.errors.error.map((e: any) => e.description).join('\n')).toMatch(/service_code[\s\S]*lat/);
    const cases: Array<[Record<string, string | string[]>, RegExp]> = [
      [good({ service_code: '9999' }), /未知的 service_code：9999/],
      [good({ lat: '34.77' , long: '' }), /lat 与 long 须同时提供/],
      [good({ lat: 'north' }), /不是有效的 WGS-84/],
      [good({ 'attribute[LAMP_FAULT]': '9' }), /LAMP_FAULT[\s\S]*须是以下之一/],
      [{ ...good(), 'attribute[LAMP_FAULT]': [] as string[] }, /缺少必填属性 attribute\[LAMP_FAULT\]/],
      [good({ 'attribute[LAMP_COUNT]': 'three' }), /LAMP_COUNT[\s\S]*须是数字/],
      [good({ 'attribute[NOPE]': 'x' }), /没有可填写的属性 NOPE/],
      [good({ email: 'not-an-email' }), /email 格式不正确/],
      [good({ media_url: 'ftp://x/y.jpg' }), /media_url/],
      [good({ lat: '39.9042', long: '116.4074' }), /不在本市已知的任何街道范围内/], // Beijing
      [{ api_key: key, service_code: '0101', address_id: 'A-17' }, /address_id/],
      [{ api_key: key, service_code: '0101', address_string: '某路某号' }, /无法从 address_string 确定所属街道/],
    ];
    for (const [form, re] of cases) {
      const r = await post(form, 'json');
      expect([r.status, r.text]).toEqual([400, expect.stringMatching(re)]);
      expect(r.body.every((e: any) => e.code === 400 && typeof e.description === 'string')).toBe(true);
    }
    const json = await call('POST', `${BASE}/requests.json`, { form: good(), contentType: 'application/json' });
    expect(json.status).toBe(400);
    expect(await city.server.svc.streetTickets(JBL)).toEqual(before);
    expect(Number((await city.server.db.db.selectFrom('city_tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n)).toBe(0);
  });

  let filed: { service_request_id: string; token: string };

  it('a good POST becomes a city ticket dispatched to the street containing the point', async () => {
    const r = await post(good({ address_string: '经八路体育场路口北50米', first_name: '明', last_name: '李', phone: '13900001111', email: 'li@example.cn', media_url: 'https://img.example.cn/lamp.jpg' }), 'xml');
    expect(r.status).toBe(200);
    const req = r.body.service_requests.request[0];
    expect(req.service_request_id).toMatch(/^12345-20261123-\d{5}$/);
    expect(req.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.service_notice).toContain('经八路街道');
    filed = { service_request_id: req.service_request_id, token: req.token };
    const t = await city.server.svc.ticket(filed.service_request_id);
    expect(t).toMatchObject({ streetCode: JBL, status: 'dispatched', source: 'city', channel: 'open311', externalRef: `open311:${filed.token}`, reporterName: '李明', reporterPhone: '13900001111', lat: 34.7752, lon: 113.6702, address: '经八路体育场路口北50米' });
    expect(t!.description).toBe('【路灯不亮】体育场路往北一段路灯都不亮，晚上很黑（故障现象：不亮；涉及路灯数量：3）图片：https://img.example.cn/lamp.jpg〔经 Open311 应用“郑好办测试”提交〕');
    // It is in the street's pull feed.
    const feed = await city.server.svc.pull(JBL, 0, 100);
    expect(feed.items.filter((i) => i.kind === 'ticket.dispatched').map((i) => i.entityId)).toContain(t!.id);
    // The token resolves to the id; GET by id shows it open and assigned to the street.
    const tok = await both(`tokens/${filed.token}.{fmt}`, 'service_requests');
    expect(tok.json).toEqual([{ service_request_id: filed.service_request_id, token: filed.token }]);
    expect((await both('tokens/no-such-token.{fmt}', 'errors')).status).toBe(404);
    const one = await both(`requests/${filed.service_request_id}.{fmt}`, 'service_requests');
    expect(one.json).toEqual([
      {
        service_request_id: filed.service_request_id,
        status: 'open',
        status_notes: '已受理，已派至经八路街道办理',
        service_name: '路灯不亮',
        service_code: '0602',
        description: '体育场路往北一段路灯都不亮，晚上很黑',
        agency_responsible: '经八路街道',
        service_notice: expect.stringContaining('承诺 2 工作日内办结'),
        requested_datetime: '2026-11-23T10:00:00+08:00',
        updated_datetime: '2026-11-23T10:00:00+08:00',
        expected_datetime: '',
        address: '经八路体育场路口北50米',
        address_id: '',
        zipcode: '',
        lat: 34.7752,
        long: 113.6702,
        media_url: 'https://img.example.cn/lamp.jpg',
      },
    ]);
    expect((await both('requests/12345-19990101-00001.{fmt}', 'errors')).status).toBe(404);
    // Personal details are never published.
    expect(JSON.stringify(one.json)).not.toMatch(/李|13900001111|example\.cn"/);
    // A point in the next street goes there; a street name in the address is enough without a point.
    const east = await post({ api_key: key, service_code: '0101', ...IN_HYL, description: '路边垃圾没人清理' });
    expect((await city.server.svc.ticket(east.body[0].service_request_id))!.streetCode).toBe(HYL);
    const named = await post({ api_key: key, service_code: '1901', address_string: '花园路街道纬五路社区', description: '咨询灵活就业人员养老保险怎么缴' });
    expect(named.status).toBe(200);
    expect(await city.server.svc.ticket(named.body[0].service_request_id)).toMatchObject({ streetCode: HYL, type: 'consultation', lat: null });
  });

  it('the street accepts and resolves it: open with notes, then closed with the result', async () => {
    const f: Fixture = await createFixture();
    try {
      await setSetting(f.ctx.store.db, 'sync.receivingUnitCode', 'CG');
      const client = new SyncClient(f.ctx, city.credential(JBL), { live: false, baseDelayMs: 50, maxDelayMs: 500 });
      await client.syncOnce();
      const cityTicket = (await city.server.svc.ticket(filed.service_request_id))!;
      const cg = f.as('cg');
      const page = await cg('tickets.list', { startRow: 0, endRow: 50, sort: [], filter: { view: 'pendingAccept' } });
      expect(page.rows.map((x) => x.id)).toContain(cityTicket.id);
      // The street sees how the citizen reached the city.
      const local = await cg('tickets.get', { id: cityTicket.id });
      expect(local.ticket.channel).toBe('open311');
      expect(local.events.map((e) => e.reason)).toContain('市级平台直派（Open311应用）');
      f.setNow(T0 + 3600_000);
      await cg('tickets.act', { action: 'accept', id: cityTicket.id });
      await client.syncOnce();
      let doc = (await both(`requests/${filed.service_request_id}.{fmt}`, 'service_requests')).json[0];
      expect(doc).toMatchObject({ status: 'open', status_notes: '处置单位已签收，正在处置', updated_datetime: '2026-11-23T11:00:00+08:00' });
      f.setNow(T0 + 5 * 3600_000);
      await cg('tickets.act', { action: 'resolve', id: cityTicket.id, result: '已更换3盏路灯灯泡，路灯恢复照明' });
      await client.syncOnce();
      await client.stop();
      doc = (await both(`requests/${filed.service_request_id}.{fmt}`, 'service_requests')).json[0];
      expect(doc).toMatchObject({ status: 'closed', status_notes: '已办结：已更换3盏路灯灯泡，路灯恢复照明', updated_datetime: '2026-11-23T15:00:00+08:00', requested_datetime: '2026-11-23T10:00:00+08:00' });
    } finally {
      await f.close();
    }
  });

  it('GET requests: 90-day window, service_code, status, dates, updated_after, paging, service_request_id', async () => {
    // Requests filed 100 days ago (outside the default window) and 10 days ago.
    cityNow = T0 - 100 * DAY;
    const old = (await post({ api_key: key, service_code: '0101', ...IN_JBL, description: '一百天前的暴露垃圾' })).body[0].service_request_id;
    cityNow = T0 - 10 * DAY;
    const recent = (await post({ api_key: key, service_code: '0101', ...IN_JBL, description: '十天前的暴露垃圾' })).body[0].service_request_id;
    cityNow = T0 + 6 * 3600_000;
    const ids = async (q: string) => {
      const r = await both(`requests.{fmt}${q}`, 'service_requests');
      expect(r.status).toBe(200);
      return r.json.map((x: any) => x.service_request_id) as string[];
    };
    const all = await ids('');
    expect(all).toHaveLength(4); // filed, east, named, recent — not the 100-day-old one
    expect(all).not.toContain(old);
    expect(all[all.length - 1]).toBe(recent); // newest first
    expect(await ids('?service_code=0602')).toEqual([filed.service_request_id]);
    expect((await ids('?service_code=0101,1901')).sort()).toEqual(all.filter((x) => x !== filed.service_request_id).sort());
    expect(await ids('?status=closed')).toEqual([filed.service_request_id]);
    expect(await ids('?status=open')).toEqual(all.filter((x) => x !== filed.service_request_id));
    expect((await ids('?status=open,closed')).sort()).toEqual([...all].sort());
    // Explicit dates: the old request is reachable within its own 90-day range.
    expect(await ids(`?start_date=${encodeURIComponent('2026-08-01T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-08-31T00:00:00+08:00')}`)).toEqual([old]);
    expect(await ids('?start_date=2026-08-10')).toEqual([old]); // start alone: 90 days from it
    expect(await ids('?end_date=2026-11-20')).toEqual([recent]); // end alone: 90 days up to it
    const wide = await both('requests.{fmt}?start_date=2026-01-01&end_date=2026-11-23', 'errors');
    expect([wide.status, wide.json[0].description]).toEqual([400, expect.stringContaining('90 天')]);
    const junk = await both('requests.{fmt}?start_date=yesterday&status=pending&service_code=XX', 'errors');
    expect(junk.status).toBe(400);
    expect(junk.json).toHaveLength(3);
    // updated_after: only what changed since (the resolve at 15:00).
    expect(await ids(`?updated_after=${encodeURIComponent('2026-11-23T12:00:00+08:00')}`)).toEqual([filed.service_request_id]);
    expect(await ids(`?updated_after=${encodeURIComponent('2026-11-23T15:00:00+08:00')}`)).toEqual([]);
    // Paging: pages of 3 cover everything once, with the total in a header.
    const p1 = await both('requests.{fmt}?page_size=3', 'service_requests');
    const p2 = await both('requests.{fmt}?page_size=3&page=2', 'service_requests');
    expect(p1.headers['x-total-count']).toBe('4');
    expect([...p1.json, ...p2.json].map((x: any) => x.service_request_id)).toEqual(all);
    expect((await ids('?page_size=3&page=3'))).toEqual([]);
    expect((await both('requests.{fmt}?page=0', 'errors')).status).toBe(400);
    // service_request_id: every other parameter is ignored.
    expect((await ids(`?service_request_id=${old},${filed.service_request_id}&status=open&service_code=1901`)).sort()).toEqual([old, filed.service_request_id].sort());
  });

  it('at most 1000 results per response', async () => {
    // 1,005 Open311 requests straight into the database (filing them one by one over HTTPS is the other tests' job).
    const db = city.server.db.db;
    const keyRow = await db.selectFrom('open311_keys' as never).select('id' as never).executeTakeFirstOrThrow();
    const rows = Array.from({ length: 1005 }, (_, i) => {
      const token = crypto.randomUUID();
      const id = `bulk-${String(i).padStart(4, '0')}`;
      return { token, id, at: String(T0 - (i + 1) * 60_000) };
    });
    for (let i = 0; i < rows.length; i += 250) {
      const part = rows.slice(i, i + 250);
      await db
        .insertInto('city_tickets')
        .values(part.map((r) => ({ id: r.id, street_code: JBL, code: `B-${r.id}`, status: 'dispatched', version: 1, unit_code: null, source: 'city', channel: 'hotline12345', type: 'complaint', description: '批量', address: '经八路', lon: null, lat: null, external_ref: `open311:${r.token}`, reporter_name: null, reporter_phone: null, result: null, satisfaction: null, facts: '{}', created_at: r.at, updated_at: r.at })))
        .execute();
      await db
        .insertInto('open311_requests' as never)
        .values(part.map((r) => ({ token: r.token, external_ref: `open311:${r.token}`, service_code: '0101', street_code: JBL, key_id: (keyRow as { id: string }).id, description: '批量', attributes: '{}', requested_at: r.at })) as never)
        .execute();
    }
    const r = await call('GET', `${BASE}/requests.json?service_code=0101`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toHaveLength(1000);
    expect(r.headers['x-total-count']).toBe(String(1005 + 2)); // + the two 0101 requests filed over HTTPS in the window
    const big = await call('GET', `${BASE}/requests.json?service_code=0101&page_size=5000&page=2`);
    expect(JSON.parse(big.text)).toHaveLength(7);
  });

  it('open311-key prints a new key through the running server, or straight to the database; only its hash is kept', async () => {
    // Asynchronously: the server answering the command runs in this very process.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile('node_modules/.bin/tsx', ['src/city/cli.ts', 'open311-key', ...args], { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    const viaServer = await run('合作方甲', '--data', city.dataDir, '--url', city.server.url);
    expect(viaServer.status, viaServer.stderr).toBe(0);
    const k1 = JSON.parse(viaServer.stdout.trim());
    expect(k1).toMatchObject({ name: '合作方甲', key: expect.stringMatching(/^o311_[A-Za-z0-9_-]{32}$/) });
    const ok = await post(good({ api_key: k1.key }));
    expect(ok.status).toBe(200);
    const stored = await city.server.db.db.selectFrom('open311_keys' as never).selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(k1.key);
    expect(stored).toContainEqual(expect.objectContaining({ name: '合作方甲', key_hash: crypto.createHash('sha256').update(k1.key).digest('hex') }));
    // No server: the command opens the database itself.
    const dir = tempDir('chengyun-o311key-');
    const dbUrl = PG_URL ? await freshPgDatabase(PG_URL) : undefined;
    const direct = await run('合作方乙', '--data', dir, ...(dbUrl ? ['--database-url', dbUrl] : []));
    expect(direct.status, direct.stderr).toBe(0);
    const k2 = JSON.parse(direct.stdout.trim());
    const db = await openCityDb({ dataDir: dir, databaseUrl: dbUrl });
    try {
      const rows = (await db.db.selectFrom('open311_keys' as never).selectAll().execute()) as Array<{ name: string; key_hash: string }>;
      expect(rows).toEqual([expect.objectContaining({ name: '合作方乙', key_hash: crypto.createHash('sha256').update(k2.key).digest('hex') })]);
    } finally {
      await db.close();
    }
    expect((await run('', '--data', dir)).status).toBe(1);
  });
});
