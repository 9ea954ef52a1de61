// An IoT alarm published to a real Mosquitto broker reaches the street in Chromium: the city's
// intake turns it into a ticket on the 物联感知 channel, the connected street receives it live, and
// it shows in the list and on the map. Screenshots: test-results/e2e-shots/alarm-*.png.
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { expect, test, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { startBroker, type TestBroker } from '../support/mosquitto';
import { connectAlarmBroker, type AlarmBroker } from '../../src/city/intake/mqtt';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `alarm-${name}.png`) });
const STREET = '410105001';

let broker: TestBroker;
let city: TestCity;
let sub: AlarmBroker;
test.beforeAll(async () => {
  broker = await startBroker();
  city = await startTestCity({ streets: [STREET], postgres: false });
  sub = connectAlarmBroker(city.server.alarms, { url: broker.url, clientId: 'e2e-city' });
});
test.afterAll(async () => {
  await sub?.close();
  await city?.close();
  await broker?.stop();
});

test('a manhole-cover alarm over MQTT becomes a ticket on the street, in the list and on the map', async ({ page }) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));

  const device = `MH-E2E-${Date.now() % 100000}`;
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'e2e-pub' });
  await pub.publishAsync(
    `alarms/manholeTilt/${device}`,
    JSON.stringify({ kind: 'manholeTilt', device, point: { lon: 113.671088, lat: 34.7758 }, time: Date.now(), value: 27, text: '井盖倾斜27°' }),
    { qos: 1 },
  );
  await pub.endAsync();

  // The street's list, filtered to the sensor channel and the device: the ticket arrives live.
  await page.goto(`/#/tickets?channel=iotSensor&q=${encodeURIComponent(device)}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText('井盖倾斜', { timeout: 30_000 });
  await shot(page, '01-list');
  // …and on the map with the same filters.
  await page.goto(`/#/map?channel=iotSensor&q=${encodeURIComponent(device)}`);
  await expect(page.getByTestId('map-count')).toContainText('地图显示 1 件工单', { timeout: 20_000 });
  await shot(page, '02-map');
  // Everything the street wrote about the alarm's ticket (its routing to the receiving unit) goes to
  // this city before the shared e2e street is disconnected from it.
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });
  await disconnectFromCity(page);
  expect(problems).toEqual([]);
});
