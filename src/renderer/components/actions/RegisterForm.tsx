// 登记: register a reported ticket, optionally choosing its catalogue category.

import { useState } from 'react';
import { useReadySession } from '../../state/session';
import { Field, FormError } from '../Form';
import { CategoryPicker } from '../Pickers';
import { Buttons, type FormProps } from './parts';

export function RegisterForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const [categoryId, setCategoryId] = useState<string | undefined>(detail.ticket.categoryId ?? undefined);
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'register', id: detail.ticket.id, categoryId }, { shown: ['categoryId'] }))}>
      <p className="form-note">登记后工单进入受理流程，可在登记时一并确定派单目录分类（也可稍后分类）。</p>
      <Field label="派单目录分类" error={errors.fields.categoryId} wide>
        <CategoryPicker items={lookups.leaves} value={categoryId} onChange={setCategoryId} testId="input-category" />
      </Field>
      <FormError state={errors} shown={['categoryId']} />
      <Buttons busy={busy} onCancel={onCancel} label="登记" />
    </form>
  );
}
