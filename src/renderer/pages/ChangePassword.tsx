// 修改密码: forced after a login with a one-time password (the first login of a new account, or
// after an administrator's reset), and offered to everyone in 设置.

import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../shared/domain/passwordPolicy';
import { Field, FormError } from '../components/Form';
import { fromError, NO_ERRORS, type FormErrorState } from '../lib/validation';

export function PasswordForm({ username, onSubmit, submitLabel }: { username: string; onSubmit: (current: string, next: string) => Promise<void>; submitLabel: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!current) fields.current = '请输入当前密码';
    const p = passwordProblem(next, username);
    if (p) fields.next = p;
    else if (next !== again) fields.again = '两次输入的新密码不一致';
    if (Object.keys(fields).length) {
      setErrors({ message: null, fields, issues: [] });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await onSubmit(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
    } catch (err) {
      setErrors(fromError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="login-form" data-testid="password-form">
      <Field label="当前密码" error={errors.fields.current}>
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="pw-current" />
      </Field>
      <Field label="新密码" error={errors.fields.next} hint={`至少${PASSWORD_MIN_LENGTH}个字符，不能包含用户名，不能是常见密码`}>
        <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="pw-next" />
      </Field>
      <Field label="再次输入新密码" error={errors.fields.again}>
        <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="pw-again" />
      </Field>
      <FormError state={errors} shown={['current', 'next', 'again']} />
      <button type="submit" className="primary block" disabled={busy} data-testid="pw-submit">
        {busy ? '保存中…' : submitLabel}
      </button>
    </form>
  );
}

/** The whole screen after a login with a one-time password. */
export function ForcedPasswordPage({ username, onChange, onLogout }: { username: string; onChange: (current: string, next: string) => Promise<void>; onLogout: () => void }) {
  return (
    <div className="login-page">
      <div className="login-card" data-testid="forced-password">
        <div className="login-brand">
          <span className="brand-mark big">城</span>
          <div>
            <h1>设置新密码</h1>
            <p className="muted">您正在使用一次性初始密码登录（{username}）。请先设置自己的密码，之后才能使用城运台。</p>
          </div>
        </div>
        <PasswordForm username={username} onSubmit={onChange} submitLabel="保存新密码并进入" />
        <button type="button" className="link-btn" onClick={onLogout}>
          退出登录
        </button>
      </div>
    </div>
  );
}
