// 设置 › 派单目录设置: the leader changes a leaf's default unit, and the new-ticket form of the same
// session suggests the new unit at once (the panel refreshes the session's lookups itself); the
// change is in the audit log; the shared e2e street is put back as it was.
import { test, expect } from './support/test';
import { login } from './support/session';

const LEAF = '路灯不亮';
const WAS = '金水区城市管理局';
const NEW = '郑州市水务局';

test('the leader sets a category’s default unit and the new-ticket form suggests it', async ({ page }) => {
  await login(page, 'leader');
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('settings-catalog');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('本街道自有目录');
  await panel.getByTestId('catalog-filter').fill(LEAF);
  const row = panel.locator('[data-testid^="catalog-row-"]', { hasText: `公共设施/${LEAF}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(WAS);

  // A refused input says why and changes nothing.
  await row.getByRole('button', { name: '编辑' }).click();
  const form = panel.getByTestId('catalog-form');
  await expect(form.getByTestId('catalog-form-path')).toHaveText(`公共设施/${LEAF}`);
  await form.getByTestId('catalog-sup-0').fill('12');
  await form.getByTestId('catalog-sup-1').fill('6');
  await form.getByTestId('catalog-sup-2').fill('24');
  await form.getByTestId('catalog-save').click();
  await expect(form).toContainText('督办阈值须逐级递增');
  for (const i of [0, 1, 2]) await form.getByTestId(`catalog-sup-${i}`).fill('');

  await form.getByTestId('catalog-unit').selectOption({ label: NEW });
  for (const [w, h] of [[1366, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/catalog-settings-${w}.png` });
  }
  await form.getByTestId('catalog-save').click();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText(NEW);
  await expect(row).toContainText('本街道');

  // The same session's new-ticket form: the category's default unit is the new one.
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-description').fill('纬五路口往北一段路灯都不亮，晚上很黑');
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill(LEAF);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`默认处置单位：${NEW}`)).toBeVisible();
  await page.screenshot({ path: 'test-results/catalog-settings-newticket-1920.png' });

  // Audited, with before and after.
  await page.getByTestId('nav-settings').click();
  const audit = page.getByTestId('settings-audit');
  await expect(audit).toBeVisible();
  await expect(audit.locator('tr', { hasText: 'catalog:' }).filter({ hasText: LEAF }).first()).toBeVisible({ timeout: 15_000 });

  // Put the shared street back.
  await panel.getByTestId('catalog-filter').fill(LEAF);
  await row.getByRole('button', { name: '编辑' }).click();
  await form.getByTestId('catalog-unit').selectOption({ label: WAS });
  await form.getByTestId('catalog-save').click();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText(WAS);
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill(LEAF);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`默认处置单位：${WAS}`)).toBeVisible();
});
