// 市级基础数据: what the city published to this street (派单目录, 网格, 工作日历, 分类模型) and
// what became of each — applied with a summary of the change, waiting, or refused with the reasons.

import { useCallback } from 'react';
import { call } from '../api/client';
import { REFERENCE_KIND_LABELS } from '../../shared/sync/reference';
import { DataTable } from './DataTable';
import { Spinner } from './Form';
import { formatDateTime } from '../lib/format';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';

const STATUS = { pending: '待应用', applied: '已应用', rejected: '已拒收' } as const;

const REFERENCE_EVENTS: LiveEvents = { on: ['sync.changed', 'settings.changed'], debounceMs: 300 };

export function ReferenceUpdates() {
  const { data: rows, error } = useLiveQuery(useCallback(() => call('sync.referenceUpdates', {}), []), REFERENCE_EVENTS);

  return (
    <section className="card" data-testid="reference-card">
      <div className="card-head">
        <h3>市级基础数据</h3>
      </div>
      <p className="muted small">市级平台下发的派单目录、网格、工作日历和分类模型按下发顺序自动应用；不合格的整份拒收并说明原因，不影响其他同步。</p>
      {error ? (
        <p className="error-text">{error}</p>
      ) : !rows ? (
        <Spinner />
      ) : (
        <DataTable rows={rows} headers={['类型', '版本', '下发时间', '状态', '说明']} empty="市级平台尚未下发基础数据" className="sync-table" testId="reference-table">
          {(r) => (
            <tr key={r.id} data-testid="reference-row" className={`ref-${r.status}`}>
              <td>{(REFERENCE_KIND_LABELS as Record<string, string>)[r.kind] ?? r.kind}</td>
              <td className="mono">{r.version}</td>
              <td>{formatDateTime(r.at)}</td>
              <td className="ref-status">{STATUS[r.status]}</td>
              <td className="sync-reason">
                {r.status === 'rejected' ? (
                  <>
                    <ul className="ref-errors">
                      {r.errors.slice(0, 3).map((e, i) => (
                        <li key={i}>{e}</li>
                      ))}
                    </ul>
                    {r.errors.length > 3 && (
                      <details className="small">
                        <summary>另有 {r.errors.length - 3} 条原因</summary>
                        <ul className="ref-errors">
                          {r.errors.slice(3).map((e, i) => (
                            <li key={i}>{e}</li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </>
                ) : (
                  (r.summary ?? '等待下一次同步')
                )}
              </td>
            </tr>
          )}
        </DataTable>
      )}
    </section>
  );
}
