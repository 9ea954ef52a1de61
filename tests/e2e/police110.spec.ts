// 110 非警务警情分流 in Chromium: the police dispatch system transfers a call to a real city over
// mutual TLS; the connected street receives it live with a 5-minute sign-in countdown (the 待签收
// 110警情 callout on the dashboard and above the list); the receiving unit signs in time. A second
// transfer made 6 minutes ago (its time is the transfer time, from which the deadline counts) shows
// as missed, is supervised (督办) by the node, and is signed late. The police system reads both back;
// the consenting caller gets the ticket number by SMS (the local stand-in gateway).
// Screenshots at 1366 and 1920 wide: test-results/e2e-shots/police110-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { expect, test, type Page } from './support/test';
import { startSmsStandIn, type SmsStandIn } from '../../src/city/sms/standIn';
import { connectToCity, disconnectFromCity, login, logout } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { issuePolice110Files, pkiPaths } from '../../src/city/pki';
import { HttpsJson } from '../../src/city/client';
import { POLICE110_PATH, type Police110Feedback, type Police110Receipt } from '../../src/shared/intake/police110';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const STREET = '410105001';

async function shots(page: Page, name: string) {
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: width === 1366 ? 768 : 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `police110-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

let city: TestCity;
let police: HttpsJson;
let gw: SmsStandIn;
test.beforeAll(async () => {
  gw = await startSmsStandIn({ account: 'e2e', key: 'e2e-key' });
  city = await startTestCity({ streets: [STREET], postgres: false, sms: { baseUrl: gw.url, account: 'e2e', key: 'e2e-key', pollMs: 200 } });
  const p = pkiPaths(city.dataDir);
  const cred = issuePolice110Files(city.dataDir, 'zz110-e2e');
  police = new HttpsJson(city.server.url, { ca: fs.readFileSync(p.caCert), cert: fs.readFileSync(cred.cert), key: fs.readFileSync(cred.key) });
});
test.afterAll(async () => {
  police?.close();
  await city?.close();
  await gw?.close();
});

/** The city console's 110 and SMS sections, with the city operator's certificate, at both widths. */
async function consoleShots(browser: Browser) {
  const p = pkiPaths(city.dataDir);
  const ctx = await browser.newContext({ clientCertificates: [{ origin: city.server.url, certPath: p.adminCert, keyPath: p.adminKey }], ignoreHTTPSErrors: true });
  const page = await ctx.newPage();
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${city.server.url}/console`);
    await expect(page.getByTestId('police110-row')).toHaveCount(2);
    await page.getByTestId('police110-section').screenshot({ path: path.join(SHOTS, `police110-07-console-110-${width}.png`) });
    await expect(page.getByTestId('sms-row')).toHaveCount(1);
    await page.getByTestId('sms-section').screenshot({ path: path.join(SHOTS, `police110-08-console-sms-${width}.png`) });
  }
  await ctx.close();
}

const tag = Date.now() % 1_000_000;

async function transfer(no: string, minutesAgo: number, text: string, smsConsent = false): Promise<Police110Receipt> {
  const r = await police.request<Police110Receipt>('POST', `${POLICE110_PATH}/incidents`, {
    incidentNo: no,
    time: Date.now() - minutesAgo * 60_000,
    caller: { name: '王建军', phone: '13812345678', smsConsent },
    address: '经八路街道纬五路12号',
    point: { lon: 113.671088, lat: 34.7758 },
    text,
    category: '油烟污染',
  });
  expect(r.status).toBe(201);
  return r.body;
}

/**
 * The city's code as the street shows it: the e2e street is shared by specs that each start a fresh
 * city numbering from 00001, so a code the street already holds gets a suffix there (-abc123).
 */
const codeOnStreet = (code: string) => new RegExp(`^${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-[0-9a-f]{6})?$`);

/** As the receiving unit's user: from 待签收工单 (over every page) to the ticket, and 签收. */
async function signIn(page: Page, code: string, marker: string) {
  await page.goto('/#/dashboard');
  // Found by the transfer's own words: the shared street may hold another city's ticket with the
  // same code (each fresh test city numbers from 00001), and other specs' tickets may fill the banner.
  await expect(page.getByTestId('signin-watch-item').first()).toBeVisible({ timeout: 20_000 });
  const more = page.getByTestId('signin-watch-more');
  if ((await more.count()) > 0 && (await more.textContent())?.startsWith('全部')) await more.click();
  const item = page.getByTestId('signin-watch-item').filter({ hasText: marker });
  await item.click();
  await expect(page.getByTestId('ticket-code')).toHaveText(codeOnStreet(code));
  await page.getByTestId('action-accept').click();
  await expect(page.getByTestId('dialog-accept')).toBeVisible();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('dialog-accept')).toBeHidden({ timeout: 15_000 });
}

