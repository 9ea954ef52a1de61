// The permanent record of supervision (督办): one row per reminder or escalation, with who was
// notified, the responsible unit and how long the ticket was overdue on the rule's clock. Written by
// the ticket's `supervise` action and by the supervision job, in the caller's transaction.

import { v7 as uuidv7 } from 'uuid';
import type { Calendar } from '../../../shared/domain/calendar';
import { SUPERVISION_NOTIFIED, overdueHours, parseCatalogThresholds, ruleFor, slaClassOf, type SupervisionKind } from '../../../shared/domain/supervision';
import type { RunMode, SupervisionLevel } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { TicketRecord } from '../../db/schema';
import { appendOutbox, opActorOf } from '../core/outbox';
import type { Trx } from '../tickets/ledger';

export interface RecordSpec {
  ticket: Pick<TicketRecord, 'id' | 'unit_id' | 'resolve_deadline' | 'supervision_level'>;
  kind: SupervisionKind;
  level: number;
  mode: RunMode;
  cal: Calendar;
  at: number;
  by: User;
  note?: string | null;
  newDeadline?: number | null;
  /** The category's deadline unit and thresholds (looked up when not given). */
  slaUnit?: string | null;
  catalogRule?: string | null;
}

/** Writes one supervision record (and its outbox row) in the caller's transaction. */
export async function recordSupervision(trx: Trx, s: RecordSpec): Promise<string> {
  const id = uuidv7({ msecs: s.at });
  const deadline = s.ticket.resolve_deadline;
  let slaUnit = s.slaUnit;
  let catalogRule = s.catalogRule;
  if (slaUnit === undefined) {
    const c = await trx
      .selectFrom('tickets')
      .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
      .select(['catalog.resolve_unit', 'catalog.supervision_hours'])
      .where('tickets.id', '=', s.ticket.id)
      .executeTakeFirst();
    slaUnit = c?.resolve_unit ?? null;
    catalogRule = c?.supervision_hours ?? null;
  }
  const rule = ruleFor(s.mode, slaClassOf(slaUnit), parseCatalogThresholds(catalogRule));
  const overdue = deadline != null ? Math.round(overdueHours(s.cal, rule, deadline, s.at) * 60) : 0;
  const notified = [...SUPERVISION_NOTIFIED[Math.max(0, Math.min(4, s.level)) as SupervisionLevel]];
  const row = {
    id,
    ticket_id: s.ticket.id,
    kind: s.kind,
    level: s.level,
    previous_level: s.ticket.supervision_level,
    unit_id: s.ticket.unit_id,
    deadline,
    new_deadline: s.newDeadline ?? null,
    overdue_minutes: overdue,
    run_mode: s.mode,
    notified: JSON.stringify(notified),
    note: s.note ?? null,
    by_id: s.by.id || null,
    by_name: s.by.displayName,
    at: s.at,
  };
  await trx.insertInto('supervision_records').values(row).execute();
  await appendOutbox(trx, { entity: 'supervision', entityId: id, op: s.kind, at: s.at, payload: { actor: await opActorOf(trx, s.by), record: { ...row, notified } } });
  return id;
}
