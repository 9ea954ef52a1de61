// The ticket life cycle, enforced identically by the street node and the city server.
//
//   reported → registered → dispatched → accepted → resolved → verified → closed
//   returned  (unit refuses, with reason → back to dispatch)
//   reopened  (failed verification or unsatisfied callback → dispatch again)
//   cancelled (invalid, or merged into another ticket)
//   consultations may go registered → resolved at once;
//   micro events may be resolved by the grid officer who found them.
//
// Every action is checked here before a service writes anything. A rejection carries a
// Chinese reason for the operator and a stable code for logs and tests.

import type { Role, Satisfaction, TicketStatus } from './ticket';
import { STATUS_LABELS, ROLE_LABELS } from './ticket';

export const TICKET_ACTIONS = [
  'register',
  'classify',
  'dispatch',
  'respondNegotiation',
  'accept',
  'return',
  'requestExtension',
  'decideExtension',
  'note',
  'resolve',
  'verify',
  'callback',
  'close',
  'reopen',
  'cancel',
  'merge',
  'supervise',
  'relocate',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export const ACTION_LABELS: Record<TicketAction, string> = {
  register: '登记',
  classify: '分类',
  dispatch: '派单',
  respondNegotiation: '商定答复',
  accept: '签收',
  return: '退回',
  requestExtension: '申请延期',
  decideExtension: '审批延期',
  note: '进展备注',
  resolve: '办结',
  verify: '核查',
  callback: '回访',
  close: '归档',
  reopen: '重启',
  cancel: '作废',
  merge: '合并',
  supervise: '督办',
  relocate: '修改位置',
};

/** Timeline entries that are not state-machine actions. */
const EVENT_LABELS: Record<string, string> = { report: '上报', escalate: '超期升级督办' };

/** What a timeline event is called (an action, or a report / escalation entry; unknown: as stored). */
export function actionLabel(a: string): string {
  return ACTION_LABELS[a as TicketAction] ?? EVENT_LABELS[a] ?? a;
}

/** What the state machine needs to know about a ticket. */
export interface TicketSnapshot {
  status: TicketStatus;
  /** The unit the ticket is dispatched to / accepted by. */
  unitId: string | null;
  /** Units asked in a negotiated dispatch that have not answered yet. */
  pendingNegotiationUnitIds: readonly string[];
  isConsultation: boolean;
  isMicro: boolean;
  hasCategory: boolean;
  /** The grid officer who reported the ticket (for micro events). */
  reportedByUserId: string | null;
  hasPendingExtension: boolean;
  callbackDone: boolean;
  /** Whether the reporter can be called back at all (has a phone). */
  callbackPossible: boolean;
}

export interface Actor {
  userId: string;
  role: Role;
  unitId: string | null;
}

/** Facts from the action's input that decide the target state. */
export interface ActionDetails {
  verifyPassed?: boolean;
  satisfaction?: Satisfaction;
  negotiationAccepted?: boolean;
  /** For merge: the target is another ticket, checked by the service. */
  mergeTargetId?: string;
}

/** The details the state machine judges, taken from an action's input (street or city side). */
export function actionDetailsOf(input: { action: string; passed?: boolean; satisfaction?: Satisfaction; accepted?: boolean; targetId?: string }): ActionDetails {
  switch (input.action) {
    case 'verify':
      return { verifyPassed: input.passed };
    case 'callback':
      return { satisfaction: input.satisfaction };
    case 'respondNegotiation':
      return { negotiationAccepted: input.accepted };
    case 'merge':
      return { mergeTargetId: input.targetId };
    default:
      return {};
  }
}

export type TransitionResult =
  | { ok: true; to: TicketStatus }
  | { ok: false; code: string; reason: string };

interface Rule {
  from: readonly TicketStatus[];
  roles: readonly Role[];
  /** Extra guard; returns a rejection or the target state. */
  decide: (t: TicketSnapshot, a: Actor, d: ActionDetails) => TransitionResult;
}

const ok = (to: TicketStatus): TransitionResult => ({ ok: true, to });
const no = (code: string, reason: string): TransitionResult => ({ ok: false, code, reason });
const stay = (t: TicketSnapshot): TransitionResult => ok(t.status);

const ACTIVE: readonly TicketStatus[] = ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened'];
const STREET_STAFF: readonly Role[] = ['operator', 'leader'];

/** Units may act only on tickets assigned to their own unit. */
function ownUnit(t: TicketSnapshot, a: Actor): TransitionResult | null {
  if (a.role !== 'unit') return null;
  if (!a.unitId || a.unitId !== t.unitId) return no('notYourUnit', '该工单未派给本单位，不能操作');
  return null;
}

export const RULES: Record<TicketAction, Rule> = {
  register: {
    from: ['reported'],
    roles: STREET_STAFF,
    decide: () => ok('registered'),
  },
  classify: {
    from: ['reported', 'registered', 'returned', 'reopened'],
    roles: STREET_STAFF,
    decide: stay,
  },
  dispatch: {
    from: ['registered', 'returned', 'reopened'],
    roles: STREET_STAFF,
    decide: (t) => (t.hasCategory ? ok('dispatched') : no('noCategory', '请先为工单选择派单目录分类，再派单')),
  },
  respondNegotiation: {
    from: ['dispatched'],
    roles: ['unit'],
    decide: (t, a, d) => {
      if (!a.unitId || !t.pendingNegotiationUnitIds.includes(a.unitId))
        return no('notCandidate', '本单位不在该工单的商定单位中，或已答复');
      if (d.negotiationAccepted) return ok('accepted');
      // The last candidate to decline sends the ticket back to the street for dispatch.
      return t.pendingNegotiationUnitIds.length <= 1 ? ok('returned') : stay(t);
    },
  },
  accept: {
    from: ['dispatched'],
    roles: ['unit'],
    decide: (t, a) => {
      if (t.pendingNegotiationUnitIds.length > 0) return no('negotiating', '商定派单中，请在“商定答复”中同意或拒绝');
      return ownUnit(t, a) ?? ok('accepted');
    },
  },
  return: {
    from: ['dispatched', 'accepted'],
    roles: ['unit'],
    decide: (t, a) => {
      if (t.pendingNegotiationUnitIds.length > 0) return no('negotiating', '商定派单中，请在“商定答复”中拒绝并说明理由');
      return ownUnit(t, a) ?? ok('returned');
    },
  },
  requestExtension: {
    from: ['accepted'],
    roles: ['unit'],
    decide: (t, a) => {
      if (t.hasPendingExtension) return no('extensionPending', '已有待审批的延期申请');
      return ownUnit(t, a) ?? stay(t);
    },
  },
  decideExtension: {
    from: ['accepted'],
    roles: STREET_STAFF,
    decide: (t) => (t.hasPendingExtension ? stay(t) : no('noExtension', '没有待审批的延期申请')),
  },
  note: {
    from: ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'resolved', 'verified', 'reopened'],
    roles: ['operator', 'leader', 'unit', 'gridOfficer'],
    decide: (t, a) => ownUnit(t, a) ?? stay(t),
  },
  // The place was recorded wrongly: a new address and point, and so (possibly) a new grid.
  relocate: {
    from: ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened'],
    roles: ['operator', 'leader', 'gridOfficer'],
    decide: (t) => stay(t),
  },
  resolve: {
    from: ['reported', 'registered', 'accepted'],
    roles: ['unit', 'operator', 'leader', 'gridOfficer'],
    decide: (t, a) => {
      if (t.status === 'accepted') {
        if (a.role !== 'unit') return no('unitResolves', '已签收的工单由处置单位办结');
        return ownUnit(t, a) ?? ok('resolved');
      }
      // reported / registered: only consultations (answered at once) and micro events.
      if (t.isConsultation && (a.role === 'operator' || a.role === 'leader')) return ok('resolved');
      if (t.isMicro && a.role === 'gridOfficer') {
        if (t.reportedByUserId !== a.userId) return no('notFinder', '小微事件只能由发现它的网格员自行办结');
        return ok('resolved');
      }
      if (t.isMicro && (a.role === 'operator' || a.role === 'leader')) return ok('resolved');
      return no('needsDispatch', '该工单须派单给处置单位签收后办结（咨询类和小微事件除外）');
    },
  },
  verify: {
    from: ['resolved'],
    roles: ['operator', 'leader', 'gridOfficer'],
    decide: (_t, _a, d) => {
      if (d.verifyPassed === undefined) return no('verifyResult', '请选择核查结果（通过/不通过）');
      return ok(d.verifyPassed ? 'verified' : 'reopened');
    },
  },
  callback: {
    from: ['verified'],
    roles: STREET_STAFF,
    decide: (t, _a, d) => {
      if (!t.callbackPossible) return no('noPhone', '报告人未留电话，无法回访');
      if (t.callbackDone) return no('callbackDone', '已回访，不能重复回访');
      if (!d.satisfaction) return no('satisfaction', '请选择满意度');
      return ok(d.satisfaction === 'unsatisfied' ? 'reopened' : 'verified');
    },
  },
  close: {
    from: ['verified'],
    roles: STREET_STAFF,
    decide: (t) => {
      if (t.callbackPossible && !t.callbackDone && !t.isConsultation)
        return no('callbackFirst', '归档前须先回访报告人');
      return ok('closed');
    },
  },
  reopen: {
    from: ['resolved', 'verified', 'closed'],
    roles: STREET_STAFF,
    decide: () => ok('reopened'),
  },
  cancel: {
    from: ['reported', 'registered', 'dispatched', 'returned', 'reopened'],
    roles: STREET_STAFF,
    decide: () => ok('cancelled'),
  },
  merge: {
    from: ['reported', 'registered', 'dispatched', 'returned', 'reopened'],
    roles: STREET_STAFF,
    decide: (_t, _a, d) => (d.mergeTargetId ? ok('cancelled') : no('mergeTarget', '请选择要并入的工单')),
  },
  supervise: {
    from: ACTIVE,
    roles: ['leader', 'system'],
    decide: stay,
  },
};

