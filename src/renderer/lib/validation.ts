// Maps zod issues and server validation issues to per-field messages.

import type { ZodError } from 'zod/v4';
import { ApiError, errorMessage } from '../api/client';

export type FieldErrors = Record<string, string>;

export interface FormErrorState {
  message: string | null;
  /** First message per top-level field. */
  fields: FieldErrors;
  /** Every issue, for the form's error box (those of fields the form does not show). */
  issues: Array<{ path: string; message: string }>;
}

export const NO_ERRORS: FormErrorState = { message: null, fields: {}, issues: [] };

export function fromZod(err: ZodError): FormErrorState {
  const fields: FieldErrors = {};
  const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  for (const issue of err.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    if (!fields[key]) fields[key] = issue.message;
  }
  const general = fields._;
  delete fields._;
  return { message: general ?? '请检查标红的字段', fields, issues };
}

export function fromError(e: unknown): FormErrorState {
  const fields: FieldErrors = {};
  const issues = e instanceof ApiError ? e.issues.map((i) => ({ path: String(i.path ?? ''), message: String(i.message) })) : [];
  for (const i of issues) {
    const key = i.path.split('.')[0] || '_';
    if (!fields[key]) fields[key] = i.message;
  }
  return { message: errorMessage(e), fields, issues };
}

/**
 * Clears one field's error after the user edits it; the form's summary ("请检查标红的字段") goes
 * with the last error it summarised, so a fixed form never keeps a stale message.
 */
export function clearField(e: FormErrorState, key: string): FormErrorState {
  if (!e.fields[key]) return e;
  const fields = { ...e.fields };
  delete fields[key];
  const issues = e.issues.filter((i) => i.path.split('.')[0] !== key);
  const message = Object.keys(fields).length === 0 && issues.length === 0 ? null : e.message;
  return { message, fields, issues };
}
