// 设备报警 on the street: an alarm ticket's device and history as the city's feed keeps them
// (src/main/sync/ticketAlarms.ts writes them), for the ticket page, the map and the dashboard.
// Nothing here is personal, but every read goes through the ticket visibility rule all the same.

import type { Kysely } from 'kysely';
import { cstMidnight } from '../../../shared/domain/calendar';
import { alarmReading, type AlarmKind } from '../../../shared/intake/alarms';
import type { TicketStatus } from '../../../shared/domain/ticket';
import type * as T from '../../../shared/api/types';
import type { Database } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { ticketScope } from './visibility';

/** The alarm facts of one ticket (the caller has checked the ticket is visible), or null. */
export async function alarmOf(db: Kysely<Database>, ticketId: string): Promise<T.TicketAlarm | null> {
  const a = await db.selectFrom('ticket_alarms').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  if (!a) return null;
  let readings: T.TicketAlarm['readings'] = [];
  try {
    const raw = JSON.parse(a.readings) as unknown;
    if (Array.isArray(raw)) readings = raw.flatMap((r) => { const p = alarmReading.safeParse(r); return p.success ? [p.data] : []; });
  } catch {
    // Checked when stored; an unreadable list shows as none.
  }
  const shot = a.snapshot_sha
    ? await db.selectFrom('attachments').select(['sha256', 'mime', 'size', 'name']).where('sha256', '=', a.snapshot_sha).executeTakeFirst()
    : undefined;
  return {
    kind: a.kind as AlarmKind,
    device: a.device,
    unit: a.unit,
    threshold: a.threshold,
    firstAt: a.first_at,
    lastAt: a.last_at,
    count: a.count,
    readings,
    snapshot: shot ?? null,
  };
}

/** Points of alarm tickets among `ids`: the kind, device and count by ticket id (the map). */
export async function alarmsOfTickets(db: Kysely<Database>, ids: string[]): Promise<Record<string, { kind: AlarmKind; device: string; count: number }>> {
  const out: Record<string, { kind: AlarmKind; device: string; count: number }> = {};
  // Alarm tickets are few: read them all and keep those drawn (no 40,000-id IN list).
  const want = new Set(ids);
  for (const r of await db.selectFrom('ticket_alarms').select(['ticket_id', 'kind', 'device', 'count']).execute())
    if (want.has(r.ticket_id)) out[r.ticket_id] = { kind: r.kind as AlarmKind, device: r.device, count: r.count };
  return out;
}

/** The dashboard's 设备报警 card: how many alarm tickets had an alarm today, and the latest few. */
export async function dashboardAlarms(ctx: NodeContext, user: T.User, limit = 5): Promise<T.DashboardAlarms> {
  const now = ctx.now();
  const base = () =>
    ctx.store.db
      .selectFrom('ticket_alarms')
      .innerJoin('tickets', 'tickets.id', 'ticket_alarms.ticket_id')
      .where((eb) => ticketScope(eb, user) ?? eb.val(true));
  const [today, latest] = await Promise.all([
    base().select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_alarms.last_at', '>=', cstMidnight(now)).executeTakeFirstOrThrow(),
    base()
      .select(['tickets.id', 'tickets.code', 'tickets.status', 'tickets.address', 'ticket_alarms.kind', 'ticket_alarms.device', 'ticket_alarms.count', 'ticket_alarms.last_at'])
      .orderBy('ticket_alarms.last_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return {
    today: Number(today.n),
    latest: latest.map((r) => ({ ticketId: r.id, code: r.code, status: r.status as TicketStatus, kind: r.kind as AlarmKind, device: r.device, count: r.count, lastAt: r.last_at, address: r.address })),
  };
}
