// A real street from nothing to its first dispatched ticket, through the UI in Chromium: `street
// init` makes the store (no demo data, one administrator with a one-time password); the node runs
// on it without --demo; the administrator sets a password, walks the 初始化向导 (street details, the
// grid file, a unit, two accounts, a key place, the default catalog), checks the audit log; the new
// operator sets a password, files a ticket and dispatches it; the unit sees the caller masked and
// uses 查看 once the ticket is theirs and in progress. Screenshots at 1366, 1600 and 1920 wide go
// to test-results/e2e-shots/street-*.png.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// The node picks a free port (--port 0) and says where it listens.
let BASE = '';
const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-e2e-street-'));
const DB = path.join(dir, 'huayuan.sqlite');

const shot = async (page: Page, name: string) => {
  for (const width of [1366, 1600, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `street-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
};

let node: ChildProcess | null = null;
let stderr = '';

test.beforeAll(async () => {
  const out = execFileSync(path.resolve('node_modules/.bin/tsx'), ['src/main/cli/street.ts', 'init', '--db', DB, '--street', '410105002', '--admin', 'zhangwei'], { encoding: 'utf8' });
  creds = JSON.parse(out.trim()) as { username: string; password: string };
  // The street's grid file: 花园路街道 with one community and one grid, cut from its bundled outline.
  const fc = JSON.parse(fs.readFileSync('src/shared/data/street-outlines.geojson', 'utf8')) as { features: Array<{ properties: { code: string }; geometry: unknown }> };
  const outline = fc.features.find((x) => x.properties.code === '410105002')!.geometry;
  fs.writeFileSync(
    path.join(dir, 'grids.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '410105002', name: '花园路街道', level: 1, parent: null }, geometry: outline },
        { type: 'Feature', properties: { code: '410105002001', name: '丰产路社区', level: 2, parent: '410105002' }, geometry: outline },
      ],
    }),
  );
  node = spawn(process.execPath, ['dist/main/start.js', '--browser', '--no-open', '--port', '0', '--db', DB], { stdio: ['ignore', 'ignore', 'pipe'] });
  node.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 240; i++) {
    const m = /listening: (http:\/\/[\d.]+:\d+)/.exec(stderr);
    if (m) {
      BASE = m[1]!;
      return;
    }
    if (node.exitCode !== null) throw new Error(`street node exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`street node did not start: ${stderr}`);
});
test.afterAll(() => {
  node?.kill('SIGTERM');
});

let creds: { username: string; password: string };

async function loginWith(page: Page, username: string, password: string) {
  await page.goto(BASE + '/#/dashboard');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('form-submit').click();
}

async function setPassword(page: Page, current: string, next: string) {
  await expect(page.getByTestId('forced-password')).toBeVisible();
  await page.getByTestId('pw-current').fill(current);
  await page.getByTestId('pw-next').fill(next);
  await page.getByTestId('pw-again').fill(next);
  await page.getByTestId('pw-submit').click();
}

async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
}

