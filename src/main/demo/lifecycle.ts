// One demo ticket's life, simulated from its creation up to `now`: who acted, when, and what the
// ticket row looks like at the end. Each step follows the shared state machine (the integration
// test replays every timeline through checkTransition) and the ticket service's conventions for
// event data and ticket fields. A step whose time lies after `now` has not happened yet, so recent
// tickets stop in open states on their own: registered, dispatched, in progress, overdue, …

import type { Calendar } from '../../shared/domain/calendar';
import { cstMidnight } from '../../shared/domain/calendar';
import {
  computeDeadlines,
  escalationLevel,
  extendDeadline,
  type Sla,
} from '../../shared/domain/deadline';
import type { Channel, DispatchMode, Role, Satisfaction, TicketStatus, TicketType, Urgency } from '../../shared/domain/ticket';
import { signInRecord } from '../../shared/domain/signIn';
import type { LeafDef } from './catalog';
import type { Rng } from './prng';

export interface ActorRef {
  /** users.id where the person has an account, otherwise staff.id; 'system' for the system. */
  id: string | null;
  name: string;
  role: Role | 'system';
  unitId: string | null;
}

export interface EventRow {
  action: string;
  from: TicketStatus | null;
  to: TicketStatus;
  at: number;
  actor: ActorRef;
  unitId: string | null;
  reason: string | null;
  data: string;
}

export interface NegotiationRow {
  unitId: string;
  round: number;
  response: 'pending' | 'accepted' | 'declined';
  reason: string | null;
  respondedAt: number | null;
}

export interface ExtensionRow {
  at: number;
  unitId: string;
  requestedBy: string;
  days: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  /** Filled in by the writer (the id is referenced from event data). */
  id: string;
}

/** What the simulation needs to know about the world. */
export interface World {
  cal: Calendar;
  now: number;
  operators: ActorRef[];
  leader: ActorRef;
  system: ActorRef;
  unitActor(unitId: string): ActorRef;
  /** Assigns an id now (extensions are referenced from event data). */
  newExtensionId(at: number): string;
}

export interface LeafRuntime {
  def: LeafDef;
  id: string;
  sla: Sla;
  /** Default unit id; null for leaves handled by the ticket's community. */
  defaultUnitId: string;
  /** True when the leaf belongs to the community committee of the ticket's grid. */
  community: boolean;
  altUnitIds: string[];
}

export interface TicketPlan {
  createdAt: number;
  channel: Channel;
  type: TicketType;
  urgency: Urgency;
  leaf: LeafRuntime;
  reporter: ActorRef;
  hasPhone: boolean;
  /** The community committee of the ticket's grid. */
  communityUnitId: string;
  gridOfficer: ActorRef;
  /** An earlier duplicate this ticket may be merged into. */
  mergeTarget: { id: string; code: string } | null;
  /** A step held up for this ticket (recent tickets only: the center's current backlog). */
  stall: 'register' | 'dispatch' | 'accept' | null;
  resultText: () => string;
}

export interface TicketOutcome {
  status: TicketStatus;
  categoryKnown: boolean;
  createdBy: string | null;
  unitId: string | null;
  dispatchMode: DispatchMode | null;
  acceptDeadline: number | null;
  resolveDeadline: number | null;
  supervisionLevel: number;
  satisfaction: Satisfaction | null;
  result: string | null;
  mergedInto: string | null;
  reopenCount: number;
  returnCount: number;
  updatedAt: number;
  dispatchedAt: number | null;
  acceptedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  isCrossBoundary: boolean;
  events: EventRow[];
  negotiations: NegotiationRow[];
  extensions: ExtensionRow[];
}

const MIN = 60_000;
const HOUR = 3_600_000;
const OPEN = new Set<TicketStatus>(['reported', 'registered', 'dispatched', 'accepted', 'returned', 'reopened']);

