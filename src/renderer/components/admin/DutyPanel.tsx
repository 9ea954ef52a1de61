// 设置 › 值班表 (leader, administrator): who is on duty, by day and shift.

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { DutyRecord } from '../../../shared/api/admin';
import { call, errorMessage } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { DataTable } from '../DataTable';
import { fromError, NO_ERRORS, type FormErrorState } from '../../lib/validation';
import { serverNow } from '../../lib/format';
import { DateInput } from '../DateInputs';

const today = () => new Date(serverNow() + 8 * 3600_000).toISOString().slice(0, 10);

export function DutyPanel() {
  const { user } = useReadySession();
  const toast = useToast();
  const canEdit = user.role === 'leader' || user.role === 'admin';
  const [rows, setRows] = useState<DutyRecord[] | null>(null);
  const [form, setForm] = useState({ date: today(), shift: 'day' as 'day' | 'night', post: '值班领导', name: '', phone: '' });
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);

  const load = useCallback(() => {
    call('duty.list', {})
      .then(setRows)
      .catch((e) => toast.error(errorMessage(e)));
  }, [toast]);
  useEffect(load, [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors(NO_ERRORS);
    try {
      await call('duty.save', form);
      toast.success('值班安排已保存');
      setForm({ ...form, name: '', phone: '' });
      load();
    } catch (err) {
      setErrors(fromError(err));
    }
  };

  return (
    <section className="card wide-card" data-testid="settings-duty">
      <div className="card-head">
        <h3>值班表</h3>
        {!canEdit && <span className="muted small">仅街道领导和系统管理员可修改</span>}
      </div>
      {canEdit && (
        <form className="form-grid inline-form" onSubmit={(e) => void save(e)}>
          <Field label="日期" error={errors.fields.date}>
            <DateInput value={form.date} onChange={(date) => setForm({ ...form, date })} />
          </Field>
          <Field label="班次">
            <select value={form.shift} onChange={(e) => setForm({ ...form, shift: e.target.value as 'day' | 'night' })}>
              <option value="day">白班</option>
              <option value="night">夜班</option>
            </select>
          </Field>
          <Field label="岗位" error={errors.fields.post}>
            <input value={form.post} onChange={(e) => setForm({ ...form, post: e.target.value })} />
          </Field>
          <Field label="姓名" error={errors.fields.name}>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label="电话" error={errors.fields.phone}>
            <input value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary">
              添加
            </button>
          </div>
          <FormError state={errors} shown={['date', 'post', 'name', 'phone']} />
        </form>
      )}
      <DataTable rows={rows ?? []} headers={['日期', '班次', '岗位', '姓名', '电话']} empty={rows ? '近期没有值班安排' : '加载中…'} className="mini-table">
        {(d) => (
          <tr key={d.id}>
            <td className="mono">{d.date}</td>
            <td>{d.shift === 'day' ? '白班' : '夜班'}</td>
            <td>{d.post}</td>
            <td>{d.name}</td>
            <td>{d.phone ?? '—'}</td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
