// The operator's tools on a real store: the list's counts (the list's own filter, exact), bulk
// dispatch and 催办 (one recorded action per ticket, refusals listed per ticket), the Excel export
// of selected tickets (masked, audited) and saved views per user.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketFilter } from '../../src/shared/api/contract';
import { TICKET_STATUSES } from '../../src/shared/domain/ticket';
import { URGE_MARK } from '../../src/shared/api/operatorTools';
import { createFixture, type Fixture } from '../support/fixture';
import { all } from '../../src/main/db/sqlite3Dialect';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

const base = { channel: 'hotline12345' as const, type: 'complaint' as const, address: '经八路1号' };
async function file(description: string, extra: Record<string, unknown> = {}) {
  f.setNow(f.ctx.now() + 60_000);
  return (await f.as('operator')('tickets.create', { ...base, description, ...extra })).ticket;
}

/** Every ticket the list shows for a filter, paging through it as the grid does. */
async function listAll(filter: TicketFilter, who = 'operator') {
  const out: string[] = [];
  for (let start = 0; ; start += 3) {
    const p = await f.as(who)('tickets.list', { startRow: start, endRow: start + 3, filter });
    out.push(...p.rows.map((r) => r.id));
    if (p.lastRow >= 0) return out;
  }
}

describe('counts for the current filter', () => {
  it('the total and the per-status counts are exactly what the list pages through', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12' });
    const b = await file('井盖松动晚上很危险', { categoryId: 'c12' });
    await file('小区门口垃圾堆放', { categoryId: 'c11' });
    await file('咨询社保缴费问题');
    await f.as('operator')('tickets.act', { action: 'dispatch', id: a.id, mode: 'designated', unitId: 'u1' });
    await f.as('operator')('tickets.act', { action: 'dispatch', id: b.id, mode: 'designated', unitId: 'u2' });
    const filters: TicketFilter[] = [
      {},
      { q: '井盖' },
      { statuses: ['dispatched'] },
      { statuses: ['dispatched', 'reported'], q: '井盖' },
      { categoryId: 'c1' },
      { unitId: 'u1' },
      { missing: 'unit' },
      { view: 'pendingAccept' },
    ];
    for (const filter of filters) {
      const c = await f.as('operator')('tickets.statusCounts', { filter });
      const ids = await listAll(filter);
      expect(c.total, JSON.stringify(filter)).toBe(ids.length);
      expect(c.total).toBe((await f.as('operator')('tickets.count', { filter })).count);
      // Each status chip equals the list with that status chosen (the rest of the filter kept).
      for (const st of TICKET_STATUSES) {
        const n = (await listAll({ ...filter, statuses: [st] })).length;
        expect(c.byStatus[st] ?? 0, `${JSON.stringify(filter)} ${st}`).toBe(n);
      }
    }
    expect((await f.as('operator')('tickets.statusCounts', { filter: {} })).byStatus).toMatchObject({ dispatched: 2 });
  });

  it('a channel filter\'s status counts read one covering index, not a row per ticket (1,000,000-ticket stores)', async () => {
    // The statement the operator's list header runs for “channel = 110”, planned by SQLite.
    const q = f.ctx.store.db.selectFrom('tickets').select((eb) => ['tickets.status', eb.fn.countAll<number>().as('n')]).where('tickets.channel', '=', 'police110').groupBy('tickets.status').compile();
    const plan = await all<{ detail: string }>(f.ctx.store.raw, `EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]);
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING COVERING INDEX tickets_channel_status/);
  });

  it('counts only what the user may see', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12' });
    await file('井盖松动晚上很危险', { categoryId: 'c12' });
    await f.as('operator')('tickets.act', { action: 'dispatch', id: a.id, mode: 'designated', unitId: 'u1' });
    const c = await f.as('cg')('tickets.statusCounts', { filter: {} });
    expect(c).toEqual({ total: 1, byStatus: { dispatched: 1 } });
  });
});

describe('bulk actions', () => {
  it('批量派单: one dispatch per ticket, each in its timeline; refusals listed per ticket in Chinese', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12' });
    const b = await file('井盖松动晚上很危险', { categoryId: 'c12' });
    const noCat = await file('说不清是什么问题的来电');
    const r = await f.as('operator')('tickets.bulkAct', { ids: [a.id, noCat.id, b.id, 'no-such-ticket'], op: { action: 'dispatch', unitId: 'u2', note: '批量派单' } });
    expect(r.done.map((x) => x.code)).toEqual([a.code, b.code]);
    expect(r.failed).toEqual([
      { id: noCat.id, code: noCat.code, error: '请先为工单选择派单目录分类，再派单' },
      { id: 'no-such-ticket', code: null, error: '工单不存在' },
    ]);
    for (const t of [a, b]) {
      const d = await f.as('operator')('tickets.get', { id: t.id });
      expect(d.ticket).toMatchObject({ status: 'dispatched', unitId: 'u2' });
      expect(d.events.filter((e) => e.action === 'dispatch')).toHaveLength(1);
    }
    expect((await f.as('operator')('tickets.get', { id: noCat.id })).ticket.status).toBe('registered');
    // Each done dispatch is its own operation for the city.
    const ops = await f.ctx.store.db.selectFrom('outbox').select(['entity_id', 'op']).where('op', '=', 'dispatch').execute();
    expect(ops.map((o) => o.entity_id).sort()).toEqual([a.id, b.id].sort());
  });

  it('批量催办: a 催办 note on each open ticket; a closed one is refused and the others still done', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12' });
    const b = await file('咨询社保缴费问题', { categoryId: 'c21' });
    await f.as('operator')('tickets.act', { action: 'cancel', id: b.id, reason: '重复来电' });
    const r = await f.as('leader')('tickets.bulkAct', { ids: [b.id, a.id], op: { action: 'urge', text: '请今天内处理' } });
    expect(r.done.map((x) => x.id)).toEqual([a.id]);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatchObject({ id: b.id, code: b.code });
    expect(r.failed[0]!.error).toMatch(/已作废.*不能进展备注/);
    const notes = (await f.as('operator')('tickets.get', { id: a.id })).events.filter((e) => e.action === 'note');
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0])).toContain(`${URGE_MARK}请今天内处理`);
    expect(notes[0]!.actorName).toBe('李主任');
  });

  it('only street staff work in bulk; bad input changes nothing', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12' });
    await expect(f.as('cg')('tickets.bulkAct', { ids: [a.id], op: { action: 'urge', text: '请尽快' } })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('operator')('tickets.bulkAct', { ids: [], op: { action: 'urge', text: '请尽快' } })).rejects.toMatchObject({ code: 'invalidInput', message: '输入有误：请先勾选工单' });
    await expect(f.as('operator')('tickets.bulkAct', { ids: [a.id, a.id], op: { action: 'urge', text: '请尽快' } })).rejects.toMatchObject({ code: 'invalidInput' });
    await expect(f.as('operator')('tickets.bulkAct', { ids: Array.from({ length: 201 }, (_, i) => `t${i}`), op: { action: 'urge', text: '请尽快' } })).rejects.toMatchObject({ code: 'invalidInput' });
    expect((await f.as('operator')('tickets.get', { id: a.id })).events.map((e) => e.action)).toEqual(['report', 'register']);
  });
});

describe('Excel export of selected tickets', () => {
  it('masks personal data, exports only visible tickets and is audited', async () => {
    const a = await file('井盖破损有安全隐患', { categoryId: 'c12', reporterName: '张三丰', reporterPhone: '13812345678' });
    const b = await file('井盖松动晚上很危险', { categoryId: 'c12', reporterName: '李四', reporterPhone: '13987654321' });
    await f.as('operator')('tickets.act', { action: 'dispatch', id: a.id, mode: 'designated', unitId: 'u1' });
    const out = await f.as('operator')('tickets.export', { ids: [a.id, b.id] });
    expect(out.rows).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(out.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('工单')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('联系电话');
    const text = JSON.stringify(ws.getSheetValues());
    expect(text).toContain('138****5678');
    expect(text).toContain('139****4321');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张三丰');
    expect(text).toContain('金水区城市管理局');
    const audit = await f.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: '工单', actor_name: '王受理（operator）' });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ rows: 2, codes: expect.arrayContaining([a.code, b.code]) });
    // A unit exports only its own ticket of the selection.
    const unit = await f.as('cg')('tickets.export', { ids: [a.id, b.id] });
    expect(unit.rows).toBe(1);
    await expect(f.as('zj')('tickets.export', { ids: [a.id, b.id] })).rejects.toMatchObject({ code: 'notFound' });
  });
});

describe('saved views', () => {
  it('are per user: saved, renamed, pinned, deleted only by their owner', async () => {
    const op = f.as('operator');
    const v = await op('views.save', { name: '我的超期井盖', query: 'deadline=overdue&q=井盖', pinned: true });
    expect(v).toMatchObject({ name: '我的超期井盖', query: 'deadline=overdue&q=井盖', pinned: true });
    await op('views.save', { name: '待签收', query: 'view=pendingAccept' });
    expect((await op('views.list', {})).map((x) => x.name)).toEqual(['我的超期井盖', '待签收']);
    expect(await f.as('leader')('views.list', {})).toEqual([]);
    await expect(op('views.save', { name: '待签收', query: 'status=reported' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(f.as('leader')('views.save', { id: v.id, name: '偷改', query: '' })).rejects.toMatchObject({ code: 'notFound' });
    await expect(f.as('leader')('views.delete', { id: v.id })).rejects.toMatchObject({ code: 'notFound' });
    await expect(op('views.save', { name: 'x', query: 'a=1&<script>' })).rejects.toMatchObject({ code: 'invalidInput' });
    await expect(op('views.save', { name: '   ', query: '' })).rejects.toMatchObject({ code: 'invalidInput' });
    const renamed = await op('views.save', { id: v.id, name: '超期井盖', query: 'deadline=overdue&q=井盖', pinned: false });
    expect(renamed).toMatchObject({ id: v.id, name: '超期井盖', pinned: false });
    await op('views.delete', { id: v.id });
    expect((await op('views.list', {})).map((x) => x.name)).toEqual(['待签收']);
    // Another user may use the same name.
    expect(await f.as('leader')('views.save', { name: '待签收', query: 'view=pendingAccept' })).toMatchObject({ name: '待签收' });
  });
});
