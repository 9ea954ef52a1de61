// Defect 16 (issue 14): an online basemap is actually drawn. A local WMTS stand-in — HTTPS with a
// certificate from a throwaway CA, like a deployment's tile server — serves real PNG tiles in a
// colour nothing else on the map uses. A leader configures it in 设置 › 地图; the page's
// Content-Security-Policy must let exactly that host through, and the map page must draw the
// tiles: pixels of the tile colour in a screenshot of the map, which the offline basemap never
// has. The map goes back to the offline basemap at the end (the e2e street is shared).
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { createCa, issueServerCert } from '../../src/city/pki';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });

const TILE = { r: 201, g: 17, b: 201 };
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

test.use({ ignoreHTTPSErrors: true });

let server: https.Server;
let origin = '';
const requests: string[] = [];

test.beforeAll(async () => {
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: TILE } }).png().toBuffer();
  const clear = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const cred = issueServerCert(createCa(), ['127.0.0.1']);
  server = https.createServer({ cert: cred.cert, key: cred.key }, (req, res) => {
    const u = new URL(req.url ?? '/', 'https://stand-in');
    requests.push(u.pathname + u.search);
    const getTile = (u.searchParams.get('Request') ?? u.searchParams.get('REQUEST')) === 'GetTile';
    const body = !getTile || u.searchParams.get('tk') !== KEY ? null : u.pathname === '/vec_w/wmts' ? tile : u.pathname === '/cva_w/wmts' ? clear : null;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

/** Share of the map's pixels in the tile colour (a screenshot: what the operator sees). */
async function tileShare(page: Page, name: string): Promise<number> {
  const png = await page.getByTestId('map').screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let hits = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    // Strong magenta: the tile colour as drawn (the grid fills and the layer's own opacity shift it a
    // little); the offline basemap's pale colours are nowhere near.
    if (data[i]! > 140 && data[i + 2]! > 140 && data[i + 1]! < 60) hits++;
  }
  return hits / (info.width * info.height);
}

test('a configured WMTS basemap is drawn on the map, and the offline one comes back', async ({ page }) => {
  await login(page, 'leader');
  await page.goto('/#/map?show=none');
  await expect(page.getByTestId('map-count')).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(1500);
  // The offline basemap has no pixel of the tile colour: the check below can fail.
  expect(await tileShare(page, 'map-tiles-offline')).toBeLessThan(0.005);

  await page.goto('/#/settings');
  await page.getByTestId('settings-map-url').fill(`${origin}/vec_w/wmts`);
  await page.getByTestId('settings-map-key').fill(KEY);
  await page.getByTestId('settings-map-layer').selectOption('vec');
  const reloaded = page.waitForEvent('load');
  await page.getByTestId('settings-map-save').click();
  await reloaded;
  await expect(page.getByTestId('settings-map-current')).toContainText('天地图在线底图');

  await page.goto('/#/map?show=none');
  await expect(page.getByTestId('map-count')).toBeVisible({ timeout: 20_000 });
  // Drawn, not only requested: most of the map is tile-coloured once the tiles are in.
  await expect.poll(() => tileShare(page, 'map-tiles-online'), { timeout: 20_000 }).toBeGreaterThan(0.3);
  expect(requests.some((r) => r.startsWith('/vec_w/wmts') && r.includes(`tk=${KEY}`))).toBe(true);
  expect(requests.some((r) => r.startsWith('/cva_w/wmts'))).toBe(true);

  await page.goto('/#/settings');
  const back = page.waitForEvent('load');
  await page.getByTestId('settings-map-offline').click();
  await back;
  await expect(page.getByTestId('settings-map-current')).toContainText('离线底图');
  await page.goto('/#/map?show=none');
  await expect(page.getByTestId('map-count')).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(1500);
  expect(await tileShare(page, 'map-tiles-offline-again')).toBeLessThan(0.005);
});
