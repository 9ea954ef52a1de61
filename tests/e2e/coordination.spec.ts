// End to end in Chromium with several browser contexts against the real street node host:
// (a) an operator blows the whistle on the "gas water heater pipes carry current" ticket and
// summons power, heating and gas; the gas company's representative, in a second context, reports
// for duty and completes the gas task; the meeting-room screen in a third context follows within a
// second; the ticket moves on (accepted when the lead unit checks in, resolved when every task is
// done). (b) a leader switches to emergency mode: new tickets' deadlines are tighter, the dashboard
// shows the zero-report requirement, and an overdue ticket sits on the supervision board at the
// level the emergency rules call for. Screenshots go to test-results/e2e-shots/coordination-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page, type TestInfo } from './support/test';

const SHOTS = path.resolve('test-results/e2e-shots');
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(SHOTS, `coordination-${name}.png`), fullPage });

async function newPage(browser: Browser, info: TestInfo, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const use = info.project.use;
  const ctx = await browser.newContext({ baseURL: use.baseURL, locale: use.locale, timezoneId: use.timezoneId, viewport });
  return ctx.newPage();
}

async function login(page: Page, username: string, hash = '/#/dashboard') {
  await page.goto(hash);
  await page.getByTestId(`demo-${username}`).click();
  await expect(page.getByTestId(`demo-${username}`)).toHaveCount(0, { timeout: 15_000 });
}

