// 申请延期: the unit asks for more working days.

import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { Field, FormError } from '../Form';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, type FormProps, Reason } from './parts';

export function RequestExtensionForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [days, setDays] = useState('1');
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!/^\d+$/.test(days.trim()))
          return setErrors({ ...NO_ERRORS, message: '请填写延期天数', fields: { days: '请填写1–30之间的整数' } });
        void submit({ action: 'requestExtension', id: detail.ticket.id, days: Number(days), reason }, { shown: ['days', 'reason'] });
      }}
    >
      {detail.ticket.resolveDeadline && <p className="form-note">当前办结时限：{formatDateTime(detail.ticket.resolveDeadline)}</p>}
      <Field label="延期（工作日）" required error={errors.fields.days}>
        <input type="number" min={1} max={30} step={1} value={days} onChange={(e) => setDays(e.target.value)} data-testid="input-days" />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['days', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交申请" />
    </form>
  );
}
