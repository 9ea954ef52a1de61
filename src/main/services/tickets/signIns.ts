// 待签收: the tickets waiting for the signing user's unit to sign for them (签收) — dispatched to it,
// or offered to it in an open negotiated dispatch — with the start and end of each sign-in window,
// for the on-screen escalation (renderer components/SignInWatch.tsx). Any channel. Only a unit
// user has tickets to sign for; the list goes through the one visibility rule (./visibility.ts).

import type { AwaitingSignIn, User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { ticketScope } from './visibility';

const MAX = 50;

export async function awaitingSignIn(ctx: NodeContext, user: User): Promise<AwaitingSignIn[]> {
  if (user.role !== 'unit' || !user.unitId) return [];
  const rows = await ctx.store.db
    .selectFrom('tickets')
    .select(['id', 'code', 'description', 'channel', 'urgency', 'dispatched_at', 'accept_deadline'])
    .where('status', '=', 'dispatched')
    .where('accepted_at', 'is', null)
    .where('accept_deadline', 'is not', null)
    .where((eb) => ticketScope(eb, user)!)
    .orderBy('accept_deadline', 'asc')
    .limit(MAX)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    description: r.description.slice(0, 120),
    channel: r.channel,
    urgency: r.urgency as AwaitingSignIn['urgency'],
    dispatchedAt: r.dispatched_at,
    acceptDeadline: r.accept_deadline!,
  }));
}
