// The op catalogue (src/shared/sync/ops.ts): one sample of every entity and op round-trips through
// its schema and JSON unchanged (a new op without a sample here fails the test), and malformed ops
// are refused with a reason that names what is wrong.
import { describe, expect, it } from 'vitest';
import { TICKET_ACTIONS } from '../../src/shared/domain/stateMachine';
import { checkOp, OP_CATALOGUE, OP_ENTITIES, SYSTEM_ACTOR } from '../../src/shared/sync/ops';

const T = 't-0001';
const actor = { userId: 'user-op', name: '王受理', role: 'operator', unitCode: null };
const unitActor = { userId: 'user-cg', name: '城管联络员', role: 'unit', unitCode: 'CG' };
const facts = { hasCategory: true, isConsultation: false, isMicro: false, categoryCode: 'c12' };
const base = {
  status: 'dispatched', version: 2, code: 'JB-1', unitCode: 'CG', channel: 'hotline12345', type: 'complaint', description: '井盖缺失', address: '经八路',
  lon: 113.67, lat: 34.77, externalRef: null, reporterName: '张三', reporterPhone: '13800000000', result: null, satisfaction: null, createdAt: 1,
  facts: { hasCategory: true, isConsultation: false, isMicro: false, callbackPossible: true, reportedBy: 'user-op', categoryCode: 'c12' },
};
const action = (input: Record<string, unknown>, from: string, to: string, extra: Record<string, unknown> = {}) => ({ actor, input: { id: T, ...input }, eventId: 'e-1', from, to, version: 3, ...extra });

/** Ticket action inputs, one per state-machine action. */
const ACTION_SAMPLES: Record<string, Record<string, unknown>> = {
  register: action({ action: 'register', categoryId: 'c12' }, 'reported', 'registered', { facts }),
  classify: action({ action: 'classify', categoryId: 'c12', isMicro: true, urgency: 'urgent' }, 'registered', 'registered', { facts: { ...facts, isMicro: true } }),
  dispatch: action({ action: 'dispatch', mode: 'negotiated', candidateUnitIds: ['u1', 'u2'], note: '请商定' }, 'registered', 'dispatched', { unitCode: null, candidateUnitCodes: ['CG', 'ZJ'], base }),
  respondNegotiation: { ...action({ action: 'respondNegotiation', accepted: false, reason: '不属于本单位' }, 'dispatched', 'dispatched'), actor: unitActor },
  accept: { ...action({ action: 'accept' }, 'dispatched', 'accepted'), actor: unitActor },
  return: { ...action({ action: 'return', reason: '不属于本单位职责' }, 'dispatched', 'returned'), actor: unitActor },
  requestExtension: { ...action({ action: 'requestExtension', days: 3, reason: '需要采购材料' }, 'accepted', 'accepted'), actor: unitActor },
  decideExtension: action({ action: 'decideExtension', approved: true }, 'accepted', 'accepted'),
  note: action({ action: 'note', text: '已联系现场' }, 'accepted', 'accepted'),
  resolve: { ...action({ action: 'resolve', result: '已更换井盖', photos: ['a'.repeat(64)] }, 'accepted', 'resolved'), actor: unitActor },
  verify: action({ action: 'verify', passed: true }, 'resolved', 'verified'),
  callback: action({ action: 'callback', satisfaction: 'satisfied', note: '市民满意' }, 'verified', 'verified'),
  close: action({ action: 'close' }, 'verified', 'closed'),
  reopen: action({ action: 'reopen', reason: '市民反映未修好' }, 'closed', 'reopened'),
  cancel: action({ action: 'cancel', reason: '重复登记' }, 'registered', 'cancelled'),
  merge: action({ action: 'merge', targetId: 't-0002', reason: '同一井盖' }, 'registered', 'cancelled'),
  supervise: action({ action: 'supervise', level: 2, reason: '超期未办', newDeadline: 1_800_000_000_000 }, 'accepted', 'accepted'),
  relocate: action({ action: 'relocate', address: '经八路12号', lon: 113.6, lat: 34.7, reason: '地址有误' }, 'registered', 'registered'),
};

