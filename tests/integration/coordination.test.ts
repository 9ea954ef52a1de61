// Coordination on a real SQLite file: supervision timing across working days, holidays, make-up
// working days and run modes; whistle sessions with department permissions; run modes and the
// zero report's deadline; joint reviews of cross-boundary tickets. Every change leaves its outbox row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createFixture, type Fixture } from '../support/fixture';
import { runSupervision } from '../../src/main/services/coordination/supervision';
import { applyCityWhistleResponse } from '../../src/main/services/coordination/whistle';
import { applyEffectiveMode, switchRunMode } from '../../src/main/services/coordination/runModes';
import { runCoordinationJobs } from '../../src/main/services/coordination/jobs';
import type { ApiEvent } from '../../src/shared/api/contract';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

const at = (s: string) => Date.parse(s + '+08:00');
const newTicket = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育路口井盖破损，车辆经过声音很大',
  address: '体育路与纬五路交叉口',
  reporterName: '张先生',
  reporterPhone: '13800001111',
  categoryId: 'c12', // 3 working days, default unit u1
};

async function outbox(entity: string) {
  return f.ctx.store.db.selectFrom('outbox').selectAll().where('entity', '=', entity).execute();
}

/** A ticket created at `when`, dispatched to u1 and accepted. */
async function acceptedTicket(when: number, extra: Partial<typeof newTicket> = {}) {
  f.setNow(when);
  const op = f.as('operator');
  const { ticket } = await op('tickets.create', { ...newTicket, ...extra });
  await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
  await f.as('cg')('tickets.act', { action: 'accept', id: ticket.id });
  return ticket;
}

async function level(id: string) {
  return (await f.as('operator')('tickets.get', { id })).ticket.supervisionLevel;
}

