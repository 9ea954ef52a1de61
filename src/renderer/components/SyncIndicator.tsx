// Top-bar indicator of sync with the city: 在线/离线, 待上传 N 条, 上次同步 time; opens the 同步 page.

import { formatShortDateTime } from '../lib/format';
import { useSyncStatus } from '../lib/syncState';

export function SyncIndicator() {
  const { status } = useSyncStatus();
  if (!status) return null;
  if (!status.configured)
    return (
      <a className="sync-ind sync-off" href="#/sync" data-testid="sync-indicator" title="尚未接入市级平台：在“设置 → 同步设置”中配置">
        <span className="sync-dot" />
        未接入市级
      </a>
    );
  const state = status.online ? 'on' : 'down';
  return (
    <a
      className={`sync-ind sync-${state}`}
      href="#/sync"
      data-testid="sync-indicator"
      title={status.online ? `市级平台 ${status.cityUrl}${status.live ? '（实时通道已连接）' : '（轮询）'}` : (status.lastError ?? '市级平台离线，修改将在恢复后自动上传')}
    >
      <span className="sync-dot" />
      <span data-testid="sync-online">{status.online ? '在线' : '离线'}</span>
      <span className="sync-sep">·</span>
      <span data-testid="sync-pending">待上传 {status.pending} 条</span>
      {status.conflicts > 0 && (
        <>
          <span className="sync-sep">·</span>
          <span className="sync-conflicts" data-testid="sync-conflicts">冲突 {status.conflicts}</span>
        </>
      )}
      <span className="sync-sep">·</span>
      <span className="sync-last" data-testid="sync-last">上次同步 {status.lastSyncAt ? formatShortDateTime(status.lastSyncAt) : '—'}</span>
    </a>
  );
}