const SAMPLES: Record<string, Record<string, Record<string, unknown>>> = {
  ticket: {
    ...ACTION_SAMPLES,
    create: {
      actor,
      ticket: {
        id: T, code: 'JB-20261203-0001', status: 'registered', channel: 'hotline12345', type: 'complaint', description: '井盖缺失，有安全隐患', address: '经八路',
        lon: null, lat: null, gridId: 'g1', categoryId: 'c12', urgency: 'normal', isMicro: false, isCrossBoundary: false, externalRef: '12345-1',
        reporterName: null, reporterPhone: null, photos: [], outsideStreet: false,
      },
      facts,
    },
    annotate: { actor, eventId: 'e-2', status: 'accepted', version: 4, reason: '吹哨报到：燃气公司已到场', data: { sessionId: 's1' }, base },
    route: { actor: SYSTEM_ACTOR, unitCode: 'CG' },
  },
  supervision: Object.fromEntries(
    ['warning', 'auto', 'manual'].map((kind) => [
      kind,
      {
        actor: kind === 'manual' ? actor : SYSTEM_ACTOR,
        record: { id: 'sv1', ticket_id: T, kind, level: kind === 'warning' ? 0 : 2, previous_level: 0, unit_id: 'u1', deadline: 1, new_deadline: null, overdue_minutes: 30, run_mode: 'daily', notified: ['处置单位'], note: null, by_id: null, by_name: '系统', at: 2 },
      },
    ]),
  ),
  whistleSession: {
    open: {
      actor,
      session: { id: 's1', code: 'CS-1', title: '燃气泄漏', problem: '小区燃气管道泄漏', urgency: 'urgent', place: '经八路3号院', ticket_id: T, lead_unit_id: 'u1', report_by: 5, status: 'open', opened_by: 'user-op', opened_by_name: '王受理', opened_at: 1, closed_at: null, summary: null, updated_at: 1, version: 1 },
      departments: ['u1', 'u2'],
      tasks: [{ id: 'k1', session_id: 's1', unit_id: 'u1', ticket_id: T, title: '关阀', deadline: 9, status: 'open', result: null, done_at: null, done_by_name: null, created_at: 1, updated_at: 1 }],
    },
    respond: { actor: unitActor, unitId: 'u1', from: 'notified', to: 'onSite', state: 'onSite', acknowledged_at: 2, checked_in_at: 2, done_at: null, rep_name: '李工', note: null, source: 'local' },
    summon: { actor, unitIds: ['u3'] },
    addTask: { actor, task: { id: 'k2', session_id: 's1', unit_id: 'u2', ticket_id: null, title: '疏散', deadline: null, status: 'open', result: null, done_at: null, done_by_name: null, created_at: 3, updated_at: 3 } },
    updateTask: { actor: unitActor, taskId: 'k1', unitId: 'u1', status: 'done', result: '已关阀' },
    addEntry: { actor, entry: { id: 'n1', session_id: 's1', kind: 'decision', text: '燃气公司牵头抢修', by_name: '王受理', at: 4 } },
    close: { actor, summary: '抢修完毕' },
  },
  review: {
    open: {
      actor,
      review: { id: 'r1', ticket_id: T, dimensions: ['department'], question: '井盖归属', status: 'open', decision: null, owner_unit_id: null, shares: '[]', opened_by: 'user-op', opened_by_name: '王受理', opened_at: 1, decided_by_name: null, decided_at: null, updated_at: 1 },
      unitIds: ['u1', 'u2'],
    },
    position: { actor: unitActor, unitId: 'u1', position: 'lead', note: null, by_name: '城管联络员', at: 2 },
    decide: { actor, ownerUnitId: 'u1', decision: '城管牵头', shares: [{ unitId: 'u2', duty: '配合封路' }] },
  },
  runMode: { switch: { actor, period: { id: 'p1', mode: 'emergency', start_at: 1, end_at: null, source: 'leader', by_name: '王受理', by_id: 'user-op', note: null, created_at: 1 } } },
  patrol: { checkIn: { actor, checkin: { id: 'c1', place_id: 'kp1', at: 1, by_id: 'user-op', by_name: '王受理', ok: 1, note: null }, placeName: '加油站' } },
  zeroReport: { file: { actor, report: { id: 'z1', date: '2026-12-03', mode: 'emergency', kind: 'nothing', text: '无突发事件', incidents: 0, due_at: 5, late: 0, by_id: 'user-op', by_name: '王受理', at: 1 } } },
  dutyRoster: { set: { actor, duty: { id: 'd1', date: '2026-12-03', shift: 'day', post: '带班领导', name: '王主任', phone: null } } },
  directiveAck: { ack: { actor, note: '已部署' } },
  referenceReceipt: {
    applied: { seq: 3, kind: 'catalog', version: '2026-12', summary: '新增2类', errors: null },
    rejected: { seq: 4, kind: 'grids', version: 'v2', summary: null, errors: ['网格重叠'] },
  },
  aiPhotoSuggestion: { record: { actor, ticketId: T, acceptedCategoryId: 'c12', descriptionAccepted: true, finalCategoryId: 'c12' } },
  audit: { append: { at: 1, actor: { id: 'u1', name: '李主任（leader）', role: 'leader' }, action: 'personal.view', target: 'JB-20261123-0001', detail: { ticketId: 't1' }, prevHash: '0'.repeat(64), hash: 'a'.repeat(64) } },
  aiPhotoCheck: { check: { eventId: 'e-3', status: 'failed', reasons: ['前后照片不是同一场景'], similarity: 0.2, reused: false, sameScene: false, problemVisible: null, modelVersion: 'mobilenet-v3' } },
  recurringItem: {
    open: {
      actor,
      item: {
        id: 'r1', code: 'ZX-20261123-0001', title: '经八路12号井盖反复松动专项治理', categoryId: 'c12', categoryCode: 'c12', place: '经八路12号', lon: 113.67, lat: 34.77, gridId: 'g3',
        rule: { place: 'near', radiusM: 100, minSimilarity: 0.15 }, leadUnitId: 'u1', leadUnitCode: 'CG', helperUnitIds: ['u2'], deadline: 9, openedAt: 1,
      },
      links: [{ ticketId: T, reason: '开立时所在批量问题', auto: false, linkedAt: 1 }],
    },
    link: { actor: SYSTEM_ACTOR, link: { ticketId: 't-0002', reason: '同一分类，相距 35 米，描述相似度 0.62', auto: true, linkedAt: 2 } },
    note: { actor, note: { id: 'n1', text: '已约城管局现场查看', byName: '王受理', at: 3 } },
    close: { actor, rootCause: '更换为防沉降井座并纳入月度巡查', closedAt: 4 },
  },
};

