// Reference data and district directives over real HTTPS against the real city server (PGlite, or
// PostgreSQL when CITY_TEST_PG_URL is set): the city publishes a catalog, a calendar year, a
// street's grids and a text model version; the street applies each in order (or refuses it whole
// with a reason and goes on); a district operations center reaches its own streets only.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { SyncClient } from '../../src/main/sync/client';
import { applyPendingReference, loadCalendarYears } from '../../src/main/sync/reference';
import { openStore } from '../../src/main/db/store';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { createContext } from '../../src/main/services/core/context';
import { silentLogger } from '../../src/main/services/core/log';
import { lookupPoint } from '../../src/main/services/grids/lookup';
import { textModelsRoot } from '../../src/main/ai/paths';
import { closeAi } from '../../src/main/services/ai/registry';
import { TextModel, trainTextModel } from '../../src/main/ai/textModel';
import { HttpsJson } from '../../src/city/client';
import { ADMIN_PATH } from '../../src/city/routes/admin';
import { issueDistrictFiles, pkiPaths } from '../../src/city/pki';
import { packModelDir } from '../../src/city/models';
import type { CatalogPayload, CalendarPayload } from '../../src/shared/sync/reference';

const STREET = '410105001';
const run = promisify(execFile);
let f: Fixture;
let city: TestCity;
let client: SyncClient | null;

function newClient(street = STREET, fx = f) {
  client = new SyncClient(fx.ctx, city.credential(street), { live: false, baseDelayMs: 50, maxDelayMs: 500 });
  return client;
}

function operatorClient(district?: string): HttpsJson {
  const p = pkiPaths(city.dataDir);
  const cred = district ? p.district(district) : { cert: p.adminCert, key: p.adminKey };
  return new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
}

const leafEntry = (code: string, name: string, o: Partial<CatalogPayload['categories'][number]> = {}) => ({
  code, name, parent: 'c1', defaultUnit: 'CG', acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays' as const,
  isMicro: false, isConsultation: false, routeToCommunity: false, supervisionHours: null, ...o,
});

const rect = (x0: number, y0: number, x1: number, y1: number) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
const gridFeature = (code: string, name: string, geometry: object) => ({ type: 'Feature', properties: { code, name, level: 3, parent: '410105001003' }, geometry });

beforeEach(async () => {
  f = await createFixture();
  city = await startTestCity({ streets: [STREET, '410105002', '410104003'] });
  client = null;
});
afterEach(async () => {
  await client?.stop();
  await closeAi(f.ctx);
  await city.close();
  await f.close();
});

