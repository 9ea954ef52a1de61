// 回访: the reporter's satisfaction.

import { useState } from 'react';
import { SATISFACTION_LABELS, SATISFACTIONS, type Satisfaction } from '../../../shared/domain/ticket';
import { Field, FormError } from '../Form';
import { Buttons, Choice, type FormProps, opt, submitOnCtrlEnter } from './parts';

export function CallbackForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [satisfaction, setSatisfaction] = useState<Satisfaction | undefined>(undefined);
  const [note, setNote] = useState('');
  const t = detail.ticket;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit(
          // satisfaction may be missing: the schema's Chinese message then says "请选择满意度".
          { action: 'callback', id: t.id, satisfaction: satisfaction as Satisfaction, note: opt(note) },
          { shown: ['satisfaction', 'note'] },
        );
      }}
    >
      <div className="callout">
        回访对象：{t.reporterName ?? '—'} · 电话 <strong>{t.reporterPhone ?? '—'}</strong>
      </div>
      <Field label="满意度" required error={errors.fields.satisfaction} wide>
        <Choice<Satisfaction>
          name="satisfaction"
          value={satisfaction}
          onChange={setSatisfaction}
          options={SATISFACTIONS.map((s) => ({ value: s, label: SATISFACTION_LABELS[s], tone: s === 'unsatisfied' ? 'bad' : 'good' }))}
        />
      </Field>
      {satisfaction === 'unsatisfied' && <div className="callout warn">“不满意”将重启工单，重新派单处置。</div>}
      <Field label="回访记录" error={errors.fields.note} wide>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} placeholder="选填" data-testid="input-note" />
      </Field>
      <FormError state={errors} shown={['satisfaction', 'note']} />
      <Buttons busy={busy} onCancel={onCancel} label="提交回访" />
    </form>
  );
}
