// The meeting-room screen (会商大屏) of a whistle session.

import { useEffect } from 'react';
import { STATUS_LABELS, URGENCY_LABELS } from '../../../shared/domain/ticket';
import { WHISTLE_DEPT_STATE_LABELS, formatElapsed } from '../../../shared/domain/whistle';
import { serverNow } from '../../lib/format';
import { formatHm } from '../../lib/coordination';
import { useTick } from '../../lib/events';
import { useReadySession } from '../../state/session';
import { useWhistle } from './useWhistle';

export function WhistleRoomPage({ id }: { id: string }) {
  const { s, error } = useWhistle(id);
  const { lookups, boot } = useReadySession();
  useTick(1000);
  useEffect(() => {
    document.body.classList.add('room-body');
    return () => document.body.classList.remove('room-body');
  }, []);
  if (!s)
    return (
      <div className="room" data-testid="whistle-room">
        <div className="room-loading">{error ?? '正在连接…'}</div>
      </div>
    );
  const now = serverNow();
  const unitName = (u: string) => lookups.units.get(u)?.name ?? u;
  return (
    <div className="room" data-testid="whistle-room" data-status={s.status}>
      <header className="room-head">
        <div>
          <div className="room-street">
            {boot.street.name} · 吹哨报到 <span className="mono">{s.code}</span>
          </div>
          <h1 className="room-title">{s.title}</h1>
          <div className="room-place">
            {s.place} · <span className={`room-urg room-urg-${s.urgency}`}>{URGENCY_LABELS[s.urgency]}</span> · 报到时限 {formatHm(s.reportBy)}
            {s.ticket && (
              <>
                {' '}
                · 工单 <span className="mono">{s.ticket.code}</span>{' '}
                <span className={`room-ticket room-ticket-${s.ticket.status}`} data-testid="room-ticket-status" data-status={s.ticket.status}>
                  {STATUS_LABELS[s.ticket.status]}
                </span>
              </>
            )}
          </div>
        </div>
        <div className="room-clock">
          <div className="room-clock-label">{s.status === 'open' ? '吹哨已过' : '已结束 · 用时'}</div>
          <div className="room-clock-value" data-testid="room-elapsed">
            {formatElapsed((s.closedAt ?? now) - s.openedAt)}
          </div>
          <div className="room-clock-label">
            报到 {s.checkedIn}/{s.departments} · 任务 {s.tasksDone}/{s.tasks}
          </div>
        </div>
      </header>
      <div className="room-body-grid">
        <section className="room-depts" data-testid="room-depts">
          {s.depts.map((d) => (
            <div key={d.unitId} className={`room-dept room-dept-${d.state}`} data-testid={`room-dept-${d.unitId}`} data-state={d.state}>
              <div className="room-dept-name">
                {d.unitName}
                {d.unitId === s.leadUnitId && <span className="room-lead">牵头</span>}
              </div>
              <div className="room-dept-state">{WHISTLE_DEPT_STATE_LABELS[d.state]}</div>
              <div className="room-dept-time">
                {d.checkedInAt != null ? `报到 ${formatHm(d.checkedInAt)}` : d.late ? '逾期未报到' : `通知 ${formatHm(d.notifiedAt)}`}
                {d.repName ? ` · ${d.repName}` : ''}
              </div>
            </div>
          ))}
        </section>
        <section className="room-tasks" data-testid="room-tasks">
          <h2>任务</h2>
          {s.taskList.map((t) => (
            <div key={t.id} className={`room-task room-task-${t.status}`} data-testid={`room-task-${t.unitId}`} data-status={t.status}>
              <span className="room-task-mark">{t.status === 'done' ? '✓' : t.status === 'inProgress' ? '…' : '○'}</span>
              <span className="room-task-unit">{unitName(t.unitId)}</span>
              <span className="room-task-title">{t.result ? `${t.title} —— ${t.result}` : t.title}</span>
              <span className="room-task-due">{t.status === 'done' ? formatHm(t.doneAt) : `限 ${formatHm(t.deadline)}`}</span>
            </div>
          ))}
          {s.entries.filter((e) => e.kind === 'decision').length > 0 && (
            <>
              <h2>决定事项</h2>
              {s.entries
                .filter((e) => e.kind === 'decision')
                .map((e) => (
                  <div key={e.id} className="room-decision">
                    {e.text}
                  </div>
                ))}
            </>
          )}
        </section>
      </div>
    </div>
  );
}
