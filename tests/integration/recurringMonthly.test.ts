// The 月分析's recurring-problem section on hand-made tickets in a real store: the month's 批量问题
// (count in the month and in all, span, six-month trend and its word, place, units), its 专项治理
// item with progress at the month's end (phone numbers in its free text masked), the narrative
// paragraph, the workbook's sheets (numbers as numbers, dates as dates), the PDF printed by the CLI
// (pdftotext finds the section and the group's figures), and a street with no history.
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { buildMonthlyReport, reportHtml } from '../../src/main/services/stats/report';
import { groupTrend, maskPhonesInText } from '../../src/main/services/recurring/monthly';

const run = promisify(execFile);
const at = (s: string) => Date.parse(`${s}+08:00`);
const P = { lon: 113.662, lat: 34.772 };
let f: Fixture;

async function file(when: string, o: { categoryId: string; description: string; address: string; lon?: number; lat?: number }): Promise<string> {
  f.setNow(at(when));
  return (await f.as('operator')('tickets.create', { channel: 'hotline12345', type: 'complaint', ...o })).ticket.id;
}

beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

describe('月分析: recurring problems and 专项治理', () => {
  it('lists the month’s 批量问题 with their figures, the item’s progress, in the narrative, the workbook and the PDF', async () => {
    const manhole = [];
    for (const d of ['2026-05-10T09:00:00', '2026-08-15T09:00:00', '2026-10-05T09:00:00', '2026-10-20T09:00:00'])
      manhole.push(await file(d, { categoryId: 'c12', description: '经八路12号门口井盖松动破损，车一压就响', address: '经八路12号', ...P }));
    // A group with no ticket in October: not in October's report.
    for (const d of ['2026-06-01T09:00:00', '2026-07-01T09:00:00', '2026-09-01T09:00:00'])
      await file(d, { categoryId: 'c11', description: '纬一路5号门口暴露垃圾没人清理', address: '纬一路5号', lon: 113.6645, lat: 34.7745 });
    // The manhole group becomes a 专项治理 item on 25 October with a deadline three days later.
    f.setNow(at('2026-10-25T10:00:00'));
    const leader = f.as('leader');
    const g = (await leader('recurring.groups', {})).groups.find((x) => x.categoryId === 'c12')!;
    const item = await leader('recurring.open', { groupKey: g.key, title: '经八路12号井盖专项治理（联系人13812345678）', leadUnitId: 'u1', helperUnitIds: [], deadline: at('2026-10-28T18:00:00') });
    f.setNow(at('2026-10-26T10:00:00'));
    await leader('recurring.note', { itemId: item.id, text: '已电话13900001111联系住建局现场查看' });
    // November: one more report (linked to the item), not counted in October.
    await file('2026-11-10T09:00:00', { categoryId: 'c12', description: '经八路12号井盖又松动破损了', address: '经八路12号', ...P });
    f.setNow(at('2026-11-23T10:00:00'));

    const r = await buildMonthlyReport(f.ctx, '2026-10');
    const rc = r.recurring;
    expect(rc.groupCount).toBe(1);
    expect(rc.ticketsInMonth).toBe(2);
    expect(rc.months).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(rc.groups).toHaveLength(1);
    const m = rc.groups[0]!;
    expect(m).toMatchObject({ categoryPath: '市容环境/井盖破损', place: '经八路12号', communityName: '体育社区', inMonth: 2, count: 4, spanDays: 163, trend: [1, 0, 0, 1, 0, 2], trendLabel: '上升', itemCode: item.code });
    expect(m.firstAt).toBe(at('2026-05-10T09:00:00'));
    expect(m.lastAt).toBe(at('2026-10-20T09:00:00'));
    expect(rc.items).toHaveLength(1);
    expect(rc.items[0]).toMatchObject({
      code: item.code,
      title: '经八路12号井盖专项治理（联系人138****5678）',
      status: 'open',
      leadUnitName: '金水区城市管理局',
      overdue: true,
      tickets: 4,
      linkedInMonth: 4,
      resolved: 0,
      notesInMonth: 1,
      lastNote: '已电话139****1111联系住建局现场查看',
    });
    expect(rc).toMatchObject({ itemsOpen: 1, itemsClosedInMonth: 0, itemsOverdue: 1 });
    expect(r.recurringText).toBe(
      '2026年10月仍在发生的批量问题1个，涉及当月工单2件；最突出的是经八路12号的“市容环境/井盖破损”，本月2件、累计4件，跨163天，趋势上升。专项治理在办1项（其中1项已超期），本月结项0项。',
    );
    expect(r.narrative[r.narrative.length - 1]).toBe(r.recurringText);
    // October has ended: its 批量问题 are frozen as mined now, and the report says so.
    expect(rc).toMatchObject({ frozen: true, minedAt: at('2026-11-23T10:00:00') });
    const html = reportHtml(r);
    expect(html).toContain('批量问题与专项治理');
    expect(html).toContain('批量问题为 2026-11-23 10:00 挖掘至月末并冻结的结果');
    expect(html).not.toContain('13812345678');
    expect(html).not.toContain('13900001111');

    // The workbook through the API: a sheet each, numbers as numbers, dates as dates.
    const x = await leader('stats.report', { month: '2026-10', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.dataBase64, 'base64') as any);
    const ws = wb.getWorksheet('批量问题')!;
    const header = ws.getRow(4).values as unknown[];
    const col = (h: string) => header.indexOf(h);
    const row = ws.getRow(5);
    expect(row.getCell(col('地点')).value).toBe('经八路12号');
    expect(row.getCell(col('本月件数')).value).toBe(2);
    expect(row.getCell(col('累计件数')).value).toBe(4);
    expect(row.getCell(col('跨度（天）')).value).toBe(163);
    expect(row.getCell(col('2026-10月')).value).toBe(2);
    expect(row.getCell(col('2026-08月')).value).toBe(1);
    expect(row.getCell(col('趋势')).value).toBe('上升');
    const firstAt = row.getCell(col('首次')).value as Date;
    expect(firstAt).toBeInstanceOf(Date);
    expect(firstAt.toISOString().slice(0, 10)).toBe('2026-05-10');
    expect(row.getCell(col('首次')).numFmt).toBe('yyyy-mm-dd');
    const items = wb.getWorksheet('专项治理')!;
    const ih = items.getRow(4).values as unknown[];
    const irow = items.getRow(5);
    expect(irow.getCell(ih.indexOf('编号')).value).toBe(item.code);
    expect(irow.getCell(ih.indexOf('关联工单')).value).toBe(4);
    expect(irow.getCell(ih.indexOf('是否超期')).value).toBe('是');
    expect((irow.getCell(ih.indexOf('完成期限')).value as Date).toISOString().slice(0, 10)).toBe('2026-10-28');
    expect(irow.getCell(ih.indexOf('最近进展')).value).toBe('已电话139****1111联系住建局现场查看');
    expect(wb.getWorksheet('一类事')).toBeDefined();
    const analysis = wb.getWorksheet('分析')!;
    const texts: string[] = [];
    analysis.eachRow((rw) => texts.push(String(rw.getCell(1).value ?? '')));
    expect(texts).toContain(r.recurringText);

    // The PDF from the CLI: pdftotext finds the section and the group's figures.
    const out = path.join(tempDir(), 'report.pdf');
    const { stdout } = await run('npx', ['tsx', 'src/main/cli/stats.ts', 'report', '--db', f.file, '--month', '2026-10', '--out', out], { cwd: process.cwd(), timeout: 120_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ name: 'stats.report', month: '2026-10' });
    const text = execFileSync('pdftotext', ['-layout', out, '-']).toString('utf8');
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('批量问题与专项治理');
    expect(flat).toContain('本月2件、累计4件，跨163天，趋势上升');
    expect(flat).toContain(item.code);
    expect(flat).toContain('挖掘至月末并冻结');
    expect(flat).not.toContain('13812345678');
    fs.rmSync(out);
  }, 180_000);

  it('a street with no history: the section says what will appear', async () => {
    const r = await buildMonthlyReport(f.ctx, '2026-10');
    expect(r.recurring).toMatchObject({ groupCount: 0, groups: [], classes: [], items: [] });
    expect(r.recurringText).toContain('未发现仍在发生的批量问题');
    expect(r.recurringText).toContain('将在这里列出');
    const x = await f.as('leader')('stats.report', { month: '2026-10', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.dataBase64, 'base64') as any);
    expect(String(wb.getWorksheet('批量问题')!.getRow(6).getCell(1).value)).toContain('本月暂无批量问题');
    expect(String(wb.getWorksheet('专项治理')!.getRow(5).getCell(1).value)).toContain('立为专项治理后');
    expect(String(wb.getWorksheet('一类事')!.getRow(5).getCell(1).value)).toContain('本月暂无一类事');
  });

  it('trend words and phone masking', () => {
    expect(groupTrend([0, 0, 0, 0, 0, 2], 0)).toBe('新出现');
    expect(groupTrend([1, 0, 0, 0, 0, 2], 1)).toBe('再次出现');
    expect(groupTrend([0, 0, 1, 1, 1, 1], 0)).toBe('持平');
    expect(groupTrend([0, 0, 3, 3, 3, 1], 0)).toBe('下降');
    expect(groupTrend([0, 0, 1, 1, 1, 2], 0)).toBe('上升');
    expect(maskPhonesInText('电话13812345678，座机0371-12345678，编号2026100500001')).toBe('电话138****5678，座机037****5678，编号2026100500001');
  });
});
