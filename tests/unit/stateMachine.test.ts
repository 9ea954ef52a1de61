// The state machine over every state × action pair, for every role.
import { describe, expect, it } from 'vitest';
import {
  ACTIONS_REQUIRING_REASON,
  TICKET_ACTIONS,
  allowedActions,
  checkTransition,
  type Actor,
  type TicketAction,
  type TicketSnapshot,
} from '../../src/shared/domain/stateMachine';
import { ROLES, TICKET_STATUSES, type TicketStatus } from '../../src/shared/domain/ticket';

const base: TicketSnapshot = {
  status: 'registered',
  unitId: 'u1',
  pendingNegotiationUnitIds: [],
  isConsultation: false,
  isMicro: false,
  hasCategory: true,
  reportedByUserId: 'g1',
  hasPendingExtension: false,
  callbackDone: false,
  callbackPossible: true,
};
const actors: Record<string, Actor> = {
  operator: { userId: 'o1', role: 'operator', unitId: null },
  leader: { userId: 'l1', role: 'leader', unitId: null },
  unit: { userId: 'x1', role: 'unit', unitId: 'u1' },
  otherUnit: { userId: 'x2', role: 'unit', unitId: 'u2' },
  gridOfficer: { userId: 'g1', role: 'gridOfficer', unitId: null },
  system: { userId: 'sys', role: 'system', unitId: null },
};

