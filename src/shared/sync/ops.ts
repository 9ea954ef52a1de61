// The catalogue of sync operations: every change a street sends the city, defined once, by entity
// and op, with the zod schema of its payload. The street writes an op into its outbox through
// `appendOutbox` (src/main/services/core/outbox.ts), which validates it against this catalogue; the
// street checks every op again before it pushes; the city checks each op it receives and judges it
// from the typed payload (src/city/tickets.ts) — a malformed op is refused with the reason and
// nothing of it is applied.
//
// An op carries the facts the city needs that are known when the street writes it — who acted (id,
// name, role, unit code), the catalog code and category facts, dispatch unit codes, the ticket's
// status and version — so nothing is looked up again at push time. Street-local ids (units of a
// review or whistle session, categories) travel as they are; the city keeps those entities as
// received. See docs/sync-ops.md.

import { z } from 'zod/v4';
import { ticketActionInput } from '../api/contract';
import { TICKET_ACTIONS, type TicketAction } from '../domain/stateMachine';
import { CHANNELS, ROLES, RUN_MODES, SATISFACTIONS, TICKET_STATUSES, TICKET_TYPES, URGENCIES } from '../domain/ticket';
import { SUPERVISION_KINDS } from '../domain/supervision';
import { WHISTLE_DEPT_STATES, WHISTLE_ENTRY_KINDS, WHISTLE_STATUSES, WHISTLE_TASK_STATUSES } from '../domain/whistle';
import { CROSS_DIMENSIONS, REVIEW_POSITIONS, REVIEW_STATUSES } from '../domain/review';
import { RUN_MODE_SOURCES } from '../domain/runMode';

const id = z.string().min(1).max(128);
const text = (max: number) => z.string().max(max);
const ms = z.number().int();
const nullable = <T extends z.ZodTypeAny>(t: T) => t.nullable();
const status = z.enum(TICKET_STATUSES);

// ---- shared parts ----

/** Who did it, as the street knew them when the op was written. */
export const opActor = z.object({
  userId: id,
  name: text(100),
  role: z.enum(ROLES),
  /** The code of the user's unit (units are matched by code across street and city). */
  unitCode: nullable(text(64)),
});
export type OpActor = z.infer<typeof opActor>;

/** The actor of what the street node does by itself (routing a city dispatch, automatic supervision). */
export const SYSTEM_ACTOR: OpActor = { userId: 'system', name: '系统', role: 'system', unitCode: null };

/** Category facts the state machine needs, from the street's catalog when the op was written. */
export const categoryFacts = z.object({
  hasCategory: z.boolean(),
  isConsultation: z.boolean(),
  isMicro: z.boolean(),
  categoryCode: nullable(text(64)),
});
export type CategoryFacts = z.infer<typeof categoryFacts>;

/**
 * A ticket's state just before the op, for a ticket the city may not have: one that existed on the
 * street before its first sync (demo data, an import, a store that synced with no city before) —
 * i.e. one with no `create` op in the outbox. The city adopts the ticket from it.
 */
export const ticketBase = z.object({
  status,
  version: z.number().int().min(1),
  code: nullable(text(64)),
  unitCode: nullable(text(64)),
  channel: nullable(text(64)),
  type: nullable(text(64)),
  description: nullable(text(5000)),
  address: nullable(text(300)),
  lon: nullable(z.number()),
  lat: nullable(z.number()),
  externalRef: nullable(text(64)),
  reporterName: nullable(text(50)),
  reporterPhone: nullable(text(20)),
  result: nullable(text(2000)),
  satisfaction: nullable(z.enum(SATISFACTIONS)),
  createdAt: ms,
  facts: z.object({
    hasCategory: z.boolean(),
    isConsultation: z.boolean(),
    isMicro: z.boolean(),
    callbackPossible: z.boolean(),
    reportedBy: nullable(text(128)),
    categoryCode: nullable(text(64)),
  }),
});
export type TicketBase = z.infer<typeof ticketBase>;

// ---- ticket ----

/** The ticket as the street registered it. */
const ticketCreate = z.object({
  actor: opActor,
  ticket: z.object({
    id,
    code: text(64),
    status: z.enum(['reported', 'registered']),
    channel: z.enum(CHANNELS),
    type: z.enum(TICKET_TYPES),
    description: text(5000),
    address: text(300),
    lon: nullable(z.number()),
    lat: nullable(z.number()),
    gridId: nullable(id),
    categoryId: nullable(id),
    urgency: z.enum(URGENCIES),
    isMicro: z.boolean(),
    isCrossBoundary: z.boolean(),
    externalRef: nullable(text(64)),
    reporterName: nullable(text(50)),
    reporterPhone: nullable(text(20)),
    photos: z.array(text(64)).max(20),
    /** Filed with a location outside the street's boundary (kept, flagged). */
    outsideStreet: z.boolean(),
  }),
  facts: categoryFacts,
});

