// The pieces every ticket-action form shares: its props, the submit and cancel buttons, the reason
// field, a radio choice, and Ctrl/⌘+Enter to submit.

import type { KeyboardEvent } from 'react';
import type { TicketActionInput } from '../../../shared/api/contract';
import type { TicketDetail } from '../../../shared/api/types';
import type { FormErrorState } from '../../lib/validation';
import { Field } from '../Form';

export type Submit = (input: TicketActionInput, opts?: { shown?: string[] }) => Promise<void>;

export interface FormProps {
  detail: TicketDetail;
  submit: Submit;
  busy: boolean;
  errors: FormErrorState;
  setErrors: (e: FormErrorState) => void;
  onCancel: () => void;
}

/** Ctrl/⌘+Enter in a textarea submits its form. */
export function submitOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

export function Buttons({ busy, onCancel, label, danger, disabled }: { busy: boolean; onCancel: () => void; label: string; danger?: boolean; disabled?: boolean }) {
  return (
    <div className="form-actions">
      <button type="button" onClick={onCancel} disabled={busy}>
        取消
      </button>
      <button type="submit" className={danger ? 'danger' : 'primary'} data-testid="form-submit" disabled={busy || disabled}>
        {busy ? '提交中…' : label}
      </button>
    </div>
  );
}

export function Reason({
  value,
  onChange,
  error,
  label = '理由',
  required = true,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  label?: string;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <Field label={label} required={required} error={error} wide>
      <textarea
        rows={3}
        value={value}
        data-testid="input-reason"
        placeholder={placeholder ?? (required ? '请填写理由（至少2个字）' : '选填')}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={submitOnCtrlEnter}
      />
    </Field>
  );
}

export function Choice<T extends string>({
  name,
  options,
  value,
  onChange,
}: {
  name: string;
  options: Array<{ value: T; label: string; tone?: 'good' | 'bad' }>;
  value: T | undefined;
  onChange: (v: T) => void;
}) {
  return (
    <div className="choice" role="radiogroup">
      {options.map((o) => (
        <label key={o.value} className={`choice-item${value === o.value ? ' on' : ''}${o.tone ? ` tone-${o.tone}` : ''}`}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} data-testid={`choice-${o.value}`} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

export const opt = (s: string) => (s.trim() ? s.trim() : undefined);
