// One user action on a page that shows a record: the call returns the record's new state, which
// replaces what the page shows, with a toast saying what was done; a refusal is a toast with the
// node's Chinese reason and changes nothing on the page. `busy` is true while one runs.

import { useState } from 'react';
import { errorMessage } from '../api/client';
import { useToast } from '../state/toast';

export function useAction<T>(set: (value: T) => void): { run: (fn: () => Promise<T>, ok: string) => Promise<void>; busy: boolean } {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<T>, ok: string) => {
    setBusy(true);
    try {
      set(await fn());
      toast.success(ok);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}
