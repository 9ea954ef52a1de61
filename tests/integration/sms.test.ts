// Citizens told by SMS through the city's gateway interface, against the local stand-in (a real HTTP
// server checking the account and signature): the ticket number at intake and the result when the
// street resolves it — a 110 caller only with consent, Open311 with a phone — every message logged
// with its status and attempts, failures retried, a gateway that is down never losing a message,
// and no full phone number in the text log.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { SyncClient } from '../../src/main/sync/client';
import { HttpsJson } from '../../src/city/client';
import { issuePolice110Files, pkiPaths } from '../../src/city/pki';
import { startSmsStandIn, type SmsStandIn } from '../../src/city/sms/standIn';
import { POLICE110_PATH, type Police110Receipt } from '../../src/shared/intake/police110';
import { setSetting } from '../../src/main/services/core/settings';

const STREET = '410105001';
const ACCOUNT = 'city-test';
const KEY = 'stand-in-secret-key';

let f: Fixture;
let city: TestCity;
let gw: SmsStandIn;
let client: SyncClient;
let police: HttpsJson;
let logs: string[];

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const messages = () => city.server.db.db.selectFrom('sms_messages').selectAll().orderBy('created_at').execute();

beforeEach(async () => {
  f = await createFixture();
  logs = [];
  gw = await startSmsStandIn({ account: ACCOUNT, key: KEY });
  // The city runs on the real clock here (retries are timed); transfers carry the real time.
  city = await startTestCity({
    streets: [STREET],
    sms: { baseUrl: gw.url, account: ACCOUNT, key: KEY, retryDelaysMs: [100, 200, 300], pollMs: 50 },
    log: (msg, extra) => logs.push(JSON.stringify({ msg, ...extra })),
  });
  await setSetting(f.ctx.store.db, 'sync.receivingUnitCode', 'CG');
  client = new SyncClient(f.ctx, city.credential(STREET), { live: false });
  const p = pkiPaths(city.dataDir);
  const cred = issuePolice110Files(city.dataDir, 'zz110');
  police = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
});
afterEach(async () => {
  police.close();
  await client.stop();
  await city.close();
  await gw.close();
  await f.close();
});

const transfer = (over: Record<string, unknown>) => ({
  incidentNo: `110-${Math.floor(Math.random() * 1e9)}`,
  time: Date.now(),
  address: '经八路街道纬五路12号',
  text: '来电反映楼下餐馆油烟直排，已持续一周',
  ...over,
});

