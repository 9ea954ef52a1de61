// How the city applies a street's ticket operation: the same state machine as the street
// (src/shared/domain/stateMachine.ts) decides, against the city's own copy of the ticket.
// Pure functions over rows, so a whole batch is decided in memory and written in bulk. The ops
// come checked against the op catalogue (src/shared/sync/ops.ts), so their payloads are typed.

import { actionDetailsOf, checkTransition, type TicketAction, type TicketSnapshot } from '../shared/domain/stateMachine';
import { STATUS_LABELS, type TicketStatus } from '../shared/domain/ticket';
import type { CityTicket } from '../shared/sync/protocol';
import type { OpActionInput, OpActor, TypedSyncOp } from '../shared/sync/ops';
import type { CityTicketsTable } from './db';

/** State-machine facts the city keeps beside each ticket. */
export interface TicketFacts {
  isConsultation?: boolean;
  isMicro?: boolean;
  hasCategory?: boolean;
  callbackPossible?: boolean;
  callbackDone?: boolean;
  hasPendingExtension?: boolean;
  pendingNegotiationUnitCodes?: string[];
  reportedBy?: string | null;
  /** The catalog code the street filed it under (the label the city trains its models on). */
  categoryCode?: string | null;
}

/** The city's copy of a ticket as decisions see it: the table row with its facts parsed and its times as numbers. */
export type TicketRow = Omit<CityTicketsTable, 'facts' | 'created_at' | 'updated_at'> & { facts: TicketFacts; created_at: number; updated_at: number };

export interface TicketEventRow {
  ticket_id: string;
  op_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  actor: string | null;
  at: number;
  data: Record<string, unknown>;
}

export type Decision =
  | { ok: true; row: TicketRow; event: TicketEventRow }
  | { ok: false; code: string; reason: string };

const no = (code: string, reason: string): Decision => ({ ok: false, code, reason });

