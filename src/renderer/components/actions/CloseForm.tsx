// 归档: close the ticket.

import { useState } from 'react';
import { Field, FormError } from '../Form';
import { Buttons, type FormProps, opt, submitOnCtrlEnter } from './parts';

export function CloseForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [note, setNote] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'close', id: detail.ticket.id, note: opt(note) }, { shown: ['note'] }))}>
      <p className="form-note">归档后工单结束流转（如需再处理可“重启”）。</p>
      <Field label="归档说明" error={errors.fields.note} wide>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={submitOnCtrlEnter} placeholder="选填" data-testid="input-note" />
      </Field>
      <FormError state={errors} shown={['note']} />
      <Buttons busy={busy} onCancel={onCancel} label="确认归档" />
    </form>
  );
}
