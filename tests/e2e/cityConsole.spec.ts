// The city console (https://CITY/console) in Chromium with the city operator's client certificate:
// a 12345 ticket dispatched from the console's form (a bad one refused in Chinese, nothing sent)
// reaches the street's 待签收; the street accepts and resolves it; the console shows the result and
// the ticket's steps, and returns it for rework (12345 审核), which reopens it on the street with
// the reason. A directive from the console is acknowledged on the street and the console
// shows the receipt, as it shows the street's receipt for reference data published from its form;
// a district's console
// (district certificate) sends to its own streets only.
// Screenshots: test-results/e2e-shots/console-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login, logout } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';
import { issueDistrictFiles, pkiPaths } from '../../src/city/pki';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });
const STREET = '410105001';

let city: TestCity;
test.beforeAll(async () => {
  city = await startTestCity({ streets: [STREET, '410105002', '410104003'], postgres: false });
  issueDistrictFiles(city.dataDir, '410105');
});
test.afterAll(async () => {
  await city?.close();
});

/** A browser context presenting a city client certificate (the city CA is not the browser's). */
async function consolePage(browser: Browser, cred: { cert: string; key: string }): Promise<Page> {
  const ctx = await browser.newContext({ clientCertificates: [{ origin: city.server.url, certPath: cred.cert, keyPath: cred.key }], ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${city.server.url}/console`);
  return page;
}

test('the city console: 12345 dispatch to a result, directives with receipts, a district’s own view', async ({ page, browser, consoleErrors }) => {
  test.setTimeout(180_000);
  // The refused forms below answer 400 on purpose (the page comes back with the reason).
  consoleErrors.allow(/status of 400 \(Bad Request\) \(https:\/\/127\.0\.0\.1:\d+\/console\/(dispatch|reference|tickets\/[^/]+\/review):/);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));
  await logout(page);

  const p = pkiPaths(city.dataDir);
  const console_ = await consolePage(browser, { cert: p.adminCert, key: p.adminKey });
  await expect(console_.getByTestId('console-who')).toContainText('市城运中心');
  await expect(console_.getByTestId('street-table')).toContainText(STREET);

  // A dispatch with too short a text is refused on the page; what was typed stays.
  const form = console_.getByTestId('dispatch-form');
  await form.locator('select[name=street]').selectOption(STREET);
  await form.locator('textarea[name=text]').fill('路灯');
  await form.locator('input[name=address]').fill('经八路与纬二路口');
  await form.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-error')).toHaveText('诉求内容太短（至少5个字）');
  await expect(console_.locator('input[name=address]')).toHaveValue('经八路与纬二路口');
  expect(await console_.getByTestId('ticket-row').count()).toBe(0);
  await shot(console_, '01-refused');

  await console_.locator('textarea[name=text]').fill('市民来电：经八路与纬二路口路灯连续两晚不亮，请尽快维修');
  await console_.locator('input[name=unit]').fill('JBJD-CGK');
  await console_.locator('input[name=reporterPhone]').fill('13700001111');
  await form.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-ok')).toContainText('已直派工单 12345-');
  const code = /12345-\d{8}-\d{5}/.exec((await console_.getByTestId('console-ok').textContent())!)![0];
  await expect(console_.getByTestId('ticket-row').first()).toContainText('已派单');

  // The street's unit accepts and resolves it.
  await login(page, 'zhifa');
  await page.goto(`/#/tickets?view=pendingAccept&q=${encodeURIComponent('纬二路口路灯')}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText(code, { timeout: 30_000 });
  await row.click();
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await page.getByTestId('action-resolve').click();
  await page.getByTestId('input-result').fill('已更换路灯控制器，当晚恢复照明。');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'resolved', { timeout: 15_000 });
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 30_000 });

  // The console shows the result and each step.
  await console_.goto(`${city.server.url}/console`);
  const trow = console_.getByTestId('ticket-row').filter({ hasText: code });
  await expect(trow.getByTestId('ticket-status')).toHaveText('已办结');
  await expect(trow).toContainText('已更换路灯控制器');
  await shot(console_, '02-result');
  await trow.getByRole('link', { name: code }).click();
  await expect(console_.getByTestId('ticket-event')).toHaveCount(3);
  await expect(console_.getByTestId('ticket-detail')).toContainText('办结');

  // 12345 审核: returned for rework with a reason, it reopens on the street with the reason.
  const review = console_.getByTestId('review-form');
  await review.locator('select[name=decision]').selectOption('return');
  await review.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-error')).toContainText('退回重办须写明理由');
  await console_.getByTestId('review-form').locator('select[name=decision]').selectOption('return');
  await console_.getByTestId('review-form').locator('textarea[name=reason]').fill('市民反映路灯夜间仍间歇熄灭，请排查线路');
  await console_.getByTestId('review-form').locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-ok')).toContainText('已退回重办，已通知街道');
  await expect(console_.getByTestId('ticket-detail')).toContainText('已重启');
  await shot(console_, '03-returned');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'reopened', { timeout: 30_000 });
  await expect(page.getByText('12345退回重办：市民反映路灯夜间仍间歇熄灭，请排查线路')).toBeVisible();
  await console_.getByRole('link', { name: '返回控制台' }).click();

  // A directive from the console, acknowledged on the street; the console shows the receipt.
  const dform = console_.getByTestId('directive-form');
  await dform.locator('input[name=title]').fill('大风天气防范');
  await dform.locator('textarea[name=body]').fill('今日午后阵风8级，请立即检查户外广告牌和工地围挡。');
  await dform.locator('select[name=priority]').selectOption('urgent');
  await dform.locator('select[name=streets]').selectOption([STREET]);
  await dform.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-ok')).toContainText('已发往 1 个街道');
  await expect(page.getByTestId('directive-banner')).toContainText('大风天气防范', { timeout: 10_000 });
  await page.getByTestId('directive-banner-ack').click();
  await expect(page.getByTestId('directive-banner')).toHaveCount(0);
  await expect
    .poll(async () => {
      await console_.reload();
      return console_.getByTestId('directive-row').filter({ hasText: '大风天气防范' }).getByTestId('directive-count').textContent();
    }, { timeout: 20_000 })
    .toBe('已签收 1 / 1');
  await shot(console_, '03-directive-acked');

  // Reference data published from the console: a bad calendar is refused with the reason (nothing
  // sent); a good one reaches the street, whose receipt shows in the console.
  const rform = console_.getByTestId('reference-form');
  await rform.locator('select[name=kind]').selectOption('calendar');
  await rform.locator('textarea[name=json]').fill(JSON.stringify({ version: '2028坏', year: 2028, holidays: {}, workdays: ['2028-01-05'] }));
  await rform.locator('select[name=streets]').selectOption([STREET]);
  await rform.locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-error')).toContainText('2028-01-05 不是周末');
  await expect(console_.getByTestId('reference-row')).toHaveCount(0);
  await console_.locator('textarea[name=json]').fill(JSON.stringify({ version: '2028版', year: 2028, holidays: { '2028-01-01': '元旦' }, workdays: [] }));
  await console_.getByTestId('reference-form').locator('button[type=submit]').click();
  await expect(console_.getByTestId('console-ok')).toContainText('工作日历 2028版 已下发至 1 个街道');
  await expect
    .poll(async () => {
      await console_.goto(`${city.server.url}/console`);
      return console_.getByTestId('reference-row').filter({ hasText: '2028版' }).getByTestId('reference-count').textContent();
    }, { timeout: 20_000 })
    .toBe('已应用 1 / 1');
  await console_.getByTestId('reference-row').filter({ hasText: '2028版' }).locator('summary').click();
  await expect(console_.getByTestId('reference-row').filter({ hasText: '2028版' })).toContainText('2028 年工作日历');
  await shot(console_, '03b-reference-receipts');

  // A district's console: no dispatch form; its directive goes to its own streets only.
  const district = await consolePage(browser, p.district('410105'));
  await expect(district.getByTestId('console-who')).toContainText('金水区城运中心');
  await expect(district.getByTestId('dispatch-form')).toHaveCount(0);
  await expect(district.getByTestId('street-table')).not.toContainText('410104003');
  await district.locator('input[name=title]').fill('金水区夜间施工巡查');
  await district.locator('textarea[name=body]').fill('今晚22时起对辖区在建工地夜间施工开展联合巡查。');
  await district.locator('[data-testid=directive-form] button[type=submit]').click();
  await expect(district.getByTestId('console-ok')).toContainText('已发往 2 个街道');
  await expect(district.getByTestId('directive-row')).toHaveCount(1);
  await expect(page.getByTestId('directive-banner')).toContainText('金水区城运中心', { timeout: 10_000 });
  await shot(district, '04-district');
  await page.getByTestId('directive-banner-ack').click();
  // A cross-site form post is refused even with the certificate.
  const forged = await district.request.post(`${city.server.url}/console/directives`, { headers: { origin: 'https://evil.example' }, form: { title: '伪造指令', body: '伪造的指令内容' } });
  expect(forged.status()).toBe(403);
  await logout(page);

  await login(page, 'leader');
  await disconnectFromCity(page);
  expect(problems).toEqual([]);
});
