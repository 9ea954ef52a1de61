// 督办: raise the supervision level.

import { useState } from 'react';
import { SUPERVISION_LABELS, type SupervisionLevel } from '../../../shared/domain/ticket';
import { Field, FormError } from '../Form';
import { Buttons, type FormProps, Reason } from './parts';

export function SuperviseForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const current = detail.ticket.supervisionLevel;
  const [level, setLevel] = useState(String(Math.min(4, Math.max(1, current + 1))));
  const [reason, setReason] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'supervise', id: detail.ticket.id, level: Number(level), reason }, { shown: ['level', 'reason'] }))}>
      <p className="form-note">当前督办级别：{SUPERVISION_LABELS[current as SupervisionLevel] ?? current}</p>
      <Field label="督办级别" required error={errors.fields.level}>
        <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="input-level">
          {[1, 2, 3, 4].map((l) => (
            <option key={l} value={l}>
              {SUPERVISION_LABELS[l as SupervisionLevel]}
            </option>
          ))}
        </select>
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} label="督办意见" />
      <FormError state={errors} shown={['level', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="发起督办" />
    </form>
  );
}
