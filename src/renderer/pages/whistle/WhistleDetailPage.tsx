// A whistle session's page: departments report for duty, tasks, the log, closing.

import { useState } from 'react';
import type { WhistleDetail, WhistleTask } from '../../../shared/api/coordination';
import { URGENCY_LABELS } from '../../../shared/domain/ticket';
import {
  WHISTLE_DEPT_STATE_LABELS,
  WHISTLE_ENTRY_LABELS,
  WHISTLE_STATUS_LABELS,
  WHISTLE_TASK_STATUS_LABELS,
  formatElapsed,
  isCheckedIn,
  type WhistleDeptState,
  type WhistleEntryKind,
} from '../../../shared/domain/whistle';
import { call } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Empty, Spinner } from '../../components/Form';
import { StatusPill } from '../../components/StatusPill';
import { formatDateTime, formatShortDateTime, serverNow } from '../../lib/format';
import { formatHm, fromLocalInput, toLocalInput } from '../../lib/coordination';
import { useTick } from '../../lib/events';
import { useAction } from '../../lib/action';
import { ticketPath } from '../../lib/router';
import { useReadySession } from '../../state/session';
import { useWhistle } from './useWhistle';
import { DateInput } from '../../components/DateInputs';

const NEXT_FOR_UNIT: Partial<Record<WhistleDeptState, Array<[WhistleDeptState, string]>>> = {
  notified: [
    ['acknowledged', '确认收到'],
    ['onSite', '到场报到'],
    ['online', '线上报到'],
  ],
  acknowledged: [
    ['onSite', '到场报到'],
    ['online', '线上报到'],
  ],
  online: [['onSite', '改为到场']],
};

