// 同步: the link with the city (status, 立即同步), 同步冲突 — operations the city refused, each
// with the city's reason and three ways out: retry, rebase onto the city's version, discard with a
// reason — and the reference data the city published (ReferenceUpdates).

import { useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../api/client';
import type { SyncConflict, SyncStatus } from '../../shared/api/sync';
import { STATUS_LABELS, type TicketStatus } from '../../shared/domain/ticket';
import { ACTION_LABELS, type TicketAction } from '../../shared/domain/stateMachine';
import { DataTable } from '../components/DataTable';
import { Spinner } from '../components/Form';
import { Modal } from '../components/Modal';
import { ReferenceUpdates } from '../components/ReferenceUpdates';
import { useAction } from '../lib/action';
import { formatDateTime } from '../lib/format';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';
import { useSyncStatus } from '../lib/syncState';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';

const status = (s: string | null | undefined) => (s ? ((STATUS_LABELS as Record<string, string>)[s] ?? s) : '—');
const opLabel = (c: SyncConflict) =>
  c.entity === 'ticket' ? ((ACTION_LABELS as Record<string, string>)[c.op as TicketAction] ?? (c.op === 'create' ? '新建' : c.op === 'cityUpdate' ? '市级更新' : c.op)) : `${c.entity} · ${c.op}`;
const RESOLUTION_LABELS = { retry: '已重试', rebase: '已以市级版本为准', discard: '已放弃' } as const;

const CONFLICT_EVENTS: LiveEvents = { on: ['sync.changed'], debounceMs: 0 };

export function SyncPage() {
  const { user } = useReadySession();
  const toast = useToast();
  const { status: s, refresh } = useSyncStatus(5_000);
  const [showResolved, setShowResolved] = useState(false);
  const [discarding, setDiscarding] = useState<SyncConflict | null>(null);
  const [reason, setReason] = useState('');
  const { run, busy } = useAction<SyncStatus>();
  const canResolve = user.role === 'operator' || user.role === 'leader';

  const { data: conflicts, error, reload: load } = useLiveQuery(
    // Only street staff settle conflicts (the node refuses others); the rest see none.
    useCallback(() => (canResolve ? call('sync.conflicts', { includeResolved: showResolved }) : Promise.resolve([])), [showResolved, canResolve]),
    CONFLICT_EVENTS,
  );
  useEffect(() => {
    if (error) toast.error(error);
  }, [error, toast]);

  const resolve = async (c: SyncConflict, resolution: 'retry' | 'rebase' | 'discard', why?: string) => {
    const ok = resolution === 'retry' ? '已重新提交，等待市级判定' : resolution === 'rebase' ? '已采用市级版本' : '已放弃该操作';
    if (!(await run(() => call('sync.resolve', { opId: c.opId, resolution, reason: why }), ok))) return;
    setDiscarding(null);
    setReason('');
    void load();
    refresh();
  };

  const syncNow = () =>
    run(async () => {
      const r = await call('sync.now', {});
      refresh();
      void load();
      if (!r.online) throw new ApiError({ code: 'offline', message: r.lastError ?? '同步失败' });
      return r;
    }, '同步完成');

  return (
    <div className="page">
      <div className="page-head">
        <h2>与市级平台同步</h2>
      </div>
      <section className="card" data-testid="sync-status-card">
        <div className="card-head">
          <h3>同步状态</h3>
          {s?.configured && (
            <button type="button" disabled={busy} onClick={() => void syncNow()} data-testid="sync-now">
              立即同步
            </button>
          )}
        </div>
        {!s ? (
          <Spinner />
        ) : !s.configured ? (
          <p className="muted">尚未接入市级平台。街道领导可在“设置 → 同步设置”中填写市级平台地址和本街道证书。断网或未接入期间所有操作照常保存，接入后自动上传。</p>
        ) : (
          <dl className="fields">
            <div className="f">
              <dt>市级平台</dt>
              <dd className="mono">{s.cityUrl}</dd>
            </div>
            <div className="f">
              <dt>连接</dt>
              <dd data-testid="sync-page-online">
                {s.online ? '在线' : '离线'}
                {s.online && (s.live ? '（实时通道已连接）' : '（实时通道未连接，定时轮询）')}
              </dd>
            </div>
            <div className="f">
              <dt>待上传</dt>
              <dd>{s.pending} 条</dd>
            </div>
            <div className="f">
              <dt>待处理冲突</dt>
              <dd>{s.conflicts} 条</dd>
            </div>
            <div className="f">
              <dt>上次同步</dt>
              <dd>{s.lastSyncAt ? formatDateTime(s.lastSyncAt) : '—'}</dd>
            </div>
            {s.lastError && (
              <div className="f">
                <dt>最近错误</dt>
                <dd className="error-text">
                  {s.lastError}
                  {s.nextAttemptAt ? `（${formatDateTime(s.nextAttemptAt)} 自动重试）` : ''}
                </dd>
              </div>
            )}
          </dl>
        )}
      </section>

      <section className="card" data-testid="sync-conflicts-card">
        <div className="card-head">
          <h3>同步冲突</h3>
          <label className="muted small">
            <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> 显示已处理
          </label>
        </div>
        <p className="muted small">市级平台拒绝的操作不会被丢弃：在这里查看市级的理由并选择处理方式。同一工单后续的操作会排在冲突之后等待。</p>
        {!conflicts ? (
          <Spinner />
        ) : (
          <DataTable rows={conflicts} headers={['对象', '本地操作', '市级理由', '市级版本', '本地状态', '处理']} empty="没有同步冲突" className="sync-table" testId="conflict-table">
            {(c) => (
              <tr key={c.opId} data-testid="conflict-row">
                <td>
                  {c.entity === 'ticket' && c.ticketCode ? <a href={`#/tickets/${c.entityId}`}>{c.ticketCode}</a> : <span className="mono">{c.entityId}</span>}
                </td>
                <td>
                  {opLabel(c)}
                  <div className="muted small">{c.opAt ? formatDateTime(c.opAt) : ''}</div>
                  {c.waiting > 0 && <div className="muted small">其后 {c.waiting} 条操作等待中</div>}
                </td>
                <td className="sync-reason">{c.reason}</td>
                <td>{c.cityState ? `${status(c.cityState.status)}（版本 ${c.cityState.version}）` : '—'}</td>
                <td>{status(c.localStatus as TicketStatus | null)}</td>
                <td className="sync-actions">
                  {c.resolvedAt ? (
                    <span className="muted small">
                      {c.resolution ? RESOLUTION_LABELS[c.resolution] : ''} · {c.resolvedBy}
                      {c.resolutionReason ? `：${c.resolutionReason}` : ''}
                    </span>
                  ) : canResolve ? (
                    <>
                      <button type="button" disabled={busy} onClick={() => void resolve(c, 'retry')} data-testid="conflict-retry">
                        重试
                      </button>
                      <button type="button" disabled={busy || !c.cityState} title={c.cityState ? '本地工单采用市级版本，本操作及其后等待的操作不再上传' : '市级没有该工单的版本'} onClick={() => void resolve(c, 'rebase')} data-testid="conflict-rebase">
                        以市级为准
                      </button>
                      <button type="button" className="danger-ghost" disabled={busy} onClick={() => setDiscarding(c)} data-testid="conflict-discard">
                        放弃
                      </button>
                    </>
                  ) : (
                    <span className="muted small">由受理员处理</span>
                  )}
                </td>
              </tr>
            )}
          </DataTable>
        )}
      </section>
      <ReferenceUpdates />
      {discarding && (
        <Modal title="放弃该操作" onClose={() => setDiscarding(null)} testId="discard-modal">
          <p>该操作将不再上传市级平台，本地数据保持不变。请填写放弃理由（将记录在案）。</p>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={1000} data-testid="discard-reason" />
          <div className="form-actions">
            <button type="button" onClick={() => setDiscarding(null)}>
              取消
            </button>
            <button type="button" className="danger" disabled={busy || reason.trim().length < 2} onClick={() => void resolve(discarding, 'discard', reason)} data-testid="discard-confirm">
              确认放弃
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
