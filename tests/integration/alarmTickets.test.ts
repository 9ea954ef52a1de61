// 设备报警 on the street: alarms published to a real Mosquitto broker, through the real city
// (PGlite or PostgreSQL) and its feed, to a real street store. The alarm's ticket arrives with its
// device, count, readings and snapshot (fetched content-addressed as one of the ticket's photos);
// more alarms from the same device reach the street as `ticket.alarm` and raise the count; an older
// copy of the facts or malformed facts change nothing. The map and the dashboard see them.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, PG_URL, type TestCity } from '../support/city';
import { startBroker, type TestBroker } from '../support/mosquitto';
import { devPhotos } from '../support/photos';
import { connectAlarmBroker, type AlarmBroker } from '../../src/city/intake/mqtt';
import { SyncClient } from '../../src/main/sync/client';
import { applyFeedPage, CURSOR_KEY } from '../../src/main/sync/feedApply';
import { getSetting } from '../../src/main/services/core/settings';
import { attachmentPath } from '../../src/main/services/tickets/attachments';

const STREET = '410105001';
const JINGBA = { lon: 113.671088, lat: 34.7758 };
const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const PHOTO = fs.readFileSync(devPhotos()[0]!);

let f: Fixture;
let city: TestCity;
let broker: TestBroker;
let sub: AlarmBroker;
let pub: MqttClient;
let client: SyncClient;

