// Pure parts of sync: back-off with jitter, the protocol's limits, and the city's judgement of a
// street's ticket operations through the shared state machine.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/main/sync/client';
import { MAX_PUSH_OPS, pushRequest, type SyncOp } from '../../src/shared/sync/protocol';
import { decideAction, decideCreate, type ChangeOp, type CreateOp, type TicketRow } from '../../src/city/tickets';
import { checkOp, type TypedSyncOp } from '../../src/shared/sync/ops';

const op = (o: Partial<SyncOp>): SyncOp => ({ id: 'op-00000001', seq: 1, entity: 'ticket', entityId: 't1', op: 'accept', at: 1, payload: {}, ...o });
const row = (r: Partial<TicketRow>): TicketRow => ({
  id: 't1', street_code: 'A', code: 'JB-1', status: 'dispatched', version: 2, unit_code: 'CG', source: 'street', channel: null, type: 'complaint',
  description: null, address: null, lon: null, lat: null, external_ref: null, reporter_name: null, reporter_phone: null, result: null, satisfaction: null,
  facts: { hasCategory: true }, created_at: 0, updated_at: 0, ...r,
});

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

// Ops reach the judgement checked against the catalogue, as the city's push does.
const unit = { userId: 'u-cg', name: '城管联络员', role: 'unit', unitCode: 'CG' };
const operator = { userId: 'o', name: '王受理', role: 'operator', unitCode: null };
function typed<T extends TypedSyncOp>(o: Partial<SyncOp>): T {
  const c = checkOp(op(o));
  if (!c.ok) throw new Error(c.reason);
  return c.op as T;
}
const accept = (payload: Record<string, unknown>) => typed<ChangeOp>({ payload: { input: { action: 'accept', id: 't1' }, eventId: 'e1', from: 'dispatched', to: 'accepted', version: 3, actor: unit, ...payload } });
const base = { status: 'accepted', version: 4, code: 'JB-1', unitCode: 'CG', channel: 'hotline12345', type: 'complaint', description: '井盖缺失', address: '经八路', lon: null, lat: null, externalRef: null, reporterName: null, reporterPhone: null, result: null, satisfaction: null, createdAt: 0, facts: { hasCategory: true, isConsultation: false, isMicro: false, callbackPossible: false, reportedBy: 'o', categoryCode: 'c12' } };
const created = { id: 't1', code: 'JB-1', status: 'registered', channel: 'hotline12345', type: 'complaint', description: '井盖缺失了', address: '经八路', lon: null, lat: null, gridId: null, categoryId: null, urgency: 'normal', isMicro: false, isCrossBoundary: false, externalRef: null, reporterName: null, reporterPhone: null, photos: [], outsideStreet: false };
const createFacts = { hasCategory: false, isConsultation: false, isMicro: false, categoryCode: null };

describe('the city judges ticket operations with the shared state machine', () => {
  it('applies a valid accept by the assigned unit', () => {
    const d = decideAction('A', row({}), accept({}));
    expect(d).toMatchObject({ ok: true, row: { status: 'accepted', version: 3 } });
  });
  it('keeps a late sign-in’s record in its event', () => {
    const signIn = { signInDeadline: 1_800_000_000_000, late: true, lateMinutes: 185 };
    expect(decideAction('A', row({}), accept({ signIn }))).toMatchObject({ ok: true, event: { action: 'accept', data: { signIn } } });
    const d = decideAction('A', row({}), accept({}));
    expect(d.ok && 'signIn' in (d.event.data as object)).toBe(false);
  });
  it('refuses another unit, a stale state, an unknown ticket and another street’s ticket', () => {
    const other = { ...unit, unitCode: 'ZJ' };
    expect(decideAction('A', row({}), accept({ actor: other }))).toMatchObject({ ok: false, code: 'notYourUnit' });
    expect(decideAction('A', row({ status: 'cancelled' }), accept({}))).toMatchObject({ ok: false, code: 'staleState' });
    expect(decideAction('A', null, accept({}))).toMatchObject({ ok: false, code: 'unknownTicket' });
    expect(decideAction('B', row({}), accept({ base: { ...base, status: 'dispatched', version: 2 } }))).toMatchObject({ ok: false, code: 'unknownTicket' });
  });
  it('refuses an op whose input names another action or ticket', () => {
    expect(decideAction('A', row({}), accept({ input: { action: 'accept', id: 't2' } }))).toMatchObject({ ok: false, code: 'badOp' });
  });
  it('refuses an operation whose claimed outcome differs from the state machine’s', () => {
    const op1 = typed<ChangeOp>({ op: 'verify', payload: { input: { action: 'verify', id: 't1', passed: false }, eventId: 'e1', from: 'resolved', to: 'verified', version: 5, actor: operator } });
    expect(decideAction('A', row({ status: 'resolved' }), op1)).toMatchObject({ ok: false, code: 'outcomeMismatch' });
  });
  it('adopts a ticket the street had before sync from the op’s base, and refuses a duplicate create', () => {
    const d = decideAction('A', undefined, typed<ChangeOp>({ op: 'resolve', payload: { input: { action: 'resolve', id: 't1', result: '已处理完毕' }, eventId: 'e1', from: 'accepted', to: 'resolved', version: 5, actor: unit, base } }));
    expect(d).toMatchObject({ ok: true, row: { status: 'resolved', version: 5, result: '已处理完毕', street_code: 'A', code: 'JB-1' } });
    const c = decideCreate('A', row({}), typed<CreateOp>({ op: 'create', payload: { actor: operator, ticket: created, facts: createFacts } }));
    expect(c).toMatchObject({ ok: false, code: 'alreadyExists' });
    expect(decideCreate('A', undefined, typed<CreateOp>({ op: 'create', payload: { actor: operator, ticket: created, facts: createFacts } }))).toMatchObject({ ok: true, row: { status: 'registered', version: 1 } });
    expect(checkOp(op({ op: 'create', payload: { actor: operator, ticket: { ...created, status: 'closed' }, facts: createFacts } }))).toMatchObject({ ok: false });
  });
});
