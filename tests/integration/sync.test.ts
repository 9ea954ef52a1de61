// Street ↔ city sync over real HTTPS (client certificates, pinned CA) against the real city
// server on PGlite — or on PostgreSQL when CITY_TEST_PG_URL is set (.ci/run sets it and runs this
// file twice). Each scenario ends with the city and the street agreeing row by row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../support/fixture';
import { PG_URL, startTestCity, type TestCity } from '../support/city';
import type { TcpProxy } from '../support/tcpProxy';
import { openSyncWorld, STREET, ticketInput, type SyncWorld } from '../support/syncWorld';
import { SyncClient } from '../../src/main/sync/client';
import { syncManager } from '../../src/main/sync/manager';
import type { FeedItem, PushResponse } from '../../src/shared/sync/protocol';
import { applyFeedPage } from '../../src/main/sync/feedApply';

let w: SyncWorld;
let f: Fixture;
let city: TestCity;
let proxy: TcpProxy;
let client: SyncClient | null;

function newClient(opts: ConstructorParameters<typeof SyncClient>[2] = {}) {
  client = w.client(opts);
  return client;
}

/** Street tickets vs the city's copies, row by row (id, status, version). */
/** Audit entries in the outbox (logins are audited; they go to the city like every synced entity). */
async function auditOps(pendingOnly = false): Promise<number> {
  let q = f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', 'audit');
  if (pendingOnly) q = q.where('acked_at', 'is', null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function expectAgreement() {
  const local = await f.ctx.store.db.selectFrom('tickets').select(['id', 'status', 'version']).orderBy('id').execute();
  const remote = await city.server.svc.streetTickets(STREET);
  expect(remote.map(({ id, status, version }) => ({ id, status, version }))).toEqual(local);
  // Only the audit entry of switching sync off may still wait (it goes with the next connection).
  const waiting = (await f.ctx.store.db.selectFrom('outbox').select(['id', 'entity', 'payload']).where('acked_at', 'is', null).execute())
    .filter((o) => o.entity === 'audit' && (JSON.parse(o.payload) as { action: string }).action === 'sync.config')
    .map((o) => o.id);
  const pending = (await f.ctx.store.db.selectFrom('outbox').select('id').where('acked_at', 'is', null).execute()).map((o) => o.id).filter((x) => !waiting.includes(x));
  expect(pending).toEqual([]);
  // Every op the city applied is one the street has acknowledged; every acknowledged op was
  // applied, unless the operator superseded it (rebase/discard of a conflict on that entity).
  const applied = new Set(await city.server.svc.appliedOpIds(STREET));
  const out = await f.ctx.store.db.selectFrom('outbox').select(['id', 'entity', 'entity_id', 'acked_at']).execute();
  const superseded = new Set((await f.ctx.store.db.selectFrom('sync_conflicts').select(['entity', 'entity_id']).where('resolution', 'in', ['discard', 'rebase']).execute()).map((c) => `${c.entity}/${c.entity_id}`));
  for (const id of applied) expect(out.find((o) => o.id === id)?.acked_at).not.toBeNull();
  for (const o of out) if (!applied.has(o.id) && !waiting.includes(o.id)) expect(superseded.has(`${o.entity}/${o.entity_id}`)).toBe(true);
  const events = await city.server.db.db.selectFrom('city_ticket_events').select(['op_id']).where('op_id', 'is not', null).execute();
  expect(new Set(events.map((e) => e.op_id)).size).toBe(events.length);
}

async function lifecycle(n: number) {
  const op = f.as('operator');
  const cg = f.as('cg');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = await op('tickets.create', { ...ticketInput, description: `${ticketInput.description}（第${i + 1}件）` });
    ids.push(d.ticket.id);
    await op('tickets.act', { action: 'dispatch', id: d.ticket.id, mode: 'oneClick' });
    if (i % 2 === 0) {
      await cg('tickets.act', { action: 'accept', id: d.ticket.id });
      await cg('tickets.act', { action: 'resolve', id: d.ticket.id, result: '已更换新井盖并设置警示' });
    }
  }
  return ids;
}

beforeEach(async () => {
  w = await openSyncWorld({ streets: [STREET, '410105002'], proxy: true });
  ({ f, city } = w);
  proxy = w.proxy!;
  client = null;
});
afterEach(async () => {
  await w.close();
});

describe(`sync with the city (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('pushes a street’s work, the city enforces the state machine, and both agree row by row', async () => {
    await lifecycle(3);
    const c = newClient();
    const r = await c.syncOnce();
    // The users' logins are audited, and the audit entries travel too.
    expect(r.pushed).toBe(3 + 3 + 2 * 2 + (await auditOps()));
    expect(r.rejected).toBe(0);
    await expectAgreement();
    const t = await city.server.svc.streetTickets(STREET);
    expect(t.filter((x) => x.status === 'resolved')).toHaveLength(2);
    expect(t.every((x) => x.unitCode === 'CG')).toBe(true);
  });

  it('a ticket from before the first sync whose first op is a coordination note is adopted by the city', async () => {
    const op = f.as('operator');
    const t = (await op('tickets.create', ticketInput)).ticket;
    // As if the ticket was there before a city was configured (a demo street): no create op queued.
    await f.ctx.store.db.deleteFrom('outbox').execute();
    // A joint review writes a timeline note on the ticket (no status or version change), then the
    // review's work moves the ticket on.
    await op('reviews.open', { ticketId: t.id, dimensions: ['department', 'level'], question: '井盖权属不清，城管与住建均称非本单位', unitIds: ['u1', 'u2'] });
    await op('tickets.act', { action: 'dispatch', id: t.id, mode: 'oneClick' });
    await f.as('cg')('tickets.act', { action: 'accept', id: t.id });
    const r = await newClient().syncOnce();
    expect(r.rejected).toBe(0);
    expect(await f.ctx.store.db.selectFrom('sync_conflicts').selectAll().execute()).toEqual([]);
    await expectAgreement();
    expect((await city.server.svc.ticket(t.id))!.status).toBe('accepted');
  });

  it('a 12345 direct dispatch appears in 待签收, and accept and resolve flow back', async () => {
    const c = newClient();
    const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映经八路3号路灯不亮', address: '经八路3号', unit: 'CG', reporterPhone: '13900000000' });
    await c.syncOnce();
    const cg = f.as('cg');
    const page = await cg('tickets.list', { startRow: 0, endRow: 50, sort: [], filter: { view: 'pendingAccept' } });
    expect(page.rows.map((x) => x.id)).toContain(sent.id);
    await cg('tickets.act', { action: 'accept', id: sent.id });
    await cg('tickets.act', { action: 'resolve', id: sent.id, result: '已更换灯泡，路灯恢复' });
    await c.syncOnce();
    const back = await city.server.svc.ticket(sent.code!);
    expect(back).toMatchObject({ status: 'resolved', result: '已更换灯泡，路灯恢复', unitCode: 'CG', source: 'city' });
    expect(back!.events.map((e) => e.action)).toEqual(['dispatch', 'accept', 'resolve']);
    await expectAgreement();
  });

  it('a dispatch without a unit the street has goes to its receiving unit and the city learns which', async () => {
    const c = newClient();
    const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映小区门口有人乱贴小广告', address: '经八路5号' });
    await c.syncOnce();
    const local = await f.ctx.store.db.selectFrom('tickets').select(['status', 'unit_id']).where('id', '=', sent.id).executeTakeFirstOrThrow();
    expect(local).toEqual({ status: 'dispatched', unit_id: 'u5' });
    await c.syncOnce();
    expect((await city.server.svc.ticket(sent.id))!.unitCode).toBe('SQB');
    await expectAgreement();
  });

  it('directives reach the street and the acknowledgement flows back', async () => {
    const c = newClient();
    const d = await city.server.svc.sendDirective({ title: '防汛紧急部署', body: '请各街道立即排查低洼易涝点', priority: 'urgent', streets: [STREET] });
    await c.syncOnce();
    const list = await f.as('operator')('sync.directives', {});
    expect(list).toMatchObject([{ id: d.id, title: '防汛紧急部署', ackedAt: null }]);
    let status = (await city.server.svc.directives())[0]!;
    expect(status.recipients).toMatchObject([{ street: STREET, ackedAt: null }]);
    expect(status.recipients[0]!.deliveredAt).not.toBeNull();
    await f.as('operator')('sync.ackDirective', { id: d.id });
    await c.syncOnce();
    status = (await city.server.svc.directives())[0]!;
    expect(status).toMatchObject({ acked: 1, pending: 0, recipients: [{ street: STREET, ackedBy: '王受理' }] });
  });

  it('a city directive switches the street into emergency mode until its end, recorded once and reported back', async () => {
    const c = newClient();
    const end = Date.now() + 6 * 3600_000;
    await city.server.svc.sendDirective({ title: '启动防汛应急响应', body: '全市进入防汛应急状态', priority: 'critical', streets: [STREET], runMode: { mode: 'emergency', end } });
    await c.syncOnce();
    expect((await f.as('operator')('meta.bootstrap', {})).settings.runMode).toBe('emergency');
    const periods = await f.ctx.store.db.selectFrom('run_mode_periods').selectAll().execute();
    expect(periods).toMatchObject([{ mode: 'emergency', source: 'city', end_at: end, by_name: '市城运中心', note: '市级指令“启动防汛应急响应”' }]);
    // Pulled again (a resend of the same feed item) it is not recorded twice.
    await f.ctx.store.db.deleteFrom('settings').where('key', '=', 'sync.cursor').execute();
    await c.syncOnce();
    expect(await f.ctx.store.db.selectFrom('run_mode_periods').select('id').execute()).toHaveLength(1);
    // The switch itself goes up to the city like every other change.
    expect((await f.ctx.store.db.selectFrom('outbox').select(['entity', 'acked_at']).where('entity', '=', 'runMode').execute())[0]!.acked_at).not.toBeNull();
  });

  it('a whistle session goes up to the city and a department’s response given to the city comes back to it', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', ticketInput);
    const s = await op('whistle.open', {
      title: '井盖缺失联合处置',
      problem: '井盖缺失，权属涉及城管和住建',
      urgency: 'urgent',
      place: '体育场路12号院门口',
      ticketId: ticket.id,
      unitIds: ['u1', 'u2'],
      leadUnitId: 'u1',
      reportBy: Date.now() + 3600_000,
    });
    const c = newClient();
    expect((await c.syncOnce()).rejected).toBe(0);
    // The city holds the session as the street sent it.
    const held = await city.server.svc.appliedOpIds(STREET);
    const sessionOps = await f.ctx.store.db.selectFrom('outbox').select('id').where('entity', '=', 'whistleSession').where('entity_id', '=', s.id).execute();
    expect(sessionOps.length).toBeGreaterThan(0);
    for (const o of sessionOps) expect(held).toContain(o.id);
    // 住建 reports to the city's platform; the street's session shows it, marked as from the city.
    await city.server.svc.sendWhistleResponse({ street: STREET, sessionId: s.id, unitCode: 'ZJ', state: 'onSite', repName: '赵工', note: '已到现场' });
    await c.syncOnce();
    const d = await op('whistle.get', { id: s.id });
    expect(d.depts.find((x) => x.unitId === 'u2')).toMatchObject({ state: 'onSite', repName: '赵工' });
    expect(d.depts.find((x) => x.unitId === 'u1')).toMatchObject({ state: 'notified' });
    const row = await f.ctx.store.db.selectFrom('whistle_departments').select('source').where('session_id', '=', s.id).where('unit_id', '=', 'u2').executeTakeFirstOrThrow();
    expect(row.source).toBe('city');
    // A response for a department that was not summoned changes nothing and does not stop sync.
    await city.server.svc.sendWhistleResponse({ street: STREET, sessionId: s.id, unitCode: 'RQ', state: 'onSite' });
    await city.server.svc.sendWhistleResponse({ street: STREET, sessionId: 'no-such-session', unitCode: 'ZJ', state: 'done' });
    await city.server.svc.sendWhistleResponse({ street: STREET, sessionId: s.id, unitCode: 'CG', state: 'acknowledged', repName: '钱队' });
    await c.syncOnce();
    const after = await op('whistle.get', { id: s.id });
    expect(after.depts.map((x) => x.unitId).sort()).toEqual(['u1', 'u2']);
    expect(after.depts.find((x) => x.unitId === 'u1')).toMatchObject({ state: 'acknowledged', repName: '钱队' });
  });

  it('a refused operation becomes a conflict; later ops wait behind it; rebase adopts the city’s version', async () => {
    const c = newClient();
    const [id] = await lifecycle(1);
    await c.syncOnce();
    // The city changes the ticket (another path), then the street acts on its stale copy.
    await city.server.db.db.updateTable('city_tickets').set({ status: 'cancelled', version: 99 }).where('id', '=', id!).execute();
    const op = f.as('operator');
    await op('tickets.act', { action: 'verify', id: id!, passed: true });
    await op('tickets.act', { action: 'callback', id: id!, satisfaction: 'satisfied' });
    const r = await c.syncOnce();
    expect(r.rejected).toBe(1);
    let conflicts = await op('sync.conflicts', {});
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ op: 'verify', code: 'staleState', waiting: 1, cityState: { status: 'cancelled', version: 99 } });
    expect(conflicts[0]!.reason).toContain('已作废');
    expect((await op('sync.status', {})).pending).toBe(2);
    // Retry: the city refuses again (nothing is dropped).
    await op('sync.resolve', { opId: conflicts[0]!.opId, resolution: 'retry' });
    await c.syncOnce();
    conflicts = await op('sync.conflicts', {});
    expect(conflicts).toHaveLength(1);
    await expect(op('sync.resolve', { opId: conflicts[0]!.opId, resolution: 'discard' })).rejects.toMatchObject({ code: 'reasonRequired' });
    await op('sync.resolve', { opId: conflicts[0]!.opId, resolution: 'rebase' });
    await c.syncOnce();
    expect(await op('sync.conflicts', {})).toHaveLength(0);
    const all = await op('sync.conflicts', { includeResolved: true });
    expect(all[0]).toMatchObject({ resolution: 'rebase', resolvedBy: '王受理' });
    const d = await op('tickets.get', { id: id! });
    expect(d.ticket.status).toBe('cancelled');
    await expectAgreement();
  });

  it('cut after the city applied a batch but before the acknowledgement: resent, no duplicate', async () => {
    await lifecycle(40);
    const c = newClient({ batchSize: 500 });
    proxy.cutResponseAfterUpload = 20_000;
    await expect(c.syncOnce()).rejects.toThrow();
    expect(proxy.cuts).toBe(1);
    const appliedBefore = await city.server.svc.appliedCount(STREET);
    expect(appliedBefore).toBe(40 * 2 + 20 * 2 + (await auditOps()));
    expect((await f.as('operator')('sync.status', {})).pending).toBe(appliedBefore);
    const r = await c.syncOnce();
    expect(r.pushed).toBe(appliedBefore);
    expect(await city.server.svc.appliedCount(STREET)).toBe(appliedBefore);
    await expectAgreement();
  });

  it('photos go content-addressed and resume after a cut from what the city already has', async () => {
    const crypto = await import('node:crypto');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(2_500_000)]);
    const op = f.as('operator');
    const info = await op('attachments.upload', { name: 'scene.png', mime: 'image/png', dataBase64: png.toString('base64') });
    await op('tickets.create', { ...ticketInput, photos: [info.sha256] });
    const c = newClient({ photoChunkBytes: 512 * 1024 });
    let up = 0;
    proxy.onUpload = (n) => {
      up += n;
      if (up > 1_300_000 && !proxy.refuse) {
        proxy.refuse = true;
        proxy.cutAll();
      }
    };
    await expect(c.syncOnce()).rejects.toThrow();
    const { BlobStore } = await import('../../src/city/blobs');
    const blobs = new BlobStore((await import('node:path')).join(city.dataDir, 'blobs'));
    const partial = blobs.status(info.sha256);
    expect(partial.complete).toBe(false);
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size % (512 * 1024)).toBe(0);
    expect((await f.as('operator')('sync.status', {})).pending).toBe(1 + (await auditOps(true)));
    proxy.refuse = false;
    up = 0;
    proxy.onUpload = (n) => (up += n);
    await c.syncOnce();
    expect(blobs.status(info.sha256)).toMatchObject({ complete: true, size: png.length });
    // Only the rest travelled the second time (plus TLS and HTTP overhead).
    expect(up).toBeLessThan(png.length - partial.size + 100_000);
    const stored = (await import('node:fs')).readFileSync((await import('node:path')).join(city.dataDir, 'blobs', info.sha256.slice(0, 2), info.sha256));
    expect(stored.equals(png)).toBe(true);
    // A chunk at the wrong offset or bytes that do not hash to the name are refused.
    const { HttpsJson } = await import('../../src/city/client');
    const h = new HttpsJson(city.server.url, city.credential(STREET), { 'x-street-code': STREET });
    const fake = 'a'.repeat(64);
    expect((await h.request('POST', `/sync/v1/blobs/${fake}?offset=0&total=3`, 'abc')).status).toBe(400);
    expect(blobs.status(fake)).toMatchObject({ complete: false, size: 0 });
    h.close();
    await expectAgreement();
  });

  it('the same operation sent twice (and in one batch twice) is applied once', async () => {
    await lifecycle(2);
    const { readPending } = await import('../../src/main/sync/outboxSync');
    const ops = await readPending(f.ctx.store.db, 100);
    const { HttpsJson } = await import('../../src/city/client');
    const cred = city.credential(STREET);
    const h = new HttpsJson(city.server.url, cred, { 'x-street-code': STREET });
    const first = await h.json<PushResponse>('POST', '/sync/v1/push', { ops: [...ops, ops[0]] });
    expect(first.results.filter((r) => r.status === 'applied')).toHaveLength(ops.length);
    expect(first.results.at(-1)!.status).toBe('duplicate');
    const again = await h.json<PushResponse>('POST', '/sync/v1/push', { ops });
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    h.close();
    const c = newClient();
    await c.syncOnce();
    await expectAgreement();
  });

  it('stalls and cuts: the client backs off, resumes, and loses nothing', async () => {
    await lifecycle(10);
    const c = newClient({ requestTimeoutMs: 1500, pollMs: 100 });
    proxy.stalled = true;
    c.start();
    await new Promise((r) => setTimeout(r, 2500));
    expect(c.state.online).toBe(false);
    expect(c.state.failures).toBeGreaterThanOrEqual(1);
    proxy.stalled = false;
    proxy.refuse = true;
    proxy.cutAll();
    await new Promise((r) => setTimeout(r, 600));
    expect(c.state.online).toBe(false);
    proxy.refuse = false;
    await waitFor(() => c.state.online && c.state.failures === 0, 10_000);
    await waitFor(async () => (await f.as('operator')('sync.status', {})).pending === 0, 10_000);
    await c.stop();
    await expectAgreement();
  });

  it('while the city fails, local changes wait for the backed-off retry; 立即同步 still retries at once', async () => {
    const c = newClient({ baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 1 });
    proxy.refuse = true;
    c.start();
    await waitFor(() => c.state.failures === 1, 10_000);
    await lifecycle(3); // a dozen local ticket changes
    await new Promise((r) => setTimeout(r, 1000));
    expect(c.state.failures).toBe(1);
    proxy.refuse = false;
    f.ctx.events.publish({ type: 'sync.wake' });
    await waitFor(() => c.state.online && c.state.failures === 0, 10_000);
    await waitFor(async () => (await f.as('operator')('sync.status', {})).pending === 0, 10_000);
    await c.stop();
    await expectAgreement();
  });

  it('reordered: a stale copy of a batch reaches the city after newer batches and changes nothing', async () => {
    const ids = await lifecycle(20);
    const svc = city.server.svc;
    const answers: PushResponse[] = [];
    const push = svc.push.bind(svc);
    svc.push = async (street, ops) => {
      const r = await push(street, ops);
      answers.push(r);
      return r;
    };
    const c = newClient({ batchSize: 40, requestTimeoutMs: 1500 });
    // The first push is held in the proxy: the street times out and gives up on it.
    proxy.holdUploadAfter = 8_000;
    await expect(c.syncOnce()).rejects.toThrow(/no answer from the city/);
    expect(answers).toHaveLength(0);
    // It retries on a new connection; everything goes through, then more work follows.
    await c.syncOnce();
    const cg = f.as('cg');
    for (const id of ids.filter((_, i) => i % 2 === 1)) {
      await cg('tickets.act', { action: 'accept', id });
      await cg('tickets.act', { action: 'resolve', id, result: '已处理完毕' });
    }
    await c.syncOnce();
    const applied = await svc.appliedCount(STREET);
    const newer = answers.length;
    expect(newer).toBeGreaterThanOrEqual(3);
    // Now the old request arrives, after all of that.
    await proxy.releaseHeld();
    await waitFor(() => answers.length === newer + 1, 10_000);
    const stale = answers[newer]!;
    expect(stale.results.length).toBe(40);
    expect(stale.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await svc.appliedCount(STREET)).toBe(applied);
    const remote = await svc.streetTickets(STREET);
    expect(remote.filter((t) => t.status === 'resolved')).toHaveLength(20);
    await expectAgreement();
  });

  it('the city restarted between batches and the street restarted mid-backlog: resumes from the store', async () => {
    await lifecycle(30);
    let c = newClient({ batchSize: 20 });
    // Push a few batches, then "kill" the street (drop the client without a goodbye).
    const { readPending, recordPushResults } = await import('../../src/main/sync/outboxSync');
    const { HttpsJson } = await import('../../src/city/client');
    const h = new HttpsJson(city.server.url, city.credential(STREET), { 'x-street-code': STREET });
    const ops = await readPending(f.ctx.store.db, 20);
    const resp = await h.json<PushResponse>('POST', '/sync/v1/push', { ops });
    // Street dies before recording the answer (nothing marked acked).
    h.close();
    expect(resp.results.every((r) => r.status === 'applied')).toBe(true);
    await city.restart();
    proxy.setTarget(city.server.port);
    c = newClient({ batchSize: 20 });
    const r = await c.syncOnce();
    expect(r.pushed).toBe(30 * 2 + 15 * 2 + (await auditOps()));
    expect(await city.server.svc.appliedCount(STREET)).toBe(30 * 2 + 15 * 2 + (await auditOps()));
    void recordPushResults;
    await expectAgreement();
  });

  it('another street’s credential, or a wrong CA, is refused and learns nothing', async () => {
    await lifecycle(1);
    const c0 = newClient();
    await c0.syncOnce();
    // Street 410105001's node holding 410105002's certificate.
    const { HttpsJson } = await import('../../src/city/client');
    const other = city.credential('410105002');
    const h = new HttpsJson(city.server.url, other, { 'x-street-code': STREET });
    const r = await h.request('GET', '/sync/v1/pull?after=0');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain('井盖');
    h.close();
    // 410105002 itself cannot read or write 410105001's tickets.
    const h2 = new HttpsJson(city.server.url, other, { 'x-street-code': '410105002' });
    const tid = (await city.server.svc.streetTickets(STREET))[0]!.id;
    expect((await h2.request('GET', `/sync/v1/tickets/${tid}`)).status).toBe(404);
    const forged = await h2.json<PushResponse>('POST', '/sync/v1/push', {
      ops: [{ id: '01999999-0000-7000-8000-000000000001', seq: 1, entity: 'ticket', entityId: tid, op: 'cancel', at: Date.now(), payload: {
        input: { action: 'cancel', id: tid, reason: '恶意作废' }, eventId: 'e-forged', from: 'dispatched', to: 'cancelled', version: 3,
        actor: { userId: 'x', name: '冒名', role: 'operator', unitCode: null },
        base: { status: 'dispatched', version: 2, code: 'X', unitCode: null, channel: null, type: null, description: null, address: null, lon: null, lat: null, externalRef: null, reporterName: null, reporterPhone: null, result: null, satisfaction: null, createdAt: 0, facts: { hasCategory: true, isConsultation: false, isMicro: false, callbackPossible: false, reportedBy: null, categoryCode: null } },
      } }],
    });
    expect(forged.results[0]).toMatchObject({ status: 'rejected', code: 'unknownTicket', cityState: null });
    h2.close();
    // A certificate from another CA never gets past the TLS handshake.
    const { createCa, issueClientCert } = await import('../../src/city/pki');
    const rogue = createCa();
    const rc = issueClientCert(rogue, STREET, 'street');
    const h3 = new HttpsJson(city.server.url, { ca: city.credential(STREET).ca, cert: rc.cert, key: rc.key });
    await expect(h3.request('GET', '/sync/v1/pull?after=0')).rejects.toThrow();
    h3.close();
    // A street that pins another CA refuses the city.
    const h4 = new HttpsJson(city.server.url, { ...city.credential(STREET), ca: rogue.caCert });
    await expect(h4.request('GET', '/sync/v1/pull?after=0')).rejects.toThrow(/certificate|self.signed|verify/i);
    h4.close();
    await expectAgreement();
  });

  it('clock skew: a street clock hours ahead or behind changes nothing about order or acceptance', async () => {
    f.setNow(Date.parse('2026-11-23T10:00:00+08:00') + 7 * 3600_000);
    await lifecycle(2);
    f.setNow(Date.parse('2026-11-23T10:00:00+08:00') - 5 * 3600_000);
    const op = f.as('operator');
    const [id] = (await city.server.svc.streetTickets(STREET)).map((t) => t.id);
    void id;
    const d = await op('tickets.create', { ...ticketInput, description: '时钟回拨后登记的工单，内容完整' });
    await op('tickets.act', { action: 'dispatch', id: d.ticket.id, mode: 'oneClick' });
    const c = newClient();
    await c.syncOnce();
    await expectAgreement();
  });

  it('one feed page: a run of dispatches (one twice) then a city update of one of them, applied in order', async () => {
    const at = f.ctx.now();
    const ticket = (n: number) => ({
      id: `0190a000-0000-7000-8000-00000000000${n}`, streetCode: STREET, code: `12345-20261123-0000${n}`, status: 'dispatched', version: 1, unitCode: 'CG', source: 'city' as const,
      channel: 'hotline12345', type: 'complaint', description: `市民反映第${n}处路灯不亮`, address: '经八路', lon: null, lat: null, externalRef: null,
      reporterName: null, reporterPhone: null, result: null, satisfaction: null, createdAt: at, updatedAt: at,
    });
    const dispatched = (seq: number, n: number): FeedItem => ({ seq, kind: 'ticket.dispatched', entityId: ticket(n).id, at, payload: { ticket: ticket(n), unitCode: 'CG', acceptWithinHours: 2, resolveWithinDays: 5 } });
    const items: FeedItem[] = [
      dispatched(1, 1),
      dispatched(2, 2),
      dispatched(3, 1),
      { seq: 4, kind: 'ticket.updated', entityId: ticket(2).id, at, payload: { ticket: { ...ticket(2), status: 'cancelled', version: 2 } } },
      dispatched(5, 3),
    ];
    const out = await applyFeedPage(f.ctx.store.db, f.ctx.calendar, items, 5, at);
    expect(out.tickets).toEqual([ticket(1).id, ticket(2).id, ticket(2).id, ticket(3).id]);
    const rows = await f.ctx.store.db.selectFrom('tickets').select(['code', 'status', 'unit_id']).where('channel', '=', 'hotline12345').orderBy('code').execute();
    expect(rows).toEqual([
      { code: '12345-20261123-00001', status: 'dispatched', unit_id: 'u1' },
      { code: '12345-20261123-00002', status: 'cancelled', unit_id: 'u1' },
      { code: '12345-20261123-00003', status: 'dispatched', unit_id: 'u1' },
    ]);
    expect(await f.ctx.store.db.selectFrom('ticket_events').select('id').where('ticket_id', '=', ticket(1).id).execute()).toHaveLength(2);
    // Searchable at once (full-text index written with them).
    const found = await f.as('operator')('tickets.list', { startRow: 0, endRow: 10, filter: { q: '第3处路灯' } });
    expect(found.rows.map((r) => r.code)).toEqual(['12345-20261123-00003']);
  });

  it('manager: configured through the API, syncs in the background and reports status', async () => {
    const files = (await import('../support/city')).streetCredFiles(city.dataDir, STREET);
    const leader = f.as('leader');
    await expect(f.as('operator')('sync.configure', { url: city.server.url, ...files })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(leader('sync.configure', { url: 'http://127.0.0.1:1', ...files })).rejects.toMatchObject({ code: 'invalidInput' });
    syncManager(f.ctx, { live: true, pollMs: 200, baseDelayMs: 50 });
    let s = await leader('sync.configure', { url: city.server.url, ...files });
    expect(s.configured).toBe(true);
    await lifecycle(2);
    // The first item of this city's feed (seq 1).
    await city.server.svc.publishReference('calendar', { version: 'A', year: 2027, holidays: { '2027-01-01': '元旦' }, workdays: [] });
    const sent = await city.server.svc.dispatch({ street: STREET, text: '市民反映路口井盖松动', address: '经八路3号' });
    await waitFor(async () => (await leader('sync.status', {})).pending === 0, 10_000);
    await waitFor(async () => (await leader('sync.status', {})).live, 10_000);
    await waitFor(async () => !!(await f.ctx.store.db.selectFrom('tickets').select('id').where('id', '=', sent.id).executeTakeFirst()), 10_000);
    s = await leader('sync.status', {});
    expect(s).toMatchObject({ online: true, live: true, conflicts: 0 });
    expect(s.lastSyncAt).not.toBeNull();
    // The live channel brings a directive without waiting for the poll.
    const t0 = Date.now();
    await city.server.svc.sendDirective({ title: '寒潮预警', body: '请做好困难群众防寒保暖', priority: 'critical' });
    await waitFor(async () => (await leader('sync.directives', {})).length === 1, 5_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await leader('sync.configure', { disable: true });
    expect((await leader('sync.status', {})).configured).toBe(false);
    await syncManager(f.ctx).stop();
    await expectAgreement();

    // Connected to another city (a new address and CA), the street reads that city's feed from its start.
    const other = await startTestCity({ streets: [STREET] });
    try {
      // Its feed starts at seq 1 too: that item must not be taken for the first city's seq 1.
      await other.server.svc.publishReference('calendar', { version: 'B', year: 2028, holidays: { '2028-01-01': '元旦' }, workdays: [] });
      const d = await other.server.svc.sendDirective({ title: '新平台联调', body: '请确认收到本条指令' });
      // Its 12345 numbering starts again: the same code as a ticket the street already has.
      const first = await f.ctx.store.db.selectFrom('tickets').select(['code']).where('channel', '=', 'hotline12345').where('code', 'like', '12345-%').executeTakeFirstOrThrow();
      const again = await other.server.svc.dispatch({ street: STREET, text: '市民反映小区门口路灯不亮', address: '经八路5号' });
      expect(again.code).toBe(first.code);
      await leader('sync.configure', { url: other.server.url, ...(await import('../support/city')).streetCredFiles(other.dataDir, STREET) });
      await waitFor(async () => (await leader('sync.directives', {})).some((x) => x.id === d.id), 10_000);
      // Reference data is applied at the end of the round that read it, after the round's pages.
      await waitFor(async () => (await leader('sync.referenceUpdates', {})).some((r) => r.version === 'B' && r.status !== 'pending'), 10_000);
      const got = await f.ctx.store.db.selectFrom('tickets').select(['code']).where('id', '=', again.id).executeTakeFirstOrThrow();
      expect(got.code).toBe(`${again.code}-${again.id.slice(-6)}`);
      const refs = await leader('sync.referenceUpdates', {});
      expect(refs.map((r) => [r.seq, r.version, r.status])).toEqual([
        [1, 'B', 'applied'],
        [1, 'A', 'applied'],
      ]);
      expect(f.ctx.calendar.holidayName('2028-01-01')).toBe('元旦');
      await leader('sync.configure', { disable: true });
    } finally {
      await syncManager(f.ctx).stop();
      await other.close();
    }
  });
});

async function waitFor(fn: () => boolean | Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
