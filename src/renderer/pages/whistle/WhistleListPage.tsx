// 吹哨报到: the list of sessions, and the navigation badge counting the open ones.

import { useCallback } from 'react';
import { URGENCY_LABELS } from '../../../shared/domain/ticket';
import { WHISTLE_STATUS_LABELS, formatElapsed } from '../../../shared/domain/whistle';
import { call } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Empty, Spinner } from '../../components/Form';
import { formatShortDateTime, serverNow } from '../../lib/format';
import { useLiveQuery, type LiveEvents } from '../../lib/liveQuery';
import { navigate } from '../../lib/router';
import { useReadySession } from '../../state/session';
import { whistlePath } from './paths';

const WHISTLE_EVENTS: LiveEvents = { on: ['whistle.changed'], debounceMs: 300 };

export function WhistleListPage() {
  const { user } = useReadySession();
  const { data: list, error } = useLiveQuery(
    useCallback(() => call('whistle.list', {}), []),
    WHISTLE_EVENTS,
  );
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
  // The badge is a hint; the page itself reports errors.
  const n = useLiveQuery(
    useCallback(() => call('whistle.list', { status: 'open' }).then((l) => l.length), []),
    WHISTLE_EVENTS,
  ).data;
  if (!n) return null;
  return (
    <span className="nav-badge" data-testid="nav-whistle-badge" title={`${n}个进行中的吹哨报到`}>
      {n}
    </span>
  );
}
