// 导出PDF of work orders on a real store with the real Chromium: the PDF holds the print view's
// sheets (ticket code, the Chinese description, the timeline), the citizen's phone masked for a
// role that sees it masked on screen and in full for the unit handling the ticket; a batch is one
// sheet per ticket; every export is audited; a ticket the user may not see is refused.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, tempDir, type Fixture } from '../support/fixture';

let f: Fixture;
const dir = tempDir('chengyun-pdf-');
const at = (s: string) => Date.parse(s + '+08:00');
const input = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育路口井盖破损，车辆经过声音很大，夜间尤其扰民',
  address: '体育路与纬五路交叉口',
  reporterName: '张先生',
  reporterPhone: '13800001111',
  categoryId: 'c12',
};
const ids: string[] = [];
const codes: string[] = [];

beforeAll(async () => {
  f = await createFixture();
  f.setNow(at('2026-11-23T10:00:00'));
  const op = f.as('operator');
  for (const extra of [{}, { description: '纬五路人行道地砖松动翘起，老人经过容易绊倒', reporterPhone: '13911112222' }]) {
    const { ticket } = await op('tickets.create', { ...input, ...extra });
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    ids.push(ticket.id);
    codes.push(ticket.code);
  }
  f.setNow(at('2026-11-23T10:20:00'));
  await f.as('cg')('tickets.act', { action: 'accept', id: ids[0]! });
}, 60_000);
afterAll(async () => {
  await f.close();
});

/** The PDF's text (pdftotext), whitespace removed (a long line wraps anywhere), and its page count. */
function read(file: { name: string; mime: string; dataBase64: string }, name: string) {
  expect(file.mime).toBe('application/pdf');
  const p = path.join(dir, name);
  const bytes = Buffer.from(file.dataBase64, 'base64');
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  fs.writeFileSync(p, bytes);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [p], { encoding: 'utf8' }))![1]);
  return { text, pages };
}

describe('work orders as PDF', () => {
  it('an operator gets the sheet with code, description and timeline, the phone masked; audited', async () => {
    const f1 = await f.as('operator')('tickets.exportPdf', { ids: [ids[0]!], kind: 'full' });
    expect(f1.name).toBe(`工单-${codes[0]}.pdf`);
    expect(f1.tickets).toBe(1);
    const { text } = read(f1, 'op.pdf');
    expect(text).toContain(codes[0]);
    expect(text).toContain('体育路口井盖破损，车辆经过声音很大，夜间尤其扰民');
    expect(text).toContain('办理过程（4条）');
    for (const step of ['上报', '登记', '派单', '签收']) expect(text).toContain(step);
    expect(text).toContain('经八路街道城市运行管理中心');
    expect(text).toContain('138****1111');
    expect(text).not.toContain('13800001111');
    const audit = await f.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target: '工单PDF' });
    expect(JSON.parse(audit.detail as string)).toMatchObject({ kind: 'full', format: 'pdf', tickets: 1, codes: [codes[0]] });
  }, 60_000);

  it('the unit handling the ticket sees the phone in full, as on its screen', async () => {
    const { text } = read(await f.as('cg')('tickets.exportPdf', { ids: [ids[0]!], kind: 'full' }), 'unit.pdf');
    expect(text).toContain('13800001111');
  }, 60_000);

  it('a batch of 派工单 is one sheet per ticket', async () => {
    const file = await f.as('operator')('tickets.exportPdf', { ids, kind: 'dispatch' });
    expect(file.tickets).toBe(2);
    expect(file.name).toMatch(/^派工单-2件-20261123\.pdf$/);
    const { text, pages } = read(file, 'batch.pdf');
    expect(pages).toBe(2);
    for (const c of codes) expect(text).toContain(c);
    expect(text).toContain('纬五路人行道地砖松动翘起');
    expect(text).toContain('139****2222');
    expect(text).toContain('接单人（签字）');
  }, 60_000);

  it('refuses what the user may not see or a bad request, in Chinese, and exports nothing', async () => {
    const exports = () => f.ctx.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'export').executeTakeFirstOrThrow();
    const before = await exports();
    await expect(f.as('zj')('tickets.exportPdf', { ids: [ids[0]!], kind: 'full' })).rejects.toMatchObject({ message: expect.stringContaining('无权查看') });
    await expect(f.as('operator')('tickets.exportPdf', { ids: [], kind: 'full' })).rejects.toMatchObject({ message: expect.stringContaining('请先勾选工单') });
    await expect(f.as('operator')('tickets.exportPdf', { ids: [ids[0]!], kind: 'poster' as never })).rejects.toMatchObject({ message: expect.stringContaining('打印类型') });
    const after = await exports();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
