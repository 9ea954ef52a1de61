// The operator's location tools in Chromium: a small map to click in 新建工单 and 修改位置 (the
// point, a marker, and the grid the node finds there; clicking again or dragging the marker moves
// it), the list filter's grid as a search-as-you-type picker (the count is the grid's count, the URL
// keeps it), and the 待签收 banner above a full-height page (the page shrinks, nothing scrolls).
// Screenshots at 1366, 1600 and 1920 wide: test-results/location-tools/*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from './support/test';
import { apiOf, login, logout, openListRow } from './support/session';

const SHOTS = path.resolve('test-results/location-tools');
fs.mkdirSync(SHOTS, { recursive: true });
const WIDTHS = [1366, 1600, 1920] as const;
const HEIGHT: Record<number, number> = { 1366: 768, 1600: 900, 1920: 1080 };

type Lookup = { grid: { id: string; name: string } } | null;

/** The WGS-84 point under a pixel of a map host, from the view it reports (EPSG:3857 extent, size). */
async function pointAt(map: Locator, px: number, py: number): Promise<[number, number]> {
  const extent = (await map.getAttribute('data-extent'))!.split(',').map(Number);
  const size = (await map.getAttribute('data-size'))!.split(',').map(Number);
  const [x0, y0, x1, y1] = extent as [number, number, number, number];
  const [w, h] = size as [number, number];
  const x = x0 + (px / w) * (x1 - x0);
  const y = y1 - (py / h) * (y1 - y0);
  const R = 6378137;
  return [(x / R) * (180 / Math.PI), (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI)];
}

/** The pixel (relative to the map host) of a WGS-84 point. */
async function pixelOf(map: Locator, lon: number, lat: number): Promise<[number, number]> {
  const [x0, y0, x1, y1] = (await map.getAttribute('data-extent'))!.split(',').map(Number) as [number, number, number, number];
  const [w, h] = (await map.getAttribute('data-size'))!.split(',').map(Number) as [number, number];
  const R = 6378137;
  const x = (lon * Math.PI * R) / 180;
  const y = R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [((x - x0) / (x1 - x0)) * w, ((y1 - y) / (y1 - y0)) * h];
}

async function mapReady(map: Locator) {
  await map.scrollIntoViewIfNeeded();
  await expect(map).toHaveAttribute('data-ready', '1', { timeout: 20_000 });
  await expect(map).toHaveAttribute('data-extent', /\d/);
}

async function shots(page: Page, name: string, target?: Locator) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT[width]! });
    await page.waitForTimeout(400);
    if (target) await target.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