describe(`reference data from the city (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a new catalog updates, adds and retires categories by code, keeping ids; a resent page changes nothing', async () => {
    const payload: CatalogPayload = {
      version: '2026.12',
      categories: [
        { ...leafEntry('c1', '市容环境'), parent: null, defaultUnit: null },
        leafEntry('c11', '暴露垃圾', { isMicro: true }),
        leafEntry('c12', '井盖破损或缺失', { resolveWithin: 5, defaultUnit: 'ZJ' }),
        leafEntry('c15', '共享单车乱停放', { defaultUnit: 'NOSUCH', resolveWithin: 1 }),
      ],
    };
    const r = await operatorClient().json<{ streets: string[] }>('POST', `${ADMIN_PATH}/reference/catalog`, { payload, streets: [STREET] });
    expect(r.streets).toEqual([STREET]);
    await newClient().syncOnce();

    const rows = await f.ctx.store.db.selectFrom('catalog').selectAll().orderBy('code').execute();
    const by = new Map(rows.map((c) => [c.code, c]));
    expect(by.get('c12')).toMatchObject({ id: 'c12', name: '井盖破损或缺失', path: '市容环境/井盖破损或缺失', resolve_within: 5, default_unit_id: 'u2', active: 1 });
    expect(by.get('c15')).toMatchObject({ parent_id: 'c1', is_leaf: 1, path: '市容环境/共享单车乱停放', default_unit_id: null, active: 1 });
    expect(by.get('c15')!.id).not.toBe('c15');
    for (const gone of ['c13', 'c14', 'c2', 'c21']) expect(by.get(gone)!.active).toBe(0);
    const ups = await f.as('operator')('sync.referenceUpdates', {});
    expect(ups).toHaveLength(1);
    expect(ups[0]).toMatchObject({ kind: 'catalog', version: '2026.12', status: 'applied', errors: [] });
    // Updated: c12 (name, limit, unit) and c11 (its place in the list).
    expect(ups[0]!.summary).toBe('目录 2026.12：新增 1 类，更新 2 类，停用 4 类；1 个默认承办单位编码本街道没有，沿用原设置');
    // The street's receipt is with the city after the same round.
    expect(await city.server.svc.referencePublications()).toEqual([
      { kind: 'catalog', version: '2026.12', publishedAt: expect.any(Number), streets: 1, applied: [{ street: STREET, summary: ups[0]!.summary }], rejected: [], pending: 0 },
    ]);
    // The screens see the new catalog at once.
    const boot = await f.as('operator')('meta.bootstrap', {});
    expect(boot.catalog.map((c) => c.code).sort()).toEqual(['c1', 'c11', 'c12', 'c15']);
    // A ticket in the new category takes its time limit (1 working day).
    const t = await f.as('operator')('tickets.create', { channel: 'walkIn', type: 'complaint', description: '小区门口共享单车堆满人行道', address: '经八路1号', categoryId: by.get('c15')!.id });
    expect(t.ticket.resolveDeadline).toBe(Date.parse('2026-11-24T18:00:00+08:00'));

    // Pulled again (cursor lost): nothing is held or applied twice.
    await f.ctx.store.db.deleteFrom('settings').where('key', '=', 'sync.cursor').execute();
    await client!.syncOnce();
    expect(await f.as('operator')('sync.referenceUpdates', {})).toHaveLength(1);
    expect(await f.ctx.store.db.selectFrom('catalog').select('id').execute()).toHaveLength(rows.length);
  });

  it('a calendar year moves deadlines over its holidays and is still there after a restart', async () => {
    const cal: CalendarPayload = { version: '国办发明电〔2026〕1号', year: 2027, holidays: { '2027-01-01': '元旦', '2027-01-04': '元旦' }, workdays: ['2027-01-09'] };
    const thursday = Date.parse('2026-12-31T10:00:00+08:00');
    // Before: 2 working days from Thursday 31 Dec 2026 end on Monday 4 Jan 2027 (only weekends known for 2027).
    expect(f.ctx.calendar.knowsYear(2027)).toBe(false);
    expect(f.ctx.calendar.addWorkingDays(thursday, 2)).toBe(Date.parse('2027-01-04T18:00:00+08:00'));
    await operatorClient().json('POST', `${ADMIN_PATH}/reference/calendar`, { payload: cal });
    await newClient().syncOnce();
    expect(f.ctx.calendar.knowsYear(2027)).toBe(true);
    expect(f.ctx.calendar.addWorkingDays(thursday, 2)).toBe(Date.parse('2027-01-06T18:00:00+08:00'));
    expect(f.ctx.calendar.isWorkingDay('2027-01-09')).toBe(true);
    // A correction withdraws a day: the year is replaced, not merged.
    await operatorClient().json('POST', `${ADMIN_PATH}/reference/calendar`, { payload: { ...cal, version: '更正', holidays: { '2027-01-01': '元旦' }, workdays: [] } });
    await client!.syncOnce();
    expect(f.ctx.calendar.isWorkingDay('2027-01-04')).toBe(true);
    expect(f.ctx.calendar.isWorkingDay('2027-01-09')).toBe(false);
    // A node opened later on the same store has it.
    const ctx2 = createContext(f.ctx.store, { log: silentLogger });
    expect(await loadCalendarYears(ctx2)).toBe(1);
    expect(ctx2.calendar.holidayName('2027-01-01')).toBe('元旦');
    expect(ctx2.calendar.isWorkingDay('2027-01-04')).toBe(true);
  });

  it('the city refuses a bad calendar; one that reaches the street anyway is refused whole there, and the feed goes on', async () => {
    const bad = { version: 'x', year: 2027, holidays: { '2027-02-30': '春节' }, workdays: ['2027-01-06'] };
    const res = await operatorClient().request<{ error: string; message: string }>('POST', `${ADMIN_PATH}/reference/calendar`, { payload: bad });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('不是周末');
    // An older city that did not check: the item is in the feed; the street checks it again.
    await city.server.db.db.insertInto('feed').values({ street_code: STREET, kind: 'calendar', entity_id: 'calendar:x', at: String(Date.now()), payload: JSON.stringify(bad) }).execute();
    const d = await city.server.svc.sendDirective({ title: '寒潮预警', body: '请做好防寒准备', streets: [STREET] });
    await newClient().syncOnce();
    const ups = await f.as('operator')('sync.referenceUpdates', {});
    expect(ups).toMatchObject([{ kind: 'calendar', status: 'rejected', summary: null }]);
    expect(ups[0]!.errors.join('；')).toMatch(/2027-02-30.*不是 2027 年的有效日期/);
    expect(ups[0]!.errors.join('；')).toContain('2027-01-06 不是周末');
    expect(f.ctx.calendar.knowsYear(2027)).toBe(false);
    expect(await f.ctx.store.db.selectFrom('calendar_years').select('year').execute()).toEqual([]);
    // The city learns the street refused it, and why.
    const [pub] = await city.server.svc.referencePublications();
    expect(pub).toMatchObject({ kind: 'calendar', version: 'x', streets: 1, applied: [], pending: 0 });
    expect(pub!.rejected).toEqual([{ street: STREET, errors: ups[0]!.errors }]);
    expect((await f.as('operator')('sync.directives', {})).map((x) => x.id)).toEqual([d.id]);
  });

  it('grids for one street: a valid file adds a grid that point lookups find; an overlapping one is refused and changes nothing', async () => {
    const admin = operatorClient();
    const two = await admin.request('POST', `${ADMIN_PATH}/reference/grids`, { payload: { version: 'v1', geojson: { type: 'FeatureCollection', features: [] } }, streets: [STREET, '410105002'] });
    expect(two.status).toBe(400);
    const good = { type: 'FeatureCollection', features: [gridFeature('41010500100302', '体育社区第二网格', rect(113.665, 34.77, 113.67, 34.775))] };
    await admin.json('POST', `${ADMIN_PATH}/reference/grids`, { payload: { version: '2026-12-01', geojson: good }, streets: [STREET] });
    const bad = { type: 'FeatureCollection', features: [gridFeature('41010500100303', '体育社区第三网格', rect(113.662, 34.771, 113.668, 34.774))] };
    await admin.json('POST', `${ADMIN_PATH}/reference/grids`, { payload: { version: '2026-12-02', geojson: bad }, streets: [STREET] });
    await newClient().syncOnce();
    const hit = await lookupPoint(f.ctx.store.db, f.ctx.store, 113.6675, 34.7725);
    expect(hit?.grid.code).toBe('41010500100302');
    expect(await f.ctx.store.db.selectFrom('grids').select('code').where('code', '=', '41010500100303').execute()).toEqual([]);
    const ups = await f.as('operator')('sync.referenceUpdates', {});
    expect(ups.map((u) => [u.version, u.status])).toEqual([
      ['2026-12-02', 'rejected'],
      ['2026-12-01', 'applied'],
    ]);
    expect(ups[1]!.summary).toBe('网格 2026-12-01：新增 1 个，更新 0 个，未变 0 个');
    expect(ups[0]!.errors.join('；')).toMatch(/重叠|重合|交叠/);
    // The other street's feed never saw them.
    expect((await city.server.svc.pull('410105002', 0)).items).toEqual([]);
  });

  it('a model version trained at the city is fetched by content address, its codes mapped onto the street’s catalog', async () => {
    // The city's model names catalog codes; this street's c15 has an id of its own.
    await operatorClient().json('POST', `${ADMIN_PATH}/reference/catalog`, {
      payload: { version: '1', categories: [{ ...leafEntry('c1', '市容环境'), parent: null, defaultUnit: null }, leafEntry('c11', '暴露垃圾'), leafEntry('c12', '井盖破损'), leafEntry('c15', '共享单车乱停放')] },
    });
    const texts: Record<string, string[]> = {
      c11: ['路边垃圾堆放很久没人清理', '小区门口垃圾桶满了溢出来', '绿化带里有人倒建筑垃圾'],
      c12: ['人行道井盖缺失很危险', '马路上井盖松动车过有响声', '雨水井盖破损塌陷'],
      c15: ['共享单车堆满人行道', '地铁口共享单车乱停放', '小区门口单车挡住出口'],
    };
    const samples = Object.entries(texts).flatMap(([label, list]) => list.map((text) => ({ title: '', text, label })));
    const m = trainTextModel({ samples, embeddings: null, card: { version: '20261201T000000', description: 'character n-gram softmax head', data: { source: 'city pooled history' } } });
    const dir = path.join(tempDir(), 'model');
    m.save(dir);
    const published = await operatorClient().json<{ version: string; streets: string[] }>('POST', `${ADMIN_PATH}/models?streets=${STREET}`, packModelDir(dir));
    expect(published).toMatchObject({ version: '20261201T000000', streets: [STREET] });
    await newClient().syncOnce();

    const ups = await f.as('operator')('sync.referenceUpdates', {});
    expect(ups.map((u) => [u.kind, u.status])).toEqual([
      ['modelVersion', 'applied'],
      ['catalog', 'applied'],
    ]);
    expect(ups[0]!.summary).toContain('3/3 类对上本街道目录');
    const installed = TextModel.load(path.join(textModelsRoot(f.ctx.store.file), '20261201T000000'));
    const c15 = (await f.ctx.store.db.selectFrom('catalog').select('id').where('code', '=', 'c15').executeTakeFirstOrThrow()).id;
    expect([...installed.labels].sort()).toEqual(['c11', 'c12', c15].sort());
    const p = installed.probs({ title: '', text: '共享单车乱停放堵住人行道' }, null);
    expect(installed.labels[p.indexOf(Math.max(...p))]).toBe(c15);
    expect(installed.card.description).toMatch(/^市级下发/);
    expect((installed.card as unknown as { origin: string }).origin).toBe('city');

    // The leader sees it among the model versions and switches to it; suggestions then come from it.
    const models = await f.as('leader')('ai.models', {});
    expect(models.versions.find((v) => v.version === '20261201T000000')).toMatchObject({ origin: 'city', current: false });
    expect((await f.as('leader')('ai.rollback', { version: '20261201T000000' })).current).toBe('20261201T000000');
    const s = await f.as('operator')('ai.suggest', { text: '地铁口共享单车乱停放堵住人行道' });
    expect(s.modelVersion).toBe('20261201T000000');
    expect(s.items[0]).toMatchObject({ categoryId: c15, name: '共享单车乱停放' });

    // Another street was not sent it and cannot fetch it.
    const sha = (await city.server.svc.pull(STREET, 0)).items.find((i) => i.kind === 'modelVersion')!.payload.sha256 as string;
    const other = city.credential('410105002');
    const o = new HttpsJson(city.server.url, other);
    expect((await o.request('GET', `/sync/v1/models/${sha}`)).status).toBe(404);
    o.close();
  });
});

describe('reference data an earlier version only recorded', () => {
  it('is taken over by migration 8 and applied', async () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const old = await openStore(file, { migrations: MIGRATIONS.filter((m) => m.version <= 7) });
    const cal = { version: '2027', year: 2027, holidays: { '2027-01-01': '元旦' }, workdays: [] };
    // (The version-7 table has no epoch column.)
    await old.db.insertInto('sync_feed_log').values({ seq: 9, kind: 'calendar', entity_id: 'calendar:2027', at: 1, payload: JSON.stringify(cal), outcome: 'recorded', received_at: 2 } as never).execute();
    await old.close();
    const store = await openStore(file);
    try {
      expect(await store.db.selectFrom('sync_feed_log').select('seq').execute()).toEqual([]);
      const ctx = createContext(store, { log: silentLogger });
      const r = await applyPendingReference(ctx);
      expect(r.applied).toEqual([{ seq: 9, kind: 'calendar' }]);
      expect(ctx.calendar.holidayName('2027-01-01')).toBe('元旦');
    } finally {
      await store.close();
    }
  });
});

describe(`the city retrains on every street's labels (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('labels pushed by the street (corrections included) → training-data → ai train → publish-model → suggestions on the street', async () => {
    const op = f.as('operator');
    const texts: Record<string, string[]> = {
      c11: ['路边垃圾堆放很久没人清理', '小区门口垃圾桶满了溢出来', '绿化带里有人倒生活垃圾', '菜市场后面垃圾成堆发臭', '楼下垃圾三天没人收', '公交站旁垃圾散落一地'],
      c12: ['人行道井盖缺失很危险', '马路上井盖松动车过有响声', '雨水井盖破损塌陷', '小区门口井盖翘起绊倒老人', '污水井盖被偷了一个大洞', '井盖下沉形成大坑'],
      c14: ['楼道里贴满非法小广告', '电线杆上小广告密密麻麻', '单元门上喷涂办证小广告', '公交站牌被贴小广告', '墙上到处是开锁小广告', '路灯杆上小广告铲不干净'],
    };
    for (const [categoryId, list] of Object.entries(texts))
      for (const description of list) await op('tickets.create', { channel: 'walkIn', type: 'complaint', description, address: '经八路1号', categoryId });
    // Filed under the wrong category, then corrected: the correction is the label the city learns.
    const wrong = await op('tickets.create', { channel: 'walkIn', type: 'complaint', description: '马路中间井盖不见了晚上看不清', address: '经八路2号', categoryId: 'c11' });
    await op('tickets.act', { action: 'classify', id: wrong.ticket.id, categoryId: 'c12' });
    await newClient().syncOnce();

    // Asynchronous: the city these commands talk to runs in this process.
    const cli = async (script: string, ...args: string[]) => (await run('node_modules/.bin/tsx', [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
    const csv = await cli('src/city/cli.ts', 'training-data', '--data', city.dataDir, '--url', city.server.url);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('id,title,text,category');
    expect(lines).toHaveLength(1 + 19);
    expect(lines.find((l) => l.includes('马路中间井盖不见了'))).toMatch(/,"c12"$/);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'pooled.csv'), csv);
    await cli('src/main/cli/ai.ts', 'train', '--data', path.join(dir, 'pooled.csv'), '--out', path.join(dir, 'model'), '--no-embeddings', '--no-prior');
    const published = JSON.parse(await cli('src/city/cli.ts', 'publish-model', path.join(dir, 'model'), '--streets', STREET, '--data', city.dataDir, '--url', city.server.url)) as { version: string };
    await client!.syncOnce();
    expect((await op('sync.referenceUpdates', {}))[0]).toMatchObject({ kind: 'modelVersion', version: published.version, status: 'applied' });
    await f.as('leader')('ai.rollback', { version: published.version });
    const s = await op('ai.suggest', { text: '电梯间墙上被人贴了小广告' });
    expect(s.modelVersion).toBe(published.version);
    expect(s.items[0]!.categoryId).toBe('c14');
  });
});