export function WhistleDetailPage({ id }: { id: string }) {
  const { s, setS, error } = useWhistle(id);
  const { lookups } = useReadySession();
  const { run, busy } = useAction<WhistleDetail>(setS);
  useTick(1000);

  if (error && !s)
    return (
      <div className="page">
        <a href="#/whistle" className="back-link">
          ‹ 返回吹哨报到
        </a>
        <div className="callout error">{error}</div>
      </div>
    );
  if (!s)
    return (
      <div className="page">
        <Spinner />
      </div>
    );
  const now = serverNow();
  const unitName = (u: string) => lookups.units.get(u)?.name ?? u;
  return (
    <div className="page" data-testid="whistle-detail" data-status={s.status}>
      <a href="#/whistle" className="back-link">
        ‹ 返回吹哨报到
      </a>
      <div className="detail-head">
        <div className="detail-title">
          <h2 className="mono" data-testid="whistle-code">
            {s.code}
          </h2>
          <span className="ws-title">{s.title}</span>
          <span className={`tag tag-${s.urgency}`}>{URGENCY_LABELS[s.urgency]}</span>
          <span className={`ws-status ws-${s.status}`}>{WHISTLE_STATUS_LABELS[s.status]}</span>
          <span className="ws-elapsed" data-testid="whistle-elapsed">
            已用时 {formatElapsed((s.closedAt ?? now) - s.openedAt)}
          </span>
        </div>
        <div className="detail-actions">
          <a className="button-like" href={`#/whistle/${encodeURIComponent(s.id)}/room`} target="_blank" data-testid="whistle-room-link">
            会商大屏 ↗
          </a>
        </div>
      </div>
      <div className="detail-cols">
        <div className="detail-main">
          <section className="card">
            <div className="card-head">
              <h3>事项</h3>
              <span className="muted small">
                {s.openedByName} 于 {formatDateTime(s.openedAt)} 吹哨 · 报到时限 {formatDateTime(s.reportBy)}
              </span>
            </div>
            <p className="description">{s.problem}</p>
            <dl className="fields">
              <div className="f">
                <dt>地点</dt>
                <dd>{s.place}</dd>
              </div>
              <div className="f">
                <dt>牵头单位</dt>
                <dd>{s.leadUnitId ? unitName(s.leadUnitId) : '—'}</dd>
              </div>
              {s.ticket && (
                <div className="f f-wide">
                  <dt>关联工单</dt>
                  <dd>
                    <a href={`#${ticketPath(s.ticket.id)}`} className="mono" data-testid="whistle-ticket-link">
                      {s.ticket.code}
                    </a>{' '}
                    <span data-testid="whistle-ticket-status" data-status={s.ticket.status}>
                      <StatusPill status={s.ticket.status} />
                    </span>
                  </dd>
                </div>
              )}
              {s.summary && (
                <div className="f f-wide">
                  <dt>结束说明</dt>
                  <dd>{s.summary}</dd>
                </div>
              )}
            </dl>
          </section>

          <section className="card">
            <div className="card-head">
              <h3>部门报到</h3>
              <span className="muted small">
                已报到 {s.checkedIn}/{s.departments}
              </span>
            </div>
            <DataTable rows={s.depts} headers={['部门', '状态', '响应', '报到', '完成', '报到人', '']} className="mini-table" testId="whistle-depts">
              {(d) => {
                const mine = s.myUnitId === d.unitId;
                const moves = s.status === 'open' && (mine || s.canManage) ? (NEXT_FOR_UNIT[d.state] ?? []) : [];
                return (
                  <tr key={d.unitId} data-testid={`dept-${d.unitId}`} data-state={d.state} className={mine ? 'ws-mine' : ''}>
                    <td>
                      {d.unitName}
                      {d.unitId === s.leadUnitId && <span className="tag tag-lead">牵头</span>}
                    </td>
                    <td>
                      <span className={`ws-dept ws-dept-${d.state}`}>{WHISTLE_DEPT_STATE_LABELS[d.state]}</span>
                      {d.late && !isCheckedIn(d.state) && <span className="red small"> 逾期未报到</span>}
                    </td>
                    <td>{formatHm(d.acknowledgedAt)}</td>
                    <td>
                      {formatHm(d.checkedInAt)}
                      {d.late && d.checkedInAt != null && <span className="red small"> 迟到</span>}
                    </td>
                    <td>{formatHm(d.doneAt)}</td>
                    <td>{d.repName ?? '—'}</td>
                    <td>
                      {mine ? (
                        <div className="ws-btns">
                          {moves.map(([to, label]) => (
                            <button
                              key={to}
                              type="button"
                              className={to === 'onSite' ? 'primary' : ''}
                              disabled={busy}
                              data-testid={`respond-${to}`}
                              onClick={() => void run(() => call('whistle.respond', { sessionId: s.id, unitId: d.unitId, state: to }), `${d.unitName}：${WHISTLE_DEPT_STATE_LABELS[to]}`)}
                            >
                              {label}
                            </button>
                          ))}
                        </div>
                      ) : (
                        moves.length > 0 && (
                          // The street records a response taken by phone.
                          <select
                            value=""
                            disabled={busy}
                            title="记录该部门的响应（如电话报到）"
                            data-testid="record-response"
                            onChange={(e) => {
                              const to = e.target.value as WhistleDeptState;
                              if (to) void run(() => call('whistle.respond', { sessionId: s.id, unitId: d.unitId, state: to }), `${d.unitName}：${WHISTLE_DEPT_STATE_LABELS[to]}`);
                            }}
                          >
                            <option value="">记录响应…</option>
                            {moves.map(([to, label]) => (
                              <option key={to} value={to}>
                                {label}
                              </option>
                            ))}
                          </select>
                        )
                      )}
                    </td>
                  </tr>
                );
              }}
            </DataTable>
          </section>

          <section className="card">
            <div className="card-head">
              <h3>任务</h3>
              <span className="muted small">
                已完成 {s.tasksDone}/{s.tasks}
              </span>
            </div>
            {s.taskList.length === 0 ? (
              <Empty>尚未分配任务</Empty>
            ) : (
              <div className="ws-tasks" data-testid="whistle-tasks">
                {s.taskList.map((t) => (
                  <TaskRow key={t.id} t={t} s={s} unitName={unitName(t.unitId)} busy={busy} run={run} now={now} />
                ))}
              </div>
            )}
            {s.canManage && <AddTask s={s} run={run} />}
          </section>
        </div>
        <aside className="detail-side">
          <section className="card">
            <div className="card-head">
              <h3>决定事项与会议纪要</h3>
            </div>
            {s.entries.length === 0 ? (
              <Empty>暂无记录</Empty>
            ) : (
              <ul className="ws-entries" data-testid="whistle-entries">
                {s.entries.map((e) => (
                  <li key={e.id} className={`ws-entry ws-entry-${e.kind}`}>
                    <div className="muted small">
                      {WHISTLE_ENTRY_LABELS[e.kind]} · {e.byName} · {formatShortDateTime(e.at)}
                    </div>
                    <div>{e.text}</div>
                  </li>
                ))}
              </ul>
            )}
            {s.canManage && <AddEntry s={s} run={run} />}
          </section>
          {s.canManage && <CloseSession s={s} run={run} />}
        </aside>
      </div>
    </div>
  );
}

type Run = (fn: () => Promise<WhistleDetail>, ok: string) => Promise<unknown>;

