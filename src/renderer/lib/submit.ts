// One shape for every form that sends something to the node: check the input with the contract's
// schema (per-field Chinese messages), a busy flag while the call runs, and the node's refusal
// mapped onto the form's fields. `submit` resolves to the call's answer, or undefined when the
// input was refused (the errors are then in `errors`). The call is a contract method, or a
// function for the few sends that go through the session (login, run mode).

import { useCallback, useState } from 'react';
import type { ZodType } from 'zod/v4';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/contract';
import { call } from '../api/client';
import { fromError, fromZod, NO_ERRORS, type FormErrorState } from './validation';

export interface Submit<I, O> {
  submit: (input: I) => Promise<O | undefined>;
  busy: boolean;
  errors: FormErrorState;
  setErrors: (e: FormErrorState | ((prev: FormErrorState) => FormErrorState)) => void;
}

export function useSubmit<M extends ApiMethod>(schema: ZodType | null, method: M): Submit<ApiInput<M>, ApiOutput<M>>;
export function useSubmit<I, O>(schema: ZodType | null, send: (input: I) => Promise<O>): Submit<I, O>;
export function useSubmit(schema: ZodType | null, method: ApiMethod | ((input: unknown) => Promise<unknown>)): Submit<unknown, unknown> {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);
  const submit = useCallback(
    async (input: unknown) => {
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
        return typeof method === 'function' ? await method(input) : await call(method, input as ApiInput<typeof method>);
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