async function publish(device: string, time: number, extra: Record<string, unknown>) {
  const before = city.server.alarms.counters.received;
  await pub.publishAsync(`alarms/manholeTilt/${device}`, JSON.stringify({ kind: 'manholeTilt', device, point: JINGBA, time, ...extra }), { qos: 1 });
  const until = Date.now() + 20_000;
  while (city.server.alarms.counters.received < before + 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await city.server.alarms.drain();
}

beforeAll(async () => {
  f = await createFixture();
  f.setNow(T0 + 60_000);
  broker = await startBroker();
  city = await startTestCity({ streets: [STREET], now: () => f.ctx.now() });
  sub = connectAlarmBroker(city.server.alarms, { url: broker.url, clientId: `city-at-${process.pid}` });
  pub = await mqtt.connectAsync(broker.url, { clientId: `pub-at-${process.pid}` });
  const until = Date.now() + 10_000;
  while (!sub.connected() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  client = new SyncClient(f.ctx, city.credential(STREET), { live: false });
}, 60_000);

afterAll(async () => {
  await client?.stop();
  await pub?.endAsync(true);
  await sub?.close();
  await city?.close();
  await broker?.stop();
  await f?.close();
});

describe(`alarm tickets on the street (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let ticketId = '';

  it('the ticket arrives with the device, the count, the readings and the snapshot as a photo', async () => {
    await publish('MH-HIST-1', T0, { value: 23.5, text: '井盖倾斜23.5°', snapshot: PHOTO.toString('base64') });
    await client.syncOnce();
    const t = await f.ctx.store.db.selectFrom('tickets').select(['id', 'channel', 'description', 'grid_id']).where('description', 'like', '%MH-HIST-1%').executeTakeFirstOrThrow();
    ticketId = t.id;
    expect(t.channel).toBe('iotSensor');
    // Its point lies in the street's grids: the ticket is placed in one (the innermost holding it).
    expect(t.grid_id).toBe('g1');
    const d = await f.as('leader')('tickets.get', { id: t.id });
    expect(d.alarm).toMatchObject({ kind: 'manholeTilt', device: 'MH-HIST-1', count: 1, firstAt: T0, lastAt: T0, unit: '°', threshold: 10 });
    expect(d.alarm!.readings).toEqual([{ at: T0, device: 'MH-HIST-1', value: 23.5, text: '井盖倾斜23.5°' }]);
    // The snapshot: fetched from the city by its sha256, stored content-addressed, a "before" photo.
    expect(d.alarm!.snapshot?.mime).toBe('image/jpeg');
    expect(d.attachments.map((a) => a.sha256)).toContain(d.alarm!.snapshot!.sha256);
    expect(fs.readFileSync(attachmentPath(f.ctx, d.alarm!.snapshot!.sha256)).equals(PHOTO)).toBe(true);
  });

  it('more alarms from the device raise the count on the street (ticket.alarm), newest reading first', async () => {
    await publish('MH-HIST-1', T0 + 5 * 60_000, { value: 31 });
    await publish('MH-HIST-1', T0 + 9 * 60_000, { value: 12.5, text: '仍倾斜' });
    const feedKinds = (await city.server.db.db.selectFrom('feed').select('kind').where('entity_id', '=', ticketId).orderBy('seq').execute()).map((r) => r.kind);
    expect(feedKinds).toEqual(['ticket.dispatched', 'ticket.alarm', 'ticket.alarm']);
    await client.syncOnce();
    const d = await f.as('leader')('tickets.get', { id: ticketId });
    expect(d.alarm).toMatchObject({ device: 'MH-HIST-1', count: 3, firstAt: T0, lastAt: T0 + 9 * 60_000 });
    expect(d.alarm!.readings.map((r) => r.value)).toEqual([12.5, 31, 23.5]);
    // The snapshot of the first alarm stays (no newer one came).
    expect(d.alarm!.snapshot).not.toBeNull();
    // Still one ticket.
    expect(await f.ctx.store.db.selectFrom('tickets').select('id').where('description', 'like', '%MH-HIST-1%').execute()).toHaveLength(1);
  });

  it('an older copy of the facts, or malformed facts, change nothing and stay in the feed log', async () => {
    const cursor = Number(await getSetting(f.ctx.store.db, CURSOR_KEY));
    const alarm = { groupId: 'x', kind: 'manholeTilt', device: 'MH-HIST-1', unit: '°', threshold: 10, firstAt: T0, lastAt: T0, count: 1, readings: [] };
    const group = (await f.ctx.store.db.selectFrom('ticket_alarms').select('group_id').where('ticket_id', '=', ticketId).executeTakeFirstOrThrow()).group_id;
    const items = [
      { seq: cursor + 1, kind: 'ticket.alarm' as const, entityId: ticketId, at: T0, payload: { ticketId, alarm: { ...alarm, groupId: group } } },
      { seq: cursor + 2, kind: 'ticket.alarm' as const, entityId: ticketId, at: T0, payload: { ticketId, alarm: { ...alarm, groupId: group, count: 'many' } } },
      { seq: cursor + 3, kind: 'ticket.alarm' as const, entityId: ticketId, at: T0, payload: { ticketId, alarm: { ...alarm, groupId: 'another-group', count: 99, lastAt: T0 + 3600_000 } } },
      { seq: cursor + 4, kind: 'ticket.alarm' as const, entityId: 'no-such-ticket', at: T0, payload: { ticketId: 'no-such-ticket', alarm: { ...alarm, count: 5 } } },
    ];
    await applyFeedPage(f.ctx.store.db, f.ctx.calendar, items, cursor, f.ctx.now());
    const d = await f.as('leader')('tickets.get', { id: ticketId });
    expect(d.alarm).toMatchObject({ count: 3, lastAt: T0 + 9 * 60_000 });
    const log = await f.ctx.store.db.selectFrom('sync_feed_log').select(['seq', 'outcome']).where('seq', '>', cursor).orderBy('seq').execute();
    // (A copy already applied is acknowledged without a log entry, like any duplicate.)
    expect(log).toEqual([
      { seq: cursor + 2, outcome: 'invalid' },
      { seq: cursor + 3, outcome: 'invalid' },
      { seq: cursor + 4, outcome: 'unknown' },
    ]);
  });

  it('the map draws it as an alarm with its device; the dashboard counts today’s alarm tickets', async () => {
    const pts = await f.as('leader')('tickets.points', { filter: { channel: 'iotSensor' } });
    expect(pts.points.map((p) => p[0])).toContain(ticketId);
    expect(pts.alarms[ticketId]).toEqual({ kind: 'manholeTilt', device: 'MH-HIST-1', count: 3 });
    const dash = await f.as('leader')('dashboard.alarms', {});
    expect(dash.today).toBe(1);
    expect(dash.latest[0]).toMatchObject({ ticketId, device: 'MH-HIST-1', count: 3, kind: 'manholeTilt' });
  });
});