test('a 110 transfer reaches the street with its 5-minute sign-in countdown and is signed in time; a missed one is supervised and signed late', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));

  // In time: transferred now.
  const a = await transfer(`110-E2E-A${tag}`, 0, `来电反映纬五路12号楼下餐馆油烟直排（E2E-A${tag}）`, true);
  await page.goto('/#/dashboard');
  const alert = page.getByTestId('signin-alert');
  await expect(alert).toContainText(a.ticketCode, { timeout: 30_000 });
  await expect(alert).toContainText('待签收 110警情');
  const countdown = alert.getByTestId('signin-alert-item').filter({ hasText: a.ticketCode }).getByTestId('signin-countdown');
  await expect(countdown).toHaveText(/^签收剩余 [45]分\d\d秒$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 }); // it ticks
  await shots(page, '01-dashboard-countdown');

  // The list counts down too, on the 110 channel.
  await page.goto(`/#/tickets?channel=police110&q=${encodeURIComponent(`E2E-A${tag}`)}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText('签收剩余', { timeout: 20_000 });
  await expect(page.getByTestId('signin-alert')).toBeVisible();
  await shots(page, '02-list-countdown');

  // Missed: transferred six minutes ago.
  const b = await transfer(`110-E2E-B${tag}`, 6, `来电反映纬五路14号门前占道经营堵塞通行（E2E-B${tag}）`);
  await page.goto('/#/dashboard');
  const missed = page.getByTestId('signin-alert-item').filter({ hasText: b.ticketCode }).getByTestId('signin-countdown');
  await expect(missed).toHaveText(/^未签收 · 超时 [12]分\d\d秒$/, { timeout: 30_000 });
  await expect(page.getByTestId('signin-alert')).toHaveClass(/signin-alert-missed/);
  await shots(page, '03-dashboard-missed');
  // The node's supervision (every minute; 督办 → 立即检查 runs it now) supervises it.
  await page.goto('/#/supervision');
  await page.getByTestId('supervision-run').click();
  await page.goto('/#/dashboard');
  await page.getByTestId('signin-alert-item').filter({ hasText: b.ticketCode }).click();
  await expect(page.getByTestId('ticket-code')).toHaveText(codeOnStreet(b.ticketCode));
  await expect(page.locator('.tag-sv')).toHaveText('一级督办', { timeout: 20_000 });
  await expect(page.getByTestId('timeline')).toContainText('110非警务警情超过签收时限未签收');
  await shots(page, '04-detail-supervised');

  // The receiving unit (the street's enforcement squad) signs: A in time, B late.
  await logout(page);
  await login(page, 'zhifa');
  await signIn(page, a.ticketCode, `E2E-A${tag}`);
  await expect(page.getByTestId('signin-done')).toContainText('（按时）');
  await shots(page, '05-detail-signed');
  await signIn(page, b.ticketCode, `E2E-B${tag}`);
  await expect(page.getByTestId('signin-done')).toContainText('（超时）');
  await expect(page.getByTestId('timeline')).toContainText('超时签收：超过签收时限');
  await shots(page, '06-detail-signed-late');
  await page.goto('/#/dashboard');
  await expect(page.getByTestId('signin-watch-item').filter({ hasText: `E2E-A${tag}` })).toHaveCount(0);
  await expect(page.getByTestId('signin-watch-item').filter({ hasText: `E2E-B${tag}` })).toHaveCount(0);

  // Everything reaches the city before the shared street is disconnected; the police system reads it back.
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });
  const fa = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/110-E2E-A${tag}`);
  const fb = await police.json<Police110Feedback>('GET', `${POLICE110_PATH}/incidents/110-E2E-B${tag}`);
  expect(fa).toMatchObject({ state: 'signedIn', signInLate: false });
  expect(fb).toMatchObject({ state: 'signedIn', signInLate: true });
  // The caller of A agreed to SMS: the stand-in got the ticket number (B's caller did not agree).
  expect(gw.messages.map((m) => m.to)).toEqual(['13812345678']);
  expect(gw.messages[0]!.text).toContain(a.ticketCode);
  await consoleShots(browser);
  await logout(page);
  await login(page, 'leader');
  await disconnectFromCity(page);
});
