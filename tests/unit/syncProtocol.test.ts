// Pure parts of sync: back-off with jitter, the protocol's limits, and the city's judgement of a
// street's ticket operations through the shared state machine.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/main/sync/client';
import { MAX_PUSH_OPS, pushRequest, type SyncOp } from '../../src/shared/sync/protocol';
import { decideAction, decideCreate, type TicketRow } from '../../src/city/tickets';

const op = (o: Partial<SyncOp>): SyncOp => ({ id: 'op-00000001', seq: 1, entity: 'ticket', entityId: 't1', op: 'accept', at: 1, payload: {}, ...o });
const row = (r: Partial<TicketRow>): TicketRow => ({
  id: 't1', street_code: 'A', code: 'JB-1', status: 'dispatched', version: 2, unit_code: 'CG', source: 'street', channel: null, type: 'complaint',
  description: null, address: null, lon: null, lat: null, external_ref: null, reporter_name: null, reporter_phone: null, result: null, satisfaction: null,
  facts: { hasCategory: true }, created_at: 0, updated_at: 0, ...r,
});
const unit = { userId: 'u-cg', role: 'unit', unitCode: 'CG' };

describe('back-off', () => {
  it('grows exponentially, is capped, and is jittered between base/2 and the cap', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(2000);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
    const samples = Array.from({ length: 50 }, () => backoffDelay(4, 1000, 60_000));
    expect(new Set(samples).size).toBeGreaterThan(10);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...samples)).toBeLessThanOrEqual(16_000);
  });
});

describe('protocol', () => {
  it('bounds a push', () => {
    expect(pushRequest.safeParse({ ops: [] }).success).toBe(false);
    expect(pushRequest.safeParse({ ops: Array.from({ length: MAX_PUSH_OPS + 1 }, (_, i) => op({ id: `op-${String(i).padStart(6, '0')}` })) }).success).toBe(false);
    expect(pushRequest.safeParse({ ops: [op({})] }).success).toBe(true);
    expect(pushRequest.safeParse({ ops: [{ ...op({}), seq: -1 }] }).success).toBe(false);
  });
});

describe('the city judges ticket operations with the shared state machine', () => {
  it('applies a valid accept by the assigned unit', () => {
    const d = decideAction('A', row({}), op({ payload: { input: { action: 'accept', id: 't1' }, from: 'dispatched', to: 'accepted', version: 3, actor: unit } }));
    expect(d).toMatchObject({ ok: true, row: { status: 'accepted', version: 3 } });
  });
  it('refuses another unit, a stale state, an unknown ticket and another street’s ticket', () => {
    const other = { ...unit, unitCode: 'ZJ' };
    expect(decideAction('A', row({}), op({ payload: { input: { action: 'accept', id: 't1' }, from: 'dispatched', to: 'accepted', actor: other } }))).toMatchObject({ ok: false, code: 'notYourUnit' });
    expect(decideAction('A', row({ status: 'cancelled' }), op({ payload: { input: { action: 'accept', id: 't1' }, from: 'dispatched', to: 'accepted', actor: unit } }))).toMatchObject({ ok: false, code: 'staleState' });
    expect(decideAction('A', null, op({ payload: { input: { action: 'accept', id: 't1' }, from: 'dispatched', to: 'accepted', actor: unit } }))).toMatchObject({ ok: false, code: 'unknownTicket' });
    expect(decideAction('B', row({}), op({ payload: { input: { action: 'accept', id: 't1' }, from: 'dispatched', to: 'accepted', actor: unit, base: { status: 'dispatched', version: 2 } } }))).toMatchObject({ ok: false, code: 'unknownTicket' });
  });
  it('refuses an operation whose claimed outcome differs from the state machine’s', () => {
    const op1 = op({ op: 'verify', payload: { input: { action: 'verify', id: 't1', passed: false }, from: 'resolved', to: 'verified', actor: { userId: 'o', role: 'operator', unitCode: null } } });
    expect(decideAction('A', row({ status: 'resolved' }), op1)).toMatchObject({ ok: false, code: 'outcomeMismatch' });
  });
  it('adopts a ticket the street had before sync from the op’s base, and refuses a duplicate create', () => {
    const d = decideAction('A', undefined, op({ op: 'resolve', payload: { input: { action: 'resolve', id: 't1', result: '已处理完毕' }, from: 'accepted', to: 'resolved', version: 5, actor: unit, base: { status: 'accepted', version: 4, unitCode: 'CG', facts: { hasCategory: true } } } }));
    expect(d).toMatchObject({ ok: true, row: { status: 'resolved', version: 5, result: '已处理完毕', street_code: 'A' } });
    const c = decideCreate('A', row({}), op({ op: 'create', payload: { ticket: { status: 'registered' } } }));
    expect(c).toMatchObject({ ok: false, code: 'alreadyExists' });
    expect(decideCreate('A', undefined, op({ op: 'create', payload: { ticket: { status: 'closed' } } }))).toMatchObject({ ok: false, code: 'badCreate' });
  });
});
