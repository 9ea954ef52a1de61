// End to end in Chromium against the real street node host (seeded demo street): an operator
// creates a ticket with a photo, dispatches it, the unit accepts and resolves it with an after-photo,
// the operator verifies, calls back and closes it; the list, the dashboard counts and the timeline
// show each step. Screenshots go to test-results/e2e-shots/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });

// Two small valid PNGs (different bytes) and a PDF pretending to be a photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const files = path.resolve('test-results/e2e-files');
fs.mkdirSync(files, { recursive: true });
fs.writeFileSync(path.join(files, 'before.png'), PNG);
fs.writeFileSync(path.join(files, 'after.png'), Buffer.concat([PNG, Buffer.from('after')]));
fs.writeFileSync(path.join(files, 'scan.pdf'), '%PDF-1.7\n1 0 obj\n');

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
}

async function act(page: Page, action: string, fill?: () => Promise<void>, shotName?: string) {
  await page.getByTestId(`action-${action}`).click();
  await expect(page.getByTestId(`dialog-${action}`)).toBeVisible();
  if (fill) await fill();
  if (shotName) await shot(page, shotName);
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId(`dialog-${action}`)).toBeHidden({ timeout: 15_000 });
}

async function count(page: Page, key: string): Promise<number> {
  await page.goto('/#/dashboard');
  const el = page.getByTestId(`count-${key}`);
  await expect(el).toHaveText(/^\d+$/);
  return Number(await el.textContent());
}

/** The ticket's status as the list shows it, found by full-text search on its code. */
async function listStatus(page: Page, code: string): Promise<string | null> {
  await page.goto(`/#/tickets?q=${encodeURIComponent(code)}`);
  const row = page.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText(code, { timeout: 15_000 });
  return page.locator('.ag-row [data-status]').first().getAttribute('data-status');
}

test('a ticket runs its whole life through the UI', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await login(page, 'operator');
  const pendingAcceptBefore = await count(page, 'pendingAccept');
  const newTodayBefore = await count(page, 'newToday');
  await shot(page, '01-dashboard');

  // Create, with a bad file refused first.
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-description').fill('经八路与纬五路交叉口东北角人行道井盖破损下陷，已有行人绊倒，请尽快处理。');
  await page.getByTestId('new-address').fill('经八路与纬五路交叉口东北角');
  await page.getByTestId('new-reporterName').fill('刘女士');
  await page.getByTestId('new-reporterPhone').fill('13700001234');
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill('井盖');
  await page.keyboard.press('Enter');
  await page.getByTestId('new-photos-input').setInputFiles(path.join(files, 'scan.pdf'));
  await expect(page.getByTestId('new-photos-error')).toContainText('scan.pdf');
  await page.getByTestId('new-photos-input').setInputFiles(path.join(files, 'before.png'));
  await expect(page.locator('.thumb.uploaded img')).toHaveCount(1);
  await shot(page, '02-new-ticket');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
  const code = (await page.getByTestId('ticket-code').textContent())!.trim();
  const hash = new URL(page.url()).hash;
  expect(code).toMatch(/^JB-\d{8}-\d{4}$/);
  await expect(page.getByTestId('photos-before').locator('img')).toHaveCount(1);
  expect(await count(page, 'newToday')).toBe(newTodayBefore + 1);
  expect(await listStatus(page, code)).toBe('registered');

  // One-click dispatch to the catalog's default unit.
  await page.goto('/' + hash);
  let unitName = '';
  await act(page, 'dispatch', async () => {
    unitName = (await page.getByTestId('oneclick-unit').locator('strong').textContent())!.trim();
  }, '03-dispatch');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'dispatched');
  expect(unitName).toBe('金水区城市管理局');
  expect(await count(page, 'pendingAccept')).toBe(pendingAcceptBefore + 1);
  expect(await listStatus(page, code)).toBe('dispatched');
  await logout(page);

  // The unit accepts and resolves with an after-photo; it sees the reporter's phone masked until it accepts.
  await login(page, 'chengguan');
  await page.goto('/' + hash);
  await expect(page.getByTestId('reporter-phone')).toContainText('137****1234');
  await act(page, 'accept');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted');
  // Its own ticket in progress: the citizen's phone in full, to call back (the view is audited).
  await expect(page.getByTestId('reporter-phone')).toHaveText('13700001234');
  await expect(page.getByTestId('reveal-personal')).toHaveCount(0);
  await act(page, 'resolve', async () => {
    await page.getByTestId('input-result').fill('已更换新井盖并加固井座，现场恢复通行。');
    await page.getByTestId('after-photos-input').setInputFiles(path.join(files, 'after.png'));
    await expect(page.locator(`[data-testid="dialog-resolve"] .thumb.uploaded img`)).toHaveCount(1);
  }, '04-resolve');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'resolved');
  await logout(page);

  // The operator verifies, calls back and closes.
  await login(page, 'operator');
  expect(await count(page, 'pendingAccept')).toBe(pendingAcceptBefore);
  expect(await listStatus(page, code)).toBe('resolved');
  await page.goto('/' + hash);
  await act(page, 'verify', () => page.getByTestId('choice-yes').click());
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'verified');
  await act(page, 'callback', () => page.getByTestId('choice-satisfied').click(), '05-callback');
  await act(page, 'close');
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'closed');
  await expect(page.getByTestId('photos-after').locator('img')).toHaveCount(1);

  // The timeline shows every step in order.
  const timeline = page.getByTestId('timeline');
  for (const label of ['登记', '派单', '签收', '办结', '核查', '回访', '归档']) await expect(timeline).toContainText(label);
  await expect(page.getByTestId('action-reopen')).toBeVisible();
  await expect(page.getByTestId('action-close')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, '06-closed.png'), fullPage: true });
  expect(await listStatus(page, code)).toBe('closed');
  await shot(page, '07-list');
  expect(problems).toEqual([]);
});

test('bad input gets a clear Chinese error and changes nothing', async ({ page }) => {
  await login(page, 'operator');
  const before = await count(page, 'newToday');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-description').fill('短');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('请检查');
  await expect(page.locator('.field.has-error').first()).toContainText('至少5个字');
  await shot(page, '08-validation');
  expect(await count(page, 'newToday')).toBe(before);
});

test('a unit sees only its own tickets and cannot create tickets', async ({ page }) => {
  await login(page, 'zhujian');
  await expect(page.getByTestId('nav-new')).toHaveCount(0);
  await page.goto('/#/tickets');
  await expect(page.locator('.ag-center-cols-container .ag-row').first()).toBeVisible({ timeout: 15_000 });
  const units = await page.locator('.ag-center-cols-container .ag-row [col-id="unit"]').allTextContents();
  // Its own tickets, or tickets offered to it in an open negotiated dispatch (no unit yet).
  for (const u of units) expect(u).toMatch(/住|^\s*—?\s*$/);
});
