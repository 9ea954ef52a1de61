// The operator's tools around the ticket list, in Chromium against the demo street: exact counts
// per status, ticking tickets for 批量催办 / 批量派单 (refusals listed per ticket), the Excel export
// (masked), the work orders on paper, a saved view pinned to the dashboard, and the keyboard.
// The spec works only on tickets it files itself (the street is shared by the specs).
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from './support/test';
import { api, login } from './support/session';

const SHOTS = path.resolve('test-results/e2e-shots/operatorTools');
fs.mkdirSync(SHOTS, { recursive: true });
const WIDTHS = [1366, 1600, 1920] as const;
const heightOf = (w: number) => (w === 1366 ? 768 : w === 1600 ? 900 : 1080);

async function shoot(page: Page, name: string, fullPage = false) {
  const vp = page.viewportSize()!;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: heightOf(width) });
    await page.waitForTimeout(250);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width}: the page scrolls sideways`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage });
  }
  await page.setViewportSize(vp);
}

interface Filed {
  id: string;
  code: string;
}

/** Files n tickets whose callers' phones share a prefix no other ticket has; returns them and the prefix. */
async function fileTickets(page: Page, n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Promise<{ prefix: string; tickets: Filed[]; phones: string[] }> {
  const prefix = `17${String(Date.now()).slice(-8)}`; // 10 digits, unique per run
  const tickets: Filed[] = [];
  const phones: string[] = [];
  for (let i = 0; i < n; i++) {
    const phone = `${prefix}${i}`;
    const t = await api<{ ticket: Filed }>(page, 'tickets.create', {
      channel: 'hotline12345',
      type: 'complaint',
      description: `小区东门路灯不亮已经三天，晚上出行不便（操作工具测试${i + 1}）`,
      address: '经八路街道纬五路12号院',
      reporterName: '郑测试',
      reporterPhone: phone,
      ...extra(i),
    });
    tickets.push({ id: t.ticket.id, code: t.ticket.code });
    phones.push(phone);
  }
  return { prefix, tickets, phones };
}

const rowOf = (page: Page, code: string) => page.locator('.ag-center-cols-container .ag-row', { has: page.locator('[col-id="code"]', { hasText: code }) });
async function tick(page: Page, code: string) {
  const row = rowOf(page, code);
  await expect(row).toBeVisible();
  const rowIndex = await row.getAttribute('row-index');
  // The checkbox lives in the pinned selection column, in the same row index.
  await page.locator(`.ag-pinned-left-cols-container .ag-row[row-index="${rowIndex}"] input[type=checkbox]`).check();
}

test('counts per status, 批量催办 and 批量派单 with refusals listed, Excel export masked, work orders printed', async ({ page }) => {
  await login(page, 'operator');
  const boot = await api<{ catalog: Array<{ id: string; path: string; isLeaf?: boolean; defaultUnitId?: string | null }>; units: Array<{ id: string; name: string }> }>(page, 'meta.bootstrap', {});
  const leaf = boot.catalog.find((c) => c.path.includes('路灯'))!;
  expect(leaf, 'a 路灯 category in the demo catalog').toBeTruthy();
  // Two with a category (can be dispatched), one without (refused: 请先为工单选择派单目录分类).
  const { prefix, tickets, phones } = await fileTickets(page, 3, (i) => (i < 2 ? { categoryId: leaf.id } : {}));

  await page.goto(`/#/tickets?q=${prefix}`);
  await expect(page.getByTestId('list-total')).toHaveText('3');
  const counts = await api<{ total: number; byStatus: Record<string, number> }>(page, 'tickets.statusCounts', { filter: { q: prefix } });
  expect(counts.total).toBe(3);
  for (const [st, n] of Object.entries(counts.byStatus)) await expect(page.getByTestId(`status-chip-${st}`)).toContainText(String(n), { timeout: 20_000 });
  // A chip narrows the list to its status; the total follows (a count query, not the rows loaded).
  const [firstStatus, firstN] = Object.entries(counts.byStatus)[0]!;
  await page.getByTestId(`status-chip-${firstStatus}`).click();
  await expect(page).toHaveURL(new RegExp(`status=${firstStatus}`));
  await expect(page.getByTestId('list-total')).toHaveText(String(firstN));
  await page.getByTestId(`status-chip-${firstStatus}`).click();
  await expect(page.getByTestId('list-total')).toHaveText('3');

  // 批量催办 on all three.
  for (const t of tickets) await tick(page, t.code);
  await expect(page.getByTestId('bulk-count')).toContainText('3');
  await shoot(page, 'list-selected');
  await page.getByTestId('bulk-urge').click();
  await page.getByTestId('bulk-urge-text').fill('请今天下班前修复并反馈');
  await page.getByTestId('bulk-urge-submit').click();
  await expect(page.getByTestId('bulk-result')).toContainText('批量催办：3 件完成');
  for (const t of tickets) {
    const d = await api<{ events: Array<{ action: string; reason: string | null; actorName: string }> }>(page, 'tickets.get', { id: t.id });
    expect(d.events.filter((e) => e.action === 'note' && e.reason === '【催办】请今天下班前修复并反馈')).toHaveLength(1);
  }

  // 批量派单 of all three to one unit: the one without a category is refused, by name, in Chinese.
  for (const t of tickets) await tick(page, t.code);
  await page.getByTestId('bulk-dispatch').click();
  const unit = boot.units.find((u) => u.name.includes('城市管理'))!;
  await page.getByTestId('bulk-dispatch-unit').selectOption(unit.id);
  await page.getByTestId('bulk-dispatch-submit').click();
  await expect(page.getByTestId('bulk-result')).toContainText('批量派单：2 件完成，1 件未处理');
  await expect(page.getByTestId('bulk-failed')).toContainText(`${tickets[2]!.code}：请先为工单选择派单目录分类，再派单`);
  await shoot(page, 'list-bulk-result');

  // Excel export of the selection: masked phones, never the full number; audited.
  for (const t of tickets) await tick(page, t.code);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-export').click()]);
  const file = path.join(SHOTS, 'export.xlsx');
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('工单')!;
  expect(ws.rowCount).toBe(4);
  const text = JSON.stringify(ws.getSheetValues());
  for (const p of phones) {
    expect(text).not.toContain(p);
    expect(text).toContain(`${p.slice(0, 3)}****${p.slice(-4)}`);
  }
  expect(text).toContain('郑*');
  expect(text).not.toContain('郑测试');
  for (const t of tickets) expect(text).toContain(t.code);

  // Work orders on paper for the selection: one sheet per ticket, the frame gone in print.
  await page.getByTestId('bulk-print-dispatch').click();
  await expect(page.getByTestId('print-sheet')).toHaveCount(3);
  await expect(page.getByTestId('print-sheet').first()).toContainText(unit.name);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.print-toolbar')).toBeHidden();
  await shoot(page, 'print-dispatch-batch', true);
  await page.emulateMedia({ media: 'screen' });

  // From the ticket page: 打印工单 with its timeline (the 催办 and the dispatch).
  await page.goto(`/#/tickets/${tickets[0]!.id}`);
  await page.getByTestId('print-full').click();
  await expect(page.getByTestId('print-sheet')).toHaveCount(1);
  await expect(page.getByTestId('print-timeline')).toContainText('【催办】请今天下班前修复并反馈');
  await expect(page.getByTestId('print-timeline')).toContainText('派单');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidenav')).toHaveCount(0);
  const sheet = await page.getByTestId('print-sheet').boundingBox();
  expect(sheet!.height).toBeGreaterThan(400);
  await shoot(page, 'print-full', true);
  await page.emulateMedia({ media: 'screen' });
});

