// End to end in Chromium: the map page draws the street's grids and its tickets, a click on a grid
// opens its profile, the level and display switches work, the list's filters carry over, and an
// operator picks a point to file a ticket that lands in the grid the map showed.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** Waits until the map canvas has drawn something other than a blank background. */
async function expectMapDrawn(page: Page) {
  await expect
    .poll(
      async () =>
        page.evaluate(() => {
          const canvases = Array.from(document.querySelectorAll<HTMLCanvasElement>('[data-testid=map] canvas'));
          let colours = 0;
          for (const c of canvases) {
            const ctx = c.getContext('2d');
            if (!ctx || c.width === 0) continue;
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            const seen = new Set<number>();
            for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
            colours = Math.max(colours, seen.size);
          }
          return colours;
        }),
      { timeout: 20_000 },
    )
    .toBeGreaterThan(8);
}

test('the map shows grids and tickets, a grid profile, and shares the list filters', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');

  await page.getByTestId('nav-map').click();
  await expect(page).toHaveURL(/#\/map/);
  await expect(page.getByTestId('map-count')).toContainText(/地图显示 [\d,]+ 件工单/, { timeout: 20_000 });
  await expectMapDrawn(page);
  const shown = Number((await page.getByTestId('map-count').locator('strong').first().textContent())!.replace(/,/g, ''));
  expect(shown).toBeGreaterThan(100);
  await shot(page, 'map-points');

  // Only open tickets: fewer points, the same selection as the list's status filter.
  await page.getByTestId('map-open-only').click();
  await expect(page).toHaveURL(/status=/);
  await expect
    .poll(async () => Number((await page.getByTestId('map-count').locator('strong').first().textContent())!.replace(/,/g, '')), { timeout: 15_000 })
    .toBeLessThan(shown);
  // The list keeps the filter when reached from the map.
  const listHref = await page.getByTestId('map-to-list').getAttribute('href');
  expect(listHref).toMatch(/status=/);

  // Heat map, then back to points; community level.
  await page.getByTestId('map-show-heat').click();
  await expect(page).toHaveURL(/show=heat/);
  await expect(page.getByTestId('map-legend')).toContainText('工单密度');
  await expectMapDrawn(page);
  await shot(page, 'map-heat');
  await page.getByTestId('map-show-none').click();
  await page.getByTestId('map-level-2').click();
  await expect(page).toHaveURL(/level=2/);

  // Clicking in the middle of the street opens the profile of the community there.
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const profile = page.getByTestId('grid-profile');
  await expect(profile).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('grid-profile-name')).toContainText('社区');
  await expect(page.getByTestId('grid-profile-open')).toHaveText(/\d+/);
  await shot(page, 'map-grid-profile');
  await page.keyboard.press('Escape');
  await expect(profile).toBeHidden();
  expect(problems).toEqual([]);
});

test('an operator picks a point on the map and files a ticket in that grid', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');
  await page.goto('/#/map?show=none');
  await expectMapDrawn(page);

  await page.getByTestId('map-pick').click();
  await expect(page.getByTestId('pick-banner')).toBeVisible();
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2 + 12, box.y + box.height / 2 - 8);
  await expect(page.getByTestId('pick-grid-name')).toBeVisible({ timeout: 10_000 });
  const gridId = await page.getByTestId('pick-grid-name').getAttribute('data-grid-id');
  const gridName = (await page.getByTestId('pick-grid-name').textContent())!.trim();
  expect(gridId).toBeTruthy();
  await shot(page, 'map-pick');

  await page.getByTestId('pick-create').click();
  await expect(page).toHaveURL(/#\/new\?lon=/);
  await expect(page.getByTestId('new-from-map')).toBeVisible();
  await expect(page.getByTestId('new-grid')).toHaveAttribute('data-value', gridId!);
  await page.getByTestId('new-description').fill('地图选点：路边绿化带内有大量建筑垃圾，影响市容');
  if (!(await page.getByTestId('new-address').inputValue())) await page.getByTestId('new-address').fill('地图选点位置');
  await shot(page, 'map-new-ticket');
  await page.getByTestId('form-submit').click();
  await expect(page).toHaveURL(/#\/tickets\/[^/?]+$/, { timeout: 15_000 });
  await expect(page.getByTestId('detail-grid')).toContainText(gridName.split(' ').pop()!);

  // The place was wrong: relocating shows where the new point falls before saving, and the grid follows.
  await page.getByTestId('action-relocate').click();
  await expect(page.getByTestId('dialog-relocate')).toBeVisible();
  await expect(page.getByTestId('relocate-grid')).toContainText(gridName.split(' ').pop()!);
  await page.getByTestId('input-lon').fill('113.9');
  await expect(page.getByTestId('relocate-grid')).toContainText('不在本街道范围内');
  await page.getByTestId('input-reason').fill('坐标登记错误，实际在街道外');
  await shot(page, 'map-relocate');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('dialog-relocate')).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('detail-grid')).toHaveText('—');
  await expect(page.locator('.timeline')).toContainText('修改位置');
  expect(problems).toEqual([]);
});

