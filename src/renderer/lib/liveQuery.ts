// One shape for every page and panel that shows what the node holds: load it, keep the last good
// value and the load's Chinese error, and load again when a node event says it changed (and after
// the event channel reconnects). `load` is the identity of the query: pass a useCallback, and the
// query starts over (ignoring answers still in flight) when its dependencies change.
// Two variants share the shape: a query that follows what the user is typing (suggestions, a
// lookup by code) passes `{ delayMs }`, so it is asked once the typing pauses; a load that fills a
// form for editing takes the value in its `onLoad` (called once per successful load).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent } from '../../shared/api/contract';
import { errorMessage, isAuthError } from '../api/client';
import { useNodeEvents } from './events';

export interface LiveEvents {
  /** Node event types that mean the data may have changed. */
  on: ReadonlyArray<ApiEvent['type']>;
  /** Only events this accepts trigger a reload (e.g. one ticket's changes). */
  filter?: (e: ApiEvent) => boolean;
  debounceMs?: number;
}

export interface LiveQuery<T> {
  /** The last value loaded (kept while a reload runs or after a reload fails); null before the first. */
  data: T | null;
  /** The Chinese message of the last failed load; null once a load succeeds. */
  error: string | null;
  /** True while a load runs. */
  loading: boolean;
  /** Loads again now. */
  reload: () => Promise<void>;
  /** Puts a value in place (e.g. the record an action returned). */
  set: (value: T) => void;
}

export interface LiveOptions<T> {
  /**
   * Waits this long after the query changes (a new `load`) before asking, for queries that follow
   * what the user types. `loading` is true from the change on; answers to older queries are dropped.
   */
  delayMs?: number;
  /** Called with each value a load brings (not with `set`), e.g. to fill a form or link what was shown. */
  onLoad?: (value: T) => void;
}

/** Events for one ticket (or any ticket) changing. */
export function ticketEvents(ticketId?: string, debounceMs = 400): LiveEvents {
  return { on: ['ticket.changed'], debounceMs, filter: ticketId ? (e) => e.type === 'ticket.changed' && e.id === ticketId : undefined };
}

export function useLiveQuery<T>(load: () => Promise<T>, events: LiveEvents | null, options: LiveOptions<T> = {}): LiveQuery<T> {
  const { delayMs = 0 } = options;
  const onLoad = useRef(options.onLoad);
  onLoad.current = options.onLoad;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine !== seq.current) return;
      setData(value);
      setError(null);
      onLoad.current?.(value);
    } catch (e) {
      // An expired session is handled by the session itself (back to the login screen).
      if (mine === seq.current && !isAuthError(e)) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    const counter = seq;
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (delayMs > 0) {
      counter.current++;
      setLoading(true);
      timer = setTimeout(() => void reload(), delayMs);
    } else void reload();
    // Answers to this load arriving after the query changed (or the page left) are dropped.
    return () => {
      if (timer) clearTimeout(timer);
      counter.current++;
    };
  }, [reload, delayMs]);
  useNodeEvents(events?.on ?? [], () => void reload(), { debounceMs: events?.debounceMs ?? 300, filter: events?.filter });
  const set = useCallback((value: T) => {
    seq.current++;
    setData(value);
    setError(null);
    setLoading(false);
  }, []);
  return { data, error, loading, reload, set };
}
