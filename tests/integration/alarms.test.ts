// Video-AI and IoT alarms through a real Mosquitto broker into the city: stored once, judged by
// their kind's rule, aggregated into one ticket per device or place, dispatched on their channel;
// bad messages counted with their reason; the subscription resumes after the broker is cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { sql } from 'kysely';
import { startTestCity, type TestCity } from '../support/city';
import { startBroker, type TestBroker } from '../support/mosquitto';
import { connectAlarmBroker, type AlarmBroker } from '../../src/city/intake/mqtt';
import fs from 'node:fs';
import { HttpsJson } from '../../src/city/client';
import { pkiPaths } from '../../src/city/pki';

const JINGBA = { lon: 113.671088, lat: 34.7758 }; // inside 经八路街道 (registered)
const HUAYUAN = { lon: 113.688222, lat: 34.77504 }; // inside 花园路街道 (not registered here)
const T0 = Date.parse('2026-12-03T10:00:00+08:00');

let broker: TestBroker;
let city: TestCity;
let sub: AlarmBroker;
let pub: MqttClient;

function alarm(kind: string, device: string, time: number, extra: Record<string, unknown> = {}, point = JINGBA) {
  return { topic: `alarms/${kind}/${device}`, body: JSON.stringify({ kind, device, point, time, ...extra }) };
}
async function publish(msgs: Array<{ topic: string; body: string | Buffer }>) {
  await Promise.all(msgs.map((m) => pub.publishAsync(m.topic, m.body, { qos: 1 })));
}
async function settle(expectReceived: number) {
  const until = Date.now() + 60_000;
  while (city.server.alarms.counters.received < expectReceived && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await city.server.alarms.drain();
}
async function count(q: ReturnType<typeof sql<{ n: string }>>) {
  return Number((await q.execute(city.server.db.db)).rows[0]!.n);
}

beforeAll(async () => {
  broker = await startBroker();
  city = await startTestCity({ streets: ['410105001'], now: () => T0 });
  sub = connectAlarmBroker(city.server.alarms, { url: broker.url, clientId: `city-test-${process.pid}` });
  pub = await mqtt.connectAsync(broker.url, { clientId: `pub-${process.pid}`, reconnectPeriod: 200 });
  const until = Date.now() + 10_000;
  while (!sub.connected() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(sub.connected()).toBe(true);
});

afterAll(async () => {
  await pub?.endAsync(true);
  await sub?.close();
  await city?.close();
  await broker?.stop();
});

describe('alarms over MQTT', () => {
  it('a manhole tilt over its threshold becomes one ticket on the street, on the sensor channel; below it, only stored', async () => {
    const before = city.server.alarms.counters.received;
    await publish([alarm('manholeTilt', 'MH-0001', T0, { value: 23.5, text: '井盖倾斜' }), alarm('manholeTilt', 'MH-0002', T0, { value: 3 })]);
    await settle(before + 2);
    const t = await sql<{ channel: string; description: string; street_code: string; code: string }>`SELECT channel, description, street_code, code FROM city_tickets WHERE external_ref LIKE 'ALARM-%'`.execute(city.server.db.db);
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]).toMatchObject({ channel: 'iotSensor', street_code: '410105001' });
    expect(t.rows[0]!.description).toMatch(/井盖倾斜.*23\.5°（阈值 10°）/);
    const feed = await count(sql`SELECT count(*) AS n FROM feed WHERE street_code = '410105001' AND kind = 'ticket.dispatched'`);
    expect(feed).toBe(1);
    const below = await sql<{ outcome: string }>`SELECT outcome FROM city_alarms WHERE device = 'MH-0002'`.execute(city.server.db.db);
    expect(below.rows.map((r) => r.outcome)).toEqual(['belowThreshold']);
  });

  it('a storm of 2,000 alarms from 20 devices in a minute: every alarm stored, at most one ticket per device', async () => {
    const before = city.server.alarms.counters.received;
    const ticketsBefore = await count(sql`SELECT count(*) AS n FROM city_tickets`);
    const msgs = [];
    for (let i = 0; i < 2000; i++) {
      const d = i % 20;
      // Ten garbage cameras in one spot of the street and ten smoke detectors 100 m apart.
      const point = d < 10 ? JINGBA : { lon: JINGBA.lon + 0.0012 * (d - 10), lat: JINGBA.lat };
      msgs.push(alarm(d < 10 ? 'garbage' : 'smoke', `STORM-${d}`, T0 + 60_000 + Math.floor(i * 30), {}, point));
    }
    await publish(msgs);
    await settle(before + 2000);
    expect(await count(sql`SELECT count(*) AS n FROM city_alarms WHERE device LIKE 'STORM-%'`)).toBe(2000);
    const tickets = (await count(sql`SELECT count(*) AS n FROM city_tickets`)) - ticketsBefore;
    expect(tickets).toBeGreaterThanOrEqual(1);
    expect(tickets).toBeLessThanOrEqual(20);
    // The ten cameras on one spot are one problem: one group, one ticket, with the count.
    const garbage = await sql<{ n: number; c: number }>`SELECT count(*)::int AS n, sum(count)::int AS c FROM city_alarm_groups WHERE kind = 'garbage'`.execute(city.server.db.db);
    expect(garbage.rows[0]).toEqual({ n: 1, c: 1000 });
  });

  it('bad messages are counted with their reason and change nothing; valid ones around them still arrive', async () => {
    const c = city.server.alarms.counters;
    const was = { ...c };
    const stored = await count(sql`SELECT count(*) AS n FROM city_alarms`);
    const ok = alarm('gas', 'GAS-1', T0 + 200_000, { value: 25 });
    await publish([
      { topic: 'alarms/gas/GAS-1', body: '{"kind":"gas",' },
      { topic: 'alarms/gas/GAS-1', body: Buffer.from([0xff, 0xfe, 0x00]) },
      alarm('volcano', 'V-1', T0),
      { topic: 'alarms/smoke/OTHER', body: JSON.parse(JSON.stringify(alarm('smoke', 'S-9', T0).body)) },
      alarm('smoke', 'FAR-1', T0, {}, { lon: 100.1, lat: 30.2 }),
      alarm('smoke', 'BAD-T', T0, { time: 'not a time' }),
      alarm('smoke', 'X'.repeat(80), T0), // the topic's device id is over 64 characters
      ok,
      ok,
    ]);
    await settle(was.received + 9);
    await publish([ok]); // a replay in a later batch
    await settle(was.received + 10);
    expect(c.malformed - was.malformed).toBe(3);
    expect(c.unknownKind - was.unknownKind).toBe(1);
    expect(c.topicMismatch - was.topicMismatch).toBe(1);
    expect(c.outsideStreets - was.outsideStreets).toBe(1);
    expect(c.badTopic - was.badTopic).toBe(1);
    expect(c.replayed - was.replayed).toBe(2);
    expect(await count(sql`SELECT count(*) AS n FROM city_alarms`)).toBe(stored + 1);
    expect(await count(sql`SELECT count(*) AS n FROM city_tickets WHERE description LIKE '%GAS-1%'`)).toBe(1);
  });

  it('rules: parking only after 10 minutes and never in quiet hours; a street not yet connected is held; a care visit is a help request', async () => {
    const night = Date.parse('2026-12-03T23:30:00+08:00');
    const before = city.server.alarms.counters.received;
    await publish([
      alarm('illegalParking', 'CAM-1', T0 + 300_000),
      alarm('illegalParking', 'CAM-1', T0 + 300_000 + 5 * 60_000),
      alarm('illegalParking', 'CAM-1', T0 + 300_000 + 11 * 60_000),
      alarm('illegalParking', 'CAM-2', night),
      alarm('illegalParking', 'CAM-2', night + 11 * 60_000),
      alarm('smoke', 'HY-1', T0, {}, HUAYUAN),
      alarm('waterMeterIdle', 'WM-77', T0, { value: 30, text: '30小时无用水' }),
    ]);
    await settle(before + 7);
    const rows = await sql<{ device: string; outcome: string }>`SELECT device, outcome FROM city_alarms WHERE device IN ('CAM-1','CAM-2','HY-1','WM-77') ORDER BY device, at`.execute(city.server.db.db);
    expect(rows.rows.map((r) => `${r.device}:${r.outcome}`)).toEqual([
      'CAM-1:pendingDuration',
      'CAM-1:pendingDuration',
      'CAM-1:ticket',
      'CAM-2:pendingDuration',
      'CAM-2:quietHours',
      'HY-1:held',
      'WM-77:ticket',
    ]);
    const care = await sql<{ type: string; channel: string }>`SELECT type, channel FROM city_tickets WHERE description LIKE '%WM-77%'`.execute(city.server.db.db);
    expect(care.rows).toEqual([{ type: 'help', channel: 'iotSensor' }]);
    const park = await sql<{ channel: string }>`SELECT channel FROM city_tickets WHERE description LIKE '%CAM-1%'`.execute(city.server.db.db);
    expect(park.rows).toEqual([{ channel: 'videoAi' }]);
  });

  it('resumes after the broker is killed and restarted mid-stream: nothing valid is lost', async () => {
    const before = city.server.alarms.counters.received;
    const stored = await count(sql`SELECT count(*) AS n FROM city_alarms`);
    const batch = (from: number) => Array.from({ length: 50 }, (_, i) => alarm('garbage', 'RESUME-1', T0 + 400_000 + (from + i) * 1000));
    await publish(batch(0));
    await settle(before + 50);
    await broker.stop();
    await broker.start();
    const until = Date.now() + 15_000;
    while ((!sub.connected() || !pub.connected) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(sub.connected()).toBe(true);
    await publish(batch(50));
    await settle(before + 100);
    expect(await count(sql`SELECT count(*) AS n FROM city_alarms`)).toBe(stored + 100);
  });

  it('the console shows what the intake did, refusals by reason, and the groups with their counts', async () => {
    const p = pkiPaths(city.dataDir);
    const admin = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(p.adminCert), key: fs.readFileSync(p.adminKey) });
    const page = await admin.request<string>('GET', '/console');
    expect(page.status).toBe(200);
    const html = page.body;
    expect(html).toContain('视频与物联感知报警');
    expect(html).toMatch(/拒收 格式错误 3，主题无效 1，主题与内容不符 1，未知报警类型 1，位置不在任何街道内 1，重复报文 2/);
    // The storm's camera group (later garbage alarms on the same spot joined it too).
    expect(html).toMatch(/<td>暴露垃圾<\/td><td>STORM-0<\/td><td>经八路街道<\/td><td>1[01]00<\/td>/);
  });
});
