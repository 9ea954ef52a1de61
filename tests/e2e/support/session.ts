// Shared steps of the end-to-end specs.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Logs in through the login screen's demo-account button and waits for the workspace. */
export async function login(page: Page, username: string) {
  await page.goto('/#/dashboard');
  await page.getByTestId('login-username').waitFor();
  await page.getByTestId(`demo-${username}`).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/**
 * As the street leader (logged in): 设置 → 同步设置 with the city's URL and this street's files; waits
 * until the street is online with that city (the indicator names it: a stale 在线 from an earlier
 * city does not count).
 */
export async function connectToCity(page: Page, url: string, files: { caFile: string; certFile: string; keyFile: string }) {
  await page.getByTestId('nav-settings').click();
  // The form is read-only until the stored settings have loaded (fill waits for it).
  await page.getByTestId('sync-url').fill(url);
  await page.getByTestId('sync-ca').fill(files.caFile);
  await page.getByTestId('sync-cert').fill(files.certFile);
  await page.getByTestId('sync-key').fill(files.keyFile);
  await page.getByTestId('sync-save').click();
  const indicator = page.getByTestId('sync-indicator');
  await expect(indicator).toHaveAttribute('title', new RegExp(`^市级平台 ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}（`), { timeout: 30_000 });
  await expect(page.getByTestId('sync-online')).toHaveText('在线', { timeout: 30_000 });
}

/** As the street leader: disconnects from the city (the e2e street is shared by the specs). */
export async function disconnectFromCity(page: Page) {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-disable').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('未接入市级');
}

export async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
}

/**
 * Opens the list's row `index` (a click on its 编号). Waits for the row's data first: a row the
 * grid is still loading is a placeholder that a click does not open.
 */
export async function openListRow(page: Page, index = 0) {
  const code = page.locator(`.ag-center-cols-container .ag-row[row-index="${index}"] [col-id="code"]`);
  await expect(code).toHaveText(/\S/, { timeout: 20_000 });
  await code.click();
  await expect(page).toHaveURL(/#\/tickets\/[^/?]+/);
}

/** POSTs to the node's API (`/api/<method>`), as the bearer `token` when given; a refusal fails with its status and body. */
export async function postApi<T>(request: APIRequestContext, method: string, data: unknown, token?: string | null): Promise<T> {
  const r = await request.post(`/api/${method}`, { data, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  expect(r.ok(), `${method}: ${r.status()} ${r.ok() ? '' : await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}

/** The node's API as the user signed in on `page` (the token it holds now). */
export async function apiOf(page: Page) {
  const token = await page.evaluate(() => sessionStorage.getItem('chengyun.token'));
  return <T = any>(method: string, data: unknown): Promise<T> => postApi<T>(page.request, method, data, token);
}

/** One API call as the user signed in on `page`. */
export async function api<T = any>(page: Page, method: string, data: unknown): Promise<T> {
  return (await apiOf(page))<T>(method, data);
}
