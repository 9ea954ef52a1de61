// One whistle session, kept live on node events.

import { useCallback, useMemo } from 'react';
import type { ApiEvent } from '../../../shared/api/contract';
import { call } from '../../api/client';
import { syncClock } from '../../lib/format';
import { useLiveQuery } from '../../lib/liveQuery';

export function useWhistle(id: string) {
  const { data: s, set: setS, error, reload: load } = useLiveQuery(
    useCallback(async () => {
      const d = await call('whistle.get', { id });
      syncClock(d.now);
      return d;
    }, [id]),
    useMemo(() => ({ on: ['whistle.changed'] as const, debounceMs: 50, filter: (e: ApiEvent) => e.type === 'whistle.changed' && e.id === id }), [id]),
  );
  return { s, setS, error, load };
}
