// Photo AI end to end in Chromium against the real street node (real model in its worker thread):
// attaching a garbage photo to a new ticket shows 垃圾 category suggestions and a draft description;
// accepting them files the ticket with that category and text; the unit resolves with the same photo
// again, the verifier sees the failed before/after check side by side and must give a reason to pass.
// An unrelated photo (a cat) says 未识别出街面问题 and offers nothing; 设置 › 智能助手 shows the photo
// model's dated held-out figures.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const files = path.resolve('test-results/e2e-files');
fs.mkdirSync(files, { recursive: true });
// A real street-garbage photo (development set, MIT licence; test split, not in the shipped head).
const GARBAGE = path.join(files, 'garbage.jpg');
fs.copyFileSync(path.resolve('tests/fixtures/ai/photos-dev/mdc_photo_mdc_8c8a60_cdv_photo_005_1469732792660.jpg'), GARBAGE);
// A photo of a cat (scikit-image sample data, CC0; negatives' test split): no street problem.
const CAT = path.join(files, 'cat.jpg');
fs.copyFileSync(path.resolve('tests/fixtures/ai/photos-negative/animal-skimage-chelsea.jpg'), CAT);

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(SHOTS, `aiPhoto-${name}.png`), fullPage });

async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-username')).toBeVisible();
}

test('photo suggestions at intake; a reused after-photo is flagged to the verifier', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-address').fill('经八路体育场路12号院北门');
  await page.getByTestId('new-photos-input').setInputFiles(GARBAGE);

  // Suggestions appear under the uploader: a 垃圾 category and a draft description.
  const card = page.getByTestId('photo-suggestion');
  await expect(card.getByTestId('photo-suggestion-category').first()).toBeVisible({ timeout: 30_000 });
  const garbage = card.getByTestId('photo-suggestion-category').filter({ hasText: '垃圾' }).first();
  await expect(garbage).toBeVisible();
  const draft = (await card.getByTestId('photo-suggestion-description').textContent())!.trim();
  expect(draft).toMatch(/^照片.*垃圾/);
  await card.scrollIntoViewIfNeeded();
  await shot(page, '01-suggestions');

  // Accept the category and the description; the form is filled with them.
  const chosenPath = (await garbage.locator('span').first().textContent())!.trim();
  await garbage.click();
  await expect(garbage).toHaveClass(/chosen/);
  // What the operator typed stays: the draft goes below it, once.
  const typed = '东门外垃圾桶旁边堆了很多装修垃圾';
  await page.getByTestId('new-description').fill(typed);
  await expect(card.getByTestId('photo-suggestion-use-description')).toHaveText('追加到描述');
  await card.getByTestId('photo-suggestion-use-description').click();
  await expect(page.getByTestId('new-description')).toHaveValue(`${typed}\n${draft}`);
  await expect(card.getByTestId('photo-suggestion-use-description')).toBeDisabled();
  await page.getByTestId('new-description').scrollIntoViewIfNeeded();
  await shot(page, '02-accepted');
  await page.getByTestId('form-submit').click();
  const detail = page.getByTestId('ticket-detail');
  await expect(detail).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
  await expect(detail).toContainText(chosenPath);
  await expect(detail).toContainText(draft);
  const hash = new URL(page.url()).hash;
  await shot(page, '03-filed');

  // Designated dispatch to the city management bureau.
  await page.getByTestId('action-dispatch').click();
  await page.getByTestId('choice-designated').click();
  await page.getByTestId('input-unit').selectOption({ label: '金水区城市管理局' });
  await page.getByTestId('form-submit').click();
  await expect(detail).toHaveAttribute('data-status', 'dispatched', { timeout: 15_000 });
  await logout(page);

  // The unit resolves with the very same photo as its "after" photo.
  await login(page, 'chengguan');
  await page.goto('/' + hash);
  await page.getByTestId('action-accept').click();
  await page.getByTestId('form-submit').click();
  await expect(detail).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  await page.getByTestId('action-resolve').click();
  await page.getByTestId('input-result').fill('已安排保洁人员清运完毕，现场恢复整洁。');
  await page.getByTestId('after-photos-input').setInputFiles(GARBAGE);
  await expect(page.locator('[data-testid="dialog-resolve"] .thumb.uploaded img')).toHaveCount(1);
  await page.getByTestId('form-submit').click();
  await expect(detail).toHaveAttribute('data-status', 'resolved', { timeout: 15_000 });
  await logout(page);

  // The verifier sees the failed check with both photos, and cannot pass without a reason.
  await login(page, 'operator');
  await page.goto('/' + hash);
  const panel = page.getByTestId('photo-check');
  await expect(panel.getByTestId('photo-check-status')).toHaveText('照片核验未通过', { timeout: 30_000 });
  await expect(panel.getByTestId('photo-check-reasons')).toContainText('重复使用');
  await expect(panel.getByTestId('photo-check-pair').locator('img')).toHaveCount(2);
  await page.getByTestId('action-verify').click();
  const dialog = page.getByTestId('dialog-verify');
  await expect(dialog.getByTestId('photo-check-status')).toHaveText('照片核验未通过', { timeout: 30_000 });
  await page.getByTestId('choice-yes').click();
  await page.getByTestId('form-submit').click();
  await expect(dialog.getByTestId('form-error')).toContainText('照片核验未通过');
  await shot(page, '04-verify-needs-reason');
  await expect(detail).toHaveAttribute('data-status', 'resolved');
  await dialog.locator('textarea').fill('已电话联系保洁负责人并调取监控，确认已清运');
  await page.getByTestId('form-submit').click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(detail).toHaveAttribute('data-status', 'verified');
  await page.getByTestId('photo-check').scrollIntoViewIfNeeded();
  await shot(page, '05-verified');
  expect(problems).toEqual([]);
});

