// 登录: username/password, and the demo accounts as one-click buttons.

import { useCallback, useState, type FormEvent } from 'react';
import { loginInput } from '../../shared/api/contract';
import type { DemoUser } from '../../shared/api/types';
import { ROLE_LABELS } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { Field, FormError } from '../components/Form';
import { useLiveQuery } from '../lib/liveQuery';
import { useSubmit } from '../lib/submit';
import { useSession } from '../state/session';

export function LoginPage() {
  const { login, notice } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { submit, busy, errors } = useSubmit(
    loginInput,
    useCallback((input: { username: string; password: string }) => login(input.username.trim(), input.password), [login]),
  );
  const { data: demo } = useLiveQuery(
    useCallback(() => call('session.demoUsers', {}).catch((): DemoUser[] => []), []),
    null,
  );

  const doLogin = (u: string, p: string) => submit({ username: u, password: p });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void doLogin(username, password);
  };

  return (
    <div className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark big">城</span>
          <div>
            <h1>城运台</h1>
            <p className="muted">街道城运中心工作站 · 12345热线 · 网格 · 派单</p>
          </div>
        </div>
        {notice && <div className="callout warn">{notice}</div>}
        <form onSubmit={onSubmit} className="login-form">
          <Field label="用户名" error={errors.fields.username}>
            <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="login-username" />
          </Field>
          <Field label="密码" error={errors.fields.password}>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
          </Field>
          <FormError state={errors} shown={['username', 'password']} />
          <button type="submit" className="primary block" disabled={busy} data-testid="form-submit">
            {busy ? '登录中…' : '登录'}
          </button>
        </form>
        {demo && demo.length > 0 && (
          <div className="demo-users">
            <div className="demo-title">演示账号（点击即登录）</div>
            <div className="demo-list">
              {demo.map((u) => (
                <button
                  key={u.username}
                  type="button"
                  className="demo-user"
                  disabled={busy}
                  data-testid={`demo-${u.username}`}
                  onClick={() => {
                    setUsername(u.username);
                    setPassword(u.password);
                    void doLogin(u.username, u.password);
                  }}
                >
                  <span className={`role-tag role-${u.role}`}>{ROLE_LABELS[u.role]}</span>
                  <span className="demo-name">{u.displayName}</span>
                  <span className="demo-username">{u.username}</span>
                  <span className="demo-unit" title={u.unitName ?? undefined}>
                    {u.unitName ?? ''}
                  </span>
                </button>
              ))}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
