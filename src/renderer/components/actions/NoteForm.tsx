// 进展备注: a progress note on the timeline.

import { useState } from 'react';
import { Field, FormError } from '../Form';
import { Buttons, type FormProps, submitOnCtrlEnter } from './parts';

export function NoteForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [text, setText] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'note', id: detail.ticket.id, text }, { shown: ['text'] }))}>
      <Field label="进展内容" required error={errors.fields.text} wide hint="Ctrl+Enter 提交">
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={submitOnCtrlEnter} data-testid="input-text" />
      </Field>
      <FormError state={errors} shown={['text']} />
      <Buttons busy={busy} onCancel={onCancel} label="添加备注" />
    </form>
  );
}
