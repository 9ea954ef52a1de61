// The 12345 loop closed: the city reviews a street's result on a ticket it dispatched — returns it
// for rework (the street's ticket reopens with the reason in its timeline), approves it, and
// records the citizen's callback (which the street counts as its callback) — over real HTTPS sync.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { SyncClient } from '../../src/main/sync/client';
import { HttpsJson } from '../../src/city/client';
import { pkiPaths } from '../../src/city/pki';
import { ADMIN_PATH } from '../../src/city/routes/admin';

const STREET = '410105001';
let f: Fixture;
let city: TestCity;
let client: SyncClient;

beforeEach(async () => {
  f = await createFixture();
  city = await startTestCity({ streets: [STREET] });
  client = new SyncClient(f.ctx, city.credential(STREET), { live: false });
});
afterEach(async () => {
  await client.stop();
  await city.close();
  await f.close();
});

async function streetTicket(id: string) {
  const t = await f.ctx.store.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = await f.ctx.store.db.selectFrom('ticket_events').select(['action', 'to_status', 'reason', 'data', 'actor_name']).where('ticket_id', '=', id).orderBy('seq').execute();
  return { t, events };
}

describe(`12345 review of a street's result (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('returned for rework reopens on the street with the reason; resolved again, approved and called back, it closes with the satisfaction', async () => {
    const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映经八路3号路灯不亮', address: '经八路3号', unit: 'CG', reporterPhone: '13900000000' });
    await client.syncOnce();
    const cg = f.as('cg');
    const op = f.as('operator');
    await cg('tickets.act', { action: 'accept', id: sent.id });
    await cg('tickets.act', { action: 'resolve', id: sent.id, result: '已更换灯泡' });
    await client.syncOnce();

    // Through the admin route, as the console and the CLI call it.
    const p = pkiPaths(city.dataDir);
    const admin = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) });
    const noReason = await admin.request<{ code: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'return', reason: '' });
    expect(noReason.status).toBe(400);
    const ret = await admin.request<{ status: string }>('POST', `${ADMIN_PATH}/tickets/${sent.code}/review`, { decision: 'return', reason: '市民反映路灯仍不亮，请重新核查线路' });
    expect(ret.status).toBe(200);
    expect(ret.body.status).toBe('reopened');
    await client.syncOnce();
    let s = await streetTicket(sent.id);
    expect(s.t).toMatchObject({ status: 'reopened', reopen_count: 1, resolved_at: null });
    expect(s.events.at(-1)).toMatchObject({ action: 'reopen', to_status: 'reopened', reason: '12345退回重办：市民反映路灯仍不亮，请重新核查线路', actor_name: '12345热线中心' });

    // The street works it again; the city approves and records the citizen's callback.
    await op('tickets.act', { action: 'classify', id: sent.id, categoryId: 'c12' });
    await op('tickets.act', { action: 'dispatch', id: sent.id, mode: 'designated', unitId: 'u1' });
    await cg('tickets.act', { action: 'accept', id: sent.id });
    await cg('tickets.act', { action: 'resolve', id: sent.id, result: '更换了损坏的电缆，路灯已恢复' });
    await client.syncOnce();
    expect((await city.server.svc.ticket(sent.id))!.status).toBe('resolved');
    await expect(city.server.svc.review(sent.id, { decision: 'callback', satisfaction: 'satisfied' })).resolves.toMatchObject({ status: 'closed' });
    await expect(city.server.svc.review(sent.id, { decision: 'approve' })).rejects.toThrow(/已归档|不能审核通过/);
    await client.syncOnce();
    s = await streetTicket(sent.id);
    expect(s.t).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    expect(s.t.closed_at).not.toBeNull();
    const callback = s.events.at(-1)!;
    expect(callback).toMatchObject({ action: 'callback', to_status: 'closed' });
    expect(JSON.parse(callback.data)).toMatchObject({ satisfaction: 'satisfied', source: '12345' });
    const cityCopy = await city.server.svc.ticket(sent.id);
    expect({ status: cityCopy!.status, version: cityCopy!.version }).toEqual({ status: s.t.status, version: s.t.version });
  });

  it('approve moves a resolved ticket to verified; an unsatisfied callback reopens it; a street’s own ticket is not the city’s to review', async () => {
    const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映经八路5号井盖破损', address: '经八路5号', unit: 'CG', reporterPhone: '13900000001' });
    await client.syncOnce();
    const cg = f.as('cg');
    await cg('tickets.act', { action: 'accept', id: sent.id });
    await cg('tickets.act', { action: 'resolve', id: sent.id, result: '已更换井盖' });
    await client.syncOnce();
    await city.server.svc.review(sent.id, { decision: 'approve' });
    await client.syncOnce();
    expect((await streetTicket(sent.id)).t.status).toBe('verified');
    await city.server.svc.review(sent.id, { decision: 'callback', satisfaction: 'unsatisfied', note: '市民称井盖仍松动' });
    await client.syncOnce();
    const s = await streetTicket(sent.id);
    expect(s.t).toMatchObject({ status: 'reopened', satisfaction: 'unsatisfied', reopen_count: 1 });
    expect(s.events.at(-1)).toMatchObject({ action: 'callback', reason: '市民称井盖仍松动' });

    const own = await f.as('operator')('tickets.create', { channel: 'walkIn', type: 'complaint', description: '经八路7号门口积水严重', address: '经八路7号', categoryId: 'c12' });
    await client.syncOnce();
    await expect(city.server.svc.review(own.ticket.id, { decision: 'approve' })).rejects.toThrow(/市级派发/);
  });
});