const ACTION_INPUTS = new Map(ticketActionInput.options.map((o) => [o.shape.action.value as TicketAction, o as z.ZodTypeAny]));
/** A hand supervision also carries the new deadline it set (not part of the API's action input). */
const superviseInput = ticketActionInput.options.find((o) => o.shape.action.value === 'supervise') as Extract<(typeof ticketActionInput.options)[number], { shape: { action: z.ZodLiteral<'supervise'> } }>;
ACTION_INPUTS.set('supervise', superviseInput.extend({ newDeadline: nullable(ms).optional() }));

/** The action's input as the street validated it (the API's action input; supervise adds its deadline). */
export type OpActionInput = z.output<typeof ticketActionInput> | (Extract<z.output<typeof ticketActionInput>, { action: 'supervise' }> & { newDeadline?: number | null });

/** A life-cycle action, judged by the city with the same state machine (src/shared/domain/stateMachine.ts). */
const ticketAction = (action: TicketAction) =>
  z.object({
    actor: opActor,
    input: ACTION_INPUTS.get(action)! as z.ZodType<OpActionInput>,
    /** The street's timeline event for it. */
    eventId: id,
    from: status,
    to: status,
    /** The ticket's version after the action (its version before + 1). */
    version: z.number().int().min(2),
    /** register / classify with a category: the category's facts. */
    facts: categoryFacts.optional(),
    /** dispatch: the unit (by code) it went to, and the negotiation candidates. */
    unitCode: nullable(text(64)).optional(),
    candidateUnitCodes: z.array(text(64)).max(10).optional(),
    /** accept / respondNegotiation (taken): the sign-in against the accept deadline (late or not, by how much). */
    signIn: z.object({ signInDeadline: ms, late: z.boolean(), lateMinutes: z.number().int().min(0) }).optional(),
    base: ticketBase.optional(),
  });

/**
 * A timeline entry a coordination feature writes on a ticket (a whistle session, a joint review, a
 * merge into it): recorded by the city, no state change, no state-machine check.
 */
const ticketAnnotate = z.object({
  actor: opActor,
  eventId: id,
  /** The ticket's status (unchanged) and version after the entry. */
  status,
  version: z.number().int().min(1),
  reason: nullable(text(2000)),
  data: z.record(z.string(), z.unknown()),
  base: ticketBase.optional(),
});

/** The street routed a city-dispatched ticket to one of its units (no change of status). */
const ticketRoute = z.object({ actor: opActor, unitCode: text(64) });

type ActionSchemas = { [A in TicketAction]: ReturnType<typeof ticketAction> };
const ticketOps = {
  create: ticketCreate,
  annotate: ticketAnnotate,
  route: ticketRoute,
  ...(Object.fromEntries(TICKET_ACTIONS.map((a) => [a, ticketAction(a)])) as ActionSchemas),
};

// ---- supervision (督办) records ----

const supervisionRecord = z.object({
  actor: opActor,
  record: z.object({
    id,
    ticket_id: id,
    kind: z.enum(SUPERVISION_KINDS),
    level: z.number().int().min(0).max(4),
    previous_level: z.number().int().min(0).max(4),
    unit_id: nullable(id),
    deadline: nullable(ms),
    new_deadline: nullable(ms),
    overdue_minutes: z.number().int(),
    run_mode: z.enum(RUN_MODES),
    notified: z.array(text(100)),
    note: nullable(text(2000)),
    by_id: nullable(id),
    by_name: text(100),
    at: ms,
  }),
});
const supervisionOps = Object.fromEntries(SUPERVISION_KINDS.map((k) => [k, supervisionRecord])) as Record<(typeof SUPERVISION_KINDS)[number], typeof supervisionRecord>;

// ---- 吹哨报到 sessions ----