test('whistle session: summon power, heating and gas; a department checks in and completes; the room follows live', async ({ browser }, info) => {
  const problems: string[] = [];
  const op = await newPage(browser, info);
  op.on('pageerror', (e) => problems.push(e.message));
  await login(op, 'operator');

  // Find the ticket by full-text search and blow the whistle from its page.
  await op.goto(`/#/tickets?q=${encodeURIComponent('燃气热水器管道带电')}`);
  const row = op.locator('.ag-center-cols-container .ag-row').first();
  await expect(row).toContainText('燃气热水器管道带电', { timeout: 15_000 });
  await row.click();
  await expect(op.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered');
  const ticketHash = new URL(op.url()).hash;
  await op.getByTestId('action-whistle').click();
  await expect(op.getByTestId('whistle-new-page')).toBeVisible();
  await expect(op.getByTestId('ws-problem')).toHaveValue(/燃气热水器管道带电/);
  for (const code of ['QY-GWGD', 'QY-RLJT', 'QY-HRRQ']) await op.getByTestId(`ws-unit-${code}`).check();
  await op.getByTestId('ws-lead-QY-HRRQ').check();
  await op.getByTestId('ws-task-QY-GWGD').fill('排查2号楼配电线路和接地，消除漏电');
  await op.getByTestId('ws-task-QY-RLJT').fill('检查暖气管道等电位接地');
  await op.getByTestId('ws-task-QY-HRRQ').fill('燃气管道绝缘检测，加装绝缘接头');
  await shot(op, '01-whistle-new', true);
  await op.getByTestId('form-submit').click();
  await expect(op.getByTestId('whistle-detail')).toBeVisible({ timeout: 15_000 });
  const sessionHash = new URL(op.url()).hash;
  const sessionId = decodeURIComponent(sessionHash.split('/')[2]!);
  await expect(op.getByTestId('whistle-ticket-status')).toHaveAttribute('data-status', 'dispatched');
  await expect(op.getByTestId('whistle-depts').locator('tbody tr')).toHaveCount(3);

  // The meeting-room screen, on its own machine (third context), full HD.
  const room = await newPage(browser, info, { width: 1920, height: 1080 });
  room.on('pageerror', (e) => problems.push(e.message));
  await login(room, 'leader', `/#/whistle/${encodeURIComponent(sessionId)}/room`);
  await expect(room.getByTestId('whistle-room')).toBeVisible();
  const gasCard = room.locator('.room-dept', { hasText: '华润燃气' });
  await expect(gasCard).toHaveAttribute('data-state', 'notified');
  const t0 = (await room.getByTestId('room-elapsed').textContent()) ?? '';
  // The clock ticks (once a second; a loaded machine may render the tick late, so wait for it).
  await expect(room.getByTestId('room-elapsed')).not.toHaveText(t0, { timeout: 5_000 });
  await shot(room, '02-room-notified');

  // The gas company's representative on the LAN (second context).
  const rep = await newPage(browser, info);
  rep.on('pageerror', (e) => problems.push(e.message));
  await login(rep, 'ranqi', '/#/whistle');
  await expect(rep.getByTestId('nav-whistle-badge')).toHaveText('1');
  await rep.getByTestId('whistle-list').locator('tbody tr', { hasText: '燃气热水器管道带电' }).first().click();
  await expect(rep.getByTestId('whistle-detail')).toBeVisible();
  // Only its own department offers check-in, only its own task can be completed.
  await expect(rep.getByTestId('respond-onSite')).toHaveCount(1);
  await rep.getByTestId('respond-onSite').click();
  await expect(rep.locator('tr.ws-mine')).toHaveAttribute('data-state', 'onSite');
  const checkedInAt = Date.now();
  await expect(gasCard).toHaveAttribute('data-state', 'onSite', { timeout: 1000 });
  const lag1 = Date.now() - checkedInAt;
  await expect(gasCard).toContainText('报到');
  await expect(rep.getByTestId('whistle-ticket-status')).toHaveAttribute('data-status', 'accepted');
  await expect(rep.getByTestId('task-done')).toHaveCount(1);
  await shot(rep, '03-rep-checked-in', true);

  // The street records the power and heating companies' results (taken by phone).
  await expect(op.locator('.ws-task', { hasText: '华润燃气' })).toBeVisible();
  for (const [unit, result] of [
    ['供电', '更换2号楼老化配电箱，漏电已消除'],
    ['热力', '暖气管道等电位接地良好'],
  ] as const) {
    const task = op.locator('.ws-task', { hasText: unit });
    await task.getByTestId('task-result').fill(result);
    await task.getByTestId('task-done').click();
    await expect(task).toHaveAttribute('data-status', 'done');
  }
  await op.getByTestId('entry-text').fill('由华润燃气牵头，供电、热力配合，今日18时前完成整改');
  await op.getByTestId('entry-submit').click();
  await expect(op.getByTestId('whistle-entries')).toContainText('华润燃气牵头');
  await shot(op, '03b-operator-session');

  // The representative completes the gas task: the last one on the ticket.
  const myTask = rep.locator('.ws-task.ws-mine');
  await myTask.getByTestId('task-result').fill('燃气管道加装绝缘接头，检测无带电');
  await myTask.getByTestId('task-done').click();
  await expect(myTask).toHaveAttribute('data-status', 'done');
  const doneAt = Date.now();
  const roomGasTask = room.locator('.room-task', { hasText: '华润燃气' });
  await expect(roomGasTask).toHaveAttribute('data-status', 'done', { timeout: 1000 });
  const lag2 = Date.now() - doneAt;
  await expect(gasCard).toHaveAttribute('data-state', 'done', { timeout: 1000 });
  await expect(room.locator('.room-task[data-status="done"]')).toHaveCount(3);
  await expect(room.locator('.room-decision')).toContainText('华润燃气牵头');
  await expect(room.getByTestId('room-ticket-status')).toHaveAttribute('data-status', 'resolved', { timeout: 1000 });
  await shot(room, '04-room-done');
  info.annotations.push({ type: 'room lag (ms)', description: `check-in ${lag1}, task done ${lag2}` });
  fs.writeFileSync(path.join(SHOTS, 'coordination-room-lag.json'), JSON.stringify({ checkInMs: lag1, taskDoneMs: lag2 }) + '\n');

  // The ticket moved on: resolved with the departments' results, every step on its timeline.
  await expect(rep.getByTestId('whistle-ticket-status')).toHaveAttribute('data-status', 'resolved');
  await op.goto('/' + ticketHash);
  await expect(op.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'resolved');
  await expect(op.getByTestId('ticket-result')).toContainText('燃气管道加装绝缘接头');
  const timeline = op.getByTestId('timeline');
  for (const text of ['发起吹哨报到', '签收', '完成任务', '办结']) await expect(timeline).toContainText(text);
  await expect(op.getByTestId('coordination-links')).toContainText('吹哨报到');
  await shot(op, '05-ticket-resolved', true);
  expect(problems).toEqual([]);
});

test('emergency mode: a preview first, then tighter deadlines, a zero report, and escalation counted from the switch', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'leader');

  // The overdue showcase ticket on the supervision board under the daily rules: level 1.
  await page.goto('/#/supervision');
  const overdue = page.locator('[data-testid^="sv-row-"]', { hasText: '经八路32号院南门路灯整排不亮' });
  await expect(overdue).toHaveAttribute('data-level', '1', { timeout: 15_000 });
  await expect(overdue).toHaveAttribute('data-state', 'overdue');

  async function newTicketCountdown(description: string): Promise<string> {
    await page.getByTestId('nav-new').click();
    await page.getByTestId('new-description').fill(description);
    await page.getByTestId('new-address').fill('经八路32号院北门');
    await page.getByTestId('new-category').click();
    await page.getByTestId('new-category').fill('路灯不亮');
    await page.keyboard.press('Enter');
    await page.getByTestId('form-submit').click();
    await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
    return (await page.getByTestId('detail-countdown').textContent())!.trim();
  }
  const dailyCountdown = await newTicketCountdown('经八路32号院北门路灯不亮，夜间行人看不清路面。');
  expect(dailyCountdown).toMatch(/剩余 \d+天/);

  try {
    // Switch to emergency mode on the run-mode page.
    await page.getByTestId('nav-runmode').click();
    // Nothing is preselected, and the current mode is not offered.
    await expect(page.getByTestId('rm-mode-select')).toHaveValue('');
    await expect(page.getByTestId('rm-switch-submit')).toBeDisabled();
    await expect(page.getByTestId('rm-mode-select').locator('option[value="daily"]')).toHaveCount(0);
    await page.getByTestId('rm-mode-select').selectOption('emergency');
    await page.getByTestId('rm-note').fill('寒潮橙色预警，启动应急响应');
    await page.getByTestId('rm-switch-submit').click();
    // The switch says what it will do and asks; nothing has changed yet.
    await expect(page.getByTestId('rm-preview-deadlines')).toContainText('×0.25');
    await expect(page.getByTestId('rm-preview-escalations')).toContainText('切换时立即升级 0 件');
    await expect(page.getByTestId('rm-preview-zero-report')).toContainText('10:00');
    await expect(page.getByTestId('runmode-page')).toHaveAttribute('data-mode', 'daily');
    await shot(page, '06a-runmode-preview', true);
    await page.getByTestId('rm-switch-confirm').click();
    await expect(page.getByTestId('runmode-page')).toHaveAttribute('data-mode', 'emergency');
    await expect(page.getByTestId('runmode-badge')).toContainText('应急模式');
    // Never overdue the moment it becomes required (first day due tomorrow if switched late).
    await expect(page.getByTestId('zr-state')).toHaveAttribute('data-state', /pending|firstDay/);
    await shot(page, '06-runmode-emergency', true);

    // A new ticket of the same category: a quarter of the time, on natural hours (2 days → 12 h).
    const emergencyCountdown = await newTicketCountdown('经八路32号院东门路灯不亮，夜间行人看不清路面。');
    expect(emergencyCountdown).toMatch(/剩余 (11|12)小时/);

    // The dashboard says what emergency mode requires today.
    await page.getByTestId('nav-dashboard').click();
    const banner = page.getByTestId('runmode-banner');
    await expect(banner).toHaveAttribute('data-mode', 'emergency');
    await expect(page.getByTestId('banner-zero-report')).toContainText('零报告 10:00 前报送');
    await expect(page.getByTestId('banner-patrols')).toContainText('重点部位待巡查');
    await expect(page.getByTestId('banner-duty')).toContainText('带班领导');
    await shot(page, '07-dashboard-emergency');

    // The overdue ticket stays at level 1: emergency thresholds count from the switch (2 h → level 2),
    // never retroactively over the time it was already overdue.
    await page.getByTestId('nav-supervision').click();
    await expect(overdue).toHaveAttribute('data-state', 'overdue', { timeout: 15_000 });
    await page.waitForTimeout(1500);
    await expect(overdue).toHaveAttribute('data-level', '1');
    await shot(page, '08-supervision-board');
    // The ticket's own page keeps the supervision record: who was reminded, when.
    await overdue.locator('a').first().click();
    await expect(page.getByTestId('ticket-detail')).toBeVisible();
    await expect(page.getByTestId('coordination-links')).toContainText('超期自动督办');
  } finally {
    // Leave the street in daily mode for the other specs.
    await page.goto('/#/runmode');
    await page.getByTestId('rm-mode-select').selectOption('daily');
    await page.getByTestId('rm-switch-submit').click();
    await page.getByTestId('rm-switch-confirm').click();
    await expect(page.getByTestId('runmode-page')).toHaveAttribute('data-mode', 'daily');
  }
  expect(problems).toEqual([]);
});

