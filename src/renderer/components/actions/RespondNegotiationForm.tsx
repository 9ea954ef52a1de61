// 商定答复: a candidate unit accepts or declines a negotiated dispatch.

import { useState } from 'react';
import { Field, FormError } from '../Form';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, Choice, type FormProps, Reason, opt } from './parts';

export function RespondNegotiationForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [accepted, setAccepted] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!accepted) return setErrors({ ...NO_ERRORS, message: '请选择同意或拒绝' });
        if (accepted === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '拒绝须说明理由', fields: { reason: '请填写拒绝理由（至少2个字）' } });
        void submit({ action: 'respondNegotiation', id: detail.ticket.id, accepted: accepted === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      <p className="form-note">本工单以“商定派”派出，请答复本单位是否承办。任一单位同意即由其承办；全部拒绝则退回街道重新派单。</p>
      <Field label="答复" required wide>
        <Choice
          name="accepted"
          value={accepted}
          onChange={setAccepted}
          options={[
            { value: 'yes', label: '同意承办', tone: 'good' },
            { value: 'no', label: '拒绝', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={accepted === 'no'} />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交答复" />
    </form>
  );
}
