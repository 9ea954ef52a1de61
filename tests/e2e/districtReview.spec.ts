// District review from the city console, in Chromium with real client certificates: the city's
// operator delegates 12345 review to 金水区 from the console's 区级授权 form (and withdraws it); the
// district's console lists its own streets' results awaiting review, refuses review in Chinese while
// not delegated, reviews once delegated (退回重办 reopens the ticket on the street with the reason,
// signed by the district), and does not see another district's ticket.
// Screenshots: test-results/e2e-shots/district-review-*.png (1366 and 1920 wide).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login, logout } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { issueDistrictFiles, pkiPaths } from '../../src/city/pki';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const STREET = '410105001'; // 经八路街道, 金水区
const OTHER = '410104003'; // another district's street (no node)

let city: TestCity;
test.beforeAll(async () => {
  city = await startTestCity({ streets: [STREET, OTHER], postgres: false });
  issueDistrictFiles(city.dataDir, '410105');
});
test.afterAll(async () => {
  await city?.close();
});

async function consolePage(browser: Browser, cred: { cert: string; key: string }): Promise<Page> {
  const ctx = await browser.newContext({ clientCertificates: [{ origin: city.server.url, certPath: cred.cert, keyPath: cred.key }], ignoreHTTPSErrors: true, viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${city.server.url}/console`);
  return page;
}
async function shots(page: Page, name: string) {
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `district-review-${name}-${width}.png`), fullPage: true });
  }
}

async function dispatch(console_: Page, street: string, text: string): Promise<{ code: string; id: string }> {
  const form = console_.getByTestId('dispatch-form');
  await form.locator('select[name=street]').selectOption(street);
  await form.locator('textarea[name=text]').fill(text);
  await form.locator('input[name=address]').fill('经八路与纬三路口');
  await form.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-ok')).toContainText('已直派工单 12345-');
  const code = /12345-\d{8}-\d{5}/.exec((await console_.getByTestId('console-ok').textContent())!)![0];
  const href = (await console_.getByTestId('ticket-row').filter({ hasText: code }).getByRole('link', { name: code }).getAttribute('href'))!;
  return { code, id: decodeURIComponent(href.split('/').pop()!) };
}

test('the city delegates 12345 review to a district from the console; the district reviews its own streets’ results', async ({ page, browser, consoleErrors }) => {
  test.setTimeout(180_000);
  // A grant form without a choice answers 400, and another district's ticket 404, on purpose.
  consoleErrors.allow(/status of 40[04] \((Bad Request|Not Found)\) \(https:\/\/127\.0\.0\.1:\d+\/console\/(tickets\/|district-grants)/);
  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));
  await logout(page);

  const p = pkiPaths(city.dataDir);
  const admin = await consolePage(browser, { cert: p.adminCert, key: p.adminKey });
  const mine = await dispatch(admin, STREET, '市民来电：经八路与纬三路口井盖松动，车辆经过响声很大，请尽快处理');
  const theirs = await dispatch(admin, OTHER, '市民来电：另一个区的街道路面塌陷，请尽快处理');

  // The street's unit accepts and resolves it.
  await login(page, 'zhifa');
  await page.goto(`/#/tickets?view=pendingAccept&q=${encodeURIComponent('纬三路口井盖松动')}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText(mine.code, { timeout: 30_000 });
  await row.click();
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await page.getByTestId('action-resolve').click();
  await page.getByTestId('input-result').fill('已更换井盖并加固井座，经现场复查无异响。');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'resolved', { timeout: 15_000 });
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });

  // The district's console: its streets' result awaiting review, but review is not delegated yet.
  const district = await consolePage(browser, p.district('410105'));
  await expect(district.getByTestId('console-who')).toContainText('金水区城运中心');
  await expect(district.getByTestId('grant-form')).toHaveCount(0);
  const queue = district.getByTestId('review-queue');
  await expect(queue.getByTestId('review-not-granted')).toContainText('市城运中心未授权本区审核12345办理结果');
  await expect(queue.getByTestId('review-row')).toHaveCount(1);
  await expect(queue.getByTestId('review-row')).toContainText(mine.code);
  await expect(queue.getByTestId('review-row')).toContainText('已更换井盖并加固井座');
  await queue.getByRole('link', { name: mine.code }).click();
  await expect(district.getByTestId('ticket-detail')).toContainText(mine.code);
  await expect(district.getByTestId('review-not-granted')).toBeVisible();
  await expect(district.getByTestId('review-form')).toHaveCount(0);
  await shots(district, '01-not-granted');
  // A review posted anyway is refused in Chinese and changes nothing.
  const refused = await district.request.post(`${city.server.url}/console/tickets/${encodeURIComponent(mine.id)}/review`, { form: { decision: 'approve' } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('市城运中心未授权本区审核12345办理结果，请联系市城运中心');
  expect((await city.server.svc.ticket(mine.id))!.status).toBe('resolved');

  // The city's operator delegates review to 金水区 from the console.
  await admin.goto(`${city.server.url}/console`);
  const grant = admin.getByTestId('grant-form');
  await grant.locator('button[type=submit]').click(); // nothing chosen: the browser asks for the district
  await expect(admin.getByTestId('console-ok')).toHaveCount(0);
  await grant.locator('select[name=district]').selectOption('410105');
  await grant.locator('button[type=submit]').click();
  await expect(admin.getByTestId('console-error')).toHaveText('请选择区，并选择授予或收回的权限');
  await admin.getByTestId('grant-form').locator('select[name=review]').selectOption('grant');
  await admin.getByTestId('grant-form').locator('button[type=submit]').click();
  await expect(admin.getByTestId('console-ok')).toHaveText('金水区：审核12345办理结果已授权，切换运行模式未授权');
  await expect(admin.locator('[data-testid=grant-row][data-district="410105"]')).toContainText('已授权');
  await shots(admin, '02-granted');

  // Now the district reviews: returned for rework, the ticket reopens on the street with the reason.
  await district.reload();
  await expect(district.getByTestId('review-form')).toBeVisible();
  await expect(district.getByTestId('ticket-detail')).toContainText('12345 审核（金水区城运中心）');
  await district.getByTestId('review-form').locator('select[name=decision]').selectOption('return');
  await district.getByTestId('review-form').locator('textarea[name=reason]').fill('回访市民称井盖仍有响声，请复查井座');
  await district.getByTestId('review-form').locator('button[type=submit]').click();
  await expect(district.getByTestId('console-ok')).toContainText(`工单 ${mine.code} 已退回重办，已通知街道`);
  await expect(district.getByTestId('ticket-event').last()).toContainText('金水区城运中心');
  await shots(district, '03-returned');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'reopened', { timeout: 30_000 });
  await expect(page.getByText('12345退回重办：回访市民称井盖仍有响声，请复查井座')).toBeVisible();
  // Its queue is empty again; another district's ticket is not there for it, nor reviewable.
  await district.goto(`${city.server.url}/console`);
  await expect(district.getByTestId('review-row')).toHaveCount(0);
  await district.goto(`${city.server.url}/console/tickets/${encodeURIComponent(theirs.id)}`);
  await expect(district.locator('body')).toContainText('没有这张工单');
  const outside = await district.request.post(`${city.server.url}/console/tickets/${encodeURIComponent(theirs.id)}/review`, { form: { decision: 'return', reason: '越权退回' } });
  expect(outside.status()).toBe(404);
  expect((await city.server.svc.ticket(theirs.id))!.status).toBe('dispatched');

  // Withdrawn again from the console.
  await admin.goto(`${city.server.url}/console`);
  await admin.getByTestId('grant-form').locator('select[name=district]').selectOption('410105');
  await admin.getByTestId('grant-form').locator('select[name=review]').selectOption('withdraw');
  await admin.getByTestId('grant-form').locator('button[type=submit]').click();
  await expect(admin.getByTestId('console-ok')).toHaveText('金水区：审核12345办理结果未授权，切换运行模式未授权');
  await district.goto(`${city.server.url}/console`);
  await expect(district.getByTestId('review-not-granted')).toBeVisible();

  await logout(page);
  await login(page, 'leader');
  await disconnectFromCity(page);
});
