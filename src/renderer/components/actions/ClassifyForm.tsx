// 分类: the catalogue category, urgency and the micro-event flag.

import { useState } from 'react';
import { URGENCIES, URGENCY_LABELS, type Urgency } from '../../../shared/domain/ticket';
import { useReadySession } from '../../state/session';
import { Field, FormError } from '../Form';
import { CategoryPicker } from '../Pickers';
import { ClassifySuggestions } from '../TextSuggestions';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, type FormProps } from './parts';

export function ClassifyForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const { lookups } = useReadySession();
  const t = detail.ticket;
  const [categoryId, setCategoryId] = useState<string | undefined>(t.categoryId ?? undefined);
  const [isMicro, setIsMicro] = useState(t.isMicro);
  const [urgency, setUrgency] = useState<Urgency>(t.urgency);
  const cat = categoryId ? lookups.catalog.get(categoryId) : undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!categoryId) return setErrors({ ...NO_ERRORS, message: '请选择派单目录分类', fields: { categoryId: '请选择分类' } });
        void submit({ action: 'classify', id: t.id, categoryId, isMicro, urgency }, { shown: ['categoryId', 'urgency'] });
      }}
    >
      <Field label="派单目录分类" required error={errors.fields.categoryId} wide>
        <CategoryPicker items={lookups.leaves} value={categoryId} onChange={setCategoryId} testId="input-category" invalid={!!errors.fields.categoryId} />
        <ClassifySuggestions ticketId={t.id} text={t.description} value={categoryId} onPick={setCategoryId} isMicro={isMicro} onMicro={setIsMicro} />
      </Field>
      {cat && (
        <div className="form-note">
          默认处置单位：{cat.defaultUnitId ? lookups.units.get(cat.defaultUnitId)?.name ?? '—' : '无'}；签收时限 {cat.acceptWithinHours} 工作小时
          {cat.isConsultation ? '；咨询类' : ''}
          {cat.isMicro ? '；小微事件' : ''}
        </div>
      )}
      <div className="form-row">
        <Field label="紧急程度" error={errors.fields.urgency}>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)} data-testid="input-urgency">
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {URGENCY_LABELS[u]}
              </option>
            ))}
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={isMicro} onChange={(e) => setIsMicro(e.target.checked)} data-testid="input-isMicro" />
          小微事件（网格可自行处置）
        </label>
      </div>
      <FormError state={errors} shown={['categoryId', 'urgency']} />
      <Buttons busy={busy} onCancel={onCancel} label="保存分类" />
    </form>
  );
}