const RETURN_REASONS = [
  '经核实不属于本单位职责范围，请重新派单',
  '地址不在本单位管辖范围',
  '该问题属于物业管理范畴，应由物业或社区处理',
  '该设施产权不属本单位，请核实权属后派单',
  '诉求涉及多个部门，建议由街道协调',
];
const DECLINE_REASONS = ['非本单位职责范围', '本单位不具备处置条件，建议由其他单位牵头', '该事项已移交其他部门管理'];
const CANCEL_REASONS = [
  '来电人反映的地址不在本街道辖区，已告知向所属街道反映',
  '信息不全且多次联系不上来电人，无法处置',
  '来电人表示问题已自行解决，撤回诉求',
  '无效来电，与实际情况不符',
];
const VERIFY_FAIL = ['现场核查问题仍然存在', '整改不到位，现场问题出现反复', '核查发现处置结果与上报不符'];
const UNSATISFIED_NOTES = ['来电人表示问题没有彻底解决', '来电人对处理时效不满意', '来电人称没有人联系他'];
const EXT_REASONS = ['需协调多个部门联合处置', '需采购材料，施工周期较长', '需等待天气条件允许后施工', '涉及产权争议，需进一步核实'];
const NOTES = ['已到现场查看，正在协调处理', '已联系来电人了解情况', '已安排人员处置，预计近日完成', '已与产权单位对接'];

export class TicketSim {
  private evs: EventRow[] = [];
  private status: TicketStatus | null = null;
  private last: number;
  private stopped = false;
  private level = 0;
  private deadline: number | null = null;
  private o: TicketOutcome;

  constructor(
    private readonly w: World,
    private readonly rng: Rng,
    private readonly p: TicketPlan,
  ) {
    this.last = p.createdAt;
    this.o = {
      status: 'reported',
      categoryKnown: false,
      createdBy: p.reporter.id,
      unitId: null,
      dispatchMode: null,
      acceptDeadline: null,
      resolveDeadline: null,
      supervisionLevel: 0,
      satisfaction: null,
      result: null,
      mergedInto: null,
      reopenCount: 0,
      returnCount: 0,
      updatedAt: p.createdAt,
      dispatchedAt: null,
      acceptedAt: null,
      resolvedAt: null,
      closedAt: null,
      isCrossBoundary: false,
      events: this.evs,
      negotiations: [],
      extensions: [],
    };
  }

  // --- time helpers -----------------------------------------------------------------------

  private hourOf(t: number): number {
    return Math.floor((t - cstMidnight(t)) / HOUR);
  }

  /** Street operators: on duty around the clock, thinly staffed before 07:00. */
  private operatorAt(t: number, medianMin: number): number {
    let at = t + Math.max(1, this.rng.logNormal(medianMin, 0.7)) * MIN;
    const h = this.hourOf(at);
    if (h < 7) at = cstMidnight(at) + 7 * HOUR + this.rng.range(20, 90) * MIN;
    return at;
  }

  /** Daytime work (callbacks, visits): moved into 08:30–20:30. */
  private daytime(at: number): number {
    const h = this.hourOf(at);
    if (h < 8) return cstMidnight(at) + 8.5 * HOUR + this.rng.range(0, 120) * MIN;
    if (h >= 20) return cstMidnight(at) + 24 * HOUR + 8.5 * HOUR + this.rng.range(0, 120) * MIN;
    return at;
  }

  /** When a unit signs for a dispatched ticket (5 minutes on average in working hours). */
  private acceptAt(t: number): number {
    if (this.p.leaf.sla.resolveUnit === 'hours') return t + Math.max(1, this.rng.logNormal(5, 0.6)) * MIN;
    const late = this.rng.chance(0.02);
    let at = t + Math.max(1, this.rng.logNormal(late ? 600 : 5, 0.8)) * MIN;
    const h = this.hourOf(at);
    if (h < 8 || h >= 19) at = this.daytime(at) + this.rng.logNormal(15, 0.6) * MIN;
    return at;
  }

  /** A step the plan holds up (the week's backlog): it happens days later, if at all by now. */
  private stalled(step: 'register' | 'dispatch' | 'accept', at: number): number {
    return this.p.stall === step ? at + this.rng.range(2, 5) * 24 * HOUR : at;
  }

  private resolveAt(from: number, minWindow: number): number {
    const dl = this.deadline ?? from + 8 * HOUR;
    const window = Math.max(dl - from, minWindow);
    const r = this.rng.next();
    let f: number;
    if (r < 0.015) f = 1.2 + this.rng.logNormal(2, 0.9); // difficult: long overdue
    else if (r < 0.04) f = 1 + this.rng.range(0.02, 0.6); // a little late
    else f = 0.04 + 0.9 * Math.pow(this.rng.next(), 1.4);
    let at = from + Math.max(15 * MIN, f * window);
    if (this.p.leaf.sla.resolveUnit !== 'hours') at = this.daytime(at);
    return at;
  }