// The expected table: for each action, the states it may start from and the roles that may do it
// (for a ticket assigned to unit u1, with a category, not consultation/micro).
const EXPECTED: Record<TicketAction, { from: TicketStatus[]; roles: string[]; to: TicketStatus | 'same' }> = {
  register: { from: ['reported'], roles: ['operator', 'leader'], to: 'registered' },
  classify: { from: ['reported', 'registered', 'returned', 'reopened'], roles: ['operator', 'leader'], to: 'same' },
  dispatch: { from: ['registered', 'returned', 'reopened'], roles: ['operator', 'leader'], to: 'dispatched' },
  respondNegotiation: { from: [], roles: [], to: 'same' },
  accept: { from: ['dispatched'], roles: ['unit'], to: 'accepted' },
  return: { from: ['dispatched', 'accepted'], roles: ['unit'], to: 'returned' },
  requestExtension: { from: [], roles: ['unit'], to: 'same' },
  decideExtension: { from: [], roles: [], to: 'same' },
  note: {
    from: ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'resolved', 'verified', 'reopened'],
    roles: ['operator', 'leader', 'unit', 'gridOfficer'],
    to: 'same',
  },
  resolve: { from: ['accepted'], roles: ['unit'], to: 'resolved' },
  verify: { from: ['resolved'], roles: ['operator', 'leader', 'gridOfficer'], to: 'verified' },
  callback: { from: ['verified'], roles: ['operator', 'leader'], to: 'verified' },
  close: { from: [], roles: [], to: 'closed' },
  reopen: { from: ['resolved', 'verified', 'closed'], roles: ['operator', 'leader'], to: 'reopened' },
  cancel: { from: ['reported', 'registered', 'dispatched', 'returned', 'reopened'], roles: ['operator', 'leader'], to: 'cancelled' },
  merge: { from: ['reported', 'registered', 'dispatched', 'returned', 'reopened'], roles: ['operator', 'leader'], to: 'cancelled' },
  supervise: { from: ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened'], roles: ['leader', 'system'], to: 'same' },
  relocate: { from: ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened'], roles: ['operator', 'leader', 'gridOfficer'], to: 'same' },
};

const details = { verifyPassed: true, satisfaction: 'satisfied' as const, negotiationAccepted: true, mergeTargetId: 't2' };

describe('ticket state machine: every state × action × role', () => {
  for (const status of TICKET_STATUSES) {
    for (const action of TICKET_ACTIONS) {
      it(`${action} from ${status}`, () => {
        const exp = EXPECTED[action];
        // requestExtension is allowed from accepted only; close needs a callback first (tested below).
        const from = action === 'requestExtension' ? ['accepted'] : exp.from;
        for (const [name, actor] of Object.entries(actors)) {
          const r = checkTransition({ ...base, status }, action, actor, details);
          const shouldPass = from.includes(status) && exp.roles.includes(name);
          if (shouldPass) {
            expect(r, `${name} may ${action} from ${status}`).toEqual({ ok: true, to: exp.to === 'same' ? status : exp.to });
          } else {
            expect(r.ok, `${name} must not ${action} from ${status}`).toBe(false);
            if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
          }
        }
      });
    }
  }
});

describe('guards', () => {
  const op = actors.operator!;
  const unit = actors.unit!;
  it('rejects dispatch without a category', () => {
    const r = checkTransition({ ...base, hasCategory: false }, 'dispatch', op);
    expect(r).toMatchObject({ ok: false, code: 'noCategory' });
  });
  it('units act only on their own tickets', () => {
    expect(checkTransition({ ...base, status: 'dispatched' }, 'accept', actors.otherUnit!)).toMatchObject({ ok: false, code: 'notYourUnit' });
  });
  it('failed verification reopens', () => {
    expect(checkTransition({ ...base, status: 'resolved' }, 'verify', op, { verifyPassed: false })).toEqual({ ok: true, to: 'reopened' });
  });
  it('unsatisfied callback reopens; repeated callback is rejected', () => {
    expect(checkTransition({ ...base, status: 'verified' }, 'callback', op, { satisfaction: 'unsatisfied' })).toEqual({ ok: true, to: 'reopened' });
    expect(checkTransition({ ...base, status: 'verified', callbackDone: true }, 'callback', op, { satisfaction: 'satisfied' })).toMatchObject({ ok: false, code: 'callbackDone' });
  });
  it('close needs a callback when the reporter can be called, not otherwise', () => {
    expect(checkTransition({ ...base, status: 'verified' }, 'close', op)).toMatchObject({ ok: false, code: 'callbackFirst' });
    expect(checkTransition({ ...base, status: 'verified', callbackDone: true }, 'close', op)).toEqual({ ok: true, to: 'closed' });
    expect(checkTransition({ ...base, status: 'verified', callbackPossible: false }, 'close', op)).toEqual({ ok: true, to: 'closed' });
  });
  it('consultations resolve at once from registered', () => {
    expect(checkTransition({ ...base, isConsultation: true }, 'resolve', op)).toEqual({ ok: true, to: 'resolved' });
    expect(checkTransition(base, 'resolve', op)).toMatchObject({ ok: false, code: 'needsDispatch' });
  });
  it('micro events may be resolved by the grid officer who found them, not by another', () => {
    const micro = { ...base, status: 'reported' as const, isMicro: true };
    expect(checkTransition(micro, 'resolve', actors.gridOfficer!)).toEqual({ ok: true, to: 'resolved' });
    expect(checkTransition(micro, 'resolve', { ...actors.gridOfficer!, userId: 'g2' })).toMatchObject({ ok: false, code: 'notFinder' });
  });
  it('negotiated dispatch: candidates accept or decline; the last decline returns the ticket', () => {
    const neg = { ...base, status: 'dispatched' as const, unitId: null, pendingNegotiationUnitIds: ['u1', 'u2'] };
    expect(checkTransition(neg, 'respondNegotiation', unit, { negotiationAccepted: true })).toEqual({ ok: true, to: 'accepted' });
    expect(checkTransition(neg, 'respondNegotiation', unit, { negotiationAccepted: false })).toEqual({ ok: true, to: 'dispatched' });
    expect(checkTransition({ ...neg, pendingNegotiationUnitIds: ['u1'] }, 'respondNegotiation', unit, { negotiationAccepted: false })).toEqual({ ok: true, to: 'returned' });
    expect(checkTransition(neg, 'respondNegotiation', { ...unit, unitId: 'u9' }, { negotiationAccepted: true })).toMatchObject({ ok: false, code: 'notCandidate' });
    expect(checkTransition(neg, 'accept', unit)).toMatchObject({ ok: false, code: 'negotiating' });
  });
  it('extensions: one pending at a time, decided by street staff', () => {
    const acc = { ...base, status: 'accepted' as const };
    expect(checkTransition(acc, 'requestExtension', unit)).toEqual({ ok: true, to: 'accepted' });
    expect(checkTransition({ ...acc, hasPendingExtension: true }, 'requestExtension', unit)).toMatchObject({ ok: false, code: 'extensionPending' });
    expect(checkTransition(acc, 'decideExtension', op)).toMatchObject({ ok: false, code: 'noExtension' });
    expect(checkTransition({ ...acc, hasPendingExtension: true }, 'decideExtension', op)).toEqual({ ok: true, to: 'accepted' });
  });
  it('allowedActions lists what the UI may offer', () => {
    expect(allowedActions({ ...base, status: 'dispatched' }, unit).sort()).toEqual(['accept', 'note', 'return']);
    expect(allowedActions({ ...base, status: 'closed' }, op)).toEqual(['reopen']);
    expect(allowedActions({ ...base, status: 'cancelled' }, actors.leader!)).toEqual([]);
  });
  it('every role is covered and reason-requiring actions are known actions', () => {
    expect(ROLES.length).toBe(6);
    for (const a of ACTIONS_REQUIRING_REASON) expect(TICKET_ACTIONS).toContain(a);
  });
});
