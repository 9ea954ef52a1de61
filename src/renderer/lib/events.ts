// React hooks over the node's live events.

import { useEffect, useRef, useState } from 'react';
import { getConnectionState, onConnectionState, subscribe, type ConnectionState } from '../api/client';

/**
 * Calls `onChange` (debounced) when a ticket changes — any ticket, or only `ticketId` — and after
 * the event channel reconnects (changes may have been missed).
 */
export function useTicketChanges(onChange: () => void, opts: { ticketId?: string; debounceMs?: number } = {}): void {
  const cb = useRef(onChange);
  cb.current = onChange;
  const { ticketId, debounceMs = 400 } = opts;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        cb.current();
      }, debounceMs);
    };
    const off = subscribe((e) => {
      if (e.type === 'reconnected') fire();
      else if (e.type === 'ticket.changed' && (!ticketId || e.id === ticketId)) fire();
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [ticketId, debounceMs]);
}

export function useConnectionState(): ConnectionState {
  const [s, setS] = useState(getConnectionState());
  useEffect(() => {
    // Make sure the channel is running even if no page subscribed yet.
    const off = subscribe(() => undefined);
    const offState = onConnectionState(setS);
    setS(getConnectionState());
    return () => {
      off();
      offState();
    };
  }, []);
  return s;
}

/** Re-renders every `ms` so countdowns stay current. */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}