describe(`SMS to citizens through the gateway interface (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('tells a consenting 110 caller the ticket number and then the result; not one who did not agree; Open311 with a phone too', async () => {
    const yes = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { name: '王先生', phone: '13812345678', smsConsent: true } }));
    const no = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: '13900001111', smsConsent: false } }));
    expect([yes.status, no.status]).toEqual([201, 201]);
    const open311 = await city.server.svc.dispatch({ street: STREET, text: '市民通过311应用反映路灯不亮', address: '经八路3号', reporterPhone: '+86 137-0000-2222', channel: 'open311' });
    await city.server.svc.dispatch({ street: STREET, text: '12345来电反映路面破损', address: '经八路5号', reporterPhone: '13600003333' });

    await until('two intake messages', () => gw.messages.length >= 2 && gw.messages);
    await city.server.sms.settle();
    expect(gw.messages.map((m) => m.to).sort()).toEqual(['13700002222', '13812345678']);
    const m110 = gw.messages.find((m) => m.to === '13812345678')!;
    expect(m110.text).toContain(yes.body.ticketCode);
    expect(m110.text).toContain('110非警务');
    expect(m110.text).toContain('经八路街道');
    expect(gw.messages.find((m) => m.to === '13700002222')!.text).toContain(open311.code!);
    expect((await messages()).map((m) => ({ kind: m.kind, status: m.status, attempts: m.attempts }))).toEqual([
      { kind: 'intake', status: 'sent', attempts: 1 },
      { kind: 'intake', status: 'sent', attempts: 1 },
    ]);

    // The street resolves it: the result goes to the caller.
    await client.syncOnce();
    await f.as('cg')('tickets.act', { action: 'accept', id: yes.body.ticketId });
    await f.as('cg')('tickets.act', { action: 'resolve', id: yes.body.ticketId, result: '已责令餐馆安装油烟净化器' });
    await f.as('cg')('tickets.act', { action: 'accept', id: no.body.ticketId });
    await f.as('cg')('tickets.act', { action: 'resolve', id: no.body.ticketId, result: '已到现场处理完毕' });
    await client.syncOnce();
    const result = await until('the result message', () => gw.messages.find((m) => m.text.includes('已责令餐馆安装油烟净化器')));
    expect(result.to).toBe('13812345678');
    expect(result.text).toContain(yes.body.ticketCode);
    await city.server.sms.settle();
    expect(gw.messages.some((m) => m.to === '13900001111')).toBe(false);
    expect(gw.messages).toHaveLength(3);
    // The text log never holds a full number.
    expect(logs.some((l) => l.includes('138****5678'))).toBe(true);
    expect(logs.join('\n')).not.toMatch(/13812345678|13700002222|13900001111/);
  });

  it('retries when the gateway fails or is down, logs every attempt, and never loses or crashes', async () => {
    gw.failNext(2);
    const r = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: '13812345678', smsConsent: true } }));
    expect(r.status).toBe(201);
    const sent = await until('delivery after two failures', async () => (await messages()).find((m) => m.status === 'sent'));
    expect(sent).toMatchObject({ attempts: 3, last_error: null });
    expect(gw.refused).toBe(2);
    expect(logs.filter((l) => l.includes('sms failed, will retry'))).toHaveLength(2);
    expect(logs.find((l) => l.includes('sms failed, will retry'))).toContain('HTTP 503');

    // The gateway goes away entirely: the message waits, retried, then fails for good after its last attempt.
    const port = gw.port;
    await gw.close();
    const down = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: '13812340000', smsConsent: true } }));
    expect(down.status).toBe(201); // the transfer itself never waits on the SMS platform
    const failed = await until('giving up after the last attempt', async () => (await messages()).find((m) => m.status === 'failed'));
    expect(failed).toMatchObject({ attempts: 4, ticket_id: down.body.ticketId });
    expect(failed.last_error).toMatch(/ECONNREFUSED/);
    expect(logs.some((l) => l.includes('sms failed, giving up') && l.includes('138****0000'))).toBe(true);

    // Back up on the same port: a new message goes through; the city never stopped serving.
    gw = await startSmsStandIn({ account: ACCOUNT, key: KEY, port });
    const later = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: '13812349999', smsConsent: true } }));
    await until('delivery after the gateway is back', () => gw.messages.find((m) => m.to === '13812349999'));
    expect(gw.messages[0]!.text).toContain(later.body.ticketCode);

    // The console's log shows masked numbers and the failure.
    const p = pkiPaths(city.dataDir);
    const admin = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) });
    const page = await admin.request<string>('GET', '/console');
    expect(page.status).toBe(200);
    expect(page.body).toContain('138****0000');
    expect(page.body).not.toContain('13812340000');
    expect(page.body).toContain('发送失败');
    admin.close();
  });

  it('templates are edited in the console, checked, and used for the next message', async () => {
    const p = pkiPaths(city.dataDir);
    const admin = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) });
    const post = (form: Record<string, string>) => admin.request<string>('POST', '/console/sms-templates', Buffer.from(new URLSearchParams(form).toString()));
    const before = await city.server.sms.templates();
    // Missing {code}, an unknown placeholder: refused, nothing saved.
    const bad = await post({ intake: '您的诉求已受理 {name}', result: before.result.text });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('短信模板不合格');
    expect(bad.body).toContain('模板须包含工单号 {code}');
    expect(bad.body).toContain('未知的占位符 {name}');
    expect((await city.server.sms.templates()).intake.text).toBe(before.intake.text);
    const ok = await post({ intake: '【测试】已受理，编号 {code}，{street}办理', result: before.result.text });
    expect(ok.status).toBe(303);
    expect((await city.server.sms.templates()).intake).toMatchObject({ text: '【测试】已受理，编号 {code}，{street}办理', updatedBy: 'city-admin' });
    admin.close();
    const r = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, transfer({ caller: { phone: '13812345678', smsConsent: true } }));
    const m = await until('the message', () => gw.messages[0]);
    expect(m.text).toBe(`【测试】已受理，编号 ${r.body.ticketCode}，经八路街道办理`);
  });
});
