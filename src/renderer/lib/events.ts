// React hooks over the node's live events.

import { useEffect, useRef, useState } from 'react';
import type { ApiEvent } from '../../shared/api/contract';
import { getConnectionState, onConnectionState, subscribe, type ConnectionState } from '../api/client';

/**
 * Calls `onEvent` (debounced by `debounceMs`) when a node event of one of `types` arrives and
 * `filter` accepts it, and after the event channel reconnects.
 */
export function useNodeEvents(types: ReadonlyArray<ApiEvent['type']>, onEvent: () => void, opts: { debounceMs?: number; filter?: (e: ApiEvent) => boolean } = {}): void {
  const cb = useRef(onEvent);
  cb.current = onEvent;
  const filter = useRef(opts.filter);
  filter.current = opts.filter;
  const key = types.join(',');
  const debounceMs = opts.debounceMs ?? 150;
  useEffect(() => {
    const wanted = new Set(key.split(','));
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
      else if (wanted.has(e.type) && (!filter.current || filter.current(e))) fire();
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [key, debounceMs]);
}

/**
 * Calls `onChange` (debounced) when a ticket changes — any ticket, or only `ticketId` — and after
 * the event channel reconnects (changes may have been missed).
 */
export function useTicketChanges(onChange: () => void, opts: { ticketId?: string; debounceMs?: number } = {}): void {
  const { ticketId, debounceMs = 400 } = opts;
  useNodeEvents(['ticket.changed'], onChange, { debounceMs, filter: ticketId ? (ev) => ev.type === 'ticket.changed' && ev.id === ticketId : undefined });
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