  // --- event machinery --------------------------------------------------------------------

  private threshold(k: number): number {
    const dl = this.deadline!;
    if (k === 1) return dl + 1;
    const hours = k === 2 ? 8 : k === 3 ? 24 : 40;
    return this.w.cal.addWorkingHours(dl, hours + 1 / 60) + MIN;
  }

  /** Automatic supervision (督办) of an overdue open ticket, level by level, before `until`. */
  private escalate(until: number): void {
    if (this.deadline == null || !this.status || !OPEN.has(this.status)) return;
    while (this.level < 4) {
      const t = this.threshold(this.level + 1);
      if (t >= until) break;
      this.level++;
      this.superviseEvent(Math.max(t, this.last));
    }
  }

  private superviseEvent(at: number): void {
    this.evs.push({
      action: 'supervise',
      from: this.status,
      to: this.status!,
      at,
      actor: this.w.system,
      unitId: null,
      reason: `超期自动升级为${this.level}级督办`,
      data: `{"level":${this.level}}`,
    });
    this.last = at;
  }

  private ev(action: string, to: TicketStatus, at: number, actor: ActorRef, unitId: string | null, reason: string | null, data: string): boolean {
    if (this.stopped) return false;
    if (at < this.last) at = this.last;
    this.escalate(Math.min(at, this.w.now));
    if (at < this.last) at = this.last;
    if (at > this.w.now) {
      this.stopped = true;
      return false;
    }
    this.evs.push({ action, from: this.status, to, at, actor, unitId, reason, data });
    this.status = to;
    this.last = at;
    return true;
  }

  private op(): ActorRef {
    return this.rng.pick(this.w.operators);
  }

  // --- the life ---------------------------------------------------------------------------

  run(): TicketOutcome {
    const p = this.p;
    const leaf = p.leaf;
    const t0 = p.createdAt;
    const byOperator = p.channel === 'walkIn' || p.channel === 'petition';
    const byOfficer = p.channel === 'gridPatrol';
    const reporter = byOperator ? this.op() : p.reporter;
    this.o.createdBy = reporter.id;
    const knowsCategory = byOperator || byOfficer;
    const reportData = knowsCategory
      ? `{"channel":"${p.channel}","photos":${byOfficer ? 1 : 0},"categoryId":"${leaf.id}"}`
      : `{"channel":"${p.channel}","photos":0}`;
    this.ev('report', 'reported', t0, reporter, reporter.unitId, null, reportData);
    if (knowsCategory) this.categorize();

    // A grid officer fixes a micro event on the spot.
    if (byOfficer && leaf.def.micro && this.rng.chance(0.7)) {
      if (!this.resolve(t0 + this.rng.range(8, 60) * MIN, reporter)) return this.finish();
      return this.verifyCloseTail();
    }

    const regAt = byOperator ? t0 : this.stalled('register', this.operatorAt(t0, byOfficer ? 12 : 6));
    if (!this.ev('register', 'registered', regAt, byOperator ? reporter : this.op(), null, null, `{"categoryId":"${leaf.id}"}`))
      return this.finish();
    if (!knowsCategory) this.categorize();

    const r = this.rng.next();
    if (r < 0.012) {
      this.ev('cancel', 'cancelled', this.operatorAt(this.last, 30), this.op(), null, this.rng.pick(CANCEL_REASONS), '{}');
      return this.finish();
    }
    if (r < 0.032 && p.mergeTarget) {
      const tg = p.mergeTarget;
      if (this.ev('merge', 'cancelled', this.operatorAt(this.last, 10), this.op(), null, `与工单 ${tg.code} 反映同一问题，合并处理`, `{"targetId":"${tg.id}","targetCode":"${tg.code}"}`))
        this.o.mergedInto = tg.id;
      return this.finish();
    }

    // Consultations are answered at once by the operator (most of them).
    if (leaf.def.cons && this.rng.chance(0.85)) {
      if (!this.resolve(this.last + this.rng.range(3, 25) * MIN, this.op())) return this.finish();
      return this.verifyCloseTail();
    }

    let round = 0;
    for (;;) {
      if (!this.handle(round)) return this.finish();
      if (!this.verify(round)) {
        if (this.stopped) return this.finish();
        round++;
        continue;
      }
      // Callback (回访) where the reporter left a phone and has not been called back yet.
      if (p.hasPhone && this.o.satisfaction == null) {
        const sat = this.satisfaction();
        const at = this.daytime(this.last + Math.max(20, this.rng.logNormal(600, 0.9)) * MIN);
        const to: TicketStatus = sat === 'unsatisfied' ? 'reopened' : 'verified';
        const note = sat === 'unsatisfied' ? this.rng.pick(UNSATISFIED_NOTES) : null;
        if (!this.ev('callback', to, at, this.op(), null, note, `{"satisfaction":"${sat}"}`)) return this.finish();
        this.o.satisfaction = sat;
        if (to === 'reopened') {
          this.o.reopenCount++;
          this.o.resolvedAt = null;
          round++;
          continue;
        }
      }
      this.close();
      return this.finish();
    }
  }