const whistleTask = z.object({
  id,
  session_id: id,
  unit_id: id,
  ticket_id: nullable(id),
  title: text(300),
  deadline: nullable(ms),
  status: z.enum(WHISTLE_TASK_STATUSES),
  result: nullable(text(2000)),
  done_at: nullable(ms),
  done_by_name: nullable(text(100)),
  created_at: ms,
  updated_at: ms,
});
const deptState = z.enum(WHISTLE_DEPT_STATES);
const whistleOps = {
  open: z.object({
    actor: opActor,
    session: z.object({
      id,
      code: text(64),
      title: text(200),
      problem: text(2000),
      urgency: z.enum(URGENCIES),
      place: text(300),
      ticket_id: nullable(id),
      lead_unit_id: nullable(id),
      report_by: nullable(ms),
      status: z.enum(WHISTLE_STATUSES),
      opened_by: id,
      opened_by_name: text(100),
      opened_at: ms,
      closed_at: nullable(ms),
      summary: nullable(text(5000)),
      updated_at: ms,
      version: z.number().int(),
    }),
    departments: z.array(id),
    tasks: z.array(whistleTask),
  }),
  respond: z.object({
    actor: opActor,
    unitId: id,
    from: deptState,
    to: deptState,
    state: deptState.optional(),
    acknowledged_at: nullable(ms).optional(),
    checked_in_at: nullable(ms).optional(),
    done_at: nullable(ms).optional(),
    rep_name: nullable(text(100)).optional(),
    note: nullable(text(2000)).optional(),
    source: text(32).optional(),
  }),
  summon: z.object({ actor: opActor, unitIds: z.array(id).min(1) }),
  addTask: z.object({ actor: opActor, task: whistleTask }),
  updateTask: z.object({ actor: opActor, taskId: id, unitId: id, status: z.enum(WHISTLE_TASK_STATUSES), result: nullable(text(2000)) }),
  addEntry: z.object({ actor: opActor, entry: z.object({ id, session_id: id, kind: z.enum(WHISTLE_ENTRY_KINDS), text: text(5000), by_name: text(100), at: ms }) }),
  close: z.object({ actor: opActor, summary: text(5000) }),
};

// ---- 三跨会商 (joint reviews) ----

const reviewOps = {
  open: z.object({
    actor: opActor,
    review: z.object({
      id,
      ticket_id: id,
      dimensions: z.array(z.enum(CROSS_DIMENSIONS)),
      question: nullable(text(2000)),
      status: z.enum(REVIEW_STATUSES),
      decision: nullable(text(2000)),
      owner_unit_id: nullable(id),
      shares: text(10000),
      opened_by: id,
      opened_by_name: text(100),
      opened_at: ms,
      decided_by_name: nullable(text(100)),
      decided_at: nullable(ms),
      updated_at: ms,
    }),
    unitIds: z.array(id).min(2),
  }),
  position: z.object({ actor: opActor, unitId: id, position: z.enum(REVIEW_POSITIONS), note: nullable(text(2000)), by_name: text(100), at: ms }),
  decide: z.object({ actor: opActor, ownerUnitId: id, decision: text(2000), shares: z.array(z.object({ unitId: id, duty: text(300) })) }),
};

// ---- run modes, patrols, zero reports, duty roster ----

const runModeOps = {
  switch: z.object({
    actor: opActor,
    period: z.object({ id, mode: z.enum(RUN_MODES), start_at: ms, end_at: nullable(ms), source: z.enum(RUN_MODE_SOURCES), by_name: text(100), by_id: nullable(id), note: nullable(text(2000)), created_at: ms }),
  }),
};
const patrolOps = {
  checkIn: z.object({
    actor: opActor,
    checkin: z.object({ id, place_id: id, at: ms, by_id: id, by_name: text(100), ok: z.number().int().min(0).max(1), note: nullable(text(2000)) }),
    placeName: text(200),
  }),
};
const zeroReportOps = {
  file: z.object({
    actor: opActor,
    report: z.object({ id, date: text(10), mode: z.enum(RUN_MODES), kind: text(32), text: text(5000), incidents: z.number().int().min(0), due_at: nullable(ms), late: z.number().int().min(0).max(1), by_id: id, by_name: text(100), at: ms }),
  }),
};
const dutyRosterOps = {
  set: z.object({ actor: opActor, duty: z.object({ id, date: text(10), shift: text(32), post: text(100), name: text(100), phone: nullable(text(30)) }) }),
};

// ---- 专项治理 items (一批事 opened for root-cause treatment) ----

const recurringLink = z.object({ ticketId: id, reason: text(500), auto: z.boolean(), linkedAt: ms });
const recurringItemOps = {
  open: z.object({
    actor: opActor,
    item: z.object({
      id,
      code: text(64),
      title: text(100),
      categoryId: id,
      categoryCode: nullable(text(64)),
      place: text(300),
      lon: nullable(z.number()),
      lat: nullable(z.number()),
      gridId: nullable(id),
      rule: z.object({ place: z.enum(['near', 'grid']), radiusM: z.number().int().min(1).max(5000), minSimilarity: z.number().min(0).max(1) }),
      leadUnitId: id,
      leadUnitCode: nullable(text(64)),
      helperUnitIds: z.array(id).max(10),
      deadline: ms,
      openedAt: ms,
    }),
    links: z.array(recurringLink).max(5000),
  }),
  link: z.object({ actor: opActor, link: recurringLink }),
  note: z.object({ actor: opActor, note: z.object({ id, text: text(2000), byName: text(100), at: ms }) }),
  close: z.object({ actor: opActor, rootCause: text(2000), closedAt: ms }),
};

// ---- sync bookkeeping: directive receipts, reference-data receipts ----