test('a saved view pinned to the dashboard shows its count and opens the list filtered', async ({ page }) => {
  await login(page, 'operator');
  const { prefix } = await fileTickets(page, 2);
  await page.goto(`/#/tickets?q=${prefix}`);
  await expect(page.getByTestId('list-total')).toHaveText('2');
  const name = `测试视图${prefix.slice(-4)}`;
  await page.getByTestId('view-save').click();
  await page.getByTestId('view-name').fill(name);
  await expect(page.getByTestId('view-pinned')).toBeChecked();
  await page.getByTestId('view-save-submit').click();
  await expect(page.getByTestId('view-save-dialog')).toBeHidden();

  await page.getByTestId('nav-dashboard').click();
  const card = page.getByTestId('pinned-view').filter({ hasText: name });
  await expect(card.getByTestId('pinned-view-count')).toHaveText('2');
  await shoot(page, 'dashboard-pinned');
  await card.click();
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  await expect(page.getByTestId('list-total')).toHaveText('2');

  // Clean up: the dashboard of the shared street's operator goes back as it was.
  await page.getByTestId('views-open').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('view-item').filter({ hasText: name }).getByRole('button', { name: `删除视图${name}` }).click();
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('pinned-view').filter({ hasText: name })).toHaveCount(0);
});