  private categorize(): void {
    this.o.categoryKnown = true;
    const dl = computeDeadlines(this.w.cal, this.p.createdAt, this.p.leaf.sla, 'daily', this.p.urgency);
    this.deadline = dl.resolveDeadline;
    this.o.resolveDeadline = dl.resolveDeadline;
  }

  private satisfaction(): Satisfaction {
    const r = this.rng.next();
    return r < 0.82 ? 'satisfied' : r < 0.94 ? 'basicallySatisfied' : 'unsatisfied';
  }

  private resolve(at: number, actor: ActorRef): boolean {
    const result = this.p.resultText();
    if (!this.ev('resolve', 'resolved', at, actor, actor.unitId, null, JSON.stringify({ result, photos: actor.role === 'unit' || actor.role === 'gridOfficer' ? 1 : 0 })))
      return false;
    this.o.result = result;
    this.o.resolvedAt = this.last;
    return true;
  }

  /** After a resolve by the street itself: verify, callback where possible, close. */
  private verifyCloseTail(): TicketOutcome {
    if (!this.ev('verify', 'verified', this.operatorAt(this.last, 40), this.op(), null, null, '{"passed":true}')) return this.finish();
    if (this.p.hasPhone && this.rng.chance(this.p.leaf.def.cons ? 0.4 : 1)) {
      const sat: Satisfaction = this.rng.chance(0.9) ? 'satisfied' : 'basicallySatisfied';
      const at = this.daytime(this.last + Math.max(10, this.rng.logNormal(120, 0.8)) * MIN);
      if (!this.ev('callback', 'verified', at, this.op(), null, null, `{"satisfaction":"${sat}"}`)) return this.finish();
      this.o.satisfaction = sat;
    }
    this.close();
    return this.finish();
  }

  private close(): void {
    if (this.ev('close', 'closed', this.operatorAt(this.last, 45), this.op(), null, null, '{}')) this.o.closedAt = this.last;
  }

  private pickUnit(exclude: string | null): string {
    const leaf = this.p.leaf;
    const pool = [leaf.community ? this.p.communityUnitId : leaf.defaultUnitId, ...leaf.altUnitIds].filter((u) => u !== exclude);
    return pool.length ? this.rng.pick(pool) : this.p.communityUnitId;
  }

  private dispatch(mode: DispatchMode, unitId: string | null, candidates: string[] | null, round: number, note: string | null): boolean {
    const at = this.stalled('dispatch', this.operatorAt(this.last, round === 0 ? 8 : 30));
    const data =
      mode === 'negotiated'
        ? `{"candidateUnitIds":${JSON.stringify(candidates)},"round":1,"mode":"negotiated","unitId":null}`
        : `{"mode":"${mode}","unitId":"${unitId}"}`;
    if (!this.ev('dispatch', 'dispatched', at, this.op(), unitId, note, data)) return false;
    this.o.unitId = unitId;
    this.o.dispatchMode = mode;
    this.o.dispatchedAt = this.last;
    this.o.acceptDeadline = computeDeadlines(this.w.cal, this.last, this.p.leaf.sla, 'daily', this.p.urgency).acceptDeadline;
    return true;
  }

