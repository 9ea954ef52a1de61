// 签收督办 for transferred calls (110 非警务警情): a ticket whose minutes-long sign-in deadline has
// passed unsigned is supervised at level 1 by the system (a 督办 record, counted with the others),
// once per ticket. Run by the periodic coordination job.

import { SIGN_IN_CHANNELS } from '../../../shared/domain/signIn';
import { CHANNEL_LABELS, type Channel } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { applyTicketAction } from '../tickets/actions';
import { publishChange } from '../tickets/ledger';
import { SYSTEM_USER } from './common';

export async function superviseMissedSignIns(ctx: NodeContext, system: User = SYSTEM_USER): Promise<string[]> {
  const now = ctx.now();
  const missed = await ctx.store.db
    .selectFrom('tickets')
    .select(['id', 'status', 'channel', 'accept_deadline'])
    .where('channel', 'in', [...SIGN_IN_CHANNELS])
    .where('status', '=', 'dispatched')
    .where('accepted_at', 'is', null)
    .where('accept_deadline', '<', now)
    .where('supervision_level', '=', 0)
    .execute();
  const done: string[] = [];
  for (const t of missed) {
    const minutes = Math.max(1, Math.floor((now - t.accept_deadline!) / 60_000));
    const label = CHANNEL_LABELS[t.channel as Channel] ?? t.channel;
    try {
      await ctx.store.db.transaction().execute((trx) =>
        applyTicketAction(ctx, trx, system, { action: 'supervise', id: t.id, level: 1, reason: `${label}警情超过签收时限未签收（已超 ${minutes} 分钟），自动督办` }, now),
      );
      done.push(t.id);
      publishChange(ctx, t.id, t.status, 'supervise');
    } catch (err) {
      ctx.log.warn('sign-in supervision skipped', { id: t.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (done.length) {
    ctx.log.info('missed sign-ins supervised', { n: done.length });
    ctx.events.publish({ type: 'supervision.changed', ticketIds: done.slice(0, 200) });
  }
  return done;
}
