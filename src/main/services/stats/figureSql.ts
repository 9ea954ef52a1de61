// The SQL of each ticket-level figure (definitions in src/shared/stats/figures.ts), over the
// `tickets` table. The statistics count with these expressions and the ticket list filters with
// them, so the number on the statistics page and the list it opens are the same set of tickets.

import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { PROACTIVE_CHANNELS, type TicketFigure } from '../../../shared/stats/figures';

type Expr = RawBuilder<SqlBool>;

const inRange = (col: string, from: number, to: number): Expr => sql<SqlBool>`(${sql.ref(col)} >= ${from} AND ${sql.ref(col)} < ${to})`;

/** The column each figure is anchored on: which period scan finds its tickets. */
export type Anchor = 'created' | 'resolved' | 'dispatched' | 'callback' | 'supervised';
export const FIGURE_ANCHOR: Record<TicketFigure, Anchor> = {
  received: 'created',
  receivedResolved: 'created',
  proactive: 'created',
  duplicates: 'created',
  consultations: 'created',
  answeredAtIntake: 'created',
  resolved: 'resolved',
  resolvedOnTime: 'resolved',
  resolvedLate: 'resolved',
  micro: 'resolved',
  microInGrid: 'resolved',
  reopened: 'resolved',
  dispatched: 'dispatched',
  acceptedInTime: 'dispatched',
  acceptedLate: 'dispatched',
  returned: 'dispatched',
  extended: 'dispatched',
  callbacks: 'callback',
  satisfied: 'callback',
  unsatisfied: 'callback',
  supervised: 'supervised',
  supervisedL1: 'supervised',
  supervisedL2: 'supervised',
  supervisedL3: 'supervised',
  supervisedL4: 'supervised',
};

// Row-level predicates without the period (the caller's scan restricts the anchor column).
const VALID = sql<SqlBool>`(tickets.status <> 'cancelled' AND tickets.merged_into IS NULL)`;
const ON_TIME = sql<SqlBool>`(tickets.resolve_deadline IS NULL OR tickets.first_resolve_at <= tickets.resolve_deadline)`;
const ACCEPTED_IN_TIME = sql<SqlBool>`(tickets.accepted_at IS NOT NULL AND (tickets.accept_deadline IS NULL OR tickets.accepted_at <= tickets.accept_deadline))`;
const CONSULTATION = sql<SqlBool>`(tickets.category_id IN (SELECT id FROM catalog WHERE is_consultation = 1))`;
const PROACTIVE = sql<SqlBool>`(tickets.channel IN (${sql.join(PROACTIVE_CHANNELS)}))`;
const SATISFIED_SQL = sql`json_extract(e.data, '$.satisfaction') IN ('satisfied', 'basicallySatisfied')`;

/**
 * The part of a figure's definition that is not its period anchor (true for the anchor figure
 * itself). Combined with the anchor's period condition it is the whole definition.
 */
export function figureRest(f: TicketFigure): Expr | null {
  switch (f) {
    case 'received':
      return VALID;
    case 'receivedResolved':
      return sql<SqlBool>`(${VALID} AND tickets.status IN ('resolved', 'verified', 'closed'))`;
    case 'proactive':
      return sql<SqlBool>`(${VALID} AND ${PROACTIVE})`;
    case 'duplicates':
      return sql<SqlBool>`(tickets.merged_into IS NOT NULL)`;
    case 'consultations':
      return sql<SqlBool>`(${VALID} AND ${CONSULTATION})`;
    case 'answeredAtIntake':
      return sql<SqlBool>`(${VALID} AND ${CONSULTATION} AND tickets.first_resolve_at IS NOT NULL AND tickets.first_dispatch_at IS NULL)`;
    case 'resolved':
      return null;
    case 'resolvedOnTime':
      return ON_TIME;
    case 'resolvedLate':
      return sql<SqlBool>`(NOT ${ON_TIME})`;
    case 'micro':
      return sql<SqlBool>`(tickets.is_micro = 1)`;
    case 'microInGrid':
      return sql<SqlBool>`(tickets.is_micro = 1 AND tickets.first_resolve_role = 'gridOfficer')`;
    case 'reopened':
      return sql<SqlBool>`(tickets.reopen_count > 0)`;
    case 'dispatched':
      return null;
    case 'acceptedInTime':
      return ACCEPTED_IN_TIME;
    case 'acceptedLate':
      return sql<SqlBool>`(NOT ${ACCEPTED_IN_TIME})`;
    case 'returned':
      return sql<SqlBool>`(tickets.return_count > 0)`;
    case 'extended':
      return sql<SqlBool>`(EXISTS (SELECT 1 FROM ticket_extensions x WHERE x.ticket_id = tickets.id))`;
    default:
      return null; // event-anchored figures carry everything in their anchor
  }
}

/** Tickets with a callback event in the period (optionally: only satisfied / unsatisfied ones). */
function callbackIn(from: number, to: number, which: 'any' | 'satisfied' | 'unsatisfied'): Expr {
  const sat = which === 'any' ? sql`1` : which === 'satisfied' ? SATISFIED_SQL : sql`NOT (${SATISFIED_SQL})`;
  return sql<SqlBool>`(tickets.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.action = 'callback' AND e.at >= ${from} AND e.at < ${to} AND ${sat}))`;
}

/** Tickets with a supervise event in the period (optionally: whose highest level in it is `level`). */
function supervisedIn(from: number, to: number, level: number | null): Expr {
  const having = level == null ? sql`` : sql` GROUP BY e.ticket_id HAVING max(CAST(json_extract(e.data, '$.level') AS INTEGER)) = ${level}`;
  return sql<SqlBool>`(tickets.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.action = 'supervise' AND e.at >= ${from} AND e.at < ${to}${having}))`;
}

/** The anchor's period condition on a ticket row. */
export function anchorIn(a: Anchor, from: number, to: number): Expr {
  switch (a) {
    case 'created':
      return inRange('tickets.created_at', from, to);
    case 'resolved':
      return inRange('tickets.first_resolve_at', from, to);
    case 'dispatched':
      return inRange('tickets.first_dispatch_at', from, to);
    case 'callback':
      return callbackIn(from, to, 'any');
    case 'supervised':
      return supervisedIn(from, to, null);
  }
}

/** The whole definition of a ticket-level figure over [from, to), as a condition on `tickets`. */
export function figureCondition(f: TicketFigure, from: number, to: number): Expr {
  switch (f) {
    case 'callbacks':
      return callbackIn(from, to, 'any');
    case 'satisfied':
      return callbackIn(from, to, 'satisfied');
    case 'unsatisfied':
      return callbackIn(from, to, 'unsatisfied');
    case 'supervised':
      return supervisedIn(from, to, null);
    case 'supervisedL1':
    case 'supervisedL2':
    case 'supervisedL3':
    case 'supervisedL4':
      return supervisedIn(from, to, Number(f.slice(-1)));
    default: {
      const rest = figureRest(f);
      const anchor = anchorIn(FIGURE_ANCHOR[f], from, to);
      return rest ? sql<SqlBool>`(${anchor} AND ${rest})` : anchor;
    }
  }
}

export const SATISFIED_EVENT_SQL = SATISFIED_SQL;
