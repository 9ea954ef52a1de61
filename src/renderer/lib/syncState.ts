// The sync status (在线/离线, 待上传, 上次同步) and the unacknowledged directives, kept fresh by
// the node's events (sync.changed, directive.received) and a slow poll for the clock-based parts.

import { useCallback, useEffect, useState } from 'react';
import { call, subscribe } from '../api/client';
import type { StreetDirective, SyncStatus } from '../../shared/api/sync';

export function useSyncStatus(pollMs = 10_000): { status: SyncStatus | null; refresh: () => void } {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const refresh = useCallback(() => {
    call('sync.status', {})
      .then(setStatus)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const off = subscribe((e) => {
      if (e.type === 'sync.changed' || e.type === 'directive.received' || e.type === 'reconnected' || e.type === 'ticket.changed') refresh();
    });
    const t = setInterval(refresh, pollMs);
    return () => {
      off();
      clearInterval(t);
    };
  }, [refresh, pollMs]);
  return { status, refresh };
}

export function useDirectives(): { directives: StreetDirective[] | null; refresh: () => void; setDirectives: (d: StreetDirective[]) => void } {
  const [directives, setDirectives] = useState<StreetDirective[] | null>(null);
  const refresh = useCallback(() => {
    call('sync.directives', {})
      .then(setDirectives)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const off = subscribe((e) => {
      if (e.type === 'directive.received' || e.type === 'sync.changed' || e.type === 'reconnected') refresh();
    });
    return off;
  }, [refresh]);
  return { directives, refresh, setDirectives };
}
