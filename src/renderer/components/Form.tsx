// Form building blocks: labelled fields with inline errors, and the form's error box.

import type { ReactNode } from 'react';
import type { FormErrorState } from '../lib/validation';

export function Field({
  label,
  error,
  required,
  hint,
  children,
  wide,
}: {
  label: ReactNode;
  error?: string;
  required?: boolean;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field${error ? ' has-error' : ''}${wide ? ' field-wide' : ''}`}>
      <span className="field-label">
        {label}
        {required && <em className="req">*</em>}
      </span>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

/** The form's error box: the message, plus issues of fields the form does not display itself. */
export function FormError({ state, shown = [] }: { state: FormErrorState; shown?: string[] }) {
  if (!state.message) return null;
  const extra = state.issues.filter((i) => !shown.includes(i.path.split('.')[0] ?? ''));
  return (
    <div className="form-error" role="alert" data-testid="form-error">
      <div>{state.message}</div>
      {extra.length > 0 && (
        <ul>
          {extra.map((i, n) => (
            <li key={n}>
              {i.path ? <code>{i.path}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Spinner({ label = '加载中…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden />
      {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
