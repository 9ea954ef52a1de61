// 设置 › 账号管理 (系统管理员): create accounts (a one-time password is shown once), change role and
// unit, reset a password, deactivate or re-activate. Leaders see the list.

import { useCallback, useState, type FormEvent } from 'react';
import { ACCOUNT_ROLES, type AccountInfo } from '../../../shared/api/admin';
import { ROLE_LABELS, type Role } from '../../../shared/domain/ticket';
import { call, errorMessage } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { Field, FormError } from '../Form';
import { DataTable } from '../DataTable';
import { useLiveQuery } from '../../lib/liveQuery';
import { useSubmit } from '../../lib/submit';
import { OneTimePassword } from './OneTimePassword';

type AccountRole = Exclude<Role, 'system'>;

export function AccountsPanel() {
  const { user, lookups } = useReadySession();
  const toast = useToast();
  const isAdmin = user.role === 'admin';
  const { data: rows, error, reload } = useLiveQuery(
    useCallback(() => call('accounts.list', {}), []),
    { on: ['accounts.changed'] },
  );
  const [otp, setOtp] = useState<{ username: string; password: string } | null>(null);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'operator' as AccountRole, unitId: '' });
  const { submit, busy, errors } = useSubmit(null, 'accounts.create');
  const units = [...lookups.units.values()];
  const load = () => void reload();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await submit({ username: form.username.trim(), displayName: form.displayName.trim(), role: form.role, unitId: form.unitId || null });
    if (!r) return;
    setOtp({ username: r.account.username, password: r.password });
    setForm({ username: '', displayName: '', role: form.role, unitId: '' });
    load();
  };

  const update = async (a: AccountInfo, patch: { role?: AccountRole; unitId?: string | null; active?: boolean }, done: string) => {
    try {
      await call('accounts.update', { id: a.id, ...patch });
      toast.success(done);
      load();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };
  const reset = async (a: AccountInfo) => {
    try {
      const r = await call('accounts.resetPassword', { id: a.id });
      setOtp({ username: a.username, password: r.password });
      load();
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };

  return (
    <section className="card wide-card" data-testid="settings-accounts">
      <div className="card-head">
        <h3>账号管理</h3>
        {!isAdmin && <span className="muted small">仅系统管理员可修改</span>}
      </div>
      {otp && <OneTimePassword {...otp} onClose={() => setOtp(null)} />}
      {isAdmin && (
        <form className="form-grid inline-form" onSubmit={(e) => void create(e)} data-testid="account-form">
          <Field label="用户名" error={errors.fields.username}>
            <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} data-testid="account-username" />
          </Field>
          <Field label="姓名" error={errors.fields.displayName}>
            <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} data-testid="account-name" />
          </Field>
          <Field label="角色" error={errors.fields.role}>
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as AccountRole })} data-testid="account-role">
              {ACCOUNT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="所属单位" error={errors.fields.unitId}>
            <select value={form.unitId} onChange={(e) => setForm({ ...form, unitId: e.target.value })} data-testid="account-unit">
              <option value="">（无）</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="account-create">
              新建账号
            </button>
          </div>
          <FormError state={errors} shown={['username', 'displayName', 'role', 'unitId']} />
        </form>
      )}
      {error && <p className="error-text">{error}</p>}
      <DataTable rows={rows ?? []} headers={isAdmin ? ['用户名', '姓名', '角色', '所属单位', '状态', ''] : ['用户名', '姓名', '角色', '所属单位', '状态']} empty={rows ? '暂无账号' : '加载中…'} className="mini-table" testId="accounts-table">
        {(a) => (
          <tr key={a.id} className={a.active ? '' : 'muted'} data-testid={`account-${a.username}`}>
            <td className="mono">{a.username}</td>
            <td>{a.displayName}</td>
            <td>
              {isAdmin && a.id !== user.id ? (
                <select value={a.role} onChange={(e) => void update(a, { role: e.target.value as AccountRole }, `${a.username} 的角色已改为${ROLE_LABELS[e.target.value as Role]}`)} aria-label="角色">
                  {ACCOUNT_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              ) : (
                ROLE_LABELS[a.role]
              )}
            </td>
            <td>
              {isAdmin && a.role !== 'admin' ? (
                <select value={a.unitId ?? ''} onChange={(e) => void update(a, { unitId: e.target.value || null }, `${a.username} 的单位已更改`)} aria-label="所属单位">
                  <option value="">（无）</option>
                  {units.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              ) : (
                (a.unitName ?? '—')
              )}
            </td>
            <td>{!a.active ? '已停用' : a.mustChangePassword ? '待首次登录改密' : '正常'}</td>
            {/* Only an administrator has actions; others get no empty column. */}
            {isAdmin && (
              <td className="row-actions">
                {a.id !== user.id && (
                  <>
                    <button type="button" className="small-btn" onClick={() => void reset(a)} data-testid={`account-reset-${a.username}`}>
                      重置密码
                    </button>
                    <button type="button" className={a.active ? 'small-btn danger-ghost' : 'small-btn'} onClick={() => void update(a, { active: !a.active }, a.active ? `${a.username} 已停用，其登录已立即失效` : `${a.username} 已启用`)} data-testid={`account-toggle-${a.username}`}>
                      {a.active ? '停用' : '启用'}
                    </button>
                  </>
                )}
              </td>
            )}
          </tr>
        )}
      </DataTable>
    </section>
  );
}