  /** One round of dispatch → accept → resolve by a unit. */
  private handle(round: number): boolean {
    const leaf = this.p.leaf;
    let unitId: string;
    let mode: DispatchMode;
    if (round > 0) {
      mode = 'designated';
      unitId = this.o.unitId ?? this.pickUnit(null);
    } else if (leaf.community) {
      mode = this.rng.chance(0.6) ? 'designated' : 'oneClick';
      unitId = mode === 'designated' ? this.p.communityUnitId : leaf.defaultUnitId;
    } else {
      const r = this.rng.next();
      mode = r < 0.86 ? 'oneClick' : r < 0.97 || !leaf.altUnitIds.length ? 'designated' : 'negotiated';
      unitId = mode === 'designated' ? this.pickUnit(null) : leaf.defaultUnitId;
    }

    if (mode === 'negotiated') {
      if (!this.negotiate(leaf.defaultUnitId, this.rng.pick(leaf.altUnitIds))) return false;
    } else {
      if (!this.dispatch(mode, unitId, null, round, round > 0 ? '重新派单，请认真核实处置' : null)) return false;
      // The unit may refuse (退回) with a reason; the street re-dispatches to the right unit.
      while (this.o.returnCount < 2 && round === 0 && this.rng.chance(0.04)) {
        const u = this.w.unitActor(unitId);
        const acceptedFirst = this.rng.chance(0.3);
        if (acceptedFirst && !this.accept(unitId)) return false;
        const at = this.last + Math.max(10, this.rng.logNormal(90, 0.9)) * MIN;
        if (!this.ev('return', 'returned', at, u, unitId, this.rng.pick(RETURN_REASONS), '{}')) return false;
        this.o.returnCount++;
        this.o.unitId = null;
        this.o.acceptedAt = null;
        unitId = this.pickUnit(unitId);
        if (!this.dispatch('designated', unitId, null, 1, '退回后重新派单')) return false;
      }
      if (!this.accept(unitId)) return false;
    }
    unitId = this.o.unitId!;
    const unit = this.w.unitActor(unitId);

    if (this.rng.chance(0.1)) {
      const at = this.last + Math.max(5, this.rng.logNormal(60, 1)) * MIN;
      if (!this.ev('note', 'accepted', this.daytime(at), unit, unitId, this.rng.pick(NOTES), '{}')) return false;
    }
    if (this.deadline != null && this.p.leaf.sla.resolveUnit === 'workDays' && this.p.leaf.sla.resolveWithin >= 3 && this.rng.chance(0.03)) {
      if (!this.extension(unit)) return false;
    }
    // A redo after a failed verification or an unsatisfied callback gets a fresh working window.
    return this.resolve(this.resolveAt(this.last, round > 0 ? 16 * HOUR : 40 * MIN), unit);
  }

  private accept(unitId: string): boolean {
    if (!this.ev('accept', 'accepted', this.stalled('accept', this.acceptAt(this.last)), this.w.unitActor(unitId), unitId, null, '{}')) return false;
    this.o.acceptedAt = this.last;
    // The sign-in's record, as the node writes it (late or not against the accept deadline).
    const rec = signInRecord({ accept_deadline: this.o.acceptDeadline }, this.last);
    if (rec) Object.assign(this.evs[this.evs.length - 1]!, { data: JSON.stringify(rec.data), reason: rec.reason });
    return true;
  }