describe('the op catalogue', () => {
  it('has a ticket op for every state-machine action', () => {
    for (const a of TICKET_ACTIONS) expect(Object.keys(OP_CATALOGUE.ticket)).toContain(a);
  });

  for (const entity of OP_ENTITIES) {
    for (const op of Object.keys(OP_CATALOGUE[entity])) {
      it(`${entity}.${op} round-trips through its schema and JSON`, () => {
        const payload = SAMPLES[entity]?.[op];
        expect(payload, `no sample for ${entity}.${op}`).toBeDefined();
        const wire = JSON.parse(JSON.stringify({ id: 'op-1', seq: 1, entity, entityId: T, op, at: 1, payload }));
        const c = checkOp(wire);
        if (!c.ok) throw new Error(c.reason);
        expect(c.op.payload).toEqual(payload);
        expect(c.op).toMatchObject({ id: 'op-1', seq: 1, entity, op, entityId: T });
      });
    }
  }

  it('refuses unknown entities and ops, naming them', () => {
    expect(checkOp({ entity: 'spaceship', op: 'launch', payload: {} })).toEqual({ ok: false, reason: 'unknown operation spaceship.launch' });
    expect(checkOp({ entity: 'ticket', op: 'teleport', payload: {} })).toEqual({ ok: false, reason: 'unknown operation ticket.teleport' });
    // Inherited names are not ops.
    expect(checkOp({ entity: 'ticket', op: 'toString', payload: {} }).ok).toBe(false);
    expect(checkOp({ entity: '__proto__', op: 'x', payload: {} }).ok).toBe(false);
  });

  it('refuses malformed payloads with the path of what is wrong', () => {
    const bad = (entity: string, op: string, payload: unknown) => {
      const c = checkOp({ entity, op, payload });
      expect(c.ok).toBe(false);
      return c.ok ? '' : c.reason;
    };
    const noActor = { ...ACTION_SAMPLES.accept };
    delete noActor.actor;
    expect(bad('ticket', 'accept', noActor)).toMatch(/^ticket\.accept: actor: Invalid input: expected object, received undefined/);
    expect(bad('ticket', 'accept', { ...ACTION_SAMPLES.accept, actor: { ...unitActor, role: 'mayor' } })).toMatch(/actor\.role/);
    expect(bad('ticket', 'accept', { ...ACTION_SAMPLES.accept, from: 'flying' })).toMatch(/from/);
    expect(bad('ticket', 'accept', { ...ACTION_SAMPLES.accept, version: '3' })).toMatch(/version/);
    // The input must be the action's own (a resolve without its result is refused).
    expect(bad('ticket', 'resolve', { ...ACTION_SAMPLES.resolve, input: { action: 'resolve', id: T } })).toMatch(/input\.result/);
    expect(bad('ticket', 'create', { ...SAMPLES.ticket!.create, ticket: { ...(SAMPLES.ticket!.create!.ticket as object), status: 'closed' } })).toMatch(/ticket\.status/);
    expect(bad('whistleSession', 'respond', { ...SAMPLES.whistleSession!.respond, to: 'asleep' })).toMatch(/to/);
    expect(bad('directiveAck', 'ack', null)).toMatch(/directiveAck\.ack/);
  });

  it('a sign-in carries its record against the accept deadline, well-formed or refused', () => {
    const signIn = { signInDeadline: 1_800_000_000_000, late: true, lateMinutes: 185 };
    const c = checkOp({ entity: 'ticket', op: 'accept', payload: { ...ACTION_SAMPLES.accept, signIn } });
    expect(c.ok && (c.op.payload as { signIn?: unknown }).signIn).toEqual(signIn);
    for (const wrong of [{ ...signIn, late: 'yes' }, { ...signIn, lateMinutes: -1 }, { ...signIn, lateMinutes: 1.5 }, { late: true, lateMinutes: 2 }])
      expect(checkOp({ entity: 'ticket', op: 'accept', payload: { ...ACTION_SAMPLES.accept, signIn: wrong } })).toMatchObject({ ok: false, reason: expect.stringMatching(/signIn/) });
  });
});