export function toCityTicket(r: TicketRow): CityTicket {
  return {
    id: r.id,
    streetCode: r.street_code,
    code: r.code,
    status: r.status,
    version: r.version,
    unitCode: r.unit_code,
    source: r.source as CityTicket['source'],
    channel: r.channel,
    type: r.type,
    description: r.description,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    externalRef: r.external_ref,
    reporterName: r.reporter_name,
    reporterPhone: r.reporter_phone,
    result: r.result,
    satisfaction: r.satisfaction,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

type TicketOp = Extract<TypedSyncOp, { entity: 'ticket' }>;
export type CreateOp = Extract<TicketOp, { op: 'create' }>;
/** Every ticket op but `create`: a life-cycle action, a coordination note (`annotate`) or a route. */
export type ChangeOp = Exclude<TicketOp, CreateOp>;

function snapshot(r: TicketRow): TicketSnapshot {
  const f = r.facts;
  return {
    status: r.status as TicketStatus,
    unitId: r.unit_code,
    pendingNegotiationUnitIds: f.pendingNegotiationUnitCodes ?? [],
    isConsultation: !!f.isConsultation || r.type === 'consultation',
    isMicro: !!f.isMicro,
    hasCategory: !!f.hasCategory,
    reportedByUserId: f.reportedBy ?? null,
    hasPendingExtension: !!f.hasPendingExtension,
    callbackDone: !!f.callbackDone,
    callbackPossible: f.callbackPossible ?? !!r.reporter_phone,
  };
}

/** A street's `create` op: the ticket as the street registered it. */
export function decideCreate(street: string, existing: TicketRow | null | undefined, op: CreateOp): Decision {
  const { ticket: t, facts, actor } = op.payload;
  if (existing) {
    // Same id already known: a different op id re-creating it is a conflict, never a silent overwrite.
    if (existing.street_code !== street) return no('unknownTicket', '市级无此工单或不属于本街道');
    return no('alreadyExists', '市级已有该工单（编号相同），不能重复新建');
  }
  if (t.id !== op.entityId) return no('badOp', '新建工单的编号与操作对象不一致');
  const row: TicketRow = {
    id: op.entityId,
    street_code: street,
    code: t.code,
    status: t.status,
    version: 1,
    unit_code: null,
    source: 'street',
    channel: t.channel,
    type: t.type,
    description: t.description,
    address: t.address,
    lon: t.lon,
    lat: t.lat,
    external_ref: t.externalRef,
    reporter_name: t.reporterName,
    reporter_phone: t.reporterPhone,
    result: null,
    satisfaction: null,
    facts: {
      isConsultation: facts.isConsultation,
      isMicro: facts.isMicro,
      hasCategory: facts.hasCategory,
      categoryCode: facts.categoryCode,
      callbackPossible: !!t.reporterPhone,
      reportedBy: actor.userId,
    },
    created_at: op.at,
    updated_at: op.at,
  };
  return { ok: true, row, event: { ticket_id: row.id, op_id: op.id, action: 'create', from_status: null, to_status: t.status, actor: actor.userId, at: op.at, data: { channel: row.channel } } };
}

/** A street created the ticket before it synced with this city (history): adopt it from the op's base. */
function adopt(street: string, op: ChangeOp): TicketRow | null {
  const b = 'base' in op.payload ? op.payload.base : undefined;
  if (!b) return null;
  return {
    id: op.entityId,
    street_code: street,
    code: b.code,
    status: b.status,
    version: b.version,
    unit_code: b.unitCode,
    source: 'street',
    channel: b.channel,
    type: b.type,
    description: b.description,
    address: b.address,
    lon: b.lon,
    lat: b.lat,
    external_ref: b.externalRef,
    reporter_name: b.reporterName,
    reporter_phone: b.reporterPhone,
    result: b.result,
    satisfaction: b.satisfaction,
    facts: { ...b.facts },
    created_at: b.createdAt,
    updated_at: op.at,
  };
}

/** Any other ticket op: a life-cycle action, a coordination note, or the street routing a city dispatch. */
export function decideAction(street: string, existing: TicketRow | null | undefined, op: ChangeOp): Decision {
  let cur = existing ?? null;
  if (cur && cur.street_code !== street) return no('unknownTicket', '市级无此工单或不属于本街道');
  if (!cur) {
    cur = adopt(street, op);
    if (!cur) return no('unknownTicket', '市级无此工单或不属于本街道');
  }
  // The street routes a city-dispatched ticket to one of its units (no change of status).
  if (op.op === 'route') {
    const { unitCode, actor } = op.payload;
    if (cur.status !== 'dispatched') return no('invalidState', `工单当前状态为“${label(cur.status)}”，不能转派`);
    const row = { ...cur, unit_code: unitCode, updated_at: op.at };
    return { ok: true, row, event: { ticket_id: cur.id, op_id: op.id, action: 'route', from_status: cur.status, to_status: cur.status, actor: actor.userId, at: op.at, data: { unitCode } } };
  }
  // A note written by a coordination feature (whistle session, joint review, merge): recorded, no state change.
  if (op.op === 'annotate') {
    const p = op.payload;
    return {
      ok: true,
      row: { ...cur, updated_at: Math.max(cur.updated_at, op.at) },
      event: { ticket_id: cur.id, op_id: op.id, action: 'note', from_status: cur.status, to_status: cur.status, actor: p.actor.userId, at: op.at, data: { reason: p.reason, ...p.data, actorName: p.actor.name } },
    };
  }
  const p = op.payload;
  const { actor, input } = p;
  const action: TicketAction = op.op;
  if (input.action !== action || input.id !== op.entityId) return no('badOp', `操作内容与操作类型不一致：${op.op}`);
  if (p.from !== cur.status)
    return no('staleState', `市级工单状态为“${label(cur.status)}”，本地操作基于“${label(p.from)}”，两边不一致`);
  const verdict = checkTransition(snapshot(cur), action, { userId: actor.userId, role: actor.role, unitId: actor.unitCode }, actionDetailsOf(input));
  if (!verdict.ok) return no(verdict.code, verdict.reason);
  const to = p.to;
  if (to !== verdict.to) return no('outcomeMismatch', `市级判定结果为“${label(verdict.to)}”，本地为“${label(to)}”`);
  const facts: TicketFacts = { ...cur.facts };
  const row: TicketRow = { ...cur, status: to, version: p.version, updated_at: op.at, facts };
  applyEffects(row, facts, input, to, actor, p);
  return { ok: true, row, event: { ticket_id: cur.id, op_id: op.id, action, from_status: p.from, to_status: to, actor: actor.userId, at: op.at, data: { input, unitCode: row.unit_code, actorName: actor.name, ...(p.signIn ? { signIn: p.signIn } : {}) } } };
}

/** What an accepted action changes beside status and version. */
function applyEffects(row: TicketRow, facts: TicketFacts, input: OpActionInput, to: string, actor: OpActor, p: Extract<ChangeOp, { op: TicketAction }>['payload']): void {
  switch (input.action) {
    case 'register':
    case 'classify':
      if (input.categoryId && p.facts) Object.assign(facts, { hasCategory: true, isConsultation: p.facts.isConsultation, isMicro: p.facts.isMicro, categoryCode: p.facts.categoryCode });
      break;
    case 'dispatch':
      row.unit_code = p.unitCode ?? null;
      facts.pendingNegotiationUnitCodes = p.candidateUnitCodes ?? [];
      break;
    case 'respondNegotiation':
      facts.pendingNegotiationUnitCodes = input.accepted ? [] : (facts.pendingNegotiationUnitCodes ?? []).filter((u) => u !== actor.unitCode);
      if (input.accepted) row.unit_code = actor.unitCode;
      if (to === 'returned') row.unit_code = null;
      break;
    case 'return':
      row.unit_code = null;
      break;
    case 'requestExtension':
      facts.hasPendingExtension = true;
      break;
    case 'decideExtension':
      facts.hasPendingExtension = false;
      break;
    case 'resolve':
      row.result = input.result;
      row.satisfaction = null;
      facts.callbackDone = false;
      break;
    case 'callback':
      row.satisfaction = input.satisfaction;
      facts.callbackDone = true;
      break;
    case 'reopen':
      row.satisfaction = null;
      facts.callbackDone = false;
      break;
    default:
      break;
  }
}

function label(s: string): string {
  return (STATUS_LABELS as Record<string, string>)[s] ?? s;
}