test('新建工单: a click on the small map sets the point and the grid there; clicking again and dragging the marker move it', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  await page.getByTestId('nav-new').click();
  const map = page.getByTestId('new-map');
  await mapReady(map);
  await expect(page.getByTestId('new-lon')).toHaveValue('');
  await expect(map).toHaveAttribute('data-marker', '');

  // A pixel right of the centre (the street fills the view): the fields hold the point under it.
  const box = (await map.boundingBox())!;
  const [px, py] = [Math.round(box.width / 2) + 17, Math.round(box.height / 2) - 11];
  const expected = await pointAt(map, px, py);
  await page.mouse.click(box.x + px, box.y + py);
  await expect(page.getByTestId('new-lon')).not.toHaveValue('');
  const lon = Number(await page.getByTestId('new-lon').inputValue());
  const lat = Number(await page.getByTestId('new-lat').inputValue());
  expect(Math.abs(lon - expected[0])).toBeLessThan(5e-5);
  expect(Math.abs(lat - expected[1])).toBeLessThan(5e-5);
  await expect(map).toHaveAttribute('data-marker', `${lon.toFixed(6)},${lat.toFixed(6)}`);
  // The grid is the one the node finds at that point.
  const at = await post<Lookup>('grids.lookup', { lon, lat });
  expect(at, 'the centre of the map is inside the street').not.toBeNull();
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', at!.grid.id);
  await expect(page.getByTestId('new-grid')).toHaveValue(new RegExp(`^${at!.grid.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await shots(page, 'new-ticket-map', map);

  // Clicking elsewhere moves the point, and the grid follows.
  const box2 = (await map.boundingBox())!;
  const [qx, qy] = [Math.round(box2.width * 0.3), Math.round(box2.height * 0.7)];
  const expected2 = await pointAt(map, qx, qy);
  await page.mouse.click(box2.x + qx, box2.y + qy);
  await expect(page.getByTestId('new-lon')).not.toHaveValue(lon.toFixed(6));
  const lon2 = Number(await page.getByTestId('new-lon').inputValue());
  const lat2 = Number(await page.getByTestId('new-lat').inputValue());
  expect(Math.abs(lon2 - expected2[0])).toBeLessThan(5e-5);
  expect(Math.abs(lat2 - expected2[1])).toBeLessThan(5e-5);
  const at2 = await post<Lookup>('grids.lookup', { lon: lon2, lat: lat2 });
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', at2?.grid.id ?? '');

  // Dragging the marker drops the point where it is let go.
  const [mx, my] = await pixelOf(map, lon2, lat2);
  const [dx, dy] = [mx + 70, my - 45];
  const expected3 = await pointAt(map, dx, dy);
  await page.mouse.move(box2.x + mx, box2.y + my - 4);
  await page.mouse.down();
  await page.mouse.move(box2.x + dx, box2.y + dy - 4, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('new-lon')).not.toHaveValue(lon2.toFixed(6));
  const lon3 = Number(await page.getByTestId('new-lon').inputValue());
  const lat3 = Number(await page.getByTestId('new-lat').inputValue());
  expect(Math.abs(lon3 - expected3[0])).toBeLessThan(8e-5);
  expect(Math.abs(lat3 - expected3[1])).toBeLessThan(8e-5);
  const at3 = await post<Lookup>('grids.lookup', { lon: lon3, lat: lat3 });
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', at3?.grid.id ?? '');
  // The view did not pan while dragging the marker (the drag moved the marker, not the map).
  const [cx, cy] = await pixelOf(map, lon3, lat3);
  expect(Math.abs(cx - dx)).toBeLessThan(3);
  expect(Math.abs(cy - dy)).toBeLessThan(3);

  // A place chosen from the address proposals shows on the map too.
  const address = page.getByTestId('new-address');
  await address.click();
  await address.pressSequentially('经八路3', { delay: 30 });
  await address.press('Enter');
  const plon = await page.getByTestId('new-lon').inputValue();
  const plat = await page.getByTestId('new-lat').inputValue();
  await expect(map).toHaveAttribute('data-marker', `${plon},${plat}`);
  // Leave no draft behind for the other specs.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chengyun.draft.')).forEach((k) => localStorage.removeItem(k)));
});

test('修改位置: a click on the small map fills the point and shows the grid it falls in before saving', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  await page.goto('/#/tickets?view=inProgress');
  await openListRow(page);
  await page.getByTestId('action-relocate').click();
  await expect(page.getByTestId('dialog-relocate')).toBeVisible();
  const map = page.getByTestId('relocate-map');
  await mapReady(map);
  const box = (await map.boundingBox())!;
  const [px, py] = [Math.round(box.width / 2) - 23, Math.round(box.height / 2) + 9];
  const expected = await pointAt(map, px, py);
  await page.mouse.click(box.x + px, box.y + py);
  await expect.poll(async () => Math.abs(Number(await page.getByTestId('input-lon').inputValue()) - expected[0])).toBeLessThan(5e-5);
  const lon = Number(await page.getByTestId('input-lon').inputValue());
  const lat = Number(await page.getByTestId('input-lat').inputValue());
  expect(Math.abs(lat - expected[1])).toBeLessThan(5e-5);
  const at = await post<Lookup>('grids.lookup', { lon, lat });
  expect(at).not.toBeNull();
  await expect(page.getByTestId('relocate-grid')).toContainText(at!.grid.name);
  await expect(map).toHaveAttribute('data-marker', `${lon.toFixed(6)},${lat.toFixed(6)}`);
  await shots(page, 'relocate-map', map);
  await page.keyboard.press('Escape'); // nothing saved
  await expect(page.getByTestId('dialog-relocate')).toBeHidden();
});

test('the list filter\'s grid: type part of a name, choose it, the count is that grid\'s; the URL and a saved view keep it; × clears it', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'operator');
  const post = await apiOf(page);
  const grids = (await post<{ grids: Array<{ id: string; code: string; name: string; level: string }> }>('meta.bootstrap', {})).grids;
  // A level-3 grid with tickets, found by a part from the middle of its name.
  let target: { id: string; name: string } | undefined;
  let expected = 0;
  for (const g of grids.filter((x) => x.level === '3' && Array.from(x.name).length >= 5)) {
    expected = (await post<{ count: number }>('tickets.count', { filter: { gridId: g.id } })).count;
    if (expected > 0) {
      target = g;
      break;
    }
  }
  if (!target) throw new Error('the demo street has no level-3 grid with tickets');
  const all = (await post<{ count: number }>('tickets.count', { filter: {} })).count;
  expect(expected).toBeLessThan(all);
  const part = Array.from(target.name).slice(2, 6).join('');

  await page.getByTestId('nav-tickets').click();
  await expect(page.getByTestId('list-total')).toHaveText(all.toLocaleString('zh-CN'));
  const picker = page.getByTestId('filter-grid');
  await expect(picker).toHaveAttribute('role', 'combobox');
  await picker.click();
  await picker.pressSequentially(part, { delay: 20 });
  const option = page.getByTestId('filter-grid-list').getByRole('option').filter({ hasText: target.name }).first();
  await expect(option).toBeVisible();
  await shots(page, 'list-grid-filter');
  await option.click();
  await expect(page).toHaveURL(new RegExp(`[?&]grid=${target.id}(&|$)`));
  await expect(picker).toHaveAttribute('data-value', target.id);
  await expect(page.getByTestId('list-total')).toHaveText(expected.toLocaleString('zh-CN'));

  // The URL holds the filter: a reload shows the same grid and count.
  await page.reload();
  await expect(page.getByTestId('filter-grid')).toHaveValue(new RegExp(`^${target.name}`));
  await expect(page.getByTestId('list-total')).toHaveText(expected.toLocaleString('zh-CN'));
  await shots(page, 'list-grid-chosen');

  // Saved as a view (not pinned: the shared street's dashboard stays as it was).
  const viewName = `网格视图${Date.now() % 100_000}`;
  await page.getByTestId('view-save').click();
  await page.getByTestId('view-name').fill(viewName);
  await page.getByTestId('view-pinned').uncheck();
  await page.getByTestId('view-save-submit').click();
  await expect(page.getByTestId('view-save-dialog')).toBeHidden();

  // × clears it.
  await page.getByRole('button', { name: '清除网格' }).click();
  await expect(page).not.toHaveURL(/[?&]grid=/);
  await expect(page.getByTestId('filter-grid')).toHaveAttribute('data-value', '');
  await expect(page.getByTestId('list-total')).toHaveText(all.toLocaleString('zh-CN'));

  // The saved view brings the grid back, then goes (the street is shared by the specs).
  await page.getByTestId('views-open').click();
  const view = page.getByTestId('view-item').filter({ hasText: viewName });
  await view.getByRole('menuitem').click();
  await expect(page.getByTestId('filter-grid')).toHaveAttribute('data-value', target.id);
  await expect(page.getByTestId('list-total')).toHaveText(expected.toLocaleString('zh-CN'));
  await page.getByTestId('views-open').click();
  page.once('dialog', (d) => void d.accept());
  await view.getByRole('button', { name: `删除视图${viewName}` }).click();
  await expect(view).toHaveCount(0);
});

test('a unit user\'s 待签收 banner shrinks the map page instead of pushing it below the window', async ({ page }) => {
  await login(page, 'operator');
  const post = await apiOf(page);
  const boot = await post<{ units: Array<{ id: string; code: string }>; catalog: Array<{ id: string; isLeaf: boolean }> }>('meta.bootstrap', {});
  const units = boot.units;
  const leaf = boot.catalog.find((c) => c.isLeaf)!;
  const unit = units.find((u) => u.code === 'JBJD-CGK')!; // 马超 (zhifa)
  // Ten waiting tickets, whatever earlier specs left: the banner at its tallest once expanded.
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const t = await post<{ ticket: { id: string } }>('tickets.create', {
      channel: 'hotline12345',
      type: 'complaint',
      description: `经八路人行道护栏倒伏，行人通行不便，第${i + 1}处（E2E-B${Date.now() % 1_000_000}）`,
      address: '经八路与纬五路交叉口',
      reporterPhone: '13700003333',
      urgency: 'normal',
      isMicro: false,
      isCrossBoundary: false,
      photos: [],
      categoryId: leaf.id,
    });
    await post('tickets.act', { action: 'dispatch', id: t.ticket.id, mode: 'designated', unitId: unit.id });
    ids.push(t.ticket.id);
  }
  await logout(page);

  await login(page, 'zhifa');
  const asUnit = await apiOf(page);
  expect((await asUnit<unknown[]>('tickets.awaitingSignIn', {})).length).toBeGreaterThan(0);
  await page.goto('/#/map');
  await expect(page.getByTestId('signin-watch')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('signin-watch-more').click();
  await expect(page.getByTestId('signin-watch-item')).toHaveCount(await asUnit<unknown[]>('tickets.awaitingSignIn', {}).then((r) => r.length));
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT[width]! });
    await page.waitForTimeout(400);
    const fit = await page.evaluate(() => {
      const map = document.querySelector('[data-testid=map]')!.getBoundingClientRect();
      const content = document.querySelector('.content')!;
      return {
        scroll: document.scrollingElement!.scrollHeight,
        inner: window.innerHeight,
        contentOverflow: content.scrollHeight - content.clientHeight,
        banners: document.querySelector('[data-testid=content-banners]')!.getBoundingClientRect().height,
        mapBottom: map.bottom,
        mapHeight: map.height,
      };
    });
    expect(fit.scroll, `${width}: the document does not scroll`).toBeLessThanOrEqual(fit.inner);
    expect(fit.contentOverflow, `${width}: the content area does not scroll`).toBeLessThanOrEqual(0);
    expect(fit.mapBottom, `${width}: the map ends inside the window`).toBeLessThanOrEqual(fit.inner);
    expect(fit.mapHeight).toBeGreaterThan(250);
    // Expanded, ten lines and more: the banner area stops at a quarter of the window and scrolls inside.
    expect(fit.banners).toBeLessThanOrEqual(fit.inner / 4 + 1);
    await page.screenshot({ path: path.join(SHOTS, `map-signin-banner-${width}.png`) });
  }
  // The list too.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('nav-tickets').click();
  await expect(page.getByTestId('ticket-grid')).toBeVisible();
  const list = await page.evaluate(() => {
    const content = document.querySelector('.content')!;
    return { overflow: content.scrollHeight - content.clientHeight, bottom: document.querySelector('[data-testid=ticket-grid]')!.getBoundingClientRect().bottom };
  });
  expect(list.overflow).toBeLessThanOrEqual(0);
  expect(list.bottom).toBeLessThanOrEqual(768);
  await page.screenshot({ path: path.join(SHOTS, 'list-signin-banner-1366.png') });

  // Signed, so the shared street has no extra ticket waiting.
  for (const id of ids) await asUnit('tickets.act', { action: 'accept', id });
});
