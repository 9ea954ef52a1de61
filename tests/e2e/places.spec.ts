// A place from an address in 新建工单: typing part of an address proposes the street's places and
// past addresses with a point; choosing one (mouse or keyboard) fills the address, the point and
// the grid, and the grid is the one at that point.
import { expect, test } from './support/test';
import { apiOf, login, openListRow } from './support/session';

interface Proposal { label: string; kind: string; address: string; lon: number; lat: number; gridId: string | null; gridName: string | null }

test('typing part of an address proposes places; choosing one sets the address, the point and the grid at it', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  await page.getByTestId('nav-new').click();
  const address = page.getByTestId('new-address');
  await address.click();
  await address.pressSequentially('经八路3', { delay: 30 });
  const list = page.getByTestId('new-address-places');
  await expect(list).toBeVisible();
  const options = list.getByRole('option');
  await expect(options.first()).toBeVisible();
  expect(await options.count()).toBeLessThanOrEqual(8);
  await page.screenshot({ path: 'test-results/places/new-ticket-proposals-1366.png' });

  // Keyboard: ↓ moves to the second proposal, Enter takes it.
  const labels = await options.locator('.combo-path').allInnerTexts();
  expect(labels.length).toBeGreaterThan(1);
  await address.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await address.press('Enter');
  await expect(list).toBeHidden();
  const typed = await address.inputValue();
  expect(labels[1]!.startsWith(typed) || labels[1]!.includes(typed)).toBe(true);

  // The point is filled, and the grid shown is the one the node finds at that point.
  const lon = Number(await page.getByTestId('new-lon').inputValue());
  const lat = Number(await page.getByTestId('new-lat').inputValue());
  expect(lon).toBeGreaterThan(113);
  expect(lat).toBeGreaterThan(34);
  const at = await post<{ grid: { id: string; name: string } } | null>('grids.lookup', { lon, lat });
  expect(at).not.toBeNull();
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', at!.grid.id);
  await expect(page.getByTestId('new-grid')).toHaveValue(new RegExp(`^${at!.grid.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

  // Escape closes the list and keeps the text; typing again reopens it.
  await address.fill('');
  await address.pressSequentially('经八路', { delay: 30 });
  await expect(list).toBeVisible();
  await address.press('Escape');
  await expect(list).toBeHidden();
  await expect(address).toHaveValue('经八路');
  await expect(page.getByTestId('new-description')).toBeVisible();
});

test('a proposal chosen with the mouse matches what the node proposes; the list fits at 1920', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await login(page, 'operator');
  const post = await apiOf(page);
  const expected = await post<Proposal[]>('places.suggest', { text: '体育' });
  expect(expected.length).toBeGreaterThan(0);
  await page.getByTestId('nav-new').click();
  const address = page.getByTestId('new-address');
  await address.click();
  await address.pressSequentially('体育', { delay: 30 });
  const options = page.getByTestId('new-address-places').getByRole('option');
  await expect(options).toHaveCount(expected.length);
  await page.screenshot({ path: 'test-results/places/new-ticket-proposals-1920.png' });
  const pick = expected.find((p) => p.gridId);
  if (!pick) throw new Error('the demo street proposes no place with a grid for 体育');
  await options.nth(expected.indexOf(pick)).click();
  await expect(address).toHaveValue(pick.address);
  await expect(page.getByTestId('new-lon')).toHaveValue(pick.lon.toFixed(6));
  await expect(page.getByTestId('new-lat')).toHaveValue(pick.lat.toFixed(6));
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', pick.gridId!);
});

test('设置 › 地名库: a broken table is refused by row and changes nothing; a good one is counted and proposed in 新建工单', async ({ page, consoleErrors }) => {
  // The broken table is refused on purpose (400 from places.import).
  consoleErrors.allow(/status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/api\/places\.import:/);
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'leader');
  const post = await apiOf(page);
  const before = (await post<{ count: number }>('places.count', {})).count;
  await page.getByTestId('nav-settings').click();
  const card = page.getByTestId('settings-places');
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByTestId('places-count')).toContainText(`现有 ${before} 个`);
  const name = `金水河游园${String(Date.now()).slice(-4)}号亭`;
  const table = (rows: string[]) => Buffer.from(['名称,类型,地址,经度,纬度', ...rows].join('\n'));
  await card.getByTestId('places-import').setInputFiles({
    name: '坏地名.csv',
    mimeType: 'text/csv',
    buffer: table([`${name},公园,经八路与金水河交叉口,113.6731,34.7712`, '纬五路口,路口,纬五路1号,34.7712,113.6631']),
  });
  await expect(card.getByTestId('places-import-error')).toContainText('第3行：经纬度不在中国范围内');
  await expect(card.getByTestId('places-import-error')).toContainText('未作任何改动');
  expect((await post<{ count: number }>('places.count', {})).count).toBe(before);
  await card.screenshot({ path: 'test-results/places/settings-places-error.png' });

  // The demo street lies around 113.67E 34.77N; the point is inside it.
  const pt = await post<Array<{ lon: number; lat: number }>>('places.suggest', { text: '经八路' });
  const { lon, lat } = pt[0]!;
  await card.getByTestId('places-import').setInputFiles({ name: '地名.csv', mimeType: 'text/csv', buffer: table([`${name},公园,经八路与金水河交叉口,${lon},${lat}`]) });
  await expect(card.getByTestId('places-count')).toContainText(`现有 ${before + 1} 个`);
  await expect(card.getByTestId('places-import-error')).toBeHidden();

  await page.getByTestId('nav-new').click();
  const address = page.getByTestId('new-address');
  await address.click();
  await address.pressSequentially(name.slice(0, 5), { delay: 30 });
  const option = page.getByTestId('new-address-places').getByRole('option').filter({ hasText: name });
  await expect(option).toContainText('地名');
  await option.click();
  await expect(address).toHaveValue('经八路与金水河交叉口');
  await expect(page.getByTestId('new-lon')).toHaveValue(lon.toFixed(6));
});

test('新建工单\'s grid is a search-as-you-type picker: a few characters of a name or code, ↓ and Enter', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  const grids = (await post<{ grids: Array<{ id: string; code: string; name: string; level: string }> }>('meta.bootstrap', {})).grids;
  const target = grids.find((g) => g.level === '3');
  if (!target) throw new Error('the demo street has no level-3 grid');
  await page.getByTestId('nav-new').click();
  const picker = page.getByTestId('new-grid');
  await expect(picker).toHaveAttribute('data-value', '');
  await picker.click();
  await picker.pressSequentially(target.code, { delay: 10 });
  const list = page.getByTestId('new-grid-list');
  await expect(list.getByRole('option').first()).toContainText(target.name);
  await page.screenshot({ path: 'test-results/places/new-ticket-grid-picker-1366.png' });
  await picker.press('Enter');
  await expect(list).toBeHidden();
  await expect(picker).toHaveAttribute('data-value', target.id);
  await expect(picker).toHaveValue(target.name);
  // A name nobody has: the list says so, Escape keeps the chosen grid.
  await picker.click();
  await picker.pressSequentially('不存在的网格', { delay: 10 });
  await expect(list).toContainText('没有匹配的网格');
  await picker.press('Escape');
  await expect(picker).toHaveAttribute('data-value', target.id);
});

test('修改位置 proposes places too: choosing one fills the point and shows the grid it falls in before saving', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  const expected = await post<Proposal[]>('places.suggest', { text: '经八路3' });
  const first = expected[0];
  if (!first?.gridName) throw new Error('the demo street proposes no place with a grid for 经八路3');
  await page.goto('/#/tickets?view=inProgress');
  await openListRow(page);
  await page.getByTestId('action-relocate').click();
  await expect(page.getByTestId('dialog-relocate')).toBeVisible();
  const address = page.getByTestId('input-address');
  await address.fill('');
  await address.pressSequentially('经八路3', { delay: 30 });
  await expect(page.getByTestId('input-address-places').getByRole('option').first()).toContainText(first.label);
  await page.screenshot({ path: 'test-results/places/relocate-proposals-1366.png' });
  await address.press('Enter');
  await expect(address).toHaveValue(first.address);
  await expect(page.getByTestId('input-lon')).toHaveValue(first.lon.toFixed(6));
  await expect(page.getByTestId('relocate-grid')).toContainText(first.gridName);
  await page.keyboard.press('Escape');
});
