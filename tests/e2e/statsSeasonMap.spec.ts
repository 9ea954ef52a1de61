// 统计分析 › 网格地图 and 按季施策 end to end in Chromium on the demo street: a leader opens last
// month's grid choropleth, switches the figure (legend follows), hovers the grid with the most
// resolved tickets and clicks it into the ticket list (the list holds exactly the tickets the
// tooltip counted, filtered to that grid and period); then the 按季施策 tab shows each top-level
// category's weekly history and forecast with the backtest MAPE of baseline and model, and the
// warnings, and a category's recent weeks open exactly their tickets. Screenshots at 1366 and 1920. No console errors (support/test).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

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
    await page.waitForTimeout(600);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('网格地图: a figure per grid, legend, a grid clicked into its tickets; 按季施策: forecasts with MAPE and warnings', async ({ page }) => {
  test.setTimeout(240_000);
  const month = lastMonth();
  await login(page, 'leader');
  await page.getByTestId('nav-stats').click();
  await page.getByTestId('period-year-select').selectOption(month.slice(0, 4));
  await page.getByTestId('period-month-select').selectOption(month.slice(5));
  await page.getByTestId('tab-map').click();
  const map = page.getByTestId('choropleth-map');
  await expect(map).toHaveAttribute('data-ready', '1', { timeout: 60_000 });
  await expect(page.getByTestId('choropleth-legend')).toContainText('受理量');
  await expect(page.getByTestId('choropleth-list-item').first()).toBeVisible();

  // Another figure: the legend and the URL follow; the period stays.
  await page.getByTestId('choropleth-figure').selectOption('onTimeRate');
  await expect(page.getByTestId('choropleth-legend')).toContainText('按时办结率');
  await expect(page.getByTestId('choropleth-legend')).toContainText('颜色越深越差');
  await expect(page).toHaveURL(/fig=onTimeRate/);
  await expect(page.getByTestId('stats-period-label')).toContainText(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
  await expect(map).toHaveAttribute('data-ready', '1', { timeout: 30_000 });
  await page.waitForTimeout(500);
  await expect(map).toHaveAttribute('data-top-pixel', /^\d+,\d+$/, { timeout: 30_000 });

  // The grid with the most resolved tickets: the tooltip says how many a click opens.
  const gridId = (await map.getAttribute('data-top-grid'))!;
  const [x, y] = (await map.getAttribute('data-top-pixel'))!.split(',').map(Number);
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + x!, box.y + y!);
  const tip = page.locator('.map-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('按时办结率');
  const n = Number(/点击查看办结量 ([\d,]+) 件工单/.exec(await tip.innerText())![1]!.replace(/,/g, ''));
  expect(n).toBeGreaterThan(0);
  await page.mouse.click(box.x + x!, box.y + y!);
  await expect(page).toHaveURL(new RegExp(`#/tickets\\?.*grid=${gridId}`));
  await expect(page).toHaveURL(/figure=resolved/);
  await expect(page).toHaveURL(new RegExp(`pfrom=${month}-01`));
  await expect(page.getByTestId('list-total')).toHaveText(n.toLocaleString('zh-CN'), { timeout: 30_000 });

  // Back on the map (the figure kept), captured; then 按季施策.
  await page.goBack();
  await expect(page.getByTestId('choropleth-legend')).toContainText('按时办结率', { timeout: 30_000 });
  await expect(page.getByTestId('choropleth-map')).toHaveAttribute('data-ready', '1', { timeout: 30_000 });
  await shots(page, 'stats-map');
  await page.getByTestId('tab-forecast').click();
  await expect(page.getByTestId('forecast-warnings')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('forecast-warnings')).toContainText('季节朴素');
  const cards = page.getByTestId('forecast-card');
  expect(await cards.count()).toBeGreaterThanOrEqual(10);
  // Two years of demo history: every category is forecast, with both backtest errors shown.
  await expect(page.getByTestId('forecast-too-little')).toHaveCount(0);
  const heating = page.locator('[data-testid="forecast-card"][data-category="供暖"]');
  await expect(heating.getByTestId('forecast-mape')).toContainText(/回测MAPE：基准 \d+\.\d% · 模型 \d+\.\d% · 采用(模型|基准)/);
  await expect(heating.getByTestId('forecast-chart').locator('canvas')).toHaveCount(1);
  // Either warnings naming the rise or the sentence that there are none.
  expect((await page.getByTestId('forecast-warning').count()) + (await page.getByTestId('forecast-no-warning').count())).toBeGreaterThan(0);
  await shots(page, 'stats-forecast');
  // The tickets behind 供暖's recent level: the list's own filters hold exactly that many.
  const link = heating.getByTestId('forecast-recent-link');
  const recent = Number(/近8周 ([\d,]+) 件/.exec(await link.innerText())![1]!.replace(/,/g, ''));
  await link.click();
  await expect(page).toHaveURL(/#\/tickets\?.*figure=received/);
  await expect(page.getByTestId('list-total')).toHaveText(recent.toLocaleString('zh-CN'), { timeout: 30_000 });
});
