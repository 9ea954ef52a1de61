// Every service action on a real SQLite file, through the same `handle` the transports use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createFixture, PNG_1x1, PNG_1x1_B, type Fixture } from '../support/fixture';
import type { TicketDetail } from '../../src/shared/api/types';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

const newTicket = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育场路12号院门口井盖缺失，晚上很危险',
  address: '经八路体育场路12号院',
  reporterName: '张三',
  reporterPhone: '13812345678',
  categoryId: 'c12',
};

async function counts() {
  const db = f.ctx.store.db;
  const one = async (t: 'tickets' | 'ticket_events' | 'outbox' | 'ticket_attachments' | 'ticket_negotiations' | 'ticket_extensions') =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).$if(t === 'outbox', (q) => q.where(sql.ref('entity'), '!=', 'audit')).executeTakeFirstOrThrow()).n);
  return {
    tickets: await one('tickets'),
    events: await one('ticket_events'),
    outbox: await one('outbox'),
    attachments: await one('ticket_attachments'),
    negotiations: await one('ticket_negotiations'),
    extensions: await one('ticket_extensions'),
  };
}

async function upload(who: string, bytes: Buffer, name = 'p.png') {
  return f.as(who)('attachments.upload', { name, mime: 'image/png', dataBase64: bytes.toString('base64') });
}

