// 签收 escalation on screen, late sign-in and 督办's 签收时效 in Chromium, on 12345 direct dispatches
// from a real city (the sign-in window set in minutes so it runs out within the test): the unit
// user (马超, the enforcement squad) sees 待签收 over every page with a live countdown that goes
// normal → amber (last third) → red flashing with a sound at the deadline; a click opens the ticket,
// which is signed late (超时签收 with how late in the timeline). A ticket already past its deadline
// shows in 督办 › 签收时效 as 超时未签收, and the late sign-in is counted for the unit.
// Screenshots at 1366 and 1920 wide: test-results/e2e-shots/signin-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { connectToCity, disconnectFromCity, login, logout } from './support/session';
import { startTestCity, streetCredFiles, type TestCity } from '../support/city';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const STREET = '410105001';
const UNIT = 'JBJD-CGK'; // 马超 (zhifa)

async function shots(page: Page, name: string) {
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: width === 1366 ? 768 : 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `signin-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

let city: TestCity;
test.beforeAll(async () => {
  city = await startTestCity({ streets: [STREET], postgres: false });
});
test.afterAll(async () => {
  await city?.close();
});

const tag = Date.now() % 1_000_000;

/**
 * The banner's entry for a ticket (shown among the first few, or after 全部 N 件), found by the
 * ticket's own words: the shared street may hold another spec's city ticket with the same code
 * (each fresh test city numbers from 00001).
 */
async function watchItem(page: Page, marker: string) {
  const item = page.getByTestId('signin-watch-item').filter({ hasText: marker });
  await expect(page.getByTestId('signin-watch')).toBeVisible({ timeout: 30_000 });
  if ((await item.count()) === 0 && (await page.getByTestId('signin-watch-more').count()) > 0 && (await page.getByTestId('signin-watch-more').textContent())?.startsWith('全部')) await page.getByTestId('signin-watch-more').click();
  return item;
}

test('a unit sees its 12345 dispatch escalate to its sign-in deadline, signs late, and 督办 counts it', async ({ page }) => {
  test.setTimeout(300_000);
  await login(page, 'leader');
  await connectToCity(page, city.server.url, streetCredFiles(city.dataDir, STREET));
  await logout(page);

  // Already past its deadline when it arrives (signed for within 1 minute of 3 minutes ago).
  await city.server.svc.dispatch(
    { street: STREET, text: `市民反映纬三路口井盖松动，车辆碾压咣当作响（E2E-S${tag}）`, address: '经八路与纬三路交叉口', unit: UNIT, reporterName: '刘女士', reporterPhone: '13700002222' },
    { acceptWithinMinutes: 1, acceptFrom: Date.now() - 3 * 60_000 },
  );
  // One that runs out during the test: one minute from now.
  const soon = await city.server.svc.dispatch(
    { street: STREET, text: `市民来电反映纬二路人行道树枝折断悬挂，存在坠落隐患（E2E-W${tag}）`, address: '经八路与纬二路交叉口', unit: UNIT, reporterName: '王先生', reporterPhone: '13600001111' },
    { acceptWithinMinutes: 1 },
  );

  await login(page, 'zhifa');
  // A press on the page lets the browser play sounds from now on.
  await page.getByTestId('nav-tickets').click();
  const item = await watchItem(page, `E2E-W${tag}`);
  await expect(item).toHaveAttribute('data-level', 'normal', { timeout: 30_000 });
  const countdown = item.getByTestId('signin-watch-countdown');
  await expect(countdown).toHaveText(/^剩余 0分\d\d秒$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 }); // it ticks
  await shots(page, '01-normal');
  const overdueItem = await watchItem(page, `E2E-S${tag}`);
  await expect(overdueItem).toHaveAttribute('data-level', 'overdue');
  await expect(overdueItem.getByTestId('signin-watch-countdown')).toHaveText(/^超时 [12]分\d\d秒$/);

  // The last third of the window: amber.
  await expect(item).toHaveAttribute('data-level', 'amber', { timeout: 60_000 });
  await expect(page.getByTestId('signin-watch')).toHaveAttribute('data-level', 'overdue'); // the other one
  await shots(page, '02-amber');
  const soundsBefore = Number((await page.locator('html').getAttribute('data-alert-sounds')) ?? 0);

  // The deadline passes on screen: red, flashing, and one sound.
  await expect(item).toHaveAttribute('data-level', 'overdue', { timeout: 60_000 });
  await expect(item.getByTestId('signin-watch-countdown')).toHaveText(/^超时 0分\d\d秒$/);
  await expect(item.locator('.signin-watch-level')).toHaveCSS('animation-name', 'signin-flash');
  await expect(page.locator('html')).toHaveAttribute('data-alert-sounds', String(soundsBefore + 1), { timeout: 5_000 });
  await expect(page.locator('html')).toHaveAttribute('data-alert-sound-last', 'overdue');
  await shots(page, '03-overdue');

  // A click opens it; signing now is late, and the timeline says by how much.
  await item.click();
  await expect(page.getByTestId('ticket-code')).toHaveText(new RegExp(`^${soon.code}`));
  await expect(page.getByTestId('signin-countdown')).toHaveAttribute('data-state', 'missed');
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await expect(page.getByTestId('tl-late')).toContainText(/超时签收：超过签收时限 \d+分钟/);
  await expect(page.getByTestId('signin-done')).toContainText('（超时）');
  await expect(page.getByTestId('signin-watch-item').filter({ hasText: `E2E-W${tag}` })).toHaveCount(0);
  await shots(page, '04-signed-late');
  await logout(page);

  // 督办 › 签收时效 (today): the late sign-in counted for the squad; the other one 超时未签收.
  await login(page, 'leader');
  await page.getByTestId('nav-supervision').click();
  const board = page.getByTestId('sv-signins');
  await board.getByTestId('sv-period-today').click();
  // (The shared street may hold the code already from another spec's city: then it has a suffix.)
  await expect(board.locator('[data-testid^="sv-unsigned-"]').filter({ hasText: `E2E-S${tag}` })).toContainText('超时', { timeout: 15_000 });
  const squad = board.getByTestId('sv-signin-unit').filter({ hasText: '经八路街道城管科' });
  await expect(squad.getByTestId('sv-signin-late')).toHaveText(/^[1-9]\d*$/);
  await board.scrollIntoViewIfNeeded();
  await shots(page, '05-supervision');
  await logout(page);

  // Leave the shared street as it was: the overdue one signed too, everything uploaded, disconnected.
  await login(page, 'zhifa');
  await (await watchItem(page, `E2E-S${tag}`)).click();
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await logout(page);
  await login(page, 'leader');
  // Everything the shared street queued before (other specs' tickets) goes up too: give it time.
  await expect(page.getByTestId('sync-pending')).toHaveText('待上传 0 条', { timeout: 90_000 });
  await disconnectFromCity(page);
});