describe(`directives from a district (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('reach the district’s own streets only, signed by the district, which sees its own directives only', async () => {
    issueDistrictFiles(city.dataDir, '410105');
    const district = operatorClient('410105');
    const d = await district.json<{ id: string; issuedBy: string; streets: string[] }>('POST', `${ADMIN_PATH}/directives`, { title: '金水区防汛部署', body: '各街道排查低洼易涝点', priority: 'urgent' });
    expect(d.issuedBy).toBe('金水区城运中心');
    expect(d.streets.sort()).toEqual(['410105001', '410105002']);
    const outside = await district.request<{ error: string }>('POST', `${ADMIN_PATH}/directives`, { title: '越权指令', body: '发往其他区的街道', streets: ['410104003'] });
    expect(outside).toMatchObject({ status: 403, body: { error: 'outsideDistrict' } });
    // A browser page on another site cannot use an operator's certificate to post here.
    const p = pkiPaths(city.dataDir);
    const forged = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) }, { origin: 'https://evil.example' });
    expect(await forged.request('POST', `${ADMIN_PATH}/directives`, { title: '伪造指令', body: '来自其他网站的请求' })).toMatchObject({ status: 403, body: { error: 'crossOrigin' } });
    forged.close();
    // Nor send a JSON-looking body under another content type (what a cross-site form could).
    expect((await district.request('POST', `${ADMIN_PATH}/directives`, Buffer.from('{"title":"伪造指令","body":"内容内容"}'))).status).toBe(415);
    // A district may not dispatch 12345 tickets or publish reference data.
    expect((await district.request('POST', `${ADMIN_PATH}/dispatch`, { street: STREET, text: '测试测试', address: '经八路' })).status).toBe(403);
    await city.server.svc.sendDirective({ title: '全市寒潮预警', body: '请做好防寒准备' });
    const seen = await district.json<Array<{ id: string; pending: number }>>('GET', `${ADMIN_PATH}/directives`);
    expect(seen.map((x) => x.id)).toEqual([d.id]);
    district.close();

    await newClient().syncOnce();
    const list = await f.as('operator')('sync.directives', {});
    expect(list.map((x) => x.issuedBy).sort()).toEqual(['市城运中心', '金水区城运中心']);
    await f.as('operator')('sync.ackDirective', { id: d.id });
    await client!.syncOnce();
    const again = operatorClient('410105');
    const after = await again.json<Array<{ id: string; acked: number; pending: number }>>('GET', `${ADMIN_PATH}/directives`);
    expect(after).toMatchObject([{ id: d.id, acked: 1, pending: 1 }]);
    again.close();
  });
});