test('a point outside the street is refused with a clear message', async ({ page }) => {
  await login(page, 'operator');
  // Far outside the street (still in China, so the coordinates themselves are valid).
  await page.goto('/#/new?lon=116.3975&lat=39.9087');
  await expect(page.getByTestId('new-from-map')).toContainText('不在本街道范围内');
});

test('a leader switches the map to 天地图 with a key and back to the offline basemap', async ({ page, consoleErrors }) => {
  // A bad key is refused by the node (400), and this machine has no network for 天地图's tiles.
  consoleErrors.allow(/status of 400 .*\/api\/map\.setTileService/);
  consoleErrors.allow(/Failed to load resource: net::ERR_[A-Z_]+ \(https:\/\/t[0-7]\.tianditu\.gov\.cn\//);
  await login(page, 'leader');
  await page.goto('/#/settings');
  const card = page.getByTestId('settings-map');
  await expect(page.getByTestId('settings-map-current')).toContainText('离线底图');
  await page.getByTestId('settings-map-key').fill('bad key!');
  await page.getByTestId('settings-map-save').click();
  await expect(page.getByTestId('settings-map-error')).toContainText('天地图密钥');
  await expect(page.getByTestId('settings-map-current')).toContainText('离线底图');
  await page.getByTestId('settings-map-key').fill('0123456789abcdef0123456789abcdef');
  await page.getByTestId('settings-map-layer').selectOption('img');
  // The page reloads to take the new Content-Security-Policy (the allowed tile hosts).
  const reloaded = page.waitForEvent('load');
  await page.getByTestId('settings-map-save').click();
  await reloaded;
  await expect(page.getByTestId('settings-map-current')).toContainText('天地图在线底图（影像）');
  await expect(page.getByTestId('settings-map-url')).toHaveValue(/img_w/);
  await card.screenshot({ path: path.join(SHOTS, 'map-settings-tianditu.png') });
  // The map asks 天地图 for tiles with the key, and the page's policy lets it (no "violates the
  // Content Security Policy" on the console); they fail here (no network) and the grids still draw.
  const tileRequest = page.waitForRequest((r) => r.url().includes('tianditu.gov.cn') && r.url().includes('tk=0123456789abcdef'), { timeout: 15_000 });
  await page.goto('/#/map?show=none');
  await tileRequest;
  await expectMapDrawn(page);
  await page.goto('/#/settings');
  const reloadedBack = page.waitForEvent('load');
  await page.getByTestId('settings-map-offline').click();
  await reloadedBack;
  await expect(page.getByTestId('settings-map-current')).toContainText('离线底图');
});

test('the map says how many matching tickets it cannot draw (no coordinates) and lists them', async ({ page }) => {
  await login(page, 'operator');
  const token = await page.evaluate(() => sessionStorage.getItem('chengyun.token'));
  const r = await page.request.post('/api/tickets.create', {
    data: { channel: 'hotline12345', type: 'complaint', description: '电话反映小区里有人私搭乱建，没有说具体位置', address: '经八路街道（位置不详）' },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(r.ok()).toBeTruthy();
  const code = ((await r.json()) as { ticket: { code: string } }).ticket.code;
  await page.goto('/#/map?view=newToday');
  await expect(page.getByTestId('map-no-point')).toContainText(/另有 \d+ 件无坐标/);
  await page.getByTestId('map-no-point').click();
  await expect(page.getByTestId('map-no-point-list')).toContainText(code);
});