test('joint review of a cross-department ticket decides the owner and dispatches to it', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await login(page, 'operator');
  await page.getByTestId('nav-new').click();
  await page.getByTestId('new-description').fill('纬四路与经七路交叉口井盖下陷，城管和住建都说不归自己管。');
  await page.getByTestId('new-address').fill('纬四路与经七路交叉口');
  await page.getByTestId('new-category').click();
  await page.getByTestId('new-category').fill('井盖');
  await page.keyboard.press('Enter');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'registered', { timeout: 15_000 });
  const ticketHash = new URL(page.url()).hash;
  await page.getByTestId('action-review').click();
  await page.getByTestId('review-question').fill('井盖权属不清，城管和住建均称非本单位职责');
  await page.getByTestId('review-unit-JSQ-CGJ').check();
  await page.getByTestId('review-unit-JSQ-ZJJ').check();
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('review-detail')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('review-units').locator('tbody tr')).toHaveCount(2);
  // While the review is open, 商定派 on the ticket offers its units as the candidates.
  const reviewHash = new URL(page.url()).hash;
  await page.goto('/' + ticketHash);
  await page.getByTestId('action-dispatch').click();
  await expect(page.getByTestId('dispatch-review')).toContainText('三跨会商');
  await page.getByTestId('dispatch-from-review').click();
  await expect(page.getByTestId('input-candidates').locator('input:checked')).toHaveCount(2);
  await expect(page.getByTestId('input-note')).toHaveValue(/三跨会商/);
  await shot(page, '09a-dispatch-from-review', true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('dialog-dispatch')).toBeHidden();
  await page.goto('/' + reviewHash);
  await page.getByTestId('review-owner').selectOption({ label: '金水区城市管理局（待表态）' });
  await page.getByTestId('review-decision-text').fill('由区城管局牵头修复，住建局提供管网资料');
  // Both units are still 待表态: the page says so and asks for a reason before deciding.
  await expect(page.getByTestId('review-open-points')).toContainText('尚待表态');
  await expect(page.getByTestId('review-decide')).toBeDisabled();
  await page.getByTestId('review-reason').fill('两单位电话会商已口头同意，书面表态后补');
  await page.getByTestId('review-decide').click();
  await expect(page.getByTestId('review-decision')).toContainText('区城管局牵头');
  await shot(page, '09-review-decided', true);
  await page.goto('/' + ticketHash);
  await expect(page.getByTestId('ticket-detail')).toHaveAttribute('data-status', 'dispatched');
  await expect(page.getByTestId('timeline')).toContainText('经三跨会商');
  await page.goto('/#/reviews');
  await expect(page.getByTestId('review-list')).toContainText('已定责');
  expect(problems).toEqual([]);
});
