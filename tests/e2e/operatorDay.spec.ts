// What a person reads on the workstation: dates with their year when not this year's, the timeline
// telling the actor from the unit acted on, and a new ticket's channel by who files it.
import { expect, test, type Page } from './support/test';
import { login, logout } from './support/session';

const cell = (page: Page, row: number, col: string) => page.locator(`.ag-center-cols-container .ag-row[row-index="${row}"] [col-id="${col}"]`);

test('a ticket from an earlier year shows its year in the list; this year\'s do not', async ({ page }) => {
  await login(page, 'operator');
  await page.goto('/#/tickets');
  await expect(cell(page, 0, 'createdAt')).toHaveText(/^\d{2}-\d{2} \d{2}:\d{2}$/); // newest: this year
  await page.locator('.ag-header-cell[col-id="createdAt"] .ag-header-cell-label').click();
  // The demo street's history spans two years: the oldest ticket is from last year.
  await expect(cell(page, 0, 'createdAt')).toHaveText(/^20\d{2}-\d{2}-\d{2} \d{2}:\d{2}$/);
});

test('the timeline tells the operator who dispatched from the unit it went to', async ({ page }) => {
  await login(page, 'operator');
  await page.goto('/#/tickets?view=inProgress');
  await cell(page, 0, 'code').click();
  await expect(page.getByTestId('ticket-detail')).toBeVisible();
  const dispatch = page.locator('.tl-item[data-action="dispatch"]').first();
  await expect(dispatch).toBeVisible();
  await expect(dispatch.getByTestId('tl-actor')).toContainText('受理员');
  const unit = (await dispatch.getByTestId('tl-target').innerText()).replace('处置单位：', '').trim();
  expect(unit.length).toBeGreaterThan(1);
  // The operator's line does not carry the unit, as if the operator belonged to it.
  await expect(dispatch.getByTestId('tl-actor')).not.toContainText(unit);
});

test('a new ticket\'s channel follows who files it: 网格巡查 for a grid officer, 12345热线 for an operator', async ({ page }) => {
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await expect(page.getByTestId('new-channel')).toHaveValue('hotline12345');
  await logout(page);
  await login(page, 'wangge');
  await page.getByTestId('nav-new').click();
  await expect(page.getByTestId('new-channel')).toHaveValue('gridPatrol');
});

test('结束吹哨 with departments that never reported warns and asks for a reason', async ({ page }) => {
  await login(page, 'leader');
  const token = await page.evaluate(() => sessionStorage.getItem('chengyun.token'));
  const post = async (method: string, data: unknown) => {
    const r = await page.request.post(`/api/${method}`, { data, headers: { Authorization: `Bearer ${token}` } });
    expect(r.ok(), `${method}: ${r.status()}`).toBeTruthy();
    return r.json();
  };
  const units = ((await post('meta.bootstrap', {})) as { units: Array<{ id: string; name: string }> }).units;
  const gas = units.find((u) => u.name.includes('燃气'))!;
  const s = (await post('whistle.open', { title: '楼道燃气异味', problem: '3号楼楼道有明显燃气异味，需燃气公司到场排查', place: '经八路32号院3号楼', unitIds: [gas.id], reportBy: Date.now() + 3600_000 })) as { id: string };
  await page.goto(`/#/whistle/${s.id}`);
  await page.getByTestId('close-summary').fill('居民自查关闭阀门，异味消失');
  await expect(page.getByTestId('close-absent')).toContainText(`${gas.name} 尚未报到`);
  await expect(page.getByTestId('close-submit')).toBeDisabled();
  await page.getByTestId('close-reason').fill('燃气公司电话确认无需到场');
  await page.getByTestId('close-submit').click();
  await expect(page.getByTestId('close-submit')).toBeHidden();
});

test('新建工单: the error summary goes once the fields are fixed; a half-typed complaint is kept per user', async ({ page }) => {
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await page.getByTestId('new-description').fill('楼上住户装修每天早上七点开始电钻噪音，影响休息');
  await page.getByTestId('new-address').fill('经八路32号院5号楼');
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill('噪音');
  await page.keyboard.press('Enter');
  // Every red field fixed: no stale 请检查标红的字段 left behind.
  await expect(page.locator('.field.has-error')).toHaveCount(0);
  await expect(page.getByTestId('form-error')).toBeHidden();

  // Leaving and coming back restores what was typed.
  await page.getByTestId('new-description').fill('楼上装修噪音扰民，已持续两周');
  await page.waitForTimeout(500);
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('nav-new').click();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByTestId('new-description')).toHaveValue('楼上装修噪音扰民，已持续两周');
  // Another user on this browser does not get it.
  await logout(page);
  await login(page, 'leader');
  await page.getByTestId('nav-new').click();
  await expect(page.getByTestId('new-description')).toHaveValue('');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await logout(page);
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('draft-discard').click();
  await expect(page.getByTestId('new-description')).toHaveValue('');
});
