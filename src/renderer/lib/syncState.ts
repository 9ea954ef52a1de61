// The sync status (在线/离线, 待上传, 上次同步) and the unacknowledged directives, kept fresh by
// the node's events (sync.changed, directive.received) and, for the status, a slow poll for the
// clock-based parts. Each caller holds its own copy (live queries, not a shared store).

import { useCallback, useEffect } from 'react';
import { call } from '../api/client';
import type { StreetDirective, SyncStatus } from '../../shared/api/sync';
import { useLiveQuery, type LiveEvents } from './liveQuery';

const STATUS_EVENTS: LiveEvents = { on: ['sync.changed', 'directive.received', 'ticket.changed'], debounceMs: 150 };
const DIRECTIVE_EVENTS: LiveEvents = { on: ['directive.received', 'sync.changed'], debounceMs: 150 };

// A failed load keeps what was shown (the indicator and banner stay quiet; the next event or poll retries).
export function useSyncStatus(pollMs = 10_000): { status: SyncStatus | null; refresh: () => void } {
  const { data: status, reload } = useLiveQuery(useCallback(() => call('sync.status', {}), []), STATUS_EVENTS);
  const refresh = useCallback(() => void reload(), [reload]);
  useEffect(() => {
    const t = setInterval(refresh, pollMs);
    return () => clearInterval(t);
  }, [refresh, pollMs]);
  return { status, refresh };
}

export function useDirectives(): { directives: StreetDirective[] | null; refresh: () => void; setDirectives: (d: StreetDirective[]) => void } {
  const { data: directives, reload, set } = useLiveQuery(useCallback(() => call('sync.directives', {}), []), DIRECTIVE_EVENTS);
  const refresh = useCallback(() => void reload(), [reload]);
  return { directives, refresh, setDirectives: set };
}
