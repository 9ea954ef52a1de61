// 吹哨报到: the list of sessions, and the navigation badge counting the open ones.

import { useCallback, useEffect, useState } from 'react';
import type { WhistleSummary } from '../../../shared/api/coordination';
import { URGENCY_LABELS } from '../../../shared/domain/ticket';
import { WHISTLE_STATUS_LABELS, formatElapsed } from '../../../shared/domain/whistle';
import { call, errorMessage } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Empty, Spinner } from '../../components/Form';
import { formatShortDateTime, serverNow } from '../../lib/format';
import { useNodeEvents } from '../../lib/events';
import { navigate } from '../../lib/router';
import { useReadySession } from '../../state/session';
import { whistlePath } from './paths';

export function WhistleListPage() {
  const { user } = useReadySession();
  const [list, setList] = useState<WhistleSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setList(await call('whistle.list', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useNodeEvents(['whistle.changed'], () => void load(), { debounceMs: 300 });
  const now = serverNow();
  return (
    <div className="page" data-testid="whistle-list">
      <div className="page-head">
        <div>
          <h2>吹哨报到</h2>
          <p className="muted">{user.role === 'unit' ? `召集${user.unitName ?? '本单位'}报到的事项` : '街道吹哨、部门报到：联合处置单靠街道解决不了的问题'}</p>
        </div>
        {user.role !== 'unit' && user.role !== 'gridOfficer' && (
          <button type="button" className="primary big" onClick={() => navigate('/whistle/new')} data-testid="whistle-new">
            ＋ 发起吹哨
          </button>
        )}
      </div>
      {error && <div className="callout error">{error}</div>}
      {!list ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Empty>暂无吹哨报到事项</Empty>
      ) : (
        <section className="card">
          <DataTable rows={list} headers={['编号', '事项', '地点', '紧急程度', '状态', '报到', '任务', '吹哨时间', '用时']} className="mini-table">
            {(s) => (
              <tr key={s.id} className="clickable" onClick={() => navigate(whistlePath(s.id))} data-testid={`whistle-row-${s.code}`}>
                <td className="mono">{s.code}</td>
                <td className="cell-fill">{s.title}</td>
                <td className="cell-wrap">{s.place}</td>
                <td>
                  <span className={`tag tag-${s.urgency}`}>{URGENCY_LABELS[s.urgency]}</span>
                </td>
                <td>
                  <span className={`ws-status ws-${s.status}`}>{WHISTLE_STATUS_LABELS[s.status]}</span>
                </td>
                <td>
                  {s.checkedIn}/{s.departments}
                </td>
                <td>
                  {s.tasksDone}/{s.tasks}
                </td>
                <td>{formatShortDateTime(s.openedAt)}</td>
                <td>{formatElapsed((s.closedAt ?? now) - s.openedAt)}</td>
              </tr>
            )}
          </DataTable>
        </section>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Open a session

/** The number of open sessions (for a department: those it is summoned to), for the navigation. */
export function WhistleNavBadge() {
  const [n, setN] = useState(0);
  const load = useCallback(async () => {
    try {
      setN((await call('whistle.list', { status: 'open' })).length);
    } catch {
      /* the badge is a hint; the page itself reports errors */
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useNodeEvents(['whistle.changed'], () => void load(), { debounceMs: 300 });
  if (!n) return null;
  return (
    <span className="nav-badge" data-testid="nav-whistle-badge" title={`${n}个进行中的吹哨报到`}>
      {n}
    </span>
  );
}
