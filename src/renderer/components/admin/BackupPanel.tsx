// 设置 › 备份与恢复 (leaders see and back up; administrators set how long backups are kept and
// restore one — applied when the node restarts, since a store cannot be swapped while it runs).

import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { useReadySession } from '../../state/session';
import { useAction } from '../../lib/action';
import { useLiveQuery } from '../../lib/liveQuery';
import { DataTable } from '../DataTable';
import { formatDateTime } from '../../lib/format';
import { formatBytes } from '../../lib/fileData';

export function BackupPanel() {
  const { user } = useReadySession();
  const isAdmin = user.role === 'admin';
  const [keep, setKeep] = useState('');
  const { data: st, error, reload } = useLiveQuery(useCallback(() => call('backup.status', {}), []), null, { onLoad: (s) => setKeep(String(s.keepDays)) });
  const action = useAction<unknown>();
  const busy = action.busy;

  const run = async (fn: () => Promise<unknown>, ok: string) => {
    if (await action.run(fn, ok)) void reload();
  };

  return (
    <section className="card wide-card" data-testid="settings-backup">
      <div className="card-head">
        <h3>备份与恢复</h3>
        <button type="button" className="small-btn" disabled={busy} onClick={() => void run(() => call('backup.run', {}), '备份完成')} data-testid="backup-run">
          {busy ? '处理中…' : '立即备份'}
        </button>
      </div>
      <p className="muted small">
        城运台运行期间每天自动备份一次（在线备份，不影响使用），含照片；每次升级数据库前也会先备份。备份目录：<span className="mono">{st?.dir ?? '…'}</span>
        {st?.lastAt ? `；最近一次：${formatDateTime(st.lastAt)}` : ''}
      </p>
      {error && <p className="error-text">{error}</p>}
      {st?.pendingRestore && (
        <div className="callout warn" data-testid="backup-pending">
          已安排从备份 {st.pendingRestore.from} 恢复（{st.pendingRestore.by}，{formatDateTime(st.pendingRestore.at)}），重启城运台后生效。当前数据库将另存保留。
        </div>
      )}
      {isAdmin && (
        <div className="filter-row">
          <label>
            保留天数{' '}
            <input className="num-input" inputMode="numeric" value={keep} onChange={(e) => setKeep(e.target.value.replace(/\D/g, ''))} data-testid="backup-keep" />
          </label>
          <button type="button" className="small-btn" disabled={busy || !keep} onClick={() => void run(() => call('backup.settings', { keepDays: Number(keep) }), '保留天数已保存')}>
            保存
          </button>
        </div>
      )}
      <DataTable rows={st?.backups ?? []} headers={['备份', '时间', '数据库', '照片', '']} empty={st ? '还没有备份' : '加载中…'} className="mini-table" testId="backup-table">
        {(b) => (
          <tr key={b.name}>
            <td className="mono">{b.name}</td>
            <td>{formatDateTime(b.at)}</td>
            <td>{formatBytes(b.bytes)}</td>
            <td>{formatBytes(b.photosBytes)}</td>
            <td>
              {isAdmin && (
                <button
                  type="button"
                  className="small-btn danger-ghost"
                  disabled={busy}
                  onClick={() => {
                    if (window.confirm(`从备份 ${b.name} 恢复？重启城运台后生效，此后的改动将不在恢复后的数据库中（当前数据库会另存保留）。`))
                      void run(() => call('backup.restore', { name: b.name }), '已安排恢复，重启城运台后生效');
                  }}
                >
                  恢复
                </button>
              )}
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