test('keyboard: ? help, / search, J/K/O in the list, D dispatch, N new ticket, Ctrl+Enter saves; plain keys do nothing while typing', async ({ page }) => {
  await login(page, 'operator');
  const boot = await api<{ catalog: Array<{ id: string; path: string }> }>(page, 'meta.bootstrap', {});
  const leaf = boot.catalog.find((c) => c.path.includes('路灯'))!;
  const { prefix, tickets } = await fileTickets(page, 2, () => ({ categoryId: leaf.id }));
  await page.goto('/#/dashboard');
  await page.locator('body').press('?');
  await expect(page.getByTestId('shortcut-help')).toBeVisible();
  await expect(page.getByTestId('shortcut-help')).toContainText('新建工单');
  await shoot(page, 'shortcut-help');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcut-help')).toBeHidden();

  // / opens the list's search box; typing n there types an n, it does not open 新建工单.
  await page.keyboard.press('/');
  await expect(page.getByTestId('filter-q')).toBeFocused();
  await page.keyboard.type(prefix + 'n');
  await expect(page.getByTestId('filter-q')).toHaveValue(prefix + 'n');
  await expect(page).toHaveURL(/#\/tickets/);
  await page.getByTestId('filter-q').fill(prefix);
  await page.getByTestId('filter-q').press('Enter');
  await expect(page.getByTestId('list-total')).toHaveText('2');

  // J/K move through the list, O opens — once the rows themselves have arrived (the count comes
  // first; a row still loading has nothing to open).
  const newest = tickets[1]!; // newest first
  const row = (i: number) => page.locator(`.ag-center-cols-container .ag-row[row-index="${i}"]`);
  await expect(row(0)).toContainText(newest.code);
  await expect(row(1)).toContainText(tickets[0]!.code);
  await page.getByTestId('filter-q').blur();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('o');
  await expect(page.getByTestId('ticket-code')).toHaveText(newest.code);

  // D opens 派单 on a ticket that may be dispatched.
  await page.locator('body').press('d');
  await expect(page.getByTestId('dialog-dispatch')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('dialog-dispatch')).toBeHidden();

  // N: 新建工单; Ctrl+Enter submits the form (the form's errors show: nothing filled in).
  await page.locator('body').press('n');
  await expect(page).toHaveURL(/#\/new/);
  await page.getByTestId('new-description').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('form-error')).toBeVisible();
});

test('new work reaches the unit: a badge in the sidebar and a desktop notification (asked on a click); a muted kind stays quiet', async ({ page }) => {
  // Record the desktop notifications the page raises (the browser's own would need a desktop).
  await page.addInitScript(() => {
    const w = window as unknown as { __notes: string[]; Notification: unknown };
    w.__notes = [];
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission() {
        FakeNotification.permission = 'granted';
        return Promise.resolve('granted' as NotificationPermission);
      }
      onclick: (() => void) | null = null;
      constructor(title: string, opts?: { body?: string }) {
        w.__notes.push(`${title}|${opts?.body ?? ''}`);
      }
      close() {}
    }
    w.Notification = FakeNotification;
  });
  await login(page, 'zhifa');
  const me = await api<{ unitId: string }>(page, 'session.me', {});
  const boot = await api<{ catalog: Array<{ id: string; path: string }> }>(page, 'meta.bootstrap', {});
  const leaf = boot.catalog.find((c) => c.path.includes('路灯'))!;
  const as = async (username: string) => {
    const r = await page.request.post('/api/session.login', { data: { username, password: 'demo123' } });
    const token = ((await r.json()) as { token: string }).token;
    return async <T>(method: string, data: unknown): Promise<T> => {
      const res = await page.request.post(`/api/${method}`, { data, headers: { Authorization: `Bearer ${token}` } });
      expect(res.ok(), `${method}: ${res.status()} ${await res.text()}`).toBeTruthy();
      return (await res.json()) as T;
    };
  };
  const operator = await as('operator');
  const leader = await as('leader');
  const fileAndDispatch = async (n: number) => {
    const t = await operator<{ ticket: Filed }>('tickets.create', { channel: 'hotline12345', type: 'complaint', categoryId: leaf.id, description: `提醒测试：路灯不亮第${n}处，请处理`, address: '经八路街道纬五路12号院' });
    await operator('tickets.act', { action: 'dispatch', id: t.ticket.id, mode: 'designated', unitId: me.unitId });
    return t.ticket;
  };

  await page.getByTestId('alerts-btn').click();
  await page.getByTestId('alerts-permit').click();
  await expect(page.getByTestId('alerts-permit')).toBeHidden();
  await page.getByTestId('alerts-btn').click();

  const first = await fileAndDispatch(1);
  await expect(page.getByTestId('alerts-badge')).toHaveText('1');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes.join('\n'))).toContain(`新派单待签收 ${first.code}`);
  await page.getByTestId('alerts-btn').click();
  await expect(page.getByTestId('alert-item').first()).toContainText(first.code);
  await shoot(page, 'alerts-unit');
  await page.getByTestId('alert-item').first().click();
  await expect(page.getByTestId('ticket-code')).toHaveText(first.code);
  await expect(page.getByTestId('alerts-badge')).toHaveCount(0);

  // Muted in 设置: a second dispatch raises nothing; a supervision (not muted) still does.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('alert-kind-dispatch').uncheck();
  const second = await fileAndDispatch(2);
  await leader('tickets.act', { action: 'supervise', id: first.id, level: 1, reason: '提醒测试：请尽快签收处理' });
  await expect(page.getByTestId('alerts-badge')).toHaveText('1');
  // Both events were sent before the supervision showed; give the (earlier) dispatch's lookup time to land too.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('alerts-badge')).toHaveText('1');
  const notes = await page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
  expect(notes.some((n) => n.startsWith(`工单被督办 ${first.code}`))).toBe(true);
  expect(notes.some((n) => n.includes(second.code))).toBe(false);
});

