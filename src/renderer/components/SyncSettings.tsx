// 设置 → 同步设置: the city platform's address and this street's credential files (the city's CA
// certificate, pinned; the street's client certificate and key). Only the street leader changes them.

import { useCallback, useState } from 'react';
import { call } from '../api/client';
import type { CitySettings } from '../../shared/api/sync';
import { Field } from './Form';
import { useLiveQuery } from '../lib/liveQuery';
import { useSubmit } from '../lib/submit';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';

const EMPTY: CitySettings = { url: '', caFile: '', certFile: '', keyFile: '' };

export function SyncSettingsCard() {
  const { user } = useReadySession();
  const toast = useToast();
  const [form, setForm] = useState<CitySettings>(EMPTY);
  const [configured, setConfigured] = useState(false);
  // The form is read-only until the stored settings have arrived, so what the leader types is not
  // overwritten by them a moment later.
  const [loaded, setLoaded] = useState(false);
  const { submit, busy, errors } = useSubmit(null, 'sync.configure');
  const error = errors.message;
  const canEdit = user.role === 'leader' || user.role === 'admin';
  const canSee = user.role === 'leader' || user.role === 'operator' || user.role === 'admin';

  // Loaded once to fill the form (a failed load leaves it empty and editable).
  const { error: loadError } = useLiveQuery(
    useCallback(() => (canSee ? call('sync.settings', {}) : Promise.resolve(null)), [canSee]),
    null,
    {
      onLoad: (s) => {
        if (loaded) return;
        setConfigured(!!s);
        if (s) setForm(s);
        setLoaded(true);
      },
    },
  );
  const ready = loaded || !!loadError;

  if (!canSee) return null;
  const set = (k: keyof CitySettings) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const save = async (disable = false) => {
    const s = await submit(disable ? { disable: true } : form);
    if (!s) return;
    setConfigured(s.configured);
    if (disable) setForm(EMPTY);
    toast.success(disable ? '已停止与市级平台同步' : '已保存，正在连接市级平台');
  };

  return (
    <section className="card" data-testid="settings-sync">
      <div className="card-head">
        <h3>同步设置</h3>
        {!canEdit && <span className="muted small">仅街道领导和系统管理员可修改</span>}
      </div>
      <div className="form-grid sync-settings">
        <Field label="市级平台地址" hint="例如 https://127.0.0.1:8443（仅支持 HTTPS）" wide>
          <input value={form.url} onChange={set('url')} disabled={!canEdit || !ready} placeholder="https://" data-testid="sync-url" />
        </Field>
        <Field label="市级 CA 证书文件" hint="只信任该 CA 签发的市级平台证书" wide>
          <input value={form.caFile} onChange={set('caFile')} disabled={!canEdit || !ready} data-testid="sync-ca" />
        </Field>
        <Field label="本街道证书文件" wide>
          <input value={form.certFile} onChange={set('certFile')} disabled={!canEdit || !ready} data-testid="sync-cert" />
        </Field>
        <Field label="本街道私钥文件" wide>
          <input value={form.keyFile} onChange={set('keyFile')} disabled={!canEdit || !ready} data-testid="sync-key" />
        </Field>
      </div>
      {error && (
        <div className="form-error" data-testid="sync-settings-error">
          {error}
        </div>
      )}
      {canEdit && (
        <div className="form-actions">
          {configured && (
            <button type="button" className="danger-ghost" disabled={busy} onClick={() => void save(true)} data-testid="sync-disable">
              停止同步
            </button>
          )}
          <button type="button" className="primary" disabled={busy || !ready} onClick={() => void save()} data-testid="sync-save">
            保存并连接
          </button>
        </div>
      )}
    </section>
  );
}