test('an unrelated photo says 未识别出街面问题 and offers nothing; 设置 shows the photo model figures', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-address').fill('经八路体育场路12号院北门');
  await page.getByTestId('new-photos-input').setInputFiles(CAT);
  const card = page.getByTestId('photo-suggestion');
  await expect(card.getByTestId('photo-suggestion-unrecognized')).toContainText('未识别出街面问题', { timeout: 30_000 });
  await expect(card.getByTestId('photo-suggestion-category')).toHaveCount(0);
  await expect(card.getByTestId('photo-suggestion-description')).toHaveCount(0);
  await expect(card.getByTestId('photo-suggestion-use-description')).toHaveCount(0);
  await expect(page.getByTestId('new-description')).toHaveValue('');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '07-unrecognized');

  await page.goto('/#/settings');
  const figures = page.getByTestId('ai-photo-figures');
  await expect(figures.getByTestId('ai-photo-eval-test')).toContainText('测试集', { timeout: 30_000 });
  await expect(figures.getByTestId('ai-photo-eval-test')).toContainText(/\d+\/140/);
  await expect(figures.getByTestId('ai-photo-eval-note')).toContainText('不是本街道的照片');
  await expect(figures.getByTestId('ai-photo-street')).toContainText('本街道');
  await figures.scrollIntoViewIfNeeded();
  await shot(page, '08-settings-photo');
  expect(problems).toEqual([]);
});

test.describe('with a corrupted photo model', () => {
  // A second street node of its own (any free port), whose model directory holds a corrupted copy.
  let child: ChildProcess | null = null;
  let base = '';
  test.beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-e2e-badmodel-'));
    const models = path.join(dir, 'models');
    fs.mkdirSync(models);
    for (const f of fs.readdirSync('models/mobilenet_v2')) fs.copyFileSync(path.join('models/mobilenet_v2', f), path.join(models, f));
    const onnx = path.join(models, 'mobilenet_v2_1.0_224_int8_per_tensor.onnx');
    const bytes = fs.readFileSync(onnx);
    for (let i = 4096; i < bytes.length; i += 1021) bytes[i] = bytes[i]! ^ 0x5a;
    fs.writeFileSync(onnx, bytes);
    child = spawn(process.execPath, ['dist/main/start.js', '--browser', '--no-open', '--demo', '--port', '0', '--db', path.join(dir, 'street.sqlite'), '--tickets', '300'], {
      env: { ...process.env, CHENGYUN_PHOTO_MODEL_DIR: models },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`node did not start: ${err}`)), 120_000);
      child!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening: (http:\/\/[\d.]+:\d+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.on('exit', (code) => reject(new Error(`node exited ${code}: ${err}`)));
    });
  });
  test.afterAll(() => {
    child?.kill();
  });

  test('the form says photo suggestions are off; the ticket is filed by hand as usual', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('demo-operator').click();
    await expect(page.getByTestId('current-user')).toBeVisible();
    await page.goto(`${base}/#/new`);
    await page.getByTestId('new-description').fill('体育场路12号院北门垃圾桶旁堆放大量垃圾袋，无人清理。');
    await page.getByTestId('new-address').fill('经八路体育场路12号院北门');
    await page.getByTestId('new-category').click();
    await page.getByTestId('new-category').fill('暴露垃圾');
    await page.keyboard.press('Enter');
    await page.getByTestId('new-photos-input').setInputFiles(GARBAGE);
    await expect(page.locator('.thumb.uploaded img')).toHaveCount(1);
    const notice = page.getByTestId('photo-ai-notice');
    await expect(notice).toContainText('图片识别模型不可用', { timeout: 30_000 });
    await expect(notice).toContainText('模型文件损坏');
    await expect(page.getByTestId('photo-suggestion')).toHaveCount(0);
    await notice.scrollIntoViewIfNeeded();
    await shot(page, '06-model-broken');
    await page.getByTestId('form-submit').click();
    await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
    await expect(page.getByTestId('ticket-detail')).toContainText('市容环境/暴露垃圾');
    expect(problems).toEqual([]);
  });
});