describe('supervision (督办)', () => {
  it('escalates on working time only: weekends do not count', async () => {
    const t = await acceptedTicket(at('2026-11-23T10:00:00')); // Monday
    expect(t.resolveDeadline).toBe(at('2026-11-26T18:00:00')); // third working day, 18:00
    f.setNow(at('2026-11-26T18:30:00'));
    expect(await runSupervision(f.ctx)).toMatchObject({ escalated: 1 });
    expect(await level(t.id)).toBe(1);
    f.setNow(at('2026-11-27T17:00:00')); // 7 working hours overdue
    expect((await runSupervision(f.ctx)).escalated).toBe(0);
    f.setNow(at('2026-11-30T09:30:00')); // Friday's 8 h + 0.5 h on Monday; the weekend is free
    expect((await runSupervision(f.ctx)).escalated).toBe(1);
    expect(await level(t.id)).toBe(2);
    const history = await f.as('leader')('supervision.history', { ticketId: t.id });
    expect(history.map((h) => [h.kind, h.level])).toEqual([['auto', 2], ['auto', 1]]);
    expect(history[0]).toMatchObject({ unitId: 'u1', previousLevel: 1, overdueMinutes: 510, notified: ['处置单位', '街道城运中心', '区城运中心'] });
  });

  it('skips public holidays and counts make-up working days (国庆 2026)', async () => {
    const t = await acceptedTicket(at('2026-09-24T10:00:00')); // Thursday before 中秋 (25–27 Sep)
    expect(t.resolveDeadline).toBe(at('2026-09-30T18:00:00'));
    f.setNow(at('2026-10-08T10:00:00')); // 1–7 Oct off: one working hour overdue
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(1);
    f.setNow(at('2026-10-09T12:00:00')); // 8 + 3 working hours
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(2);
    f.setNow(at('2026-10-12T09:00:00')); // Sat 10 Oct is a make-up working day: 8 + 8 + 8 = 24 h, not over 3 days
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(2);
    f.setNow(at('2026-10-12T10:00:00')); // 25 h > 3 working days
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(3);
  });

  it('follows the category\'s own thresholds from the catalog', async () => {
    await f.ctx.store.db.updateTable('catalog').set({ supervision_hours: '[2,4,8]' }).where('id', '=', 'c12').execute();
    const t = await acceptedTicket(at('2026-11-23T10:00:00'));
    f.setNow(at('2026-11-27T11:30:00')); // 2.5 working hours overdue: level 2 for this category (default: 1)
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(2);
    const board = await f.as('leader')('supervision.board', {});
    expect(board.rows[0]).toMatchObject({ level: 2, ruleLevel: 2, overdueMinutes: 150, nextEscalationAt: at('2026-11-27T14:00:00') + 60_000 });
  });

  it('tightens with the run mode: natural hours in emergency', async () => {
    const t = await acceptedTicket(at('2026-11-23T10:00:00'));
    f.setNow(at('2026-11-26T21:00:00')); // 3 natural hours, 0 working hours overdue
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(1);
    await switchRunMode(f.ctx, 'emergency', { by: '李主任', source: 'leader' });
    await runSupervision(f.ctx);
    // Emergency thresholds count from the switch, never retroactively: 3 hours already overdue do not count.
    expect(await level(t.id)).toBe(1);
    f.setNow(at('2026-11-26T23:01:00')); // 2 h after the switch: over 2 natural hours
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(2);
    f.setNow(at('2026-11-27T05:01:00')); // 8 h after the switch
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(3);
    const board = await f.as('leader')('supervision.board', {});
    const row = board.rows.find((r) => r.ticketId === t.id)!;
    expect(board.mode).toBe('emergency');
    expect(row).toMatchObject({ level: 3, ruleLevel: 3, state: 'overdue', clock: 'natural', overdueNaturalMinutes: 661, nextEscalationAt: at('2026-11-27T21:00:00') + 1 });
    expect(board.units.find((u) => u.unitId === 'u1')!.byLevel[3]).toBe(1);
  });

  it('reminds at-risk tickets once, before the deadline, and the board lists them', async () => {
    const t = await acceptedTicket(at('2026-11-23T10:00:00'));
    f.setNow(at('2026-11-26T09:00:00')); // due today 18:00
    expect(await runSupervision(f.ctx)).toEqual({ escalated: 0, warned: 1 });
    expect(await runSupervision(f.ctx)).toEqual({ escalated: 0, warned: 0 });
    const board = await f.as('cg')('supervision.board', {});
    expect(board.rows).toHaveLength(1);
    expect(board.rows[0]).toMatchObject({ ticketId: t.id, state: 'dueSoon', level: 0, reminders: 1, lastReminder: { kind: 'warning', notified: ['处置单位'] } });
    // Another unit sees none of it.
    expect((await f.as('zj')('supervision.board', {})).rows).toHaveLength(0);
    expect(await outbox('supervision')).toHaveLength(1);
  });

  it('leaders supervise by hand with a note and a new deadline; the record is permanent', async () => {
    const t = await acceptedTicket(at('2026-11-23T10:00:00'));
    const newDeadline = at('2026-11-25T12:00:00');
    await expect(f.as('operator')('supervision.supervise', { ticketId: t.id, level: 2, note: '群众反映强烈' })).rejects.toMatchObject({ code: 'forbiddenRole', message: '只有街道领导可以督办工单' });
    await expect(f.as('leader')('supervision.supervise', { ticketId: t.id, level: 2, note: '群众反映强烈', newDeadline: at('2026-11-20T12:00:00') })).rejects.toMatchObject({ code: 'badDeadline' });
    const recs = await f.as('leader')('supervision.supervise', { ticketId: t.id, level: 2, note: '群众反映强烈，限期办结', newDeadline });
    expect(recs[0]).toMatchObject({ kind: 'manual', level: 2, previousLevel: 0, newDeadline, deadline: at('2026-11-26T18:00:00'), byName: '李主任', note: '群众反映强烈，限期办结' });
    const d = await f.as('leader')('tickets.get', { id: t.id });
    expect(d.ticket).toMatchObject({ supervisionLevel: 2, resolveDeadline: newDeadline });
    expect(d.events.at(-1)).toMatchObject({ action: 'supervise', reason: '群众反映强烈，限期办结' });
    // The classic ticket action also leaves a record.
    await f.as('leader')('tickets.act', { action: 'supervise', id: t.id, level: 3, reason: '再次督办' });
    expect((await f.as('leader')('supervision.history', { ticketId: t.id })).map((r) => r.level)).toEqual([3, 2]);
    await expect(sql`DELETE FROM supervision_records`.execute(f.ctx.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE supervision_records SET level = 0`.execute(f.ctx.store.db)).rejects.toThrow(/append-only/);
    expect((await outbox('supervision')).map((o) => o.op)).toEqual(['manual', 'manual']);
  });
});

describe('whistle sessions (吹哨报到)', () => {
  async function openGasCase() {
    f.setNow(at('2026-11-23T10:00:00'));
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', { ...newTicket, description: '纬五路12号院燃气热水器管道带电，洗澡麻手', address: '纬五路12号院' });
    const events: ApiEvent[] = [];
    f.ctx.events.subscribe((e) => events.push(e));
    const s = await op('whistle.open', {
      title: '燃气热水器管道带电',
      problem: '多户燃气热水器管道带电，疑似漏电经燃气和暖气管道传导',
      urgency: 'critical',
      place: '纬五路12号院2号楼',
      ticketId: ticket.id,
      unitIds: ['u1', 'u2', 'u3'],
      leadUnitId: 'u3',
      reportBy: at('2026-11-23T11:00:00'),
      tasks: [
        { unitId: 'u1', title: '排查楼内线路漏电', deadline: at('2026-11-23T16:00:00') },
        { unitId: 'u2', title: '排查暖气管道接地', deadline: at('2026-11-23T16:00:00') },
        { unitId: 'u3', title: '燃气管道绝缘检测', deadline: at('2026-11-23T16:00:00') },
      ],
    });
    return { ticket, s, events };
  }

  it('runs from the whistle to the resolved ticket, each department only on its own tasks', async () => {
    const { ticket, s, events } = await openGasCase();
    expect(s.code).toMatch(/^CS-20261123-0001$/);
    expect(s.depts.map((d) => [d.unitId, d.state])).toEqual([['u3', 'notified'], ['u1', 'notified'], ['u2', 'notified']]);
    expect((await f.as('operator')('tickets.get', { id: ticket.id })).ticket).toMatchObject({ status: 'dispatched', unitId: 'u3' });
    expect(events.some((e) => e.type === 'whistle.changed' && e.id === s.id)).toBe(true);

    const rq = f.as('rq');
    const task = (unit: string) => s.taskList.find((t) => t.unitId === unit)!.id;
    // Not checked in yet; another department's task; responding for another department.
    await expect(rq('whistle.updateTask', { taskId: task('u3'), status: 'done', result: '已检测' })).rejects.toMatchObject({ code: 'notCheckedIn' });
    await expect(rq('whistle.updateTask', { taskId: task('u2'), status: 'done', result: '已检测' })).rejects.toMatchObject({ code: 'notYourUnit', message: '只能更新本单位的任务，不能修改其他部门的任务' });
    await expect(rq('whistle.respond', { sessionId: s.id, unitId: 'u2', state: 'onSite' })).rejects.toMatchObject({ code: 'notYourUnit' });
    await expect(rq('whistle.addEntry', { sessionId: s.id, kind: 'decision', text: '由燃气公司牵头' })).rejects.toMatchObject({ code: 'forbiddenRole' });

    f.setNow(at('2026-11-23T10:25:00'));
    const afterCheckIn = await rq('whistle.respond', { sessionId: s.id, state: 'onSite' });
    expect(afterCheckIn.depts[0]).toMatchObject({ unitId: 'u3', state: 'onSite', checkedInAt: at('2026-11-23T10:25:00'), repName: '燃气联络员', late: false });
    expect((await f.as('operator')('tickets.get', { id: ticket.id })).ticket.status).toBe('accepted');
    await expect(rq('whistle.respond', { sessionId: s.id, state: 'acknowledged' })).rejects.toMatchObject({ code: 'badDeptState' });

    f.setNow(at('2026-11-23T11:30:00'));
    await f.as('zj')('whistle.respond', { sessionId: s.id, state: 'online' });
    await f.as('zj')('whistle.updateTask', { taskId: task('u2'), status: 'done', result: '暖气管道接地良好' });
    // The street records the power company's result taken by phone.
    await f.as('operator')('whistle.updateTask', { taskId: task('u1'), status: 'done', result: '更换2号楼漏电配电箱' });
    await f.as('operator')('whistle.addEntry', { sessionId: s.id, kind: 'decision', text: '燃气公司牵头，供电公司配合整改' });
    expect((await f.as('operator')('tickets.get', { id: ticket.id })).ticket.status).toBe('accepted');

    const done = await rq('whistle.updateTask', { taskId: task('u3'), status: 'done', result: '燃气管道加装绝缘接头' });
    expect(done.tasksDone).toBe(3);
    expect(done.depts.find((d) => d.unitId === 'u3')!.state).toBe('done');
    expect(done.depts.find((d) => d.unitId === 'u1')!.state).toBe('notified'); // never checked in: only its task is done
    expect(done.depts.find((d) => d.unitId === 'u2')).toMatchObject({ state: 'done', late: true });
    const d = await f.as('operator')('tickets.get', { id: ticket.id });
    expect(d.ticket.status).toBe('resolved');
    expect(d.ticket.result).toContain('燃气管道加装绝缘接头');
    expect(d.events.filter((e) => e.action === 'note').map((e) => e.reason)).toContain(`发起吹哨报到 ${s.code}：召集金水区城市管理局、金水区住建局、郑州华润燃气报到`);

    await expect(rq('whistle.updateTask', { taskId: task('u3'), status: 'inProgress' })).rejects.toMatchObject({ code: 'taskDone' });
    // 城管局 never reported: ending needs a reason, which is kept with the summary and on the ticket.
    await expect(f.as('operator')('whistle.close', { sessionId: s.id, summary: '隐患已消除' })).rejects.toMatchObject({ code: 'reasonRequired', message: expect.stringContaining('金水区城市管理局 尚未报到') });
    await expect(f.as('operator')('whistle.close', { sessionId: s.id, summary: '隐患已消除', reason: '无' })).rejects.toMatchObject({ code: 'reasonRequired' });
    expect((await f.as('operator')('whistle.get', { id: s.id })).status).not.toBe('closed');
    const closed = await f.as('operator')('whistle.close', { sessionId: s.id, summary: '隐患已消除', reason: '城管局电话确认无需到场' });
    expect(closed.status).toBe('closed');
    expect(closed.summary).toContain('未报到：金水区城市管理局；原因：城管局电话确认无需到场');
    await expect(f.as('operator')('whistle.addEntry', { sessionId: s.id, kind: 'minute', text: '补记' })).rejects.toMatchObject({ code: 'sessionClosed' });
    const ops = (await outbox('whistleSession')).map((o) => o.op);
    expect(ops[0]).toBe('open');
    expect(ops.at(-1)).toBe('close');
    expect(ops.filter((o) => o === 'updateTask')).toHaveLength(3);
  });

  it('shows a department only the sessions it is summoned to; city responses apply', async () => {
    f.setNow(at('2026-11-23T10:00:00'));
    const s = await f.as('operator')('whistle.open', { title: '暖气管道漏水', problem: '地下室暖气主管道漏水', place: '体育路8号院', unitIds: ['u2'], reportBy: at('2026-11-23T12:00:00') });
    expect((await f.as('cg')('whistle.list', {})).map((x) => x.id)).not.toContain(s.id);
    await expect(f.as('cg')('whistle.get', { id: s.id })).rejects.toMatchObject({ code: 'notFound' });
    expect((await f.as('zj')('whistle.list', {})).map((x) => x.id)).toEqual([s.id]);
    await expect(f.as('cg')('whistle.open', { title: '测试', problem: '单位不能发起吹哨', place: '某处', unitIds: ['u1'], reportBy: at('2026-11-23T12:00:00') })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('operator')('whistle.open', { title: '测试', problem: '报到时间已过去了', place: '某处', unitIds: ['u1'], reportBy: at('2026-11-23T09:00:00') })).rejects.toMatchObject({ code: 'badReportBy' });
    await applyCityWhistleResponse(f.ctx, { sessionId: s.id, unitId: 'u2', state: 'acknowledged', repName: '住建值班室' });
    const d = await f.as('zj')('whistle.get', { id: s.id });
    expect(d.depts[0]).toMatchObject({ state: 'acknowledged', repName: '住建值班室' });
    const row = await f.ctx.store.db.selectFrom('whistle_departments').select('source').where('session_id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.source).toBe('city');
  });
});

describe('run modes (运行模式) and the zero report', () => {
  it('a leader switches modes; new tickets get tighter deadlines; the period ends by itself', async () => {
    f.setNow(at('2026-11-23T10:00:00'));
    const daily = (await f.as('operator')('tickets.create', newTicket)).ticket.resolveDeadline!;
    await expect(f.as('operator')('runMode.switch', { mode: 'emergency' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('runMode.switch', { mode: 'emergency', end: at('2026-11-23T09:00:00') })).rejects.toMatchObject({ code: 'badPeriod' });
    const st = await f.as('leader')('runMode.switch', { mode: 'emergency', end: at('2026-11-24T10:00:00'), note: '寒潮应急' });
    expect(st).toMatchObject({ mode: 'emergency', current: { source: 'leader', byName: '李主任', end: at('2026-11-24T10:00:00') }, requirements: { zeroReportDue: '10:00' } });
    const emergency = (await f.as('operator')('tickets.create', newTicket)).ticket.resolveDeadline!;
    expect(emergency - at('2026-11-23T10:00:00')).toBe(18 * 3600_000); // 3 days × 24 h × 0.25
    expect(emergency).toBeLessThan(daily);
    f.setNow(at('2026-11-24T10:00:01'));
    await runCoordinationJobs(f.ctx);
    expect((await f.as('operator')('runMode.status', {})).mode).toBe('daily');
    // A city directive switches too.
    await switchRunMode(f.ctx, 'majorEvent', { by: '市城运中心', source: 'city' });
    const s2 = await f.as('operator')('runMode.status', {});
    expect(s2).toMatchObject({ mode: 'majorEvent', current: { source: 'city' } });
    expect(s2.history).toHaveLength(2);
    expect((await outbox('runMode')).length).toBe(2);
    expect(await applyEffectiveMode(f.ctx)).toBe('majorEvent');
  });

  it('detects the zero report deadline: pending, missing, late, filed', async () => {
    f.setNow(at('2026-11-23T07:30:00'));
    expect((await f.as('operator')('runMode.status', {})).zeroReport.state).toBe('notRequired');
    await f.as('leader')('runMode.switch', { mode: 'emergency' });
    let st = await f.as('operator')('runMode.status', {});
    expect(st.zeroReport).toMatchObject({ state: 'pending', dueAt: at('2026-11-23T10:00:00') });
    f.setNow(at('2026-11-23T10:30:00'));
    expect((await runCoordinationJobs(f.ctx)).zeroReportMissing).toBe(true);
    expect((await f.as('operator')('runMode.status', {})).zeroReport.state).toBe('missing');
    await expect(f.as('operator')('runMode.zeroReport', { kind: 'incidents', incidents: 0, text: '' })).rejects.toMatchObject({ code: 'invalidInput' });
    st = await f.as('operator')('runMode.zeroReport', { kind: 'nothing' });
    expect(st.zeroReport).toMatchObject({ state: 'late', report: { late: true, kind: 'nothing', byName: '王受理' } });
    await expect(f.as('operator')('runMode.zeroReport', { kind: 'nothing' })).rejects.toMatchObject({ code: 'alreadyFiled' });
    f.setNow(at('2026-11-24T08:15:00'));
    expect((await f.as('operator')('runMode.status', {})).zeroReport.state).toBe('pending');
    st = await f.as('operator')('runMode.zeroReport', { kind: 'incidents', incidents: 2, text: '两处路面结冰已处置' });
    expect(st.zeroReport).toMatchObject({ state: 'filed', report: { incidents: 2, late: false } });
    await expect(f.as('cg')('runMode.zeroReport', { kind: 'nothing' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    expect((await outbox('zeroReport')).length).toBe(2);
  });

  it('a mode switched after (or just before) its zero-report hour asks for the first report the next day', async () => {
    f.setNow(at('2026-11-23T15:30:00')); // emergency's report is due by 10:00
    const preview = await f.as('leader')('runMode.preview', { mode: 'emergency' });
    expect(preview.firstZeroReportDue).toBe(at('2026-11-24T10:00:00'));
    await f.as('leader')('runMode.switch', { mode: 'emergency' });
    expect((await f.as('operator')('runMode.status', {})).zeroReport).toMatchObject({ state: 'firstDay', dueAt: at('2026-11-24T10:00:00') });
    expect((await runCoordinationJobs(f.ctx)).zeroReportMissing).toBe(false);
    f.setNow(at('2026-11-24T10:30:00'));
    expect((await f.as('operator')('runMode.status', {})).zeroReport.state).toBe('missing');
  });

  it('a filed report keeps what it was when filed, whatever mode follows (no 已按时报送 over 逾期)', async () => {
    f.setNow(at('2026-11-23T07:00:00'));
    await f.as('leader')('runMode.switch', { mode: 'emergency' });
    f.setNow(at('2026-11-23T11:00:00'));
    await f.as('operator')('runMode.zeroReport', { kind: 'nothing' }); // after 10:00: late
    f.setNow(at('2026-11-23T12:00:00'));
    await f.as('leader')('runMode.switch', { mode: 'holiday' }); // due 16:00 — the report was not late for that
    const st = await f.as('operator')('runMode.status', {});
    expect(st.zeroReport).toMatchObject({ state: 'late', report: { late: true } });
  });

  it('a switch shows what it will do first; thresholds apply from the switch; switching back within the grace period undoes its escalations', async () => {
    // Gas leaks escalate within the hour: emergency scales them down to minutes.
    await f.ctx.store.db.updateTable('catalog').set({ supervision_hours: '[1,2,4]' }).where('id', '=', 'c12').execute();
    const t = await acceptedTicket(at('2026-11-23T10:00:00'));
    f.setNow(at('2026-11-26T18:30:00')); // half a working hour overdue
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(1);
    const preview = await f.as('leader')('runMode.preview', { mode: 'emergency' });
    expect(preview).toMatchObject({ from: 'daily', to: 'emergency', escalateAtOnce: 0, overdueOpen: 1, deadlines: { factor: 0.25, naturalTime: true }, firstZeroReportDue: at('2026-11-27T10:00:00') });
    expect(preview.escalations[0]).toMatchObject({ ticketId: t.id, level: 1, toLevel: 2, at: at('2026-11-26T18:45:00') + 1 });
    // The preview changed nothing.
    expect((await f.as('operator')('runMode.status', {})).mode).toBe('daily');

    await f.as('leader')('runMode.switch', { mode: 'emergency' });
    expect(await level(t.id)).toBe(1); // not retroactive: nothing escalates at the switch
    f.setNow(at('2026-11-26T18:50:00')); // 20 min later: over the scaled threshold (1 h × 0.25)
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(2);
    expect((await f.as('leader')('runMode.preview', { mode: 'daily' })).undoesEscalations).toBe(true);
    await f.as('leader')('runMode.switch', { mode: 'daily' });
    expect(await level(t.id)).toBe(1);
    const d = await f.as('operator')('tickets.get', { id: t.id });
    expect(d.events.at(-1)!.reason).toContain('运行模式切回');
    // Past the grace period nothing is undone.
    f.setNow(at('2026-11-26T19:00:00'));
    await f.as('leader')('runMode.switch', { mode: 'emergency' });
    f.setNow(at('2026-11-26T19:40:00'));
    await runSupervision(f.ctx);
    expect(await level(t.id)).toBe(3);
    expect((await f.as('leader')('runMode.preview', { mode: 'daily' })).undoesEscalations).toBe(false);
    await f.as('leader')('runMode.switch', { mode: 'daily' });
    expect(await level(t.id)).toBe(3);
  });

  it('key places need patrols in non-daily modes; the duty roster shows today', async () => {
    f.setNow(at('2026-11-23T09:00:00'));
    await f.ctx.store.db.insertInto('key_places').values({ id: 'p1', name: '省体育中心', address: '经八路', kind: '大型场馆', active: 1, sort: 0 }).execute();
    expect((await f.as('operator')('runMode.status', {})).patrolsDue).toBe(0);
    await f.as('leader')('runMode.switch', { mode: 'majorEvent' });
    expect((await f.as('operator')('runMode.status', {})).patrolsDue).toBe(1);
    await expect(f.as('wangge')('runMode.patrol', { placeId: 'p1', ok: false })).rejects.toMatchObject({ code: 'noteRequired' });
    let st = await f.as('wangge')('runMode.patrol', { placeId: 'p1', ok: true });
    expect(st.patrols[0]).toMatchObject({ due: false, lastBy: '赵网格', checkinsToday: 1 });
    f.setNow(at('2026-11-23T13:30:00')); // every 4 h in major-event mode
    expect((await f.as('operator')('runMode.status', {})).patrolsDue).toBe(1);
    st = await f.as('operator')('runMode.setDuty', { date: '2026-11-23', shift: 'day', post: '带班领导', name: '李主任' });
    st = await f.as('operator')('runMode.setDuty', { date: '2026-11-23', shift: 'day', post: '带班领导', name: '张副主任' });
    expect(st.duty.map((d) => d.name)).toEqual(['张副主任']);
    expect((await outbox('patrol')).length).toBe(1);
    expect((await outbox('dutyRoster')).length).toBe(2);
  });
});

describe('joint reviews (三跨会商)', () => {
  it('marks the ticket cross-boundary, records positions, decides and dispatches to the owner', async () => {
    f.setNow(at('2026-11-23T10:00:00'));
    const { ticket } = await f.as('operator')('tickets.create', newTicket);
    await expect(f.as('operator')('reviews.open', { ticketId: ticket.id, dimensions: ['department'], question: '井盖权属不清', unitIds: ['u1'] })).rejects.toMatchObject({ code: 'invalidInput' });
    const r = await f.as('operator')('reviews.open', { ticketId: ticket.id, dimensions: ['department', 'level'], question: '井盖权属不清，城管与住建均称非本单位', unitIds: ['u1', 'u2'] });
    expect((await f.as('operator')('tickets.get', { id: ticket.id })).ticket.isCrossBoundary).toBe(true);
    await expect(f.as('operator')('reviews.open', { ticketId: ticket.id, dimensions: ['region'], question: '再开一个会商', unitIds: ['u1', 'u2'] })).rejects.toMatchObject({ code: 'reviewOpen' });
    await expect(f.as('cg')('reviews.position', { reviewId: r.id, unitId: 'u2', position: 'lead' })).rejects.toMatchObject({ code: 'notYourUnit' });
    await expect(f.as('rq')('reviews.position', { reviewId: r.id, position: 'lead' })).rejects.toMatchObject({ code: 'notCandidate' });
    await f.as('cg')('reviews.position', { reviewId: r.id, position: 'lead', note: '属市政井盖' });
    // While 住建局 has not stated its position, deciding needs a reason.
    await expect(f.as('leader')('reviews.decide', { reviewId: r.id, ownerUnitId: 'u1', decision: '由区城管局牵头修复' })).rejects.toMatchObject({ code: 'reasonRequired', message: expect.stringContaining('金水区住建局 尚待表态') });
    const mid = await f.as('zj')('reviews.position', { reviewId: r.id, position: 'assist', note: '配合提供管网资料' });
    expect(mid.positionsIn).toBe(2);
    // Naming as lead the unit that said it would only assist needs a reason too.
    await expect(f.as('leader')('reviews.decide', { reviewId: r.id, ownerUnitId: 'u2', decision: '由住建局牵头修复' })).rejects.toMatchObject({ code: 'reasonRequired', message: expect.stringContaining('表态为配合办理') });
    expect((await f.as('operator')('reviews.list', { status: 'open' })).map((x) => x.id)).toEqual([r.id]);
    const decided = await f.as('leader')('reviews.decide', { reviewId: r.id, ownerUnitId: 'u1', decision: '由区城管局牵头修复，住建局配合', shares: [{ unitId: 'u2', duty: '提供管网资料' }] });
    expect(decided).toMatchObject({ status: 'decided', ownerUnitId: 'u1', decidedByName: '李主任' });
    const d = await f.as('operator')('tickets.get', { id: ticket.id });
    expect(d.ticket).toMatchObject({ status: 'dispatched', unitId: 'u1' });
    expect(d.events.at(-1)!.reason).toContain('经三跨会商');
    await expect(f.as('cg')('reviews.position', { reviewId: r.id, position: 'decline' })).rejects.toMatchObject({ code: 'reviewDecided' });
    expect((await f.as('zj')('reviews.list', {})).map((x) => x.id)).toEqual([r.id]);
    expect((await f.as('rq')('reviews.list', {})).length).toBe(0);
    expect((await outbox('review')).map((o) => o.op)).toEqual(['open', 'position', 'position', 'decide']);
  });
});
