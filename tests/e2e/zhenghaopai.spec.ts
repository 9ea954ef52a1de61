// A 郑好拍 citizen photo report reaches the street in Chromium: the app's platform posts it to the
// city over HTTPS with its own client certificate, the city answers with the ticket number, the
// connected street receives the ticket live with the photo, and the ticket page shows the channel
// 郑好拍 and the photo. Screenshots at 1366 and 1920 wide: test-results/e2e-shots/zhenghaopai-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { devPhotos } from '../support/photos';
import { HttpsJson } from '../../src/city/client';
import { issueIntakeFiles, pkiPaths } from '../../src/city/pki';
import { ZHP_REPORTS_PATH, type IntakeReply } from '../../src/shared/intake/citizenReports';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `zhenghaopai-${name}.png`), fullPage: false });
const STREET = '410105001';

let city: TestCity;
test.beforeAll(async () => {
  city = await startTestCity({ streets: [STREET], postgres: false });
});
test.afterAll(async () => {
  await city?.close();
});

test('a 郑好拍 report with a photo reaches the street as a ticket on the 郑好拍 channel, with the photo', async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));

  // The app's platform, with its own certificate (OU zhenghaopai).
  const p = pkiPaths(city.dataDir);
  const files = issueIntakeFiles(city.dataDir, 'zhenghaopai', 'app-platform');
  const app = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key) });
  const reportId = `ZHP-E2E-${Date.now() % 1_000_000}`;
  const photo = fs.readFileSync(devPhotos()[0]!);
  const r = await app.request<IntakeReply>('POST', ZHP_REPORTS_PATH, {
    reportId,
    text: '经八路体育场东门人行道井盖缺失，夜里有行人差点踩空',
    point: { lon: 113.671088, lat: 34.7758 },
    phone: '13812345678',
    category: '0601',
    photos: [{ mime: 'image/jpeg', data: photo.toString('base64') }],
    reportedAt: Date.now(),
  });
  app.close();
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ status: 'accepted', street: STREET });
  const code = r.body.ticketCode!;
  expect(code).toMatch(/^12345-\d{8}-\d{5}$/);

  // The ticket arrives live, on the 郑好拍 channel.
  await page.goto(`/#/tickets?channel=zhenghaopai&q=${encodeURIComponent(reportId)}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText(code, { timeout: 30_000 });
  await row.click();
  const detail = page.getByTestId('ticket-detail');
  // The e2e street is shared by specs that each start a fresh city numbering from 00001: a code the
  // street already holds gets a suffix there (-abc123).
  await expect(detail.getByTestId('ticket-code')).toHaveText(new RegExp(`^${code}(-[0-9a-f]{6})?$`), { timeout: 15_000 });
  await expect(detail).toContainText('郑好拍');
  await expect(detail.getByTestId('ticket-description')).toContainText('井盖缺失');
  // The app's report id is the ticket's source reference; the city classified it (井盖破损).
  await expect(detail).toContainText(`郑好拍编号${reportId}`);
  await expect(detail).toContainText('井盖破损(缺失)');
  await expect(detail).toContainText('市城运中心平台');
  // The citizen's photo, fetched from the city, loads.
  const img = detail.getByTestId('photos-before').locator('img').first();
  await expect(img).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);

  for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await img.scrollIntoViewIfNeeded();
    await shot(page, `detail-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  // What the street wrote about the ticket (its routing) reaches this city before it is disconnected.
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });
  await disconnectFromCity(page);
});
