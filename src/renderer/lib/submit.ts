// One shape for every form that sends something to the node: check the input with the contract's
// schema (per-field Chinese messages), a busy flag while the call runs, and the node's refusal
// mapped onto the form's fields. `submit` resolves to the call's answer, or undefined when the
// input was refused (the errors are then in `errors`).

import { useCallback, useState } from 'react';
import type { ZodType } from 'zod';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/contract';
import { call } from '../api/client';
import { fromError, fromZod, NO_ERRORS, type FormErrorState } from './validation';

export interface Submit<M extends ApiMethod> {
  submit: (input: ApiInput<M>) => Promise<ApiOutput<M> | undefined>;
  busy: boolean;
  errors: FormErrorState;
  setErrors: (e: FormErrorState | ((prev: FormErrorState) => FormErrorState)) => void;
}

export function useSubmit<M extends ApiMethod>(schema: ZodType | null, method: M): Submit<M> {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);
  const submit = useCallback(
    async (input: ApiInput<M>) => {
      if (schema) {
        const parsed = schema.safeParse(input);
        if (!parsed.success) {
          setErrors(fromZod(parsed.error));
          return undefined;
        }
      }
      setBusy(true);
      setErrors(NO_ERRORS);
      try {
        return await call(method, input);
      } catch (e) {
        setErrors(fromError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [schema, method],
  );
  return { submit, busy, errors, setErrors };
}