test('a real street from street init to its first dispatched ticket', async ({ page }) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/401|403|Failed to load resource/.test(m.text()) && problems.push(m.text()));

  // No demo accounts on a real street's login screen; demo123 opens nothing.
  await page.goto(BASE + '/#/dashboard');
  await expect(page.getByTestId('login-username')).toBeVisible();
  await expect(page.locator('.demo-users')).toHaveCount(0);
  await loginWith(page, 'leader', 'demo123');
  await expect(page.locator('.login-form')).toContainText('用户名或密码错误');

  // The administrator: one-time password → a password of their own (rules enforced in the form).
  await loginWith(page, creds.username, creds.password);
  await expect(page.getByTestId('forced-password')).toBeVisible();
  await page.getByTestId('pw-current').fill(creds.password);
  await page.getByTestId('pw-next').fill('zhangwei2026!');
  await page.getByTestId('pw-again').fill('zhangwei2026!');
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('password-form')).toContainText('用户名');
  await shot(page, '01-forced-password');
  await setPassword(page, creds.password, 'Huayuan-Center-2026');

  // The wizard opens by itself.
  await expect(page.getByTestId('setup')).toBeVisible();
  await expect(page.getByTestId('setup-street-name')).toHaveText('花园路街道');
  await page.getByTestId('setup-prefix').fill('HY');
  await page.getByTestId('setup-street-save').click();
  await shot(page, '02-setup-street');
  await page.getByTestId('setup-next').click();

  // Grids: the file is checked and imported.
  await page.getByTestId('grids-import').setInputFiles(path.join(dir, 'grids.geojson'));
  await expect(page.getByTestId('setup-grids')).toContainText('社区 1', { timeout: 30_000 });
  await page.getByTestId('setup-next').click();

  // Units: one by one (the CSV/xlsx import is in the same card).
  await page.getByTestId('unit-code').fill('JSQ-CGJ');
  await page.getByTestId('unit-name').fill('金水区城市管理局');
  await page.getByTestId('unit-save').click();
  await expect(page.getByTestId('units-table')).toContainText('金水区城市管理局');
  await shot(page, '03-setup-units');
  await page.getByTestId('setup-next').click();

  // Accounts: an operator and the city-management liaison; each one-time password is shown once.
  const otps: Record<string, string> = {};
  for (const [username, name, role, unit] of [['liuying', '刘颖', 'operator', ''], ['cgj', '城管局联络员', 'unit', '金水区城市管理局']] as const) {
    await page.getByTestId('account-username').fill(username);
    await page.getByTestId('account-name').fill(name);
    await page.getByTestId('account-role').selectOption(role);
    if (unit) await page.getByTestId('account-unit').selectOption({ label: unit });
    await page.getByTestId('account-create').click();
    await expect(page.getByTestId('otp')).toContainText(username);
    otps[username] = (await page.getByTestId('otp-password').textContent())!.trim();
    if (username === 'cgj') await shot(page, '04-setup-accounts');
    await page.getByTestId('otp-close').click();
  }
  await expect(page.getByTestId('accounts-table')).toContainText('待首次登录改密');
  await page.getByTestId('setup-next').click();

  // Key places.
  await page.getByTestId('keyplace-name').fill('紫荆山公园东门');
  await page.getByTestId('keyplace-address').fill('金水路与花园路交叉口');
  await page.getByTestId('keyplace-kind').fill('人员密集场所');
  await page.getByTestId('keyplace-save').click();
  await expect(page.getByTestId('settings-keyplaces')).toContainText('紫荆山公园东门');
  await page.getByTestId('setup-next').click();

  // The default catalog.
  await page.getByTestId('catalog-install').click();
  await expect(page.getByTestId('setup-catalog')).toContainText('本街道已有派单目录');
  await page.getByTestId('setup-next').click();

  // The city connection: skipped for now; finish.
  await expect(page.getByTestId('settings-sync')).toBeVisible();
  await page.getByTestId('setup-finish').click();
  await expect(page.getByTestId('settings-audit')).toBeVisible();

  // The audit log has it all, and its chain holds.
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verdict')).toContainText('校验通过');
  await expect(page.getByTestId('audit-table')).toContainText('新建账号');
  await expect(page.getByTestId('audit-table')).toContainText('登录失败');
  await page.getByTestId('settings-audit').scrollIntoViewIfNeeded();
  await shot(page, '05-audit-log');
  await logout(page);

  // The operator: own password, then the first ticket, dispatched by designation.
  await loginWith(page, 'liuying', otps.liuying!);
  await setPassword(page, otps.liuying!, 'Desk-Operator-0501');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-description').fill('花园路与丰产路交叉口西南角人行道井盖缺失，夜间有行人踩空风险。');
  await page.getByTestId('new-address').fill('花园路与丰产路交叉口西南角');
  await page.getByTestId('new-reporterName').fill('陈先生');
  await page.getByTestId('new-reporterPhone').fill('13900002222');
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill('井盖');
  await page.keyboard.press('Enter');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
  const code = (await page.getByTestId('ticket-code').textContent())!.trim();
  expect(code).toMatch(/^HY-\d{8}-0001$/);
  const hash = new URL(page.url()).hash;
  // Masked for the operator too until 查看.
  await expect(page.getByTestId('reporter-phone')).toHaveText('139****2222');
  await page.getByTestId('reveal-personal').click();
  await expect(page.getByTestId('reporter-phone')).toHaveText('13900002222');
  await page.getByTestId('action-dispatch').click();
  await page.getByTestId('choice-designated').click();
  await page.getByTestId('input-unit').selectOption({ label: '金水区城市管理局' });
  await shot(page, '06-dispatch');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'dispatched', { timeout: 15_000 });
  await shot(page, '07-dispatched');
  await logout(page);

  // The unit: masked, no 查看 until it accepts; its own ticket in progress then shows the phone in
  // full (to call back; the view is audited).
  await loginWith(page, 'cgj', otps.cgj!);
  await setPassword(page, otps.cgj!, 'Chengguan-Liaison-9');
  await page.goto(BASE + '/' + hash);
  await expect(page.getByTestId('reporter-phone')).toHaveText('139****2222');
  await expect(page.getByTestId('reveal-personal')).toHaveCount(0);
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await expect(page.getByTestId('reporter-phone')).toHaveText('13900002222');
  await expect(page.getByTestId('reveal-personal')).toHaveCount(0);

  expect(problems).toEqual([]);
});