function TaskRow({ t, s, unitName, busy, run, now }: { t: WhistleTask; s: WhistleDetail; unitName: string; busy: boolean; run: Run; now: number }) {
  const [result, setResult] = useState('');
  const mine = s.myUnitId === t.unitId;
  const canEdit = s.status === 'open' && t.status !== 'done' && (mine || s.canManage);
  return (
    <div className={`ws-task ws-task-${t.status}${mine ? ' ws-mine' : ''}`} data-testid={`task-${t.unitId}`} data-status={t.status}>
      <div className="ws-task-head">
        <strong>{unitName}</strong>
        <span className={`ws-tstatus ws-t-${t.status}`}>{WHISTLE_TASK_STATUS_LABELS[t.status]}</span>
        <span className={`muted small${t.status !== 'done' && now > t.deadline ? ' red' : ''}`}>时限 {formatShortDateTime(t.deadline)}</span>
      </div>
      <div>{t.title}</div>
      {t.result && (
        <div className="ws-result">
          完成情况：{t.result}
          <span className="muted small">
            {' '}
            · {t.doneByName} {formatShortDateTime(t.doneAt)}
          </span>
        </div>
      )}
      {canEdit && (
        <div className="ws-task-actions">
          {t.status === 'open' && (
            <button type="button" disabled={busy} onClick={() => void run(() => call('whistle.updateTask', { taskId: t.id, status: 'inProgress' }), '任务处理中')} data-testid="task-start">
              开始处理
            </button>
          )}
          <input placeholder="完成情况（必填）" value={result} onChange={(e) => setResult(e.target.value)} data-testid="task-result" />
          <button type="button" className="primary" disabled={busy} onClick={() => void run(() => call('whistle.updateTask', { taskId: t.id, status: 'done', result }), '任务已完成')} data-testid="task-done">
            {mine ? '完成任务' : '记录完成'}
          </button>
        </div>
      )}
    </div>
  );
}

function AddTask({ s, run }: { s: WhistleDetail; run: Run }) {
  const [unitId, setUnitId] = useState(s.depts[0]?.unitId ?? '');
  const [title, setTitle] = useState('');
  const [deadline, setDeadline] = useState(toLocalInput(serverNow() + 4 * 3600_000));
  return (
    <div className="ws-add">
      <select value={unitId} onChange={(e) => setUnitId(e.target.value)} data-testid="addtask-unit">
        {s.depts.map((d) => (
          <option key={d.unitId} value={d.unitId}>
            {d.unitName}
          </option>
        ))}
      </select>
      <input placeholder="任务内容" value={title} onChange={(e) => setTitle(e.target.value)} data-testid="addtask-title" />
      <DateInput withTime value={deadline} onChange={setDeadline} ariaLabel="任务完成时限" />
      <button
        type="button"
        onClick={() =>
          void run(async () => {
            const d = fromLocalInput(deadline);
            const r = await call('whistle.addTask', { sessionId: s.id, unitId, title, deadline: d ?? 0 });
            setTitle('');
            return r;
          }, '任务已分配')
        }
        data-testid="addtask-submit"
      >
        分配任务
      </button>
    </div>
  );
}

function AddEntry({ s, run }: { s: WhistleDetail; run: Run }) {
  const [kind, setKind] = useState<WhistleEntryKind>('decision');
  const [text, setText] = useState('');
  return (
    <div className="ws-add ws-add-col">
      <select value={kind} onChange={(e) => setKind(e.target.value as WhistleEntryKind)} data-testid="entry-kind">
        <option value="decision">决定事项</option>
        <option value="minute">会议纪要</option>
      </select>
      <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="记录会商决定或纪要" data-testid="entry-text" />
      <button
        type="button"
        onClick={() =>
          void run(async () => {
            const r = await call('whistle.addEntry', { sessionId: s.id, kind, text });
            setText('');
            return r;
          }, '已记录')
        }
        data-testid="entry-submit"
      >
        记录
      </button>
    </div>
  );
}

function CloseSession({ s, run }: { s: WhistleDetail; run: Run }) {
  const [summary, setSummary] = useState('');
  const [reason, setReason] = useState('');
  // Summoned departments that never reported: ending without them needs a reason (the node checks too).
  const absent = s.depts.filter((d) => d.checkedInAt == null);
  return (
    <section className="card">
      <div className="card-head">
        <h3>结束吹哨报到</h3>
      </div>
      <div className="ws-add ws-add-col">
        <textarea rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="处置结果和后续安排" data-testid="close-summary" />
        {absent.length > 0 && (
          <>
            <div className="callout warn" data-testid="close-absent">
              {absent.map((d) => d.unitName).join('、')} 尚未报到。仍要结束，请说明原因。
            </div>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="未报到仍结束的原因（必填）" data-testid="close-reason" />
          </>
        )}
        <button
          type="button"
          className="danger-ghost"
          disabled={absent.length > 0 && reason.trim().length < 4}
          onClick={() => void run(() => call('whistle.close', { sessionId: s.id, summary, ...(absent.length ? { reason } : {}) }), '吹哨报到已结束')}
          data-testid="close-submit"
        >
          结束
        </button>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Meeting-room screen
