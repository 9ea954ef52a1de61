// 郑好拍 and 数字城管 over real HTTPS with their own client certificates into a real city (PGlite or
// PostgreSQL) and on to a real street node: a citizen's photo report becomes a ticket on the street
// with the photo; a replay changes nothing; bad input is refused with a logged reason and a counter;
// the citizen reads the result back once the ticket is closed (and the closure is announced once);
// 数字城管 classes are mapped through the table the city publishes, an unmapped one is held with its
// reason; the city delegates 12345 review to a district for its own streets only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { devPhotos } from '../support/photos';
import { SyncClient } from '../../src/main/sync/client';
import { attachmentPath } from '../../src/main/services/tickets/attachments';
import { fetchCityPhotos } from '../../src/main/sync/cityPhotos';
import { PENDING_PHOTOS_KEY } from '../../src/main/sync/feedApply';
import { getSetting, setSetting } from '../../src/main/services/core/settings';
import { HttpsJson } from '../../src/city/client';
import { issueDistrictFiles, issueIntakeFiles, pkiPaths } from '../../src/city/pki';
import { ADMIN_PATH } from '../../src/city/routes/admin';
import { DEFAULT_CASE_CODES_FILE } from '../../src/city/intake/digitalCity';
import { DCM_CASES_PATH, ZHP_REPORTS_PATH, type IntakeClosure, type IntakeReply, type IntakeStatus } from '../../src/shared/intake/citizenReports';

const STREET = '410105001'; // 经八路街道, 金水区 (the street node below)
const OTHER = '410102001'; // 林山寨街道, 中原区 (registered, no node)
const JINGBA = { lon: 113.671088, lat: 34.7758 };
const PHOTO = fs.readFileSync(devPhotos()[0]!);

let f: Fixture;
let city: TestCity;
let client: SyncClient;
let zhp: HttpsJson;
let dcm: HttpsJson;
let admin: HttpsJson;
const logs: Array<{ msg: string; extra?: Record<string, unknown> }> = [];
const closures: IntakeClosure[] = [];

function cred(files: { cert: string; key: string }) {
  const p = pkiPaths(city.dataDir);
  return { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key) };
}

/** A POST with a body of our choosing (JSON content type), for what HttpsJson would not send. */
function rawPost(c: HttpsJson, path: string, body: Buffer, type = 'application/json'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, city.server.url), { method: 'POST', agent: c.agent, headers: { 'content-type': type, 'content-length': body.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8') || 'null') }));
    });
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

function report(id: string, extra: Record<string, unknown> = {}) {
  return { reportId: id, text: '小区门口井盖缺失，晚上很危险', point: JINGBA, phone: '13812345678', name: '张女士', category: '0601', photos: [{ mime: 'image/jpeg', data: PHOTO.toString('base64') }], reportedAt: '2026-12-03T09:30:00+08:00', ...extra };
}

async function count(table: 'city_intake_cases' | 'city_tickets') {
  return Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(city.server.db.db)).rows[0]!.n);
}

beforeAll(async () => {
  f = await createFixture();
  // The street's catalog has the leaf the city classifies 井盖 reports under.
  await f.ctx.store.db
    .insertInto('catalog')
    .values({ id: 'k0601', code: '0601', name: '井盖破损(缺失)', parent_id: 'c1', path: '市容环境/井盖破损(缺失)', is_leaf: 1, default_unit_id: 'u1', accept_within_hours: 2, resolve_within: 4, resolve_unit: 'hours', is_micro: 0, is_consultation: 0, sort: 50, active: 1 })
    .execute();
  city = await startTestCity({ streets: [STREET, OTHER], log: (msg, extra) => logs.push({ msg, extra }) });
  client = new SyncClient(f.ctx, city.credential(STREET), { live: false });
  zhp = new HttpsJson(city.server.url, cred(issueIntakeFiles(city.dataDir, 'zhenghaopai', 'app-platform')));
  dcm = new HttpsJson(city.server.url, cred(issueIntakeFiles(city.dataDir, 'digitalCity', 'szcg')));
  const p = pkiPaths(city.dataDir);
  admin = new HttpsJson(city.server.url, cred({ cert: p.adminCert, key: p.adminKey }));
  city.server.intake.onClosure((c) => void closures.push(c));
}, 60_000);

