// 审批延期: the street approves or refuses a pending extension request.

import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { useReadySession } from '../../state/session';
import { Field, FormError } from '../Form';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, Choice, type FormProps, Reason, opt } from './parts';

export function DecideExtensionForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const pending = detail.extensions.find((x) => x.status === 'pending');
  const [approved, setApproved] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!approved) return setErrors({ ...NO_ERRORS, message: '请选择同意或不同意' });
        if (approved === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '不同意延期须说明理由', fields: { reason: '请填写理由（至少2个字）' } });
        void submit({ action: 'decideExtension', id: detail.ticket.id, approved: approved === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      {pending ? (
        <div className="callout">
          <div>
            <strong>{lookups.units.get(pending.unitId)?.name ?? pending.unitId}</strong> 申请延期 <strong>{pending.days}</strong> 个工作日
            <span className="muted">（{formatDateTime(pending.requestedAt)}）</span>
          </div>
          <div>理由：{pending.reason}</div>
        </div>
      ) : (
        <div className="callout warn">没有待审批的延期申请</div>
      )}
      <Field label="审批" required wide>
        <Choice
          name="approved"
          value={approved}
          onChange={setApproved}
          options={[
            { value: 'yes', label: '同意延期', tone: 'good' },
            { value: 'no', label: '不同意', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={approved === 'no'} label="审批意见" />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交审批" />
    </form>
  );
}
