// One whistle session, kept live on node events.

import { useCallback, useEffect, useState } from 'react';
import type { WhistleDetail } from '../../../shared/api/coordination';
import { call, errorMessage, isAuthError } from '../../api/client';
import { syncClock } from '../../lib/format';
import { useNodeEvents } from '../../lib/events';

export function useWhistle(id: string) {
  const [s, setS] = useState<WhistleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const d = await call('whistle.get', { id });
      syncClock(d.now);
      setS(d);
      setError(null);
    } catch (e) {
      if (!isAuthError(e)) setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useNodeEvents(['whistle.changed'], () => void load(), { debounceMs: 50, filter: (e) => e.type === 'whistle.changed' && e.id === id });
  return { s, setS, error, load };
}