afterAll(async () => {
  zhp?.close();
  dcm?.close();
  admin?.close();
  await client?.stop();
  await city?.close();
  await f?.close();
});

describe(`郑好拍 (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let first: IntakeReply;

  it('a report with a photo becomes a ticket on its street, on the 郑好拍 channel, classified, with the photo; the citizen gets the ticket number', async () => {
    const r = await zhp.request<IntakeReply>('POST', ZHP_REPORTS_PATH, report('ZHP-0001'));
    expect(r.status).toBe(200);
    first = r.body;
    expect(first).toMatchObject({ ref: 'ZHP-0001', status: 'accepted', street: STREET, streetName: '经八路街道', category: '0601', replayed: false });
    expect(first.ticketCode).toMatch(/^12345-\d{8}-\d{5}$/);
    expect(first.notice).toContain(first.ticketCode!);

    await client.syncOnce();
    const t = await f.ctx.store.db.selectFrom('tickets').selectAll().where('code', '=', first.ticketCode!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ channel: 'zhenghaopai', external_ref: 'ZHP-0001', reporter_phone: '13812345678', category_id: 'k0601', category_source: 'city', lon: JINGBA.lon, lat: JINGBA.lat });
    // The category's own time limits (井盖: accept within 2 working hours, resolve within 4 hours), and its unit.
    expect(t.unit_id).toBe('u1');
    expect(t.resolve_deadline! - t.created_at).toBe(4 * 3600_000);
    expect(t.accept_deadline).not.toBeNull();
    // The photo: fetched from the city, the same bytes, stored content-addressed, shown with the ticket.
    const sha = crypto.createHash('sha256').update(PHOTO).digest('hex');
    expect(fs.readFileSync(attachmentPath(f.ctx, sha)).equals(PHOTO)).toBe(true);
    const detail = await f.as('operator')('tickets.get', { id: t.id });
    expect(detail.attachments).toEqual([expect.objectContaining({ sha256: sha, mime: 'image/jpeg', kind: 'before' })]);
    // Another street cannot fetch it.
    const other = new HttpsJson(city.server.url, { ca: city.credential(OTHER).ca, cert: city.credential(OTHER).cert, key: city.credential(OTHER).key });
    expect((await other.request('GET', `/sync/v1/photos/${sha}`)).status).toBe(404);
    other.close();
  });

  it('the same report id again is a replay: the first answer, nothing new', async () => {
    const cases = await count('city_intake_cases');
    const tickets = await count('city_tickets');
    const before = city.server.intake.counters.zhenghaopai.replayed;
    const again = await zhp.request<IntakeReply>('POST', ZHP_REPORTS_PATH, report('ZHP-0001', { text: '同一编号再次提交的内容' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ref: 'ZHP-0001', ticketCode: first.ticketCode, replayed: true });
    expect(await count('city_intake_cases')).toBe(cases);
    expect(await count('city_tickets')).toBe(tickets);
    expect(city.server.intake.counters.zhenghaopai.replayed).toBe(before + 1);
  });

  it('bad photos, oversized requests, malformed and misplaced reports are refused with their reason, counted and logged; nothing is stored', async () => {
    const cases = await count('city_intake_cases');
    const c0 = { ...city.server.intake.counters.zhenghaopai };
    const notImage = await zhp.request<{ error: string; message: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-1', { photos: [{ mime: 'image/jpeg', data: Buffer.from('<html>not a photo</html>').toString('base64') }] }));
    expect(notImage.status).toBe(400);
    expect(notImage.body).toMatchObject({ error: 'badPhoto' });
    expect(notImage.body.message).toMatch(/不是 JPG、PNG 或 WebP/);
    const mislabelled = await zhp.request<{ error: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-2', { photos: [{ mime: 'image/png', data: PHOTO.toString('base64') }] }));
    expect([mislabelled.status, mislabelled.body.error]).toEqual([400, 'badPhoto']);
    const big = crypto.randomBytes(4 * 1024 * 1024 + 10);
    big[0] = 0xff;
    big[1] = 0xd8;
    big[2] = 0xff;
    const tooBigPhoto = await zhp.request<{ error: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-3', { photos: [{ mime: 'image/jpeg', data: big.toString('base64') }] }));
    expect([tooBigPhoto.status, tooBigPhoto.body.error]).toEqual([413, 'photoTooLarge']);
    const huge = await rawPost(zhp, ZHP_REPORTS_PATH, Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect([huge.status, huge.body.error]).toEqual([413, 'tooLarge']);
    const notJson = await rawPost(zhp, ZHP_REPORTS_PATH, Buffer.from('{"reportId": '));
    expect([notJson.status, notJson.body.error]).toEqual([400, 'malformed']);
    const noPhone = await zhp.request<{ error: string; message: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-4', { phone: '12345' }));
    expect([noPhone.status, noPhone.body.error]).toEqual([400, 'malformed']);
    expect(noPhone.body.message).toContain('手机号格式不正确');
    const outside = await zhp.request<{ error: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-5', { point: { lon: 116.4, lat: 39.9 } }));
    expect([outside.status, outside.body.error]).toEqual([422, 'outsideStreets']);
    const category = await zhp.request<{ error: string }>('POST', ZHP_REPORTS_PATH, report('ZHP-BAD-6', { category: '9999' }));
    expect([category.status, category.body.error]).toEqual([422, 'unknownCategory']);

    const c1 = city.server.intake.counters.zhenghaopai;
    expect({ badPhoto: c1.badPhoto - c0.badPhoto, photoTooLarge: c1.photoTooLarge - c0.photoTooLarge, tooLarge: c1.tooLarge - c0.tooLarge, malformed: c1.malformed - c0.malformed, outsideStreets: c1.outsideStreets - c0.outsideStreets, unknownCategory: c1.unknownCategory - c0.unknownCategory }).toEqual({
      badPhoto: 2,
      photoTooLarge: 1,
      tooLarge: 1,
      malformed: 2,
      outsideStreets: 1,
      unknownCategory: 1,
    });
    const refused = logs.filter((l) => l.msg === 'intake refused');
    expect(refused.map((l) => l.extra!.reason)).toEqual(expect.arrayContaining(['badPhoto', 'photoTooLarge', 'tooLarge', 'malformed', 'outsideStreets', 'unknownCategory']));
    expect(refused.find((l) => l.extra!.reason === 'badPhoto')!.extra!.detail).toMatch(/ZHP-BAD-1: photo 1 has no image signature/);
    // The citizen's phone is never in the log.
    expect(JSON.stringify(logs)).not.toContain('13812345678');
    expect(await count('city_intake_cases')).toBe(cases);
    // The console shows the counters.
    const html = await admin.request<string>('GET', '/console');
    expect(html.body).toMatch(/郑好拍[\s\S]*照片无效 2/);
  });

  it('only the channel’s own certificate may post to it', async () => {
    const street = new HttpsJson(city.server.url, { ca: city.credential(STREET).ca, cert: city.credential(STREET).cert, key: city.credential(STREET).key });
    expect((await street.request('POST', ZHP_REPORTS_PATH, report('ZHP-X'))).status).toBe(403);
    street.close();
    expect((await dcm.request('POST', ZHP_REPORTS_PATH, report('ZHP-X'))).status).toBe(403);
    expect((await zhp.request('POST', DCM_CASES_PATH, {})).status).toBe(403);
  });

  it('a photo the street cannot fetch now stays pending for the next round; bytes that do not match their name are dropped', async () => {
    const t = await f.ctx.store.db.selectFrom('tickets').select('id').where('code', '=', first.ticketCode!).executeTakeFirstOrThrow();
    const other = fs.readFileSync(devPhotos()[1]!);
    const sha = crypto.createHash('sha256').update(other).digest('hex');
    await setSetting(f.ctx.store.db, PENDING_PHOTOS_KEY, [{ ticketId: t.id, sha256: sha, name: 'later.jpg' }, { ticketId: t.id, sha256: 'a'.repeat(64), name: 'forged.jpg' }]);
    const cut = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(await fetchCityPhotos(f.ctx, () => Promise.reject(cut))).toEqual([]);
    expect(await getSetting(f.ctx.store.db, PENDING_PHOTOS_KEY)).toHaveLength(2);
    expect(await fetchCityPhotos(f.ctx, async () => other)).toEqual([t.id]);
    expect(await getSetting(f.ctx.store.db, PENDING_PHOTOS_KEY)).toEqual([]);
    const shas = (await f.ctx.store.db.selectFrom('ticket_attachments').select('sha256').where('ticket_id', '=', t.id).execute()).map((r) => r.sha256);
    expect(shas).toContain(sha);
    expect(shas).not.toContain('a'.repeat(64));
  });

  it('a report from a street not connected yet is held, and dispatched when that street connects', async () => {
    const HUAYUAN = { lon: 113.688222, lat: 34.77504 }; // inside 花园路街道
    const r = await zhp.request<IntakeReply>('POST', ZHP_REPORTS_PATH, report('ZHP-HELD-1', { point: HUAYUAN, category: undefined }));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'held', heldReason: 'streetNotConnected', ticketCode: null, streetName: '花园路街道' });
    expect((await zhp.request<IntakeStatus>('GET', `${ZHP_REPORTS_PATH}/ZHP-HELD-1`)).body).toMatchObject({ state: 'held', ticketCode: null });
    await city.server.svc.registerStreet(r.body.street!);
    const s = await zhp.request<IntakeStatus>('GET', `${ZHP_REPORTS_PATH}/ZHP-HELD-1`);
    expect(s.body).toMatchObject({ state: 'inProgress' });
    expect(await city.server.svc.ticket(s.body.ticketCode!)).toMatchObject({ streetCode: r.body.street, channel: 'zhenghaopai', externalRef: 'ZHP-HELD-1' });
  });

  it('the citizen reads the progress back by report id, and the result once closed; the closure is announced once with the phone for the SMS', async () => {
    const s0 = await zhp.request<IntakeStatus>('GET', `${ZHP_REPORTS_PATH}/ZHP-0001`);
    expect(s0.body).toMatchObject({ ref: 'ZHP-0001', ticketCode: first.ticketCode, state: 'inProgress', result: null });
    expect((await zhp.request('GET', `${ZHP_REPORTS_PATH}/NO-SUCH`)).status).toBe(404);

    const t = await f.ctx.store.db.selectFrom('tickets').select('id').where('code', '=', first.ticketCode!).executeTakeFirstOrThrow();
    const cg = f.as('cg');
    await cg('tickets.act', { action: 'accept', id: t.id });
    await cg('tickets.act', { action: 'resolve', id: t.id, result: '已补装井盖并设置警示' });
    await client.syncOnce();
    await city.server.svc.review(t.id, { decision: 'approve' });
    expect(closures).toHaveLength(0);
    await city.server.svc.review(t.id, { decision: 'callback', satisfaction: 'satisfied' });
    expect(closures).toEqual([expect.objectContaining({ source: 'zhenghaopai', ref: 'ZHP-0001', ticketCode: first.ticketCode, phone: '13812345678', result: '已补装井盖并设置警示', satisfaction: 'satisfied' })]);
    const s1 = await zhp.request<IntakeStatus>('GET', `${ZHP_REPORTS_PATH}/ZHP-0001`);
    expect(s1.body).toMatchObject({ state: 'closed', result: '已补装井盖并设置警示', satisfaction: 'satisfied' });
    expect(s1.body.closedAt).toBeGreaterThan(0);
    expect(JSON.stringify(s1.body)).not.toContain('13812345678');
  });
});

describe('数字城管', () => {
  const caseOf = (id: string, classKind: 'event' | 'component', code: string, extra: Record<string, unknown> = {}) => ({
    caseId: id,
    classKind,
    code,
    text: '经八路与纬五路交叉口东南角井盖缺失',
    point: JINGBA,
    reportedAt: Date.parse('2026-12-03T10:00:00+08:00'),
    ...extra,
  });

  it('before any code table is published a case is held with the reason; publishing the table sends it on, mapped', async () => {
    const held = await dcm.request<IntakeReply>('POST', DCM_CASES_PATH, caseOf('SZCG-0001', 'component', '0101'));
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: 'held', heldReason: 'noCodeMap', ticketCode: null });

    const table = JSON.parse(fs.readFileSync(DEFAULT_CASE_CODES_FILE, 'utf8'));
    const pub = await admin.request<{ streets: string[] }>('POST', `${ADMIN_PATH}/reference/caseCodeMap`, { payload: table });
    expect(pub.status).toBe(200);
    const s = await dcm.request<IntakeStatus>('GET', `${DCM_CASES_PATH}/SZCG-0001`);
    expect(s.body).toMatchObject({ state: 'inProgress' });
    const c = await city.server.svc.ticket(s.body.ticketCode!);
    expect(c).toMatchObject({ channel: 'digitalCityMgmt', streetCode: STREET, externalRef: 'SZCG-0001' });
    expect(c!.description).toMatch(/^【数字城管·部件 0101 上水井盖】/);

    // The street gets the ticket under 0601 and the table itself as reference data (with a receipt).
    await client.syncOnce();
    const t = await f.ctx.store.db.selectFrom('tickets').selectAll().where('code', '=', s.body.ticketCode!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ channel: 'digitalCityMgmt', category_id: 'k0601' });
    const ref = await f.ctx.store.db.selectFrom('reference_updates').select(['kind', 'status', 'summary']).where('kind', '=', 'caseCodeMap').executeTakeFirstOrThrow();
    expect(ref).toMatchObject({ status: 'applied' });
    const onStreet = (table.entries as Array<{ category: string }>).filter((e) => e.category === '0601').length;
    expect(ref.summary).toBe(`${table.entries.length} 条编码对照，其中 ${onStreet} 条对应本街道目录`);
  });

  it('a mapped event class goes straight out; an unmapped class is held with its reason in the console; a table naming a code the catalog lacks is refused', async () => {
    const ok = await dcm.request<IntakeReply>('POST', DCM_CASES_PATH, caseOf('SZCG-0002', 'event', '0404', { text: '机动车占用盲道停放' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'accepted', category: '0304' });

    const unmapped = await dcm.request<IntakeReply>('POST', DCM_CASES_PATH, caseOf('SZCG-0003', 'event', '9901', { text: '未列入对照表的事件' }));
    expect(unmapped.status).toBe(202);
    expect(unmapped.body).toMatchObject({ status: 'held', heldReason: 'unmapped' });
    const view = await admin.json<{ held: Array<{ ref: string; reason: string; sourceCode: string }> }>('GET', `${ADMIN_PATH}/intake`);
    expect(view.held).toEqual([expect.objectContaining({ ref: 'SZCG-0003', reason: 'unmapped', sourceCode: 'event:9901' })]);
    const html = await admin.request<string>('GET', '/console');
    expect(html.body).toMatch(/SZCG-0003[\s\S]*事件 9901[\s\S]*编码对照表中没有该类别/);
    // A replay of the held case is a replay, not a second case.
    const again = await dcm.request<IntakeReply>('POST', DCM_CASES_PATH, caseOf('SZCG-0003', 'event', '9901', { text: '未列入对照表的事件' }));
    expect(again.body).toMatchObject({ replayed: true, status: 'held' });

    const bad = await admin.request<{ error: string; message: string }>('POST', `${ADMIN_PATH}/reference/caseCodeMap`, {
      payload: { version: 'x1', entries: [{ kind: 'event', code: '9901', name: '测试', category: 'NOPE' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('NOPE');
    // A table that maps it releases the held case.
    const next = await admin.request('POST', `${ADMIN_PATH}/reference/caseCodeMap`, {
      payload: { version: 'x2', entries: [{ kind: 'event', code: '99', name: '本市扩展事件', category: '0101' }] },
    });
    expect(next.status).toBe(200);
    expect((await dcm.request<IntakeStatus>('GET', `${DCM_CASES_PATH}/SZCG-0003`)).body).toMatchObject({ state: 'inProgress' });
    expect((await admin.json<{ held: unknown[] }>('GET', `${ADMIN_PATH}/intake`)).held).toEqual([]);
  });

  it('a malformed case is refused and counted', async () => {
    const before = city.server.intake.counters.digitalCity.malformed;
    const r = await dcm.request<{ error: string; message: string }>('POST', DCM_CASES_PATH, caseOf('SZCG-0004', 'event', '04-04'));
    expect([r.status, r.body.error]).toEqual([400, 'malformed']);
    expect(r.body.message).toContain('类别编码须为4位');
    expect(city.server.intake.counters.digitalCity.malformed).toBe(before + 1);
  });
});

describe('12345 review delegated to a district', () => {
  it('a district reviews its own streets’ results only once the city delegates it, audited on the city and shown on the street', async () => {
    const jinshui = new HttpsJson(city.server.url, cred(issueDistrictFiles(city.dataDir, '410105')));
    const zhongyuan = new HttpsJson(city.server.url, cred(issueDistrictFiles(city.dataDir, '410102')));
    try {
      const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映经八路9号路灯不亮', address: '经八路9号', unit: 'CG' });
      const elsewhere = await city.server.svc.dispatch({ street: OTHER, text: '市民反映林山寨某处路灯不亮', address: '林山寨', unit: 'CG' });
      await client.syncOnce();
      const cg = f.as('cg');
      await cg('tickets.act', { action: 'accept', id: sent.id });
      await cg('tickets.act', { action: 'resolve', id: sent.id, result: '已修复线路' });
      await client.syncOnce();

      // The district's queue (its console's 待审核工单): its own streets' results only.
      expect((await city.server.svc.awaitingReview(100, { district: '410105' })).map((t) => t.code)).toContain(sent.code);
      expect((await city.server.svc.awaitingReview(100, { district: '410102' })).map((t) => t.code)).not.toContain(sent.code);
      expect((await city.server.svc.awaitingReview(100)).map((t) => t.code)).not.toContain(elsewhere.code); // not resolved
      const notYet = await jinshui.request<{ error: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'approve' });
      expect([notYet.status, notYet.body.error]).toEqual([403, 'reviewNotGranted']);
      // A district cannot grant itself.
      expect((await jinshui.request('POST', `${ADMIN_PATH}/districts/410105/grants`, { review: true })).status).toBe(403);
      expect(await admin.json('POST', `${ADMIN_PATH}/districts/410105/grants`, { review: true })).toEqual({ district: '410105', runMode: false, review: true });
      expect((await admin.json('POST', `${ADMIN_PATH}/districts/410102/grants`, { review: true })) as object).toMatchObject({ review: true });
      expect((await city.server.svc.districtGrants()).filter((g) => ['410102', '410105'].includes(g.district)).map(({ district, review, runMode }) => ({ district, review, runMode }))).toEqual([
        { district: '410102', review: true, runMode: false },
        { district: '410105', review: true, runMode: false },
      ]);

      // Another district's ticket stays out of reach, whatever it is granted.
      const foreign = await zhongyuan.request<{ error: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'return', reason: '越权退回' });
      expect([foreign.status, foreign.body.error]).toEqual([403, 'outsideDistrict']);
      const foreign2 = await jinshui.request<{ error: string }>('POST', `${ADMIN_PATH}/tickets/${elsewhere.code}/review`, { decision: 'approve' });
      expect([foreign2.status, foreign2.body.error]).toEqual([403, 'outsideDistrict']);

      const ok = await jinshui.request<{ status: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'approve', note: '区级审核通过' });
      expect([ok.status, ok.body.status]).toEqual([200, 'verified']);
      // Still in the queue once verified (the citizen's callback may follow), with its new status.
      expect((await city.server.svc.awaitingReview(100, { district: '410105' })).find((t) => t.code === sent.code)?.status).toBe('verified');
      const audit = (await city.server.svc.ticket(sent.id))!.events.at(-1)!;
      expect(audit).toMatchObject({ action: 'verify', to: 'verified', actor: '金水区城运中心' });
      const row = await city.server.db.db.selectFrom('city_ticket_events').select('data').where('ticket_id', '=', sent.id).where('action', '=', 'verify').executeTakeFirstOrThrow();
      expect(typeof row.data === 'string' ? JSON.parse(row.data) : row.data).toMatchObject({ district: '410105', review: { decision: 'approve' } });
      await client.syncOnce();
      const ev = await f.ctx.store.db.selectFrom('ticket_events').select(['action', 'actor_name', 'reason']).where('ticket_id', '=', sent.id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(ev).toEqual({ action: 'verify', actor_name: '金水区城运中心', reason: '区级审核通过' });

      // Withdrawn: refused again.
      await admin.json('POST', `${ADMIN_PATH}/districts/410105/grants`, { review: false });
      const withdrawn = await jinshui.request<{ error: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'return', reason: '再次退回' });
      expect([withdrawn.status, withdrawn.body.error]).toEqual([403, 'reviewNotGranted']);
    } finally {
      jinshui.close();
      zhongyuan.close();
    }
  });
});
