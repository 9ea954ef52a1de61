// Late sign-ins (签收) on a real SQLite file, whatever the channel: the timeline says 超时签收 with
// how late, the op to the city carries the record, and 督办's 签收时效 counts them per unit for the
// period, with the tickets still unsigned past their accept deadline (超时未签收).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

const at = (s: string) => Date.parse(s + '+08:00');
const HOUR = 3600_000;
const MIN = 60_000;
const ticketInput = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育路口井盖破损，车辆经过声音很大',
  address: '体育路与纬五路交叉口',
  reporterName: '张先生',
  reporterPhone: '13800001111',
  categoryId: 'c12', // accept within 2 working hours, default unit u1 (城管)
};

async function dispatched(when: number, unitId = 'u1') {
  f.setNow(when);
  const op = f.as('operator');
  const { ticket } = await op('tickets.create', ticketInput);
  const d = await op('tickets.act', { action: 'dispatch', id: ticket.id, mode: 'designated', unitId });
  return d.ticket;
}

const period = { from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') };

describe('late sign-in', () => {
  it('a 12345 ticket signed after its accept deadline: 超时签收 with how late, the op carries it, 督办 counts it', async () => {
    const t = await dispatched(at('2026-11-23T10:00:00'));
    expect(t.acceptDeadline).toBe(at('2026-11-23T12:00:00'));
    // Before anyone signs, past the deadline: 超时未签收 in 督办.
    f.setNow(at('2026-11-23T12:30:00'));
    let board = await f.as('leader')('supervision.signIns', period);
    expect(board.unsigned).toEqual([expect.objectContaining({ ticketId: t.id, unitId: 'u1', channel: 'hotline12345', overdueMinutes: 30, acceptDeadline: t.acceptDeadline })]);
    expect(board.units).toEqual([{ unitId: 'u1', signed: 0, late: 0, maxLateMinutes: 0, unsigned: 1 }]);

    // Signed 3 h 5 min late.
    f.setNow(at('2026-11-23T15:05:00'));
    const d = await f.as('cg')('tickets.act', { action: 'accept', id: t.id });
    const ev = d.events.find((e) => e.action === 'accept')!;
    expect(ev.reason).toBe('超时签收：超过签收时限 3小时5分');
    expect(ev.data).toMatchObject({ late: true, lateMinutes: 185, signInDeadline: t.acceptDeadline });
    const op = await f.ctx.store.db.selectFrom('outbox').selectAll().where('entity', '=', 'ticket').where('op', '=', 'accept').executeTakeFirstOrThrow();
    expect(JSON.parse(op.payload)).toMatchObject({ signIn: { signInDeadline: t.acceptDeadline, late: true, lateMinutes: 185 } });

    board = await f.as('leader')('supervision.signIns', period);
    expect(board.unsigned).toEqual([]);
    expect(board.units).toEqual([{ unitId: 'u1', signed: 1, late: 1, maxLateMinutes: 185, unsigned: 0 }]);
    expect(board.totals).toEqual({ signed: 1, late: 1, unsigned: 0 });
    // Another period does not count it.
    const dec = await f.as('leader')('supervision.signIns', { from: at('2026-12-01T00:00:00'), to: at('2026-12-31T00:00:00') });
    expect(dec.totals).toEqual({ signed: 0, late: 0, unsigned: 0 });
  });

  it('in time is counted as signed, not late; a negotiated ticket taken late counts for the unit that took it', async () => {
    const a = await dispatched(at('2026-11-24T09:00:00'));
    f.setNow(at('2026-11-24T09:30:00'));
    const d = await f.as('cg')('tickets.act', { action: 'accept', id: a.id });
    expect(d.events.find((e) => e.action === 'accept')).toMatchObject({ reason: null, data: { late: false, lateMinutes: 0 } });

    f.setNow(at('2026-11-24T10:00:00'));
    const op = f.as('operator');
    const { ticket: b } = await op('tickets.create', ticketInput);
    const nb = await op('tickets.act', { action: 'dispatch', id: b.id, mode: 'negotiated', candidateUnitIds: ['u2', 'u3'] });
    f.setNow(nb.ticket.acceptDeadline! + 20 * MIN);
    const taken = await f.as('zj')('tickets.act', { action: 'respondNegotiation', id: b.id, accepted: true });
    expect(taken.events.at(-1)).toMatchObject({ action: 'respondNegotiation', reason: '超时签收：超过签收时限 20分钟', data: { accepted: true, late: true, lateMinutes: 20 } });

    const board = await f.as('leader')('supervision.signIns', period);
    expect(board.units).toEqual(
      expect.arrayContaining([
        { unitId: 'u1', signed: 1, late: 0, maxLateMinutes: 0, unsigned: 0 },
        { unitId: 'u2', signed: 1, late: 1, maxLateMinutes: 20, unsigned: 0 },
      ]),
    );
    expect(board.totals).toEqual({ signed: 2, late: 1, unsigned: 0 });
  });

  it('a unit sees only its own unit; a bad period is refused in Chinese and changes nothing', async () => {
    const a = await dispatched(at('2026-11-23T10:00:00'), 'u1');
    await dispatched(at('2026-11-23T10:05:00'), 'u2');
    f.setNow(at('2026-11-23T14:00:00'));
    const mine = await f.as('cg')('supervision.signIns', { ...period, unitId: 'u2' });
    expect(mine.unsigned.map((x) => x.ticketId)).toEqual([a.id]);
    expect(mine.units.map((u) => u.unitId)).toEqual(['u1']);
    const all = await f.as('leader')('supervision.signIns', period);
    expect(all.totals.unsigned).toBe(2);
    await expect(f.as('leader')('supervision.signIns', { from: period.to, to: period.from })).rejects.toMatchObject({ message: expect.stringContaining('开始时间须早于结束时间') });
    await expect(f.as('leader')('supervision.signIns', { from: 0, to: 500 * 24 * HOUR })).rejects.toMatchObject({ message: expect.stringContaining('400天') });
  });
});