  /** 商定派: two candidate units; one declines, the other takes it (or both decline). */
  private negotiate(a: string, b: string): boolean {
    if (!this.dispatch('negotiated', null, [a, b], 0, '涉及多个单位职责，请商定处置')) return false;
    this.o.isCrossBoundary = true;
    const rows: NegotiationRow[] = [
      { unitId: a, round: 1, response: 'pending', reason: null, respondedAt: null },
      { unitId: b, round: 1, response: 'pending', reason: null, respondedAt: null },
    ];
    this.o.negotiations = rows;
    const r = this.rng.next();
    const order = r < 0.5 ? [1, 0] : [0, 1];
    const outcome = r < 0.9 ? 'secondAccepts' : 'bothDecline';
    const firstRow = rows[order[0]!]!;
    const secondRow = rows[order[1]!]!;
    const decline = (row: NegotiationRow, to: TicketStatus): boolean => {
      const at = this.last + Math.max(5, this.rng.logNormal(40, 0.8)) * MIN;
      const reason = this.rng.pick(DECLINE_REASONS);
      if (!this.ev('respondNegotiation', to, at, this.w.unitActor(row.unitId), row.unitId, reason, '{"accepted":false}')) return false;
      row.response = 'declined';
      row.reason = reason;
      row.respondedAt = this.last;
      return true;
    };
    if (!decline(firstRow, 'dispatched')) return false;
    if (outcome === 'bothDecline') {
      if (!decline(secondRow, 'returned')) return false;
      this.o.returnCount++;
      this.o.unitId = null;
      const unitId = this.pickUnit(null);
      if (!this.dispatch('designated', unitId, null, 1, '商定未果，由街道指定处置单位')) return false;
      return this.accept(unitId);
    }
    const at = this.last + Math.max(5, this.rng.logNormal(30, 0.8)) * MIN;
    if (!this.ev('respondNegotiation', 'accepted', at, this.w.unitActor(secondRow.unitId), secondRow.unitId, null, '{"accepted":true}')) return false;
    secondRow.response = 'accepted';
    secondRow.respondedAt = this.last;
    this.o.unitId = secondRow.unitId;
    this.o.acceptedAt = this.last;
    return true;
  }

  private extension(unit: ActorRef): boolean {
    const dl = this.deadline!;
    const reqAt = this.daytime(this.last + Math.max(30 * MIN, (dl - this.last) * this.rng.range(0.3, 0.8)));
    const days = this.rng.pick([3, 5, 7]);
    const reason = this.rng.pick(EXT_REASONS);
    const id = this.w.newExtensionId(reqAt);
    if (!this.ev('requestExtension', 'accepted', reqAt, unit, unit.unitId, reason, `{"extensionId":"${id}","days":${days}}`)) return false;
    const ext: ExtensionRow = {
      id,
      at: this.last,
      unitId: unit.unitId!,
      requestedBy: unit.id ?? '',
      days,
      reason,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
    };
    this.o.extensions.push(ext);
    const approved = this.rng.chance(0.85);
    const decAt = this.daytime(this.last + Math.max(20, this.rng.logNormal(180, 0.8)) * MIN);
    const newDl = approved ? extendDeadline(this.w.cal, dl, days) : null;
    const decisionReason = approved ? null : '理由不充分，请按原时限办结';
    const data = `{"extensionId":"${id}","approved":${approved},"days":${days},"newDeadline":${newDl ?? 'null'}}`;
    if (!this.ev('decideExtension', 'accepted', decAt, this.w.leader, null, decisionReason, data)) return false;
    ext.status = approved ? 'approved' : 'rejected';
    ext.decidedBy = this.w.leader.id;
    ext.decidedAt = this.last;
    ext.decisionReason = decisionReason;
    if (newDl != null) {
      this.deadline = newDl;
      this.o.resolveDeadline = newDl;
      if (newDl > this.last) this.level = 0;
    }
    return true;
  }

  /** Verification by an operator or the grid officer; false when it failed (ticket reopened). */
  private verify(round: number): boolean {
    const byOfficer = this.rng.chance(0.45);
    const actor = byOfficer ? this.p.gridOfficer : this.op();
    const at = this.daytime(this.last + Math.max(10, this.rng.logNormal(360, 0.9)) * MIN);
    const passed = round >= 2 || !this.rng.chance(0.025);
    const reason = passed ? null : this.rng.pick(VERIFY_FAIL);
    if (!this.ev('verify', passed ? 'verified' : 'reopened', at, actor, actor.unitId, reason, `{"passed":${passed}}`)) return false;
    if (!passed) {
      this.o.reopenCount++;
      this.o.resolvedAt = null;
    }
    return passed;
  }

  private finish(): TicketOutcome {
    const o = this.o;
    o.status = this.status ?? 'reported';
    if (this.deadline != null && OPEN.has(o.status)) {
      // Bring supervision up to what the escalation job would show now.
      const target = escalationLevel(this.w.cal, this.deadline, this.w.now);
      this.escalate(this.w.now);
      while (this.level < target) {
        this.level++;
        this.superviseEvent(Math.min(Math.max(this.threshold(this.level), this.last), this.w.now));
      }
    }
    o.supervisionLevel = this.level;
    o.updatedAt = this.last;
    return o;
  }
}
