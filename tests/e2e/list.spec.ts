// The ticket list as an operator uses it all day: countdowns that move, sorting that does what the
// header says, and search as operators type (unspaced phrases, the caller's phone).
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const cell = (page: Page, row: number, col: string) => page.locator(`.ag-center-cols-container .ag-row[row-index="${row}"] [col-id="${col}"]`);

async function firstRows(page: Page, col: string, n = 5): Promise<string[]> {
  await expect(cell(page, 0, col)).toBeVisible();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await cell(page, i, col).getAttribute('title')) ?? (await cell(page, i, col).innerText()));
  return out;
}

test('countdowns move every minute without AG Grid errors (#200)', async ({ page }) => {
  await page.clock.install();
  await login(page, 'operator');
  await page.goto('/#/tickets?deadline=overdue');
  const first = cell(page, 0, 'resolveDeadline');
  await expect(first).toContainText('超期');
  const before = await first.innerText();
  // An hour and a minute later the refresh has redrawn the rows: the countdown has moved.
  await page.clock.fastForward('01:01:00');
  await expect(first).not.toHaveText(before);
  await expect(first).toContainText('超期');
});

test('sorting: 受理时间 turns to oldest first on the first click; 时限 ascending puts tickets without a deadline last', async ({ page }) => {
  await login(page, 'operator');
  await page.goto('/#/tickets');
  const codesNewest = await firstRows(page, 'code');
  await page.locator('.ag-header-cell[col-id="createdAt"] .ag-header-cell-label').click();
  await expect(page.locator('.ag-header-cell[col-id="createdAt"]')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await firstRows(page, 'code'))[0]).not.toBe(codesNewest[0]);
  // The oldest come first now: the demo history's first tickets are from last year (shown with the year).
  await expect(cell(page, 0, 'createdAt')).toHaveText(/^20\d{2}-\d{2}-\d{2} /);

  await page.locator('.ag-header-cell[col-id="resolveDeadline"] .ag-header-cell-label').click();
  await expect(page.locator('.ag-header-cell[col-id="resolveDeadline"]')).toHaveAttribute('aria-sort', 'ascending');
  await expect(cell(page, 0, 'resolveDeadline')).toBeVisible();
  for (const text of await firstRows(page, 'resolveDeadline', 10)) expect(text).not.toBe('—');
});

test('search as operators type: an unspaced phrase and the caller\'s phone (whole and last four digits)', async ({ page }) => {
  await login(page, 'operator');
  await page.goto('/#/tickets');
  const search = page.getByTestId('filter-q');
  // Roads of the street + a problem, typed without a space, as the spaced query finds them.
  await search.fill('井盖 经八路');
  await search.press('Enter');
  await expect(page.getByTestId('list-count')).toContainText('共');
  const spaced = await page.getByTestId('list-count').innerText();
  expect(spaced).not.toContain('共 0 条');
  await search.fill('经八路井盖');
  await search.press('Enter');
  await expect(page.getByTestId('list-count')).toHaveText(spaced);
  await expect(cell(page, 0, 'description')).toContainText('井盖');

  // A caller's phone: file a ticket, then find it by the number and by its last four digits.
  const token = await page.evaluate(() => sessionStorage.getItem('chengyun.token'));
  const phone = `139${String(Date.now()).slice(-8)}`;
  const r = await page.request.post('/api/tickets.create', {
    data: { channel: 'hotline12345', type: 'complaint', description: '来电反映楼道灯坏了好几天，晚上看不见路', address: '经八路街道', reporterName: '测试来电人', reporterPhone: phone },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(r.ok()).toBeTruthy();
  const code = ((await r.json()) as { ticket: { code: string } }).ticket.code;
  for (const q of [phone, phone.slice(-4)]) {
    await search.fill(q);
    await search.press('Enter');
    await expect(page.locator('.ag-center-cols-container .ag-row [col-id="code"]', { hasText: code })).toBeVisible();
  }
});
