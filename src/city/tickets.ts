// How the city applies a street's ticket operation: the same state machine as the street
// (src/shared/domain/stateMachine.ts) decides, against the city's own copy of the ticket.
// Pure functions over rows, so a whole batch is decided in memory and written in bulk.

import { checkTransition, TICKET_ACTIONS, type ActionDetails, type TicketAction, type TicketSnapshot } from '../shared/domain/stateMachine';
import { ROLES, STATUS_LABELS, type Role, type TicketStatus } from '../shared/domain/ticket';
import type { CityTicket, SyncOp } from '../shared/sync/protocol';
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
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

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

interface Actor {
  userId: string;
  role: Role;
  unitCode: string | null;
  name?: string;
}

function actorOf(p: Record<string, unknown>): Actor | null {
  const a = p.actor as Record<string, unknown> | undefined;
  if (!a || typeof a.userId !== 'string' || !ROLES.includes(a.role as Role)) return null;
  return { userId: a.userId, role: a.role as Role, unitCode: str(a.unitCode), name: str(a.name) ?? undefined };
}

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

function details(action: TicketAction, input: Record<string, unknown>): ActionDetails {
  switch (action) {
    case 'verify':
      return { verifyPassed: input.passed as boolean | undefined };
    case 'callback':
      return { satisfaction: input.satisfaction as ActionDetails['satisfaction'] };
    case 'respondNegotiation':
      return { negotiationAccepted: input.accepted as boolean | undefined };
    case 'merge':
      return { mergeTargetId: str(input.targetId) ?? undefined };
    default:
      return {};
  }
}

/** A street's `create` op: the ticket as the street registered it. */
export function decideCreate(street: string, existing: TicketRow | null | undefined, op: SyncOp): Decision {
  const t = (op.payload.ticket ?? {}) as Record<string, unknown>;
  if (existing) {
    // Same id already known: a different op id re-creating it is a conflict, never a silent overwrite.
    if (existing.street_code !== street) return no('unknownTicket', '市级无此工单或不属于本街道');
    return no('alreadyExists', '市级已有该工单（编号相同），不能重复新建');
  }
  const status = str(t.status);
  if (status !== 'reported' && status !== 'registered') return no('badCreate', '新建工单的状态只能是“已上报”或“已登记”');
  const facts = (op.payload.facts ?? {}) as TicketFacts;
  const actor = actorOf(op.payload);
  const row: TicketRow = {
    id: op.entityId,
    street_code: street,
    code: str(t.code),
    status,
    version: 1,
    unit_code: null,
    source: 'street',
    channel: str(t.channel),
    type: str(t.type),
    description: str(t.description),
    address: str(t.address),
    lon: num(t.lon),
    lat: num(t.lat),
    external_ref: str(t.externalRef),
    reporter_name: str(t.reporterName),
    reporter_phone: str(t.reporterPhone),
    result: null,
    satisfaction: null,
    facts: {
      isConsultation: facts.isConsultation ?? t.type === 'consultation',
      isMicro: facts.isMicro ?? !!t.isMicro,
      hasCategory: facts.hasCategory ?? !!t.categoryId,
      categoryCode: facts.categoryCode ?? null,
      callbackPossible: !!str(t.reporterPhone),
      reportedBy: actor?.userId ?? str(op.payload.by),
    },
    created_at: op.at,
    updated_at: op.at,
  };
  return { ok: true, row, event: { ticket_id: row.id, op_id: op.id, action: 'create', from_status: null, to_status: status, actor: actor?.userId ?? str(op.payload.by), at: op.at, data: { channel: row.channel } } };
}

/** A street created the ticket before it synced with this city (history): adopt it from the op's base. */
function adopt(street: string, op: SyncOp): TicketRow | null {
  const b = op.payload.base as Record<string, unknown> | undefined;
  if (!b || typeof b.status !== 'string' || typeof b.version !== 'number') return null;
  return {
    id: op.entityId,
    street_code: street,
    code: str(b.code),
    status: b.status,
    version: b.version,
    unit_code: str(b.unitCode),
    source: 'street',
    channel: str(b.channel),
    type: str(b.type),
    description: str(b.description),
    address: str(b.address),
    lon: num(b.lon),
    lat: num(b.lat),
    external_ref: str(b.externalRef),
    reporter_name: str(b.reporterName),
    reporter_phone: str(b.reporterPhone),
    result: str(b.result),
    satisfaction: str(b.satisfaction),
    facts: (b.facts ?? {}) as TicketFacts,
    created_at: num(b.createdAt) ?? op.at,
    updated_at: op.at,
  };
}

