// 设置 › 重点部位 (leader, administrator): the places patrolled in holiday, major-event and
// emergency modes.

import { useCallback, useState, type FormEvent } from 'react';
import { call, errorMessage } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { DataTable } from '../DataTable';
import { useLiveQuery } from '../../lib/liveQuery';
import { useSubmit } from '../../lib/submit';

const EMPTY = { id: undefined as string | undefined, name: '', address: '', kind: '' };

export function KeyPlacesPanel() {
  const { user } = useReadySession();
  const toast = useToast();
  const canEdit = user.role === 'leader' || user.role === 'admin';
  const { data: rows, error, reload } = useLiveQuery(
    useCallback(() => call('keyPlaces.list', {}), []),
    { on: ['settings.changed'] },
  );
  const [form, setForm] = useState(EMPTY);
  const { submit, busy, errors } = useSubmit(null, 'keyPlaces.save');
  const load = () => void reload();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!(await submit({ ...form, active: true }))) return;
    toast.success(`已保存：${form.name}`);
    setForm(EMPTY);
    load();
  };

  return (
    <section className="card wide-card" data-testid="settings-keyplaces">
      <div className="card-head">
        <h3>重点部位</h3>
        {!canEdit && <span className="muted small">仅街道领导和系统管理员可修改</span>}
      </div>
      {canEdit && (
        <form className="form-grid inline-form" onSubmit={(e) => void save(e)} data-testid="keyplace-form">
          <Field label="名称" error={errors.fields.name}>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="如 紫荆山公园东门" data-testid="keyplace-name" />
          </Field>
          <Field label="地址" error={errors.fields.address}>
            <input value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} data-testid="keyplace-address" />
          </Field>
          <Field label="类型" error={errors.fields.kind}>
            <input value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} placeholder="如 人员密集场所" data-testid="keyplace-kind" />
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="keyplace-save">
              {form.id ? '保存修改' : '添加部位'}
            </button>
          </div>
          <FormError state={errors} shown={['name', 'address', 'kind']} />
        </form>
      )}
      {error && <p className="error-text">{error}</p>}
      <DataTable rows={rows ?? []} headers={['名称', '地址', '类型', '状态', '']} empty={rows ? '尚未设置重点部位' : '加载中…'} className="mini-table">
        {(p) => (
          <tr key={p.id} className={p.active ? '' : 'muted'}>
            <td>{p.name}</td>
            <td>{p.address}</td>
            <td>{p.kind}</td>
            <td>{p.active ? '启用' : '停用'}</td>
            <td className="row-actions">
              {canEdit && (
                <>
                  <button type="button" className="small-btn" onClick={() => setForm({ id: p.id, name: p.name, address: p.address, kind: p.kind })}>
                    编辑
                  </button>
                  <button
                    type="button"
                    className="small-btn"
                    onClick={() =>
                      void call('keyPlaces.save', { id: p.id, name: p.name, address: p.address, kind: p.kind, active: !p.active })
                        .then(load)
                        .catch((err) => toast.error(errorMessage(err)))
                    }
                  >
                    {p.active ? '停用' : '启用'}
                  </button>
                </>
              )}
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
