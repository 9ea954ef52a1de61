// 110 非警务警情分流 end to end over real HTTPS (mutual TLS, the police system's own certificate),
// a real city (PGlite, or PostgreSQL with CITY_TEST_PG_URL) and a real street store: a transfer
// becomes a street ticket with a 5-minute sign-in deadline counted from the transfer; a replay changes
// nothing; bad input is refused with a logged reason and a counter; a missed sign-in is supervised
// and the late sign-in recorded; the street's result is read back by the police system.
import fs from 'node:fs';
import https from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { SyncClient } from '../../src/main/sync/client';
import { HttpsJson } from '../../src/city/client';
import { issuePolice110Files, pkiPaths } from '../../src/city/pki';
import { POLICE110_PATH, type Police110Feedback, type Police110Receipt } from '../../src/shared/intake/police110';
import { setSetting } from '../../src/main/services/core/settings';
import { runSupervision } from '../../src/main/services/coordination/supervision';

const STREET = '410105001';
const INSIDE = { lon: 113.671088, lat: 34.7758 };
const MIN = 60_000;

let f: Fixture;
let city: TestCity;
let client: SyncClient;
let police: HttpsJson;
let logs: Array<{ msg: string } & Record<string, unknown>>;

function policeClient(c: TestCity): HttpsJson {
  const p = pkiPaths(c.dataDir);
  const cred = fs.existsSync(p.police110('zz110').cert) ? p.police110('zz110') : issuePolice110Files(c.dataDir, 'zz110');
  return new HttpsJson(c.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
}

/** A POST with exactly these bytes and content type (what HttpsJson would not send). */
function rawPost(body: string | Buffer, type = 'application/json'): Promise<{ status: number; body: { error?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = https.request(new URL(`${POLICE110_PATH}/incidents`, city.server.url), { method: 'POST', agent: police.agent, headers: { 'content-type': type, 'content-length': data.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const transfer = (over: Record<string, unknown> = {}) => ({
  incidentNo: `110-${Math.floor(Math.random() * 1e9)}`,
  time: f.ctx.now(),
  caller: { name: '王建军', phone: '13812345678', smsConsent: false },
  address: '经八路街道纬五路12号',
  point: INSIDE,
  text: '来电反映楼下餐馆油烟直排，已持续一周，要求处理',
  category: '油烟污染',
  ...over,
});

async function streetTicket(id: string) {
  return f.ctx.store.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function events(id: string) {
  return f.ctx.store.db.selectFrom('ticket_events').select(['action', 'reason', 'data']).where('ticket_id', '=', id).orderBy('seq').execute();
}

beforeEach(async () => {
  f = await createFixture();
  logs = [];
  // One clock for the street and the city: the deadline the city sets is the one the street counts.
  city = await startTestCity({ streets: [STREET], now: () => f.ctx.now(), log: (msg, extra) => logs.push({ msg, ...extra }) });
  // The street's receiving unit for city dispatches (the unit that signs for them).
  await setSetting(f.ctx.store.db, 'sync.receivingUnitCode', 'CG');
  // The street's catalog has the leaf the city files 油烟污染 under; its default unit is another
  // (u2): a 110 transfer stays with the receiving unit, which signs for it within the 5 minutes.
  await f.ctx.store.db
    .insertInto('catalog')
    .values({ id: 'k0502', code: '0502', name: '油烟污染', parent_id: 'c1', path: '环境保护/油烟污染', is_leaf: 1, default_unit_id: 'u2', accept_within_hours: 2, resolve_within: 3, resolve_unit: 'workDays', is_micro: 0, is_consultation: 0, sort: 50, active: 1 })
    .execute();
  client = new SyncClient(f.ctx, city.credential(STREET), { live: false });
  police = policeClient(city);
});
afterEach(async () => {
  police.close();
  await client.stop();
  await city.close();
  await f.close();
});

describe(`110 non-police transfers (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a transfer reaches the street with a 5-minute sign-in; signed in time and resolved, the police system reads the result back; a replay changes nothing', async () => {
    const body = transfer();
    const r = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ incidentNo: body.incidentNo, street: STREET, streetName: '经八路街道', replayed: false, signInDeadline: body.time + 5 * MIN, category: { code: '0502' } });

    // A replay — the same, or with other content — returns the same ticket and creates nothing.
    const again = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ticketId: r.body.ticketId, ticketCode: r.body.ticketCode, replayed: true });
    const changed = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, { ...body, text: '另一段不同的内容，但接警单号相同' });
    expect(changed.body.ticketId).toBe(r.body.ticketId);
    expect(await city.server.db.db.selectFrom('city_tickets').select('id').where('external_ref', '=', body.incidentNo).execute()).toHaveLength(1);
    expect(city.server.police110.counters).toMatchObject({ received: 3, accepted: 1, replayed: 2 });

    await client.syncOnce();
    const t = await streetTicket(r.body.ticketId);
    expect(t).toMatchObject({ channel: 'police110', status: 'dispatched', external_ref: body.incidentNo, accept_deadline: body.time + 5 * MIN, unit_id: 'u1' });
    expect(t.description).toContain(`接警单号 ${body.incidentNo}`);
    expect(t.description).toContain('油烟污染');
    // The classification arrives as the ticket's category too (the catalog leaf 0502), not only as text.
    const leaf = await f.ctx.store.db.selectFrom('catalog').select(['id', 'code']).where('id', '=', t.category_id!).executeTakeFirst();
    expect(leaf?.code).toBe('0502');
    expect(t.category_source).toBe('city');
    // The caller's name and number are personal data: masked on the street.
    const detail = await f.as('operator')('tickets.get', { id: t.id });
    expect(detail.ticket.reporterPhone).toBe('138****5678');
    expect(detail.ticket.reporterName).not.toBe('王建军');

    let fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/${body.incidentNo}`);
    expect(fb).toMatchObject({ state: 'transferred', signedInAt: null, signInLate: false, result: null });

    // Signed after 3 minutes: in time.
    f.setNow(body.time + 3 * MIN);
    await f.as('cg')('tickets.act', { action: 'accept', id: t.id });
    const accept = (await events(t.id)).at(-1)!;
    expect(accept.action).toBe('accept');
    expect(JSON.parse(accept.data)).toMatchObject({ late: false, signInDeadline: body.time + 5 * MIN });
    await runSupervision(f.ctx);
    expect((await streetTicket(t.id)).supervision_level).toBe(0);
    await client.syncOnce();
    fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/${body.incidentNo}`);
    expect(fb).toMatchObject({ state: 'signedIn', signedInAt: body.time + 3 * MIN, signInLate: false });

    f.setNow(body.time + 40 * MIN);
    await f.as('cg')('tickets.act', { action: 'resolve', id: t.id, result: '已责令餐馆安装油烟净化器并停业整改' });
    await client.syncOnce();
    fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/${body.incidentNo}`);
    expect(fb).toMatchObject({ state: 'resolved', stateLabel: '街道已办结', result: '已责令餐馆安装油烟净化器并停业整改', resultAt: body.time + 40 * MIN, ticketCode: r.body.ticketCode });
    const unknown = await police.request<{ error: string }>('GET', `${POLICE110_PATH}/incidents/110-000000000`);
    expect(unknown.status).toBe(404);
  });

  it('a missed sign-in is supervised (督办 record) and the late sign-in is recorded and fed back', async () => {
    const body = transfer({ point: undefined, address: '经八路街道文化路8号', category: undefined, text: '来电称小区门口有人占道经营，堵塞通行' });
    const r = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, body);
    expect(r.status).toBe(201);
    expect(r.body.category?.code).toBe('0301'); // from the text: 占道经营
    await client.syncOnce();
    const id = r.body.ticketId;

    // Four minutes: not yet.
    f.setNow(body.time + 4 * MIN);
    await runSupervision(f.ctx);
    expect((await streetTicket(id)).supervision_level).toBe(0);
    // Six minutes: missed — supervised once, with a record that says why.
    f.setNow(body.time + 6 * MIN);
    await runSupervision(f.ctx);
    await runSupervision(f.ctx);
    expect((await streetTicket(id)).supervision_level).toBe(1);
    const records = await f.ctx.store.db.selectFrom('supervision_records').selectAll().where('ticket_id', '=', id).execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'auto', level: 1 });
    expect(records[0]!.note).toMatch(/110非警务警情超过签收时限未签收/);
    const history = await f.as('leader')('supervision.history', { ticketId: id, limit: 10 });
    expect(history).toHaveLength(1);
    await client.syncOnce();
    let fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/${body.incidentNo}`);
    expect(fb).toMatchObject({ state: 'transferred', signedInAt: null, signInLate: true });

    // Signed at seven minutes: late by two, in the timeline and in the feedback.
    f.setNow(body.time + 7 * MIN);
    await f.as('cg')('tickets.act', { action: 'accept', id });
    const accept = (await events(id)).at(-1)!;
    expect(accept.reason).toBe('超时签收：超过签收时限 2分钟');
    expect(JSON.parse(accept.data)).toMatchObject({ late: true });
    const d = await f.as('operator')('tickets.get', { id });
    expect(d.ticket).toMatchObject({ acceptedAt: body.time + 7 * MIN, acceptDeadline: body.time + 5 * MIN, supervisionLevel: 1 });
    await client.syncOnce();
    fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/${body.incidentNo}`);
    expect(fb).toMatchObject({ state: 'signedIn', signedInAt: body.time + 7 * MIN, signInLate: true });
    // The city accepted every op the street sent about it (supervision included).
    expect(await city.server.db.db.selectFrom('rejected_ops').selectAll().execute()).toEqual([]);
  });

  it('refuses malformed, oversized, badly timed and unlocatable transfers with a logged reason and a counter, and changes nothing', async () => {
    const cases: Array<[string, () => Promise<{ status: number; body: { error?: string; message?: string } }>, number, string]> = [
      ['no text', () => police.request('POST', `${POLICE110_PATH}/incidents`, { ...transfer(), text: undefined }), 400, 'malformed'],
      ['bad incident number', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ incidentNo: '../../etc' })), 400, 'malformed'],
      ['neither address nor point', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ address: undefined, point: undefined })), 400, 'malformed'],
      ['an unknown field', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ extra: 1 })), 400, 'malformed'],
      ['bad phone', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: 'call me' } })), 400, 'malformed'],
      ['not JSON', () => rawPost('{"incidentNo":'), 400, 'malformed'],
      ['not application/json', () => rawPost('incidentNo=1', 'application/x-www-form-urlencoded'), 415, 'malformed'],
      ['oversized', () => rawPost(JSON.stringify(transfer({ text: '很'.repeat(20_000) }))), 413, 'tooLarge'],
      ['text over 2000', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ text: '长'.repeat(2001) })), 400, 'malformed'],
      ['two days old', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ time: f.ctx.now() - 48 * 3600_000 })), 400, 'badTime'],
      ['an hour ahead', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ time: f.ctx.now() + 3600_000 })), 400, 'badTime'],
      ['point outside every street', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ point: { lon: 120.15, lat: 30.28 }, address: '杭州市西湖区某路1号' })), 422, 'unlocated'],
      ['address naming no street', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ point: undefined, address: '某小区3号楼' })), 422, 'unlocated'],
      ['a street not connected', () => police.request('POST', `${POLICE110_PATH}/incidents`, transfer({ point: undefined, address: '南关街街道某路5号' })), 422, 'streetNotConnected'],
    ];
    for (const [name, send, status, reason] of cases) {
      const res = await send();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body.error, name).toBe(`police110.${reason}`);
      expect(res.body.message, name).toMatch(/[\u4e00-\u9fa5]/);
    }
    const c = city.server.police110.counters;
    expect(c).toMatchObject({ received: cases.length, accepted: 0, malformed: 8, tooLarge: 1, badTime: 2, unlocated: 2, streetNotConnected: 1 });
    const refused = logs.filter((l) => l.msg === 'police110 transfer refused');
    expect(refused.map((l) => l.reason)).toEqual(cases.map(([, , , reason]) => reason));
    expect(refused.every((l) => typeof l.detail === 'string' && (l.detail as string).length > 0)).toBe(true);
    expect(await city.server.db.db.selectFrom('city_tickets').select('id').execute()).toEqual([]);
    expect(await city.server.db.db.selectFrom('police110_incidents').select('incident_no').execute()).toEqual([]);

    // Only the police system's certificate may call: a street's is forbidden, none at all sees nothing.
    const p = pkiPaths(city.dataDir);
    const street = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.street(STREET).cert), key: fs.readFileSync(p.street(STREET).key) });
    expect((await street.request('POST', `${POLICE110_PATH}/incidents`, transfer())).status).toBe(403);
    street.close();
    const anon = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: '', key: '' });
    expect((await anon.request('POST', `${POLICE110_PATH}/incidents`, transfer())).status).toBe(404);
    anon.close();

    // The console shows the counters.
    const admin = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) });
    const page = await admin.request<string>('GET', '/console');
    expect(page.body).toContain('拒收 格式错误 8，报文过大 1，转办时间无效 2，无法确定所属街道 2，所属街道未接入 1');
    admin.close();
  });
});
