// 签收时效 in 督办: how many tickets each unit signed for (签收) in a period and how many of those
// late (the sign-in events record it: services/tickets/actions.ts recordSignIn), and the tickets
// still waiting for their sign-in past their accept deadline (超时未签收), whatever the channel.
// A unit user sees only their own unit.

import { sql } from 'kysely';
import type { SignInBoard, SignInUnitCount, UnsignedTicket } from '../../../shared/api/coordination';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';

const UNSIGNED_MAX = 500;

export async function signInBoard(ctx: NodeContext, user: User, input: { from: number; to: number; unitId?: string }): Promise<SignInBoard> {
  const db = ctx.store.db;
  const now = ctx.now();
  const empty: SignInBoard = { from: input.from, to: input.to, now, units: [], totals: { signed: 0, late: 0, unsigned: 0 }, unsigned: [], truncated: false };
  const unit = user.role === 'unit' ? user.unitId : input.unitId;
  if (user.role === 'unit' && !unit) return empty;

  // A sign-in is an accept, or a negotiated ticket taken (respondNegotiation with accepted).
  let signIns = db
    .selectFrom('ticket_events')
    .select([
      'unit_id',
      sql<number>`COUNT(*)`.as('signed'),
      sql<number>`SUM(CASE WHEN json_extract(data, '$.late') = 1 THEN 1 ELSE 0 END)`.as('late'),
      sql<number | null>`MAX(CASE WHEN json_extract(data, '$.late') = 1 THEN json_extract(data, '$.lateMinutes') END)`.as('max_late'),
    ])
    .where('action', 'in', ['accept', 'respondNegotiation'])
    .where('at', '>=', input.from)
    .where('at', '<', input.to)
    .where((eb) => eb.or([eb('action', '=', 'accept'), eb(sql`json_extract(data, '$.accepted')`, '=', 1)]))
    .groupBy('unit_id');
  if (unit) signIns = signIns.where('unit_id', '=', unit);

  const waiting = () => {
    let q = db.selectFrom('tickets').where('status', '=', 'dispatched').where('accepted_at', 'is', null).where('accept_deadline', '<', now);
    if (unit) q = q.where('unit_id', '=', unit);
    return q;
  };
  const [counted, unsignedByUnit, unsignedRows] = await Promise.all([
    signIns.execute(),
    waiting().select(['unit_id', sql<number>`COUNT(*)`.as('n')]).groupBy('unit_id').execute(),
    waiting()
      .select(['id', 'code', 'description', 'channel', 'unit_id', 'dispatched_at', 'accept_deadline'])
      .orderBy('accept_deadline', 'asc')
      .limit(UNSIGNED_MAX + 1)
      .execute(),
  ]);

  const units = new Map<string | null, SignInUnitCount>();
  const entry = (id: string | null) => {
    let u = units.get(id);
    if (!u) units.set(id, (u = { unitId: id, signed: 0, late: 0, maxLateMinutes: 0, unsigned: 0 }));
    return u;
  };
  for (const r of counted) Object.assign(entry(r.unit_id), { signed: Number(r.signed), late: Number(r.late ?? 0), maxLateMinutes: Number(r.max_late ?? 0) });
  for (const r of unsignedByUnit) entry(r.unit_id).unsigned = Number(r.n);
  const list = [...units.values()].sort((a, b) => b.unsigned - a.unsigned || b.late - a.late || b.signed - a.signed);
  const unsigned: UnsignedTicket[] = unsignedRows.slice(0, UNSIGNED_MAX).map((r) => ({
    ticketId: r.id,
    code: r.code,
    description: r.description,
    channel: r.channel,
    unitId: r.unit_id,
    dispatchedAt: r.dispatched_at,
    acceptDeadline: r.accept_deadline!,
    overdueMinutes: Math.floor((now - r.accept_deadline!) / 60_000),
  }));
  return {
    from: input.from,
    to: input.to,
    now,
    units: list,
    totals: list.reduce((t, u) => ({ signed: t.signed + u.signed, late: t.late + u.late, unsigned: t.unsigned + u.unsigned }), { signed: 0, late: 0, unsigned: 0 }),
    unsigned,
    truncated: unsignedRows.length > UNSIGNED_MAX,
  };
}
