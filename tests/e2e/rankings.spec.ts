// 统计分析 › 排名 end to end in Chromium on the demo street: a leader opens last month's 三维评价
// ranking of units (frozen at month end), opens a unit's explanation and clicks a lost-points item
// into the ticket list (the list holds exactly the tickets counted), enters a 绩效刚性评 score with a
// reason (refused without one), sees the frozen month show it as a correction and finds the entry in
// the audit log; communities and grids rank too; a month before the street's history says what will
// appear; a unit liaison sees only its own unit's row and explanation. Screenshots at 1366 and 1920.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login, logout } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });

function lastMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  const y = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const m = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth();
  return `${y}-${String(m).padStart(2, '0')}`;
}

async function shots(page: Page, name: string) {
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 1000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('排名: scores explained by their tickets, 绩效刚性评 entered and audited, the unit sees its own', async ({ page }) => {
  test.setTimeout(240_000);
  const month = lastMonth();
  await login(page, 'leader');
  await page.getByTestId('nav-stats').click();
  await page.getByTestId('tab-ranking').click();
  await expect(page.getByTestId('ranking-tab')).toBeVisible();
  await expect(page.getByTestId('rank-year')).toHaveValue(month.slice(0, 4));
  await expect(page.getByTestId('rank-month')).toHaveValue(month.slice(5));
  await expect(page.getByTestId('rank-state')).toContainText('冻结定榜', { timeout: 60_000 });
  const rows = page.getByTestId('ranking-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(2);
  await expect(rows.first().locator('.rank-no')).toHaveText('1');

  // A unit that lost points: its explanation, and a lost-points item into the list.
  let opened = false;
  for (let i = 0; i < (await rows.count()) && !opened; i++) {
    await rows.nth(i).getByTestId('rank-explain-toggle').click();
    const lost = page.getByTestId('rank-explain').locator('a[data-testid$="-lost"]');
    if ((await lost.count()) > 0) opened = true;
    else await rows.nth(i).getByTestId('rank-explain-toggle').click();
  }
  expect(opened).toBe(true);
  await shots(page, 'ranking-units');
  const item = page.getByTestId('rank-explain').locator('a[data-testid$="-lost"]').first();
  const count = Number(await item.getAttribute('data-count'));
  expect(count).toBeGreaterThan(0);
  await item.click();
  await expect(page.getByTestId('filter-figure')).toBeVisible();
  await expect(page.getByTestId('list-total')).toHaveText(count.toLocaleString('zh-CN'), { timeout: 30_000 });
  await page.goBack();

  // 绩效刚性评 on the first row: refused without a reason, then entered.
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const name = (await rows.first().locator('th').innerText()).trim();
  await rows.first().getByTestId('rank-explain-toggle').click();
  await page.getByTestId('perf-score').fill('88');
  await page.getByTestId('perf-reason').fill('');
  await page.getByTestId('perf-save').click();
  await expect(page.getByTestId('perf-error')).toContainText('评分理由');
  await page.getByTestId('perf-reason').fill('防汛专项整治表现突出');
  await page.getByTestId('perf-save').click();
  await expect(page.getByTestId('rank-explain')).toContainText('绩效刚性评 88 分：防汛专项整治表现突出', { timeout: 30_000 });
  // The month is frozen: the entry shows as a correction, not as a silent change.
  await expect(page.getByTestId('rank-correction')).toContainText('绩效刚性评 88.0');
  await expect(rows.first().getByTestId('correction-pill')).toBeVisible();
  await shots(page, 'ranking-correction');

  // The rules: a new version from this month on (the same values: the shared street keeps its ranking).
  await page.getByTestId('rules-panel').locator('summary').click();
  await expect(page.getByTestId('rule-4')).toHaveValue('2');
  await page.getByTestId('rules-save').click();
  await expect(page.locator('.toast, [role="status"]').filter({ hasText: '评价规则已保存' }).first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('rules-panel').locator('summary').click();

  // Communities and grids.
  await page.getByTestId('rank-kind-community').click();
  await expect(page.getByTestId('ranking-table')).toContainText('社区', { timeout: 30_000 });
  await page.getByTestId('rank-kind-grid').click();
  await expect(page.getByTestId('ranking-table')).toContainText('网格', { timeout: 30_000 });
  await shots(page, 'ranking-grids');
  // Before the street's history: what will appear.
  await page.getByTestId('rank-year').selectOption(String(Number(month.slice(0, 4)) - 5));
  await expect(page.getByTestId('ranking-month-empty')).toContainText('没有可排名的网格');

  // The audit log has the entry.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('audit-action').selectOption('performance.score');
  await expect(page.getByTestId('audit-table')).toContainText('绩效刚性评');
  await expect(page.getByTestId('audit-table')).toContainText('防汛专项整治表现突出');
  await expect(page.getByTestId('audit-table')).toContainText(`:${month}`);
  await page.getByTestId('audit-action').selectOption('settings.change');
  await expect(page.getByTestId('audit-table')).toContainText('ranking.rules');
  await logout(page);

  // A unit liaison: its own unit only, explanation open, no score entry.
  await login(page, 'chengguan');
  await page.getByTestId('nav-stats').click();
  await expect(page.getByTestId('ranking-tab')).toBeVisible();
  await expect(page.getByTestId('tab-overview')).toHaveCount(0);
  await expect(page.getByTestId('rank-kind')).toHaveCount(0);
  await expect(page.getByTestId('rank-own')).toContainText('金水区城市管理局', { timeout: 60_000 });
  await expect(page.getByTestId('ranking-row')).toHaveCount(1);
  await expect(page.getByTestId('rank-explain')).toBeVisible();
  await expect(page.getByTestId('perf-form')).toHaveCount(0);
  await shots(page, 'ranking-unit-own');
  const own = page.getByTestId('rank-explain').locator('a[data-count]').first();
  const ownCount = Number(await own.getAttribute('data-count'));
  await own.click();
  await expect(page.getByTestId('list-total')).toHaveText(ownCount.toLocaleString('zh-CN'), { timeout: 30_000 });
  expect(name.length).toBeGreaterThan(0);
});
