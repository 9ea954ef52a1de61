// End to end in Chromium against the real street node (seeded demo street, real ONNX worker):
// typing a complaint in the new-ticket form shows category suggestions within a second; accepting
// one files the ticket with it; a likely duplicate (same caller, same place, similar text) is
// offered for merging with its reasons, and merging files the report into the earlier ticket; the
// dispatch form suggests the unit that finishes such tickets here;
// 设置 shows the acceptance rates and the model versions. Screenshots in test-results/e2e-shots/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { api, login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** The street's first model is trained from its history when the node starts: wait for it. */
async function waitForAssistant(page: Page) {
  await expect
    .poll(async () => (await api(page, 'ai.status', {})).state, { timeout: 180_000, intervals: [1000] })
    .toBe('ready');
}

const COMPLAINT = '小区东门口垃圾桶满了好几天没人清运，垃圾堆在地上臭气熏天，请尽快处理';
const AGAIN = '东门口的垃圾还是没人清运，垃圾堆在地上越来越多，臭味很大';
const PHONE = '13812345678';
const LON = '113.6700';
const LAT = '34.7750';

async function fillRest(page: Page) {
  await page.getByTestId('new-address').fill('经八路12号院东门');
  await page.getByTestId('new-lon').fill(LON);
  await page.getByTestId('new-lat').fill(LAT);
  await page.getByTestId('new-reporterPhone').fill(PHONE);
}

test('suggestions while typing, accepting one, and a duplicate offered for merging', async ({ page }) => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');
  await waitForAssistant(page);

  // 1. Typing shows suggestions within a second of the last keystroke, without blocking typing.
  await page.goto('/#/new');
  const desc = page.getByTestId('new-description');
  await desc.pressSequentially(COMPLAINT, { delay: 15 });
  const typedAt = Date.now();
  await expect(desc).toHaveValue(COMPLAINT);
  const first = page.getByTestId('ai-suggestion-0');
  await expect(first).toBeVisible({ timeout: 1000 });
  const shownMs = Date.now() - typedAt;
  expect(shownMs).toBeLessThan(1000);
  const suggested = (await first.textContent())!.replace(/\d+%$/, '');
  expect(suggested).toMatch(/垃圾|环境卫生|清运/);
  await shot(page, 'ai-suggestions');

  // 2. Accepting a suggestion sets the category; the ticket is filed with it.
  const suggestedId = await first.getAttribute('data-category');
  await first.click();
  await expect(first).toHaveClass(/ai-chip-on/);
  await fillRest(page);
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('ticket-detail')).toContainText(suggested);
  const firstCode = (await page.getByTestId('ticket-code').textContent())!.trim();
  const firstId = page.url().split('/').pop()!;
  const filed = await api(page, 'tickets.get', { id: firstId });
  expect(filed.ticket.categoryId).toBe(suggestedId);
  await shot(page, 'ai-filed');

  // 3. The same caller at the same place again: the first ticket is offered, with reasons.
  await page.goto('/#/new');
  await page.getByTestId('new-description').pressSequentially(AGAIN, { delay: 5 });
  await fillRest(page);
  const dup = page.getByTestId('ai-duplicates');
  await expect(dup).toBeVisible({ timeout: 10_000 });
  await expect(dup).toContainText(firstCode);
  await expect(dup).toContainText('同一来电号码再次反映');
  await expect(dup).toContainText(/相距 \d+ 米/);
  await page.getByTestId(`ai-merge-${firstCode}`).click();
  await page.getByTestId('ai-suggestion-0').click();
  await shot(page, 'ai-duplicate');
  await page.getByTestId('form-submit').click();
  // Merged: the operator lands on the earlier ticket; the new one is cancelled into it.
  await expect(page).toHaveURL(new RegExp(`${firstId}$`), { timeout: 15_000 });
  await expect(page.getByTestId('ticket-code')).toHaveText(firstCode);

  // 4. Dispatch: the unit that actually finishes such tickets here is suggested with the reason;
  //    taking it dispatches by designation to that unit.
  await page.getByTestId('action-dispatch').click();
  await expect(page.getByTestId('dialog-dispatch')).toBeVisible();
  const unit = page.getByTestId('ai-unit-0');
  await expect(unit).toBeVisible({ timeout: 10_000 });
  await expect(unit).toContainText(/同类工单 \d+ 件中 \d+ 件由其办结/);
  const unitName = (await unit.locator('button').textContent())!.replace(/\d+%$/, '');
  await unit.locator('button').click();
  await shot(page, 'ai-dispatch');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('dialog-dispatch')).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('ticket-detail')).toContainText(unitName);

  // 5. 设置 shows acceptance rates and the model versions.
  await page.goto('/#/settings');
  const panel = page.getByTestId('settings-ai');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('ai-rate-category')).toContainText('100.0%');
  await expect(page.getByTestId('ai-rate-unit')).toContainText('100.0%');
  await expect(page.getByTestId('ai-models')).toContainText('在用');
  // The text method's figures on real complaints: the choosing CV apart from the held-out figure, dated, with the source.
  const textEval = page.getByTestId('ai-text-eval');
  await expect(page.getByTestId('ai-text-eval-choosing')).toContainText('用于选定设置');
  await expect(page.getByTestId('ai-text-eval-heldout')).toContainText('只测一次');
  await expect(page.getByTestId('ai-text-eval-heldout-accuracy')).toHaveText(/^\d+\.\d%$/);
  await expect(page.getByTestId('ai-text-eval-note')).toContainText(/\d{4}-\d{2}-\d{2} 测得/);
  await expect(page.getByTestId('ai-text-eval-note')).toContainText('TipDM');
  await expect(page.getByTestId('ai-generated-note')).toContainText('生成');
  for (const width of [1366, 1920]) {
    await page.setViewportSize({ width, height: 1000 });
    await textEval.scrollIntoViewIfNeeded();
    await shot(page, `ai-settings-${width}`);
  }
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'ai-settings');
  expect(problems).toEqual([]);
});