const directiveAckOps = { ack: z.object({ actor: opActor, note: nullable(text(1000)) }) };
const referenceReceipt = z.object({ seq: z.number().int().min(0), kind: text(32), version: text(64), summary: nullable(text(2000)), errors: nullable(z.array(text(2000))) });
const referenceReceiptOps = { applied: referenceReceipt, rejected: referenceReceipt };

// ---- photo AI: how a suggestion was used, a resolution photo check ----

const aiPhotoSuggestionOps = {
  record: z.object({ actor: opActor, ticketId: id, acceptedCategoryId: nullable(id), descriptionAccepted: z.boolean(), finalCategoryId: nullable(id) }),
};
const aiPhotoCheckOps = {
  check: z.object({
    eventId: id,
    status: z.enum(['passed', 'failed']),
    reasons: z.array(text(500)),
    similarity: nullable(z.number()),
    reused: nullable(z.boolean()),
    sameScene: nullable(z.boolean()),
    problemVisible: nullable(z.boolean()),
    modelVersion: nullable(text(128)),
  }),
};

// ---- the audit log: each entry with its place in the street's hash chain ----

const sha256hex = z.string().regex(/^[0-9a-f]{64}$/);
const auditOps = {
  append: z.object({
    at: ms,
    actor: z.object({ id: nullable(text(128)), name: text(200), role: nullable(text(32)) }),
    action: text(40),
    target: nullable(text(300)),
    detail: z.record(z.string(), z.unknown()),
    prevHash: sha256hex,
    hash: sha256hex,
  }),
};

/** Every operation: entity → op → payload schema. */
export const OP_CATALOGUE = {
  ticket: ticketOps,
  supervision: supervisionOps,
  whistleSession: whistleOps,
  review: reviewOps,
  runMode: runModeOps,
  patrol: patrolOps,
  zeroReport: zeroReportOps,
  dutyRoster: dutyRosterOps,
  directiveAck: directiveAckOps,
  referenceReceipt: referenceReceiptOps,
  aiPhotoSuggestion: aiPhotoSuggestionOps,
  aiPhotoCheck: aiPhotoCheckOps,
  audit: auditOps,
  recurringItem: recurringItemOps,
} as const;

type Catalogue = typeof OP_CATALOGUE;
export type OpEntity = keyof Catalogue;
export type OpName<E extends OpEntity> = keyof Catalogue[E] & string;
export type OpPayload<E extends OpEntity, O extends OpName<E>> = Catalogue[E][O] extends z.ZodTypeAny ? z.output<Catalogue[E][O]> : never;

/** The typed body of an op: a discriminated union by `entity` and `op`. */
export type OpBody = { [E in OpEntity]: { [O in OpName<E>]: { entity: E; op: O; entityId: string; payload: OpPayload<E, O> } }[OpName<E>] }[OpEntity];
export type TicketOpBody = Extract<OpBody, { entity: 'ticket' }>;
export type TicketActionOpBody = Extract<TicketOpBody, { op: TicketAction }>;

/** An op as the street writes it (the outbox adds its id and sequence). */
export type NewOp = OpBody & { at: number };

/** An op as it travels and as the city judges it. */
export type TypedSyncOp = OpBody & { id: string; seq: number; at: number };

export const OP_ENTITIES = Object.keys(OP_CATALOGUE) as OpEntity[];

function schemaOf(entity: string, op: string): z.ZodTypeAny | null {
  if (!Object.prototype.hasOwnProperty.call(OP_CATALOGUE, entity)) return null;
  const ops = OP_CATALOGUE[entity as OpEntity] as Record<string, z.ZodTypeAny>;
  return Object.prototype.hasOwnProperty.call(ops, op) ? ops[op]! : null;
}

export type OpCheck<T> = { ok: true; op: T } | { ok: false; reason: string };

function describe(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

/**
 * Checks an op against the catalogue: a known entity and op, and a payload that matches its
 * schema. Returns the parsed (typed) op, or the reason it is malformed (English, precise: it goes
 * to logs and to the street's conflict record).
 */
export function checkOp<T extends { entity: string; op: string; payload: unknown }>(o: T): OpCheck<Omit<T, 'entity' | 'op' | 'payload'> & OpBody> {
  const schema = schemaOf(o.entity, o.op);
  if (!schema) return { ok: false, reason: `unknown operation ${o.entity}.${o.op}` };
  const r = schema.safeParse(o.payload);
  if (!r.success) return { ok: false, reason: `${o.entity}.${o.op}: ${describe(r.error)}` };
  return { ok: true, op: { ...o, payload: r.data } as never };
}

/** Whether an action op name is a state-machine action. */
export function isTicketAction(op: string): op is TicketAction {
  return (TICKET_ACTIONS as readonly string[]).includes(op);
}
