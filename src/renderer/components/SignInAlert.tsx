// 待签收警情: 110 transfers waiting for the street's sign-in (签收), each with its countdown to the
// 5-minute deadline, ticking every second; red once missed (the node supervises it). Shown to street
// staff on the dashboard and above the ticket list (the signing unit's user has them in 待签收工单
// over every page, components/SignInWatch.tsx); a click opens the ticket.

import { useCallback } from 'react';
import { formatSignInCountdown, signInEscalation, signInState, watchesSignIn, type SignInState } from '../../shared/domain/signIn';
import type { TicketRow } from '../../shared/api/types';
import { call } from '../api/client';
import { useTick } from '../lib/events';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { serverNow } from '../lib/format';
import { navigate, ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';

const EVENTS = ticketEvents(undefined, 300);

/**
 * The countdown to a ticket's sign-in deadline (ticking every second); nothing when it has none or
 * is signed. A 110 transfer's minutes-long one turns urgent in its last two minutes (signInState);
 * any other ticket escalates in the last third of its window from `dispatchedAt` (signInEscalation).
 */
export function SignInCountdown({ ticket, dispatchedAt }: { ticket: Pick<TicketRow, 'channel' | 'status' | 'acceptDeadline'> & { acceptedAt?: number | null }; dispatchedAt?: number | null }) {
  useTick(1000);
  const now = serverNow();
  if (ticket.acceptDeadline == null || ticket.acceptedAt != null || ticket.status !== 'dispatched') return null;
  let state: SignInState;
  if (watchesSignIn(ticket.channel)) state = signInState(ticket, now);
  else {
    const level = signInEscalation({ dispatchedAt: dispatchedAt ?? null, acceptDeadline: ticket.acceptDeadline }, now);
    state = level === 'overdue' ? 'missed' : level === 'amber' ? 'urgent' : 'pending';
  }
  return (
    <span className={`signin-countdown signin-${state}`} data-testid="signin-countdown" data-state={state}>
      {state === 'missed' ? '未签收 · ' : '签收'}
      {formatSignInCountdown(ticket.acceptDeadline, now)}
    </span>
  );
}

/** For street staff; a unit user has every ticket it must sign for, 110 included, in 待签收工单 (SignInWatch.tsx). */
export function SignInAlert() {
  const { user } = useReadySession();
  useTick(1000);
  const { data } = useLiveQuery(
    useCallback(
      () => call('tickets.list', { startRow: 0, endRow: 20, sort: [{ colId: 'createdAt', sort: 'asc' }], filter: { channel: 'police110', statuses: ['dispatched'] } }).then((p) => p.rows),
      [],
    ),
    EVENTS,
  );
  const now = serverNow();
  if (user.role === 'unit') return null;
  const rows = (data ?? []).filter((r) => r.acceptDeadline != null).sort((a, b) => a.acceptDeadline! - b.acceptDeadline!);
  if (!rows.length) return null;
  const worst: SignInState = rows.some((r) => signInState(r, now) === 'missed') ? 'missed' : rows.some((r) => signInState(r, now) === 'urgent') ? 'urgent' : 'pending';
  return (
    <div className={`callout signin-alert signin-alert-${worst}`} role="alert" data-testid="signin-alert">
      <strong>待签收 110警情 {rows.length} 件</strong>
      <span className="muted">110非警务警情须在转办后5分钟内签收，超时自动督办</span>
      <ul>
        {rows.map((r) => (
          <li key={r.id}>
            <button type="button" className="link-btn" onClick={() => navigate(ticketPath(r.id))} data-testid="signin-alert-item">
              <span className="mono">{r.code}</span>
              <span className="signin-text">{r.description.replace(/^【[^】]*】/, '')}</span>
              <SignInCountdown ticket={r} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