/** Decides whether `actor` may perform `action` on a ticket, and the state it leads to. */
export function checkTransition(
  t: TicketSnapshot,
  action: TicketAction,
  actor: Actor,
  details: ActionDetails = {},
): TransitionResult {
  const rule = RULES[action];
  if (!rule) return no('unknownAction', `未知操作：${String(action)}`);
  if (!rule.from.includes(t.status))
    return no(
      'invalidState',
      `工单当前状态为“${STATUS_LABELS[t.status]}”，不能${ACTION_LABELS[action]}`,
    );
  if (!rule.roles.includes(actor.role))
    return no('forbiddenRole', `${ROLE_LABELS[actor.role]}无权${ACTION_LABELS[action]}`);
  return rule.decide(t, actor, details);
}

/**
 * The actions an actor may offer in the UI for a ticket right now. Actions whose outcome depends
 * on details (verify, callback) are listed when some detail would make them valid.
 */
export function allowedActions(t: TicketSnapshot, actor: Actor): TicketAction[] {
  const probes: ActionDetails[] = [
    {},
    { verifyPassed: true },
    { satisfaction: 'satisfied' },
    { negotiationAccepted: true },
    { mergeTargetId: 'x' },
  ];
  return TICKET_ACTIONS.filter((action) => probes.some((d) => checkTransition(t, action, actor, d).ok));
}

/** Actions that require a reason in their input. */
export const ACTIONS_REQUIRING_REASON: readonly TicketAction[] = [
  'return',
  'requestExtension',
  'reopen',
  'cancel',
  'merge',
  'supervise',
];
