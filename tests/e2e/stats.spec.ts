// 统计分析 end to end in Chromium on the demo street: a leader opens the page for last month,
// clicks a figure and a breakdown cell into the ticket list (the list's count equals the figure),
// exports the breakdown to Excel (numbers are numbers), downloads the monthly PDF (pdftotext finds
// the figures), and the page is captured at 1366, 1600 and 1920 wide. No console errors.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });

/** The month before the node's clock (the demo street's tickets lead up to now). */
function lastMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  const y = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const m = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth();
  return `${y}-${String(m).padStart(2, '0')}`;
}

const num = async (page: Page, testId: string) => Number((await page.getByTestId(testId).first().innerText()).replace(/[,\s]/g, ''));

test('统计分析: figures open their tickets, Excel export, monthly PDF, screenshots', async ({ page }) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await login(page, 'leader');
  await expect(page.getByTestId('nav-stats')).toHaveText(/统计分析/);
  await page.getByTestId('nav-stats').click();
  await expect(page.getByTestId('stats-page')).toBeVisible();
  const month = lastMonth();
  await page.getByTestId('period-year-select').selectOption(month.slice(0, 4));
  await page.getByTestId('period-month-select').selectOption(month.slice(5));
  await expect(page.getByTestId('stats-period-label')).toContainText(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
  await expect(page.getByTestId('fig-received')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('chart-trend').locator('canvas')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('breakdown-row').first()).toBeVisible();

  for (const width of [1366, 1600, 1920]) {
    await page.setViewportSize({ width, height: 1000 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, `stats-${width}.png`) });
    await page.locator('.content').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `stats-${width}-bottom.png`) });
    await page.locator('.content').evaluate((el) => (el.scrollTop = 0));
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  // A figure → the list with exactly its tickets.
  const received = await num(page, 'fig-received');
  expect(received).toBeGreaterThan(0);
  await page.getByTestId('fig-received').click();
  await expect(page.getByTestId('filter-figure')).toContainText('受理量');
  await expect(page.getByTestId('list-total')).toHaveText(received.toLocaleString('zh-CN'), { timeout: 30_000 });
  await page.goBack();

  const onTime = await num(page, 'fig-onTimeRate-num');
  await page.getByTestId('fig-onTimeRate-num').click();
  await expect(page.getByTestId('list-total')).toHaveText(onTime.toLocaleString('zh-CN'), { timeout: 30_000 });
  await page.goBack();

  // A breakdown cell (first unit's resolved tickets) → the list filtered by unit and figure.
  await expect(page.getByTestId('breakdown-row').first()).toBeVisible({ timeout: 30_000 });
  const cell = page.getByTestId('breakdown-row').first().locator('td').nth(1).locator('a');
  const resolvedByUnit = Number((await cell.innerText()).replace(/,/g, ''));
  await cell.click();
  await expect(page.getByTestId('list-total')).toHaveText(resolvedByUnit.toLocaleString('zh-CN'), { timeout: 30_000 });
  await page.goBack();

  // Excel export of the community breakdown: numbers as numbers.
  await page.getByTestId('dim-community').click();
  await expect(page.getByTestId('breakdown-row').first()).toBeVisible({ timeout: 30_000 });
  const firstName = (await page.getByTestId('breakdown-row').first().locator('th').innerText()).trim();
  const firstReceived = Number((await page.getByTestId('breakdown-row').first().locator('td').nth(0).innerText()).replace(/,/g, ''));
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-breakdown').click()]);
  const xlsxPath = path.join(SHOTS, 'stats-breakdown.xlsx');
  await xlsx.saveAs(xlsxPath);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxPath);
  const ws = wb.worksheets[0]!;
  let found = false;
  ws.eachRow((row) => {
    if (row.getCell(1).value === firstName) {
      found = true;
      expect(row.getCell(3).value).toBe(firstReceived);
    }
  });
  expect(found).toBe(true);

  // The monthly analysis as PDF: Chromium printed it, pdftotext reads the figures back.
  const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('report-pdf').click()]);
  const pdfPath = path.join(SHOTS, 'stats-report.pdf');
  await pdf.saveAs(pdfPath);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString('utf8');
  expect(text).toContain('城运工作月分析');
  expect(text.replace(/\s+/g, '')).toContain(`受理群众诉求${received}件`);
  // Its recurring-problem section: the month's top 批量问题 with the figures the workbook holds.
  const [rx] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('report-xlsx').click()]);
  const rxPath = path.join(SHOTS, 'stats-report.xlsx');
  await rx.saveAs(rxPath);
  const rwb = new ExcelJS.Workbook();
  await rwb.xlsx.readFile(rxPath);
  const gs = rwb.getWorksheet('批量问题')!;
  const gh = gs.getRow(4).values as unknown[];
  const top = gs.getRow(5);
  const inMonth = top.getCell(gh.indexOf('本月件数')).value;
  const count = top.getCell(gh.indexOf('累计件数')).value;
  const span = top.getCell(gh.indexOf('跨度（天）')).value;
  expect(typeof inMonth).toBe('number');
  expect(typeof count).toBe('number');
  expect(top.getCell(gh.indexOf('首次')).value).toBeInstanceOf(Date);
  const flat = text.replace(/\s+/g, '');
  expect(flat).toContain('批量问题与专项治理');
  expect(flat).toContain(`本月${inMonth}件、累计${count}件，跨${span}天`);
  expect(flat).toContain(String(top.getCell(gh.indexOf('地点')).value).replace(/\s+/g, ''));

  expect(problems).toEqual([]);
});
