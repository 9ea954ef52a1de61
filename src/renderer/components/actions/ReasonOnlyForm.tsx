// 退回 / 重启 / 作废: actions that need nothing but a reason.

import { useState, type ReactNode } from 'react';
import { ACTION_LABELS } from '../../../shared/domain/stateMachine';
import { FormError } from '../Form';
import { Buttons, type FormProps, Reason } from './parts';

function ReasonOnlyForm({
  action,
  detail,
  submit,
  busy,
  errors,
  onCancel,
  note,
  danger,
}: FormProps & { action: 'return' | 'reopen' | 'cancel'; note: ReactNode; danger?: boolean }) {
  const [reason, setReason] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action, id: detail.ticket.id, reason }, { shown: ['reason'] }))}>
      <p className="form-note">{note}</p>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label={`确认${ACTION_LABELS[action]}`} danger={danger} />
    </form>
  );
}

export const ReturnForm = (props: FormProps) => <ReasonOnlyForm {...props} action="return" note="退回街道重新派单（如：不属于本单位职责），请写明理由。" />;

export const ReopenForm = (props: FormProps) => <ReasonOnlyForm {...props} action="reopen" note="重启后工单回到待派单状态，需重新派单处置。" />;

export const CancelForm = (props: FormProps) => (
  <ReasonOnlyForm {...props} action="cancel" note="作废用于无效工单（如：恶意、重复、信息不全无法联系）。作废后不再流转。" danger />
);