describe('the whole life of a ticket', () => {
  it('create → one-click dispatch → accept → resolve with photo → verify → callback → close', async () => {
    const op = f.as('operator');
    const unit = f.as('cg');
    const before = await upload('operator', PNG_1x1);
    let d: TicketDetail = await op('tickets.create', { ...newTicket, photos: [before.sha256] });
    expect(d.ticket.status).toBe('registered');
    expect(d.ticket.code).toMatch(/^JB-20261123-0001$/);
    expect(d.ticket.resolveDeadline).toBeGreaterThan(Date.parse('2026-11-23T10:00:00+08:00'));
    expect(d.attachments).toMatchObject([{ kind: 'before', sha256: before.sha256 }]);
    expect(d.allowedActions).toContain('dispatch');
    const id = d.ticket.id;

    d = await op('tickets.act', { action: 'dispatch', id, mode: 'oneClick' });
    expect(d.ticket).toMatchObject({ status: 'dispatched', unitId: 'u1', dispatchMode: 'oneClick' });
    expect(d.ticket.acceptDeadline).not.toBeNull();

    // Another unit cannot accept it, and it doesn't see it.
    await expect(f.as('zj')('tickets.act', { action: 'accept', id })).rejects.toMatchObject({ code: 'notYourUnit' });
    await expect(f.as('zj')('tickets.get', { id })).rejects.toMatchObject({ code: 'forbidden' });

    d = await unit('tickets.act', { action: 'accept', id });
    expect(d.ticket.status).toBe('accepted');
    // Its own ticket in progress: the unit sees the citizen's phone in full, to call back (audited).
    expect(d.ticket.reporterPhone).toBe('13812345678');
    expect(d.ticket.personalInFull).toBe(true);

    const after = await upload('cg', PNG_1x1_B, 'after.png');
    d = await unit('tickets.act', { action: 'resolve', id, result: '已更换新井盖并设置警示标志', photos: [after.sha256] });
    expect(d.ticket.status).toBe('resolved');
    expect(d.attachments.map((a) => a.kind).sort()).toEqual(['after', 'before']);

    d = await op('tickets.act', { action: 'verify', id, passed: true });
    expect(d.ticket.status).toBe('verified');
    await expect(op('tickets.act', { action: 'close', id })).rejects.toMatchObject({ code: 'callbackFirst' });
    d = await op('tickets.act', { action: 'callback', id, satisfaction: 'satisfied' });
    expect(d.ticket.satisfaction).toBe('satisfied');
    d = await op('tickets.act', { action: 'close', id });
    expect(d.ticket.status).toBe('closed');
    expect(d.allowedActions).toEqual(['reopen']);

    expect(d.events.map((e) => [e.action, e.toStatus])).toEqual([
      ['report', 'reported'],
      ['register', 'registered'],
      ['dispatch', 'dispatched'],
      ['accept', 'accepted'],
      ['resolve', 'resolved'],
      ['verify', 'verified'],
      ['callback', 'verified'],
      ['close', 'closed'],
    ]);
    expect(d.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // One outbox operation per user action (create counts once).
    // (Audit entries — the logins — travel in the outbox too.)
    const ops = await f.ctx.store.db.selectFrom('outbox').select(['op', 'entity_id']).where('entity', '=', 'ticket').orderBy('seq').execute();
    expect(ops.map((o) => o.op)).toEqual(['create', 'dispatch', 'accept', 'resolve', 'verify', 'callback', 'close']);
    expect(new Set(ops.map((o) => o.entity_id))).toEqual(new Set([id]));
  });

  it('the timeline is append-only in the database itself', async () => {
    const d = await f.as('operator')('tickets.create', newTicket);
    await expect(sql`UPDATE ticket_events SET reason = 'x' WHERE ticket_id = ${d.ticket.id}`.execute(f.ctx.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ticket_events`.execute(f.ctx.store.db)).rejects.toThrow(/append-only/);
  });
});

describe('dispatch modes, return, extension', () => {
  it('a unit returns with a reason; the street re-dispatches by designation', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    await expect(f.as('cg')('tickets.act', { action: 'return', id: ticket.id, reason: '' })).rejects.toMatchObject({ code: 'invalidInput' });
    let d = await f.as('cg')('tickets.act', { action: 'return', id: ticket.id, reason: '属于住建部门职责' });
    expect(d.ticket).toMatchObject({ status: 'returned', unitId: null, returnCount: 1 });
    d = await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'designated', unitId: 'u2' });
    expect(d.ticket).toMatchObject({ status: 'dispatched', unitId: 'u2', dispatchMode: 'designated' });
    await expect(op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'designated', unitId: 'u2' })).rejects.toMatchObject({ code: 'invalidState' });
  });

  it('one-click sends community-level categories to the committee of the ticket community', async () => {
    const op = f.as('operator');
    const inside = (await op('tickets.create', { ...newTicket, categoryId: 'c14', description: '楼道里贴满了开锁小广告', lon: 113.662, lat: 34.772 })).ticket;
    expect(inside.gridId).toBe('g3');
    expect((await op('tickets.act', { action: 'dispatch', id: inside.id, mode: 'oneClick' })).ticket.unitId).toBe('u4');
    // Without a grid, the catalog's default unit takes it.
    const nowhere = (await op('tickets.create', { ...newTicket, categoryId: 'c14', description: '楼道里贴满了开锁小广告' })).ticket;
    expect((await op('tickets.act', { action: 'dispatch', id: nowhere.id, mode: 'oneClick' })).ticket.unitId).toBe('u5');
  });

  it('one-click needs a default unit; designated needs a unit', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', { ...newTicket, categoryId: 'c13' });
    await expect(op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' })).rejects.toMatchObject({ code: 'noDefaultUnit' });
    await expect(op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'designated' })).rejects.toMatchObject({ code: 'unitRequired' });
    await expect(op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'designated', unitId: 'nope' })).rejects.toMatchObject({ code: 'badUnit' });
  });

  it('negotiated: candidates decline with a reason or accept; the acceptor becomes the unit', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    let d = await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'negotiated', candidateUnitIds: ['u1', 'u2', 'u3'] });
    expect(d.negotiations.map((n) => n.response)).toEqual(['pending', 'pending', 'pending']);
    expect(await f.as('rq')('tickets.get', { id: ticket.id })).toMatchObject({ allowedActions: ['respondNegotiation'] });
    await expect(f.as('rq')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: false })).rejects.toMatchObject({ code: 'reasonRequired' });
    d = await f.as('rq')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: false, reason: '不涉及燃气管道' });
    expect(d.ticket.status).toBe('dispatched');
    d = await f.as('zj')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: true });
    expect(d.ticket).toMatchObject({ status: 'accepted', unitId: 'u2' });
    await expect(f.as('cg')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: true })).rejects.toMatchObject({ code: 'invalidState' });
  });

  it('all candidates declining returns the ticket to the street', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'negotiated', candidateUnitIds: ['u1', 'u2'] });
    await f.as('cg')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: false, reason: '非本单位职责' });
    const d = await f.as('zj')('tickets.act', { action: 'respondNegotiation', id: ticket.id, accepted: false, reason: '非本单位职责' });
    expect(d.ticket.status).toBe('returned');
  });

  it('extension: requested by the unit, approved by the street, moves the deadline', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    let d = await f.as('cg')('tickets.act', { action: 'accept', id: ticket.id });
    const due = d.ticket.resolveDeadline!;
    d = await f.as('cg')('tickets.act', { action: 'requestExtension', id: ticket.id, days: 2, reason: '需采购专用井盖' });
    expect(d.extensions).toMatchObject([{ status: 'pending', days: 2 }]);
    await expect(f.as('cg')('tickets.act', { action: 'requestExtension', id: ticket.id, days: 1, reason: '再延一天' })).rejects.toMatchObject({ code: 'extensionPending' });
    d = await f.as('leader')('tickets.act', { action: 'decideExtension', id: ticket.id, approved: true });
    expect(d.extensions[0]!.status).toBe('approved');
    expect(d.ticket.resolveDeadline!).toBeGreaterThan(due + 24 * 3600_000);
  });

  it('progress notes by the unit appear in the timeline', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    await f.as('cg')('tickets.act', { action: 'accept', id: ticket.id });
    const d = await f.as('cg')('tickets.act', { action: 'note', id: ticket.id, text: '已联系施工队，明早到场' });
    expect(d.events.at(-1)).toMatchObject({ action: 'note', reason: '已联系施工队，明早到场', actorName: '城管联络员' });
  });
});

describe('reopen, consultation, micro events, cancel, merge, supervision', () => {
  async function resolved() {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    await f.as('cg')('tickets.act', { action: 'accept', id: ticket.id });
    await f.as('cg')('tickets.act', { action: 'resolve', id: ticket.id, result: '已处理完毕' });
    return ticket.id;
  }

  it('failed verification needs a reason and reopens', async () => {
    const id = await resolved();
    await expect(f.as('operator')('tickets.act', { action: 'verify', id, passed: false })).rejects.toMatchObject({ code: 'reasonRequired' });
    const d = await f.as('operator')('tickets.act', { action: 'verify', id, passed: false, reason: '现场井盖仍未更换' });
    expect(d.ticket).toMatchObject({ status: 'reopened', reopenCount: 1 });
    expect(d.allowedActions).toContain('dispatch');
  });

  it('an unsatisfied callback reopens; the next callback is possible again', async () => {
    const id = await resolved();
    const op = f.as('operator');
    await op('tickets.act', { action: 'verify', id, passed: true });
    let d = await op('tickets.act', { action: 'callback', id, satisfaction: 'unsatisfied', note: '井盖松动' });
    expect(d.ticket.status).toBe('reopened');
    d = await op('tickets.act', { action: 'dispatch', id, mode: 'oneClick' });
    await f.as('cg')('tickets.act', { action: 'accept', id });
    await f.as('cg')('tickets.act', { action: 'resolve', id, result: '重新固定井盖' });
    await op('tickets.act', { action: 'verify', id, passed: true });
    d = await op('tickets.act', { action: 'callback', id, satisfaction: 'basicallySatisfied' });
    expect(d.ticket).toMatchObject({ status: 'verified', satisfaction: 'basicallySatisfied' });
  });

  it('a closed ticket can be reopened by the leader with a reason', async () => {
    const id = await resolved();
    const op = f.as('operator');
    await op('tickets.act', { action: 'verify', id, passed: true });
    await op('tickets.act', { action: 'callback', id, satisfaction: 'satisfied' });
    await op('tickets.act', { action: 'close', id });
    const d = await f.as('leader')('tickets.act', { action: 'reopen', id, reason: '群众再次来电反映' });
    expect(d.ticket).toMatchObject({ status: 'reopened', satisfaction: null });
  });

  it('a consultation is answered at once', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', { ...newTicket, type: 'consultation', categoryId: 'c21', description: '咨询灵活就业人员社保怎么缴纳' });
    expect((await op('tickets.get', { id: ticket.id })).allowedActions).toContain('resolve');
    const d = await op('tickets.act', { action: 'resolve', id: ticket.id, result: '已告知缴费渠道和标准' });
    expect(d.ticket.status).toBe('resolved');
  });

  it('a micro event is reported and resolved by the grid officer who found it', async () => {
    const g = f.as('wangge');
    const { ticket } = await g('tickets.create', { ...newTicket, channel: 'gridPatrol', categoryId: 'c11', description: '花园路口有人乱扔垃圾袋三袋', isMicro: true, lon: 113.662, lat: 34.772 });
    expect(ticket).toMatchObject({ status: 'reported', isMicro: true, gridId: 'g3' }); // grid from the point
    const d = await g('tickets.act', { action: 'resolve', id: ticket.id, result: '已现场清理' });
    expect(d.ticket.status).toBe('resolved');
    expect(d.events.map((e) => e.action)).toEqual(['report', 'resolve']);
  });

  it('cancel needs a reason; merge points to the target and notes it there', async () => {
    const op = f.as('operator');
    const a = (await op('tickets.create', newTicket)).ticket;
    const b = (await op('tickets.create', { ...newTicket, channel: 'zhenghaopai' })).ticket;
    await expect(op('tickets.act', { action: 'merge', id: b.id, targetId: b.id, reason: '重复' })).rejects.toMatchObject({ code: 'mergeTarget' });
    const d = await op('tickets.act', { action: 'merge', id: b.id, targetId: a.code, reason: '同一井盖重复反映' });
    expect(d.ticket).toMatchObject({ status: 'cancelled', mergedInto: a.id });
    const target = await op('tickets.get', { id: a.id });
    expect(target.events.at(-1)!.reason).toContain(b.code);
    const c = (await op('tickets.create', newTicket)).ticket;
    expect((await op('tickets.act', { action: 'cancel', id: c.id, reason: '无效来电' })).ticket.status).toBe('cancelled');
    await expect(op('tickets.act', { action: 'merge', id: c.id, targetId: a.id, reason: '重复' })).rejects.toMatchObject({ code: 'invalidState' });
  });

  it('supervision: leaders raise it by hand; overdue tickets escalate automatically', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    await expect(op('tickets.act', { action: 'supervise', id: ticket.id, level: 2, reason: '群众反映强烈' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    expect((await f.as('leader')('tickets.act', { action: 'supervise', id: ticket.id, level: 2, reason: '群众反映强烈' })).ticket.supervisionLevel).toBe(2);
    const { escalateOverdue } = await import('../../src/main/services/tickets/commands');
    f.setNow(Date.parse('2026-12-10T10:00:00+08:00'));
    const n = await escalateOverdue(f.ctx, { id: 'system', username: 'system', displayName: '系统', role: 'system', unitId: null, unitName: null });
    expect(n).toBe(1);
    expect((await op('tickets.get', { id: ticket.id })).ticket.supervisionLevel).toBe(4);
  });
});

describe('a rejected action changes nothing', () => {
  it('leaves every table exactly as it was', async () => {
    const op = f.as('operator');
    const { ticket } = await op('tickets.create', newTicket);
    const row = await f.ctx.store.db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow();
    const before = await counts();
    const attempts: Array<() => Promise<unknown>> = [
      () => op('tickets.act', { action: 'accept', id: ticket.id }), // wrong role
      () => op('tickets.act', { action: 'close', id: ticket.id }), // wrong state
      () => f.as('cg')('tickets.act', { action: 'resolve', id: ticket.id, result: '已经处理好了' }),
      () => op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'negotiated', candidateUnitIds: ['u1', 'missing'] }), // fails mid-way
      () => op('tickets.act', { action: 'classify', id: ticket.id, categoryId: 'c1' }), // not a leaf
      () => op('tickets.act', { action: 'resolve', id: 'no-such-ticket', result: '已经处理好了' }),
      () => op('tickets.create', { ...newTicket, photos: ['a'.repeat(64)] }), // photo never uploaded
    ];
    for (const a of attempts) await expect(a()).rejects.toBeTruthy();
    expect(await counts()).toEqual(before);
    expect(await f.ctx.store.db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow()).toEqual(row);
  });

  it('rejects bad photos with a Chinese message and stores nothing', async () => {
    await expect(upload('operator', Buffer.from('%PDF-1.7 not an image'), 'scan.pdf')).rejects.toMatchObject({ code: 'notImage', message: expect.stringContaining('scan.pdf') });
    await expect(upload('operator', Buffer.alloc(0), 'empty.png')).rejects.toMatchObject({ code: 'emptyFile' });
    const big = Buffer.concat([PNG_1x1, Buffer.alloc(10 * 1024 * 1024)]);
    await expect(upload('operator', big, 'huge.png')).rejects.toMatchObject({ code: 'invalidInput' });
    const n = await f.ctx.store.db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
    const a = await upload('operator', PNG_1x1);
    const b = await upload('operator', PNG_1x1, 'again.png');
    expect(a.sha256).toBe(b.sha256); // content-addressed
  });
});

describe('lists, search and dashboard', () => {
  it('a short deadline is not 即将超期 the moment it is dispatched (the window scales with its length)', async () => {
    const op = f.as('operator');
    f.setNow(Date.parse('2026-11-23T09:00:00+08:00'));
    // 社保咨询: 4 working hours.
    const d = await op('tickets.create', { ...newTicket, categoryId: 'c21', type: 'consultation', description: '想咨询一下社保转移怎么办理' });
    const length = d.ticket.resolveDeadline! - d.ticket.createdAt; // 4 working hours (with the lunch break, 5 h)
    expect(length).toBeLessThan(6 * 3600_000);
    const window = length / 4;
    await op('tickets.act', { action: 'dispatch', id: d.ticket.id, mode: 'designated', unitId: 'u1' });
    const dueSoon = async () => (await op('dashboard.counts', {})).dueSoon;
    const listed = async () => (await op('tickets.list', { startRow: 0, endRow: 10, filter: { view: 'dueSoon' } })).rows.length;
    expect([await dueSoon(), await listed()]).toEqual([0, 0]);
    f.setNow(d.ticket.resolveDeadline! - window - 60_000);
    expect([await dueSoon(), await listed()]).toEqual([0, 0]);
    f.setNow(d.ticket.resolveDeadline! - window + 60_000);
    expect([await dueSoon(), await listed()]).toEqual([1, 1]);
  });

  it('Chinese full-text search finds two-character words, phrases and codes', async () => {
    const op = f.as('operator');
    const texts = [
      '小区暖气不热，室温只有十四度',
      '楼下饭店油烟太大，影响居民生活',
      '纬三路路灯不亮已经一周',
      '暖气管道漏水，楼道结冰',
      '井盖缺失，晚上很危险',
    ];
    const ids: string[] = [];
    for (const t of texts) ids.push((await op('tickets.create', { ...newTicket, description: t, address: '经八路街道' })).ticket.id);
    const search = async (q: string) => (await op('tickets.list', { startRow: 0, endRow: 100, filter: { q } })).rows.map((r) => r.description).sort();
    expect(await search('暖气')).toEqual([texts[3], texts[0]].sort());
    expect(await search('暖气不热')).toEqual([texts[0]]);
    // Every word is required, in any order (segmented search, see search.test.ts).
    expect(await search('不热暖气')).toEqual([texts[0]]);
    expect(await search('暖气结冰')).toEqual([texts[3]]);
    expect(await search('路灯 纬三路')).toEqual([texts[2]]);
    expect(await search('灯')).toEqual([texts[2]]);
    const code = (await op('tickets.get', { id: ids[4]! })).ticket.code;
    expect(await search(code)).toEqual([texts[4]]);
    // Edits keep the index in step: the index follows the stored text only.
    await expect(op('tickets.list', { startRow: 0, endRow: 10, filter: { q: '"*' } })).rejects.toMatchObject({ code: 'badQuery' });
  });

  it('filters, sorts, pages, and counts the dashboard', async () => {
    const op = f.as('operator');
    for (let i = 0; i < 12; i++) {
      f.setNow(Date.parse('2026-11-23T09:00:00+08:00') + i * 60_000);
      const { ticket } = await op('tickets.create', { ...newTicket, description: `第${i}号测试工单，井盖问题`, channel: i % 2 ? 'zhenghaopai' : 'hotline12345' });
      if (i < 4) await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'oneClick' });
    }
    const page1 = await op('tickets.list', { startRow: 0, endRow: 5 });
    expect(page1.lastRow).toBe(-1);
    expect(page1.rows[0]!.description).toContain('第11号');
    const page3 = await op('tickets.list', { startRow: 10, endRow: 15 });
    expect(page3.lastRow).toBe(12);
    const dispatched = await op('tickets.list', { startRow: 0, endRow: 50, filter: { statuses: ['dispatched'], categoryId: 'c1', channel: 'hotline12345' } });
    expect(dispatched.rows.map((r) => r.status)).toEqual(['dispatched', 'dispatched']);
    const byDeadline = await op('tickets.list', { startRow: 0, endRow: 50, sort: [{ colId: 'resolveDeadline', sort: 'asc' }] });
    const dl = byDeadline.rows.map((r) => r.resolveDeadline!);
    expect([...dl].sort((a, b) => a - b)).toEqual(dl);
    expect((await op('tickets.list', { startRow: 0, endRow: 50, filter: { gridId: 'g2' } })).rows).toHaveLength(0);

    const c = await op('dashboard.counts', {});
    expect(c).toMatchObject({ pendingAccept: 4, newToday: 12, inProgress: 0, overdue: 0 });
    expect(await f.as('cg')('dashboard.counts', {})).toMatchObject({ pendingAccept: 4, newToday: 4 });
    expect(await f.as('zj')('dashboard.counts', {})).toMatchObject({ pendingAccept: 0, newToday: 0 });
    f.setNow(Date.parse('2026-12-20T10:00:00+08:00'));
    expect((await op('dashboard.counts', {})).overdue).toBe(12);
    expect((await op('tickets.list', { startRow: 0, endRow: 50, filter: { view: 'overdue' } })).rows).toHaveLength(12);
  });

  it('refuses callers without a session', async () => {
    await expect(f.api.handle('tickets.list', { startRow: 0, endRow: 10 }, null)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(f.api.handle('session.login', { username: 'operator', password: 'wrong' }, null)).rejects.toMatchObject({ code: 'badLogin' });
  });
});