test('dates are typed and shown as YYYY-MM-DD (HH:mm) whatever the browser locale; an impossible date changes nothing', async ({ browser }) => {
  // A browser set to US English: native pickers would show mm/dd/yyyy and 05:08 PM.
  const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', baseURL: test.info().project.use.baseURL });
  const page = await ctx.newPage();
  try {
    await login(page, 'leader');
    await page.goto('/#/tickets');
    await expect(page.locator('input[type=date], input[type=datetime-local]')).toHaveCount(0);
    const from = page.getByTestId('filter-from');
    await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD');
    await from.pressSequentially('20261201');
    await expect(from).toHaveValue('2026-12-01');
    await expect(page).toHaveURL(/from=2026-12-01/);
    const to = page.getByTestId('filter-to');
    await to.pressSequentially('20260230'); // no such day
    await expect(to).toHaveValue('2026-02-30');
    await expect(to).toHaveAttribute('aria-invalid', 'true');
    await expect(page).not.toHaveURL(/to=/);
    await to.fill('');
    await to.pressSequentially('20261120'); // before 起 (2026-12-01)
    await expect(to).toHaveAttribute('aria-invalid', 'true');
    await expect(page).not.toHaveURL(/to=/);
    await shoot(page, 'date-fields');
    // The run mode's end time: a date and a 24-hour time.
    await page.goto('/#/runmode');
    const end = page.getByTestId('rm-end');
    await expect(end).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:mm');
    await end.pressSequentially('202612311705');
    await expect(end).toHaveValue('2026-12-31 17:05');
    await expect(end).not.toHaveAttribute('aria-invalid', 'true');
  } finally {
    await ctx.close();
  }
});