/** Any other ticket op: a life-cycle action, a merge note, or the street routing a city dispatch. */
export function decideAction(street: string, existing: TicketRow | null | undefined, op: SyncOp): Decision {
  let cur = existing ?? null;
  if (cur && cur.street_code !== street) return no('unknownTicket', '市级无此工单或不属于本街道');
  if (!cur) {
    cur = adopt(street, op);
    if (!cur) return no('unknownTicket', '市级无此工单或不属于本街道');
  }
  const p = op.payload;
  const actor = actorOf(p);
  // The street routes a city-dispatched ticket to one of its units (no change of status).
  if (op.op === 'route') {
    const unitCode = str(p.unitCode);
    if (!unitCode) return no('badOp', '缺少处置单位');
    if (cur.status !== 'dispatched') return no('invalidState', `工单当前状态为“${label(cur.status)}”，不能转派`);
    const row = { ...cur, unit_code: unitCode, updated_at: op.at };
    return { ok: true, row, event: { ticket_id: cur.id, op_id: op.id, action: 'route', from_status: cur.status, to_status: cur.status, actor: actor?.userId ?? null, at: op.at, data: { unitCode } } };
  }
  const input = p.input as Record<string, unknown> | undefined;
  if (!input) {
    // A note written on another ticket's behalf (merge): recorded, no state change.
    if (op.op === 'note') {
      return { ok: true, row: { ...cur, updated_at: Math.max(cur.updated_at, op.at) }, event: { ticket_id: cur.id, op_id: op.id, action: 'note', from_status: cur.status, to_status: cur.status, actor: str(p.by), at: op.at, data: p } };
    }
    return no('badOp', `无法识别的工单操作：${op.op}`);
  }
  const action = op.op as TicketAction;
  if (!TICKET_ACTIONS.includes(action)) return no('badOp', `无法识别的工单操作：${op.op}`);
  if (!actor) return no('badOp', '操作缺少操作人信息');
  const from = str(p.from);
  if (from !== cur.status)
    return no('staleState', `市级工单状态为“${label(cur.status)}”，本地操作基于“${label(from ?? '')}”，两边不一致`);
  const verdict = checkTransition(snapshot(cur), action, { userId: actor.userId, role: actor.role, unitId: actor.unitCode }, details(action, input));
  if (!verdict.ok) return no(verdict.code, verdict.reason);
  const to = str(p.to) ?? verdict.to;
  if (to !== verdict.to) return no('outcomeMismatch', `市级判定结果为“${label(verdict.to)}”，本地为“${label(to)}”`);
  const facts: TicketFacts = { ...cur.facts };
  const row: TicketRow = { ...cur, status: to, version: num(p.version) ?? cur.version + 1, updated_at: op.at, facts };
  const enriched = (p.facts ?? {}) as TicketFacts;
  switch (action) {
    case 'register':
    case 'classify':
      if (input.categoryId)
        Object.assign(facts, { hasCategory: true, isConsultation: enriched.isConsultation ?? facts.isConsultation, isMicro: enriched.isMicro ?? facts.isMicro, categoryCode: enriched.categoryCode ?? facts.categoryCode ?? null });
      break;
    case 'dispatch':
      row.unit_code = str(p.unitCode);
      facts.pendingNegotiationUnitCodes = Array.isArray(p.candidateUnitCodes) ? (p.candidateUnitCodes as string[]) : [];
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
      row.result = str(input.result);
      row.satisfaction = null;
      facts.callbackDone = false;
      break;
    case 'callback':
      row.satisfaction = str(input.satisfaction);
      facts.callbackDone = true;
      break;
    case 'reopen':
      row.satisfaction = null;
      facts.callbackDone = false;
      break;
    default:
      break;
  }
  return { ok: true, row, event: { ticket_id: cur.id, op_id: op.id, action, from_status: from, to_status: to, actor: actor.userId, at: op.at, data: { input, unitCode: row.unit_code, actorName: actor.name ?? null } } };
}

function label(s: string): string {
  return (STATUS_LABELS as Record<string, string>)[s] ?? s;
}
