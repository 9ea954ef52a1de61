// An IoT alarm published to a real Mosquitto broker reaches the street in Chromium: the city's
// intake turns it into a ticket on the 物联感知 channel, the connected street receives it live, and
// it shows in the list and on the map (an alarm triangle; the device in the popup), and its ticket
// page shows the 设备报警 panel with the device, the count and the camera's snapshot; a second alarm
// from the same device raises the count on the open page.
// Screenshots: test-results/e2e-shots/alarm-*.png (1366 and 1920 wide).
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { expect, test, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login, openListRow } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { startBroker, type TestBroker } from '../support/mosquitto';
import { connectAlarmBroker, type AlarmBroker } from '../../src/city/intake/mqtt';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `alarm-${name}.png`) });
/** The snapshot a camera sends (a real JPEG from the test photos, licence in that folder). */
const SNAPSHOT = fs.readFileSync(path.resolve('tests/fixtures/ai/photos-dev', fs.readdirSync(path.resolve('tests/fixtures/ai/photos-dev')).filter((f) => f.endsWith('.jpg')).sort()[0]!));
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
  const first = Date.now();
  await pub.publishAsync(
    `alarms/manholeTilt/${device}`,
    JSON.stringify({ kind: 'manholeTilt', device, point: { lon: 113.671088, lat: 34.7758 }, time: first, value: 27, text: '井盖倾斜27°', snapshot: SNAPSHOT.toString('base64') }),
    { qos: 1 },
  );

  // The street's list, filtered to the sensor channel and the device: the ticket arrives live.
  await page.goto(`/#/tickets?channel=iotSensor&q=${encodeURIComponent(device)}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText('井盖倾斜', { timeout: 30_000 });
  await shot(page, '01-list');
  // …and on the map with the same filters.
  await page.goto(`/#/map?channel=iotSensor&q=${encodeURIComponent(device)}`);
  await expect(page.getByTestId('map-count')).toContainText('地图显示 1 件工单', { timeout: 20_000 });
  // An alarm is drawn as a triangle and counted in the legend; its popup names the device.
  await expect(page.getByTestId('map-alarms')).toContainText('设备报警（三角）1');
  await shot(page, '02-map');

  // The ticket page: the 设备报警 panel with the device, the count and the snapshot.
  await page.goto(`/#/tickets?channel=iotSensor&q=${encodeURIComponent(device)}`);
  await openListRow(page);
  const panel = page.getByTestId('alarm-panel');
  await expect(panel).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('alarm-device')).toHaveText(device);
  await expect(page.getByTestId('alarm-kind')).toHaveText('井盖倾斜');
  await expect(page.getByTestId('alarm-count')).toHaveText('1 次');
  await expect(page.getByTestId('alarm-reading')).toHaveCount(1);
  // The snapshot came content-addressed from the city and is one of the ticket's photos; it loads.
  const img = page.getByTestId('alarm-snapshot').locator('img');
  await expect(img).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
  await expect(page.getByTestId('photos-before').locator('img')).toHaveCount(1);
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `03-detail-${width}`);
  }

  // A second alarm from the same device: the open page's count rises (no new ticket).
  await pub.publishAsync(
    `alarms/manholeTilt/${device}`,
    JSON.stringify({ kind: 'manholeTilt', device, point: { lon: 113.671088, lat: 34.7758 }, time: first + 60_000, value: 31, text: '井盖倾斜31°' }),
    { qos: 1 },
  );
  await pub.endAsync();
  await expect(page.getByTestId('alarm-count')).toHaveText('2 次', { timeout: 30_000 });
  await expect(page.getByTestId('alarm-reading')).toHaveCount(2);
  await expect(page.getByTestId('alarm-reading').first()).toContainText('31°');
  await expect(page.getByTestId('alarm-sparkline')).toBeVisible();
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `04-count-${width}`);
  }

  // The map's popup names the device and the count: a click on the triangle (its pixel from the
  // view's extent, Web Mercator).
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(`/#/map?channel=iotSensor&q=${encodeURIComponent(device)}`);
  await expect(page.getByTestId('map-count')).toContainText('地图显示 1 件工单', { timeout: 20_000 });
  const host = page.getByTestId('map');
  await expect(host).toHaveAttribute('data-ready', '1', { timeout: 20_000 });
  await expect(host).toHaveAttribute('data-extent', /\d/);
  const R = 6378137;
  const mx = (113.671088 * Math.PI * R) / 180;
  const my = R * Math.log(Math.tan(Math.PI / 4 + (34.7758 * Math.PI) / 360));
  // The pixel is read again on each try: the view may still be settling (a fit, the banner area).
  await expect(async () => {
    const [minX, minY, maxX, maxY] = (await host.getAttribute('data-extent'))!.split(',').map(Number) as [number, number, number, number];
    const [w, h] = (await host.getAttribute('data-size'))!.split(',').map(Number) as [number, number];
    const box = (await host.boundingBox())!;
    await page.mouse.click(box.x + ((mx - minX) / (maxX - minX)) * w, box.y + ((maxY - my) / (maxY - minY)) * h);
    await expect(page.getByTestId('map-alarm')).toContainText(`设备 ${device} · 累计报警 2 次`, { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await shot(page, '06-map-popup');
  // The dashboard: today's alarm tickets and the latest.
  await page.goto('/#/');
  await expect(page.getByTestId('dashboard-alarms')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('latest-alarm').filter({ hasText: device })).toContainText('2 次');
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `05-dashboard-${width}`);
  }
  // Everything the street wrote about the alarm's ticket (its routing to the receiving unit) goes to
  // this city before the shared e2e street is disconnected from it.
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });
  await disconnectFromCity(page);
  expect(problems).toEqual([]);
});
