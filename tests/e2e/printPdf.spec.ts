// 导出PDF of work orders in Chromium: from a ticket (工单 with its timeline) and for a batch ticked in
// the list (派工单, one page each), downloaded and read back with pdftotext — the code, the Chinese
// description and the timeline are in it, the caller's phone masked for the operator (as on the
// screen) and in full for the unit handling the ticket. Works only on tickets it files itself.
// Screenshots at 1366 and 1920 wide: test-results/e2e-shots/printPdf-*.png.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { api, login, logout } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
const OUT = path.resolve('test-results/printPdf');
fs.mkdirSync(SHOTS, { recursive: true });
fs.mkdirSync(OUT, { recursive: true });

async function shots(page: Page, name: string) {
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: width === 1366 ? 768 : 1080 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `printPdf-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Clicks the button, saves the download and returns the PDF's text (whitespace removed) and pages. */
async function downloadPdf(page: Page, testId: string, name: string) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testId).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const file = path.join(OUT, name);
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  return { text, pages, filename: download.suggestedFilename() };
}

test('work orders download as PDF: one from the ticket, a batch from the list; masked by role', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, 'operator');
  const boot = await api<{ units: Array<{ id: string; code: string }>; catalog: Array<{ id: string; path: string }> }>(page, 'meta.bootstrap', {});
  const squad = boot.units.find((u) => u.code === 'JBJD-CGK')!; // 马超 (zhifa)
  const leaf = boot.catalog.find((c) => c.path.includes('占道经营'))!;
  expect(leaf, 'a 占道经营 category in the demo catalog').toBeTruthy();
  const stamp = String(Date.now()).slice(-6);
  const phone = `139${stamp}88`;
  const filed: Array<{ id: string; code: string }> = [];
  for (const [i, text] of [`纬四路菜市场门口污水外溢，气味很大，行人绕行（PDF测试${stamp}）`, `纬四路菜市场北侧垃圾桶满溢无人清运（PDF测试${stamp}）`].entries()) {
    const t = await api<{ ticket: { id: string; code: string } }>(page, 'tickets.create', {
      channel: 'hotline12345',
      type: 'complaint',
      description: text,
      address: '经八路街道纬四路菜市场',
      reporterName: '钱测试',
      reporterPhone: i === 0 ? phone : `137${stamp}99`,
      categoryId: leaf.id,
    });
    await api(page, 'tickets.act', { action: 'dispatch', id: t.ticket.id, mode: 'designated', unitId: squad.id });
    filed.push(t.ticket);
  }

  // From the ticket page: 导出PDF next to 打印派工单 / 打印工单.
  await page.goto(`/#/tickets/${filed[0]!.id}`);
  await expect(page.getByTestId('ticket-code')).toHaveText(filed[0]!.code);
  await shots(page, '01-detail');
  const one = await downloadPdf(page, 'export-pdf', 'one.pdf');
  expect(one.filename).toBe(`工单-${filed[0]!.code}.pdf`);
  expect(one.text).toContain(filed[0]!.code);
  expect(one.text).toContain(`纬四路菜市场门口污水外溢，气味很大，行人绕行（PDF测试${stamp}）`);
  expect(one.text).toMatch(/办理过程（[34]条）/);
  for (const step of ['上报', '派单']) expect(one.text).toContain(step);
  expect(one.text).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  expect(one.text).not.toContain(phone);

  // A batch ticked in the list: 派工单PDF, one page per ticket.
  await page.goto(`/#/tickets?q=${encodeURIComponent(`PDF测试${stamp}`)}`);
  for (const t of filed) {
    const row = page.locator('.ag-center-cols-container .ag-row').filter({ hasText: t.code });
    await expect(row).toBeVisible({ timeout: 20_000 });
    const rowIndex = await row.getAttribute('row-index');
    await page.locator(`.ag-pinned-left-cols-container .ag-row[row-index="${rowIndex}"] input[type=checkbox]`).check();
  }
  await expect(page.getByTestId('bulk-count')).toContainText('2');
  await shots(page, '02-bulk');
  const batch = await downloadPdf(page, 'bulk-pdf-dispatch', 'batch.pdf');
  expect(batch.filename).toMatch(/^派工单-2件-\d{8}\.pdf$/);
  expect(batch.pages).toBe(2);
  for (const t of filed) expect(batch.text).toContain(t.code);
  expect(batch.text).toContain('接单人（签字）');
  expect(batch.text).not.toContain(phone);
  await logout(page);

  // The unit handling it (signed for) sees the phone in full on its screen, and so in the PDF —
  // exported from the print view's 导出PDF.
  await login(page, 'zhifa');
  await page.goto(`/#/tickets/${filed[0]!.id}`);
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await expect(page.getByTestId('reporter-phone')).toHaveText(phone);
  await page.getByTestId('print-full').click();
  await expect(page.getByTestId('print-sheet')).toHaveCount(1);
  await shots(page, '03-print-view');
  const unit = await downloadPdf(page, 'export-pdf-full', 'unit.pdf');
  expect(unit.text).toContain(phone);
  expect(unit.text).toContain('签收');
  // Leave the shared street tidy: the other one signed too.
  await api(page, 'tickets.act', { action: 'accept', id: filed[1]!.id });
});
