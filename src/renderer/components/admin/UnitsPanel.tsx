// 设置 › 处置单位 (leader, administrator): add or edit a unit, or import a table (CSV or .xlsx with
// the columns 编码, 名称, 类型, 电话), all rows or none.

import { useCallback, useState, type FormEvent } from 'react';
import { UNIT_KINDS, UNIT_KIND_LABELS, type UnitKind, type UnitRecord } from '../../../shared/api/admin';
import { call, errorMessage } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { DataTable } from '../DataTable';
import { useLiveQuery } from '../../lib/liveQuery';
import { useSubmit } from '../../lib/submit';
import { readAsBase64 } from '../../lib/fileData';

const EMPTY = { id: undefined as string | undefined, code: '', name: '', kind: 'department' as UnitKind, phone: '' };

export function UnitsPanel() {
  const { user, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const canEdit = user.role === 'leader' || user.role === 'admin';
  const { data: rows, error, reload: reloadList } = useLiveQuery(
    useCallback(() => call('units.list', {}), []),
    { on: ['settings.changed'] },
  );
  const [form, setForm] = useState(EMPTY);
  const { submit, busy: saving, errors } = useSubmit(null, 'units.save');
  const [importing, setImporting] = useState(false);
  const busy = saving || importing;

  // The list here, and the session's unit lookups (every unit picker) — refreshed directly rather
  // than left to the settings.changed event, which a socket still connecting would miss.
  const reload = useCallback(() => {
    void reloadList();
    refreshBootstrap().catch(() => undefined);
  }, [reloadList, refreshBootstrap]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await submit({ ...form, active: true });
    if (!r) return;
    toast.success(`已保存：${r.name}`);
    setForm(EMPTY);
    reload();
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImporting(true);
    try {
      const r = await call('units.import', { name: file.name, dataBase64: await readAsBase64(file) });
      toast.success(`单位表已导入：新增 ${r.added} 个，更新 ${r.updated} 个`);
      reload();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setImporting(false);
    }
  };

  const toggle = async (u: UnitRecord) => {
    try {
      await call('units.save', { id: u.id, code: u.code, name: u.name, kind: u.kind, phone: u.phone ?? '', active: !u.active });
      reload();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };

  return (
    <section className="card wide-card" data-testid="settings-units">
      <div className="card-head">
        <h3>处置单位</h3>
        {canEdit ? (
          <label className="small-btn file-btn">
            导入CSV/Excel
            <input type="file" accept=".csv,.xlsx" hidden disabled={busy} onChange={(e) => void importFile(e.target.files?.[0])} data-testid="units-import" />
          </label>
        ) : (
          <span className="muted small">仅街道领导和系统管理员可修改</span>
        )}
      </div>
      {canEdit && (
        <form className="form-grid inline-form" onSubmit={(e) => void save(e)} data-testid="unit-form">
          <Field label="单位编码" error={errors.fields.code}>
            <input value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} placeholder="如 JSQ-CGJ" data-testid="unit-code" />
          </Field>
          <Field label="单位名称" error={errors.fields.name}>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="unit-name" />
          </Field>
          <Field label="类型" error={errors.fields.kind}>
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as UnitKind })} data-testid="unit-kind">
              {UNIT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {UNIT_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="电话" error={errors.fields.phone}>
            <input value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} data-testid="unit-phone" />
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="unit-save">
              {form.id ? '保存修改' : '添加单位'}
            </button>
          </div>
          <FormError state={errors} shown={['code', 'name', 'kind', 'phone']} />
        </form>
      )}
      <p className="muted small">表格导入：第一行为表头，须包含“编码”“名称”“类型”（社区、职能部门、企业、街道科室），可选“电话”；编码相同的单位会被更新。有任何一行不合格则整表不导入。</p>
      {error && <p className="error-text">{error}</p>}
      <DataTable rows={rows ?? []} headers={['编码', '名称', '类型', '电话', '状态', '']} empty={rows ? '尚未添加处置单位' : '加载中…'} className="mini-table" testId="units-table">
        {(u) => (
          <tr key={u.id} className={u.active ? '' : 'muted'}>
            <td className="mono">{u.code}</td>
            <td>{u.name}</td>
            <td>{UNIT_KIND_LABELS[u.kind]}</td>
            <td>{u.phone ?? '—'}</td>
            <td>{u.active ? '启用' : '停用'}</td>
            <td className="row-actions">
              {canEdit && (
                <>
                  <button type="button" className="small-btn" onClick={() => setForm({ id: u.id, code: u.code, name: u.name, kind: u.kind, phone: u.phone ?? '' })}>
                    编辑
                  </button>
                  <button type="button" className="small-btn" onClick={() => void toggle(u)}>
                    {u.active ? '停用' : '启用'}
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
