// 核查: the street verifies the result (with the photo check).

import { useCallback, useState } from 'react';
import type { PhotoCheck } from '../../../shared/api/aiPhoto';
import { Field, FormError } from '../Form';
import { PhotoCheckPanel } from '../PhotoCheck';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, Choice, type FormProps, Reason, opt } from './parts';

export function VerifyForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [passed, setPassed] = useState<'yes' | 'no' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [photoCheckFailed, setPhotoCheckFailed] = useState(false);
  const onPhotoCheck = useCallback((c: PhotoCheck | null) => setPhotoCheckFailed(!!c?.reasonRequired), []);
  const t = detail.ticket;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!passed) return setErrors({ ...NO_ERRORS, message: '请选择核查结果（通过/不通过）' });
        if (passed === 'no' && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '核查不通过须说明理由', fields: { reason: '请填写不通过的理由（至少2个字）' } });
        if (passed === 'yes' && photoCheckFailed && reason.trim().length < 2)
          return setErrors({ ...NO_ERRORS, message: '照片核验未通过，核查通过须说明理由', fields: { reason: '请说明照片核验未通过仍予通过的理由（至少2个字）' } });
        void submit({ action: 'verify', id: t.id, passed: passed === 'yes', reason: opt(reason) }, { shown: ['reason'] });
      }}
    >
      {t.result && (
        <div className="callout">
          <span className="muted">办理结果：</span>
          {t.result}
        </div>
      )}
      <PhotoCheckPanel detail={detail} onCheck={onPhotoCheck} />
      <Field label="核查结果" required wide>
        <Choice
          name="passed"
          value={passed}
          onChange={setPassed}
          options={[
            { value: 'yes', label: '通过', tone: 'good' },
            { value: 'no', label: '不通过（重启工单）', tone: 'bad' },
          ]}
        />
      </Field>
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} required={passed === 'no' || (passed === 'yes' && photoCheckFailed)} label="核查意见" />
      <FormError state={errors} shown={['reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交核查" />
    </form>
  );
}
