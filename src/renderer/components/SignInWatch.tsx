// 待签收 over every page for a unit user: each ticket waiting for the unit's sign-in (签收) — any
// channel: the street's dispatches, 12345 direct dispatches, 110 transfers, negotiated offers —
// with a live countdown, escalating as its deadline nears (signInEscalation): normal, amber in the
// last third of the sign-in window, red and flashing once overdue, with a sound when it turns
// overdue on this screen (unless the user muted 新派单待签收 or switched 声音 off). A click opens
// the ticket to sign for it.

import { useCallback, useEffect, useRef, useState } from 'react';
import { formatSignInCountdown, signInEscalation, type SignInEscalation } from '../../shared/domain/signIn';
import { CHANNEL_LABELS } from '../../shared/domain/ticket';
import type { AwaitingSignIn } from '../../shared/api/types';
import { call } from '../api/client';
import { loadMutes } from '../lib/alerts';
import { loadSoundOn, playAlertSound } from '../lib/alertSound';
import { useTick } from '../lib/events';
import { serverNow } from '../lib/format';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { navigate, ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';

const EVENTS = ticketEvents(undefined, 300);
const SHOWN = 3;
const RANK: Record<SignInEscalation, number> = { normal: 0, amber: 1, overdue: 2 };
const LEVEL_TEXT: Record<SignInEscalation, string> = { normal: '待签收', amber: '即将超时', overdue: '已超时' };

/** Tickets seen turning overdue (rang once), for the whole session across pages. */
const rang = new Set<string>();

export function SignInWatch() {
  const { user } = useReadySession();
  useTick(1000);
  const [expanded, setExpanded] = useState(false);
  const { data } = useLiveQuery(
    useCallback(() => call('tickets.awaitingSignIn', {}), []),
    EVENTS,
  );
  const now = serverNow();
  const rows = (data ?? []).map((r) => ({ ...r, level: signInEscalation(r, now) }));
  useOverdueSound(rows, user.id);
  if (user.role !== 'unit' || rows.length === 0) return null;
  const worst = rows.reduce<SignInEscalation>((w, r) => (RANK[r.level] > RANK[w] ? r.level : w), 'normal');
  const counts = { overdue: rows.filter((r) => r.level === 'overdue').length, amber: rows.filter((r) => r.level === 'amber').length };
  // The most pressing first: overdue, then the nearest deadline.
  const sorted = [...rows].sort((a, b) => RANK[b.level] - RANK[a.level] || a.acceptDeadline - b.acceptDeadline);
  const shown = expanded ? sorted : sorted.slice(0, SHOWN);
  return (
    <div className={`signin-watch signin-watch-${worst}`} role={worst === 'normal' ? 'status' : 'alert'} data-testid="signin-watch" data-level={worst}>
      <div className="signin-watch-head">
        <strong>待签收工单 {rows.length} 件</strong>
        {counts.overdue > 0 && <span className="signin-watch-count overdue">已超时 {counts.overdue}</span>}
        {counts.amber > 0 && <span className="signin-watch-count amber">即将超时 {counts.amber}</span>}
        <span className="muted small">请在签收时限内签收，超时签收计入督办</span>
        {rows.length > SHOWN && (
          <button type="button" className="link-btn signin-watch-more" onClick={() => setExpanded((e) => !e)} data-testid="signin-watch-more">
            {expanded ? '收起' : `全部 ${rows.length} 件`}
          </button>
        )}
      </div>
      <ul>
        {shown.map((r) => (
          <li key={r.id}>
            <button type="button" className={`signin-watch-item level-${r.level}`} onClick={() => navigate(ticketPath(r.id))} data-testid="signin-watch-item" data-level={r.level} data-code={r.code}>
              <span className="signin-watch-level">{LEVEL_TEXT[r.level]}</span>
              <span className="mono">{r.code}</span>
              <span className="signin-watch-channel muted">{CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? r.channel}</span>
              <span className="signin-text">{r.description.replace(/^【[^】]*】/, '')}</span>
              <span className="signin-watch-countdown" data-testid="signin-watch-countdown">
                {formatSignInCountdown(r.acceptDeadline, now)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Rings once for each ticket seen turning overdue on this screen (one already overdue when the
 * list first loads does not ring: it was told before, and the banner shows it red).
 */
function useOverdueSound(rows: Array<AwaitingSignIn & { level: SignInEscalation }>, userId: string) {
  const before = useRef<Map<string, SignInEscalation> | null>(null);
  useEffect(() => {
    const prev = before.current;
    before.current = new Map(rows.map((r) => [r.id, r.level]));
    if (!prev) return;
    const turned = rows.filter((r) => r.level === 'overdue' && prev.has(r.id) && prev.get(r.id) !== 'overdue' && !rang.has(r.id));
    if (!turned.length) return;
    for (const r of turned) rang.add(r.id);
    if (!loadMutes(userId).has('dispatch') && loadSoundOn(userId)) playAlertSound('overdue');
  });
}
