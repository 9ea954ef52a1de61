// One user action on a page that shows a record: the call returns the record's new state, which
// replaces what the page shows, with a toast saying what was done; a refusal is a toast with the
// node's Chinese reason and changes nothing on the page. `busy` is true while one runs; `run`
// resolves to whether the action went through (for what the page does next: close a dialog, reload).
// `ok` null: no toast, for an action whose answer is itself shown (e.g. a check's verdict).

import { useState } from 'react';
import { errorMessage } from '../api/client';
import { useToast } from '../state/toast';

export function useAction<T>(set?: (value: T) => void): { run: (fn: () => Promise<T>, ok: string | ((value: T) => string) | null) => Promise<boolean>; busy: boolean } {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<T>, ok: string | ((value: T) => string) | null) => {
    setBusy(true);
    try {
      const value = await fn();
      set?.(value);
      if (ok !== null) toast.success(typeof ok === 'function' ? ok(value) : ok);
      return true;
    } catch (e) {
      toast.error(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy };
}
