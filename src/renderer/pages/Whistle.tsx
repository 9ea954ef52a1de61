// 吹哨报到: the list of sessions, opening one (from a ticket or on its own), a session's page where
// departments report for duty and work their tasks, and the meeting-room screen (会商大屏).

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WhistleDetail, WhistleSummary, WhistleTask } from '../../shared/api/coordination';
import type { TicketDetail, UnitInfo } from '../../shared/api/types';
import { STATUS_LABELS, URGENCIES, URGENCY_LABELS, type Urgency } from '../../shared/domain/ticket';
import {
  WHISTLE_DEPT_STATE_LABELS,
  WHISTLE_ENTRY_LABELS,
  WHISTLE_STATUS_LABELS,
  WHISTLE_TASK_STATUS_LABELS,
  formatElapsed,
  isCheckedIn,
  type WhistleDeptState,
  type WhistleEntryKind,
} from '../../shared/domain/whistle';
import { call, errorMessage, isAuthError } from '../api/client';
import { DataTable } from '../components/DataTable';
import { Empty, Field, Spinner } from '../components/Form';
import { StatusPill } from '../components/StatusPill';
import { formatDateTime, formatShortDateTime, serverNow, syncClock } from '../lib/format';
import { formatHm, fromLocalInput, toLocalInput } from '../lib/coordination';
import { useNodeEvents, useTick } from '../lib/events';
import { useAction } from '../lib/action';
import { navigate, ticketPath, type Route } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import '../styles/coordination.css';
import { WhistleDeptSuggestions } from '../components/WhistleDeptSuggestions';

const whistlePath = (id: string) => `/whistle/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------------------------
// List

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

/** Units a whistle can summon: departments, enterprises and the street's own offices. */
function summonable(units: Iterable<UnitInfo>): UnitInfo[] {
  return [...units].filter((u) => u.kind !== 'community').sort((a, b) => a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code));
}

const KIND_LABELS: Record<string, string> = { department: '区/市职能部门', enterprise: '公用事业企业', street: '街道科室', community: '社区' };

export function WhistleNewPage({ route }: { route: Route }) {
  const { lookups } = useReadySession();
  const toast = useToast();
  const ticketId = route.query.get('ticket') ?? undefined;
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const now = serverNow();
  const [title, setTitle] = useState('');
  const [problem, setProblem] = useState('');
  const [place, setPlace] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('urgent');
  const [reportBy, setReportBy] = useState(toLocalInput(now + 3600_000));
  const [chosen, setChosen] = useState<string[]>([]);
  const [lead, setLead] = useState('');
  const [tasks, setTasks] = useState<Record<string, string>>({});
  const [taskDeadline, setTaskDeadline] = useState(toLocalInput(now + 4 * 3600_000));
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const units = useMemo(() => summonable(lookups.units.values()), [lookups]);

  useEffect(() => {
    if (!ticketId) return;
    void call('tickets.get', { id: ticketId })
      .then((d) => {
        setTicket(d);
        setProblem(d.ticket.description);
        setPlace(d.ticket.address);
        setTitle(d.ticket.description.replace(/[，。,.].*$/, '').slice(0, 40));
        if (d.ticket.urgency !== 'normal') setUrgency(d.ticket.urgency);
      })
      .catch((e) => setErr(errorMessage(e)));
  }, [ticketId]);

  const toggle = (id: string) => {
    setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
    setTasks((t) => (t[id] !== undefined ? t : { ...t, [id]: '到场排查，提出处置意见并落实整改' }));
  };

  const submit = async () => {
    setErr(null);
    const rb = fromLocalInput(reportBy);
    const td = fromLocalInput(taskDeadline);
    if (rb == null) return setErr('请填写报到时限');
    if (td == null) return setErr('请填写任务完成时限');
    setBusy(true);
    try {
      const s = await call('whistle.open', {
        title,
        problem,
        urgency,
        place,
        ticketId,
        unitIds: chosen,
        leadUnitId: lead || undefined,
        reportBy: rb,
        tasks: chosen.filter((u) => (tasks[u] ?? '').trim()).map((u) => ({ unitId: u, title: tasks[u]!.trim(), deadline: td })),
      });
      toast.success(`已吹哨：${s.code}，已通知${s.departments}个部门报到`);
      navigate(whistlePath(s.id));
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const byKind = new Map<string, UnitInfo[]>();
  for (const u of units) byKind.set(u.kind, [...(byKind.get(u.kind) ?? []), u]);

  return (
    <div className="page" data-testid="whistle-new-page">
      <a href={ticketId ? `#${ticketPath(ticketId)}` : '#/whistle'} className="back-link">
        ‹ {ticketId ? '返回工单' : '返回吹哨报到'}
      </a>
      <div className="page-head">
        <h2>发起吹哨报到</h2>
        {ticket && (
          <span className="muted">
            关联工单 <span className="mono">{ticket.ticket.code}</span> · {STATUS_LABELS[ticket.ticket.status]}
          </span>
        )}
      </div>
      <section className="card form-card">
        <div className="form-grid">
          <Field label="事项名称" required>
            <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="ws-title" />
          </Field>
          <Field label="地点" required>
            <input value={place} onChange={(e) => setPlace(e.target.value)} data-testid="ws-place" />
          </Field>
          <Field label="问题描述" required wide>
            <textarea rows={3} value={problem} onChange={(e) => setProblem(e.target.value)} data-testid="ws-problem" />
          </Field>
          <Field label="紧急程度" required>
            <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)} data-testid="ws-urgency">
              {URGENCIES.map((u) => (
                <option key={u} value={u}>
                  {URGENCY_LABELS[u]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="报到时限" required hint="各部门须在此时间前到场或线上报到">
            <input type="datetime-local" value={reportBy} onChange={(e) => setReportBy(e.target.value)} data-testid="ws-reportby" />
          </Field>
        </div>
        <div className="sub-title">召集部门（勾选后可填写分配给该部门的任务）</div>
        <WhistleDeptSuggestions title={title} problem={problem} chosen={chosen} codeOf={(id) => lookups.units.get(id)?.code ?? id} onAdd={toggle} />
        <div className="ws-units" data-testid="ws-units">
          {[...byKind.entries()].map(([kind, list]) => (
            <div key={kind} className="ws-unit-group">
              <div className="muted small">{KIND_LABELS[kind] ?? kind}</div>
              {list.map((u) => (
                <label key={u.id} className={`ws-unit${chosen.includes(u.id) ? ' on' : ''}`}>
                  <input type="checkbox" checked={chosen.includes(u.id)} onChange={() => toggle(u.id)} data-testid={`ws-unit-${u.code}`} />
                  {u.name}
                </label>
              ))}
            </div>
          ))}
        </div>
        {chosen.length > 0 && (
          <>
            <div className="sub-title">任务分配</div>
            <DataTable rows={chosen} headers={['部门', '牵头', '任务（留空则不分配）']} className="mini-table ws-task-table">
              {(id) => {
                const u = lookups.units.get(id);
                return (
                  <tr key={id}>
                    <td>{u?.name ?? id}</td>
                    <td>
                      <input type="radio" name="lead" checked={lead === id} onChange={() => setLead(id)} data-testid={`ws-lead-${u?.code ?? id}`} />
                    </td>
                    <td>
                      <input className="ws-task-input" value={tasks[id] ?? ''} onChange={(e) => setTasks((t) => ({ ...t, [id]: e.target.value }))} data-testid={`ws-task-${u?.code ?? id}`} />
                    </td>
                  </tr>
                );
              }}
            </DataTable>
            <div className="form-row">
              <Field label="任务完成时限">
                <input type="datetime-local" value={taskDeadline} onChange={(e) => setTaskDeadline(e.target.value)} data-testid="ws-task-deadline" />
              </Field>
            </div>
            {ticket && <p className="muted small">选择牵头单位后，关联工单将派给牵头单位；牵头单位报到即签收，全部任务完成后由完成最后任务的牵头单位办结。</p>}
          </>
        )}
        {err && <div className="form-error" role="alert" data-testid="form-error">{err}</div>}
        <div className="form-actions">
          <button type="button" className="primary big" disabled={busy} onClick={() => void submit()} data-testid="form-submit">
            吹哨（通知{chosen.length}个部门）
          </button>
        </div>
      </section>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// A session

function useWhistle(id: string) {
  const [s, setS] = useState<WhistleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const d = await call('whistle.get', { id });
      syncClock(d.now);
      setS(d);
      setError(null);
    } catch (e) {
      if (!isAuthError(e)) setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useNodeEvents(['whistle.changed'], () => void load(), { debounceMs: 50, filter: (e) => e.type === 'whistle.changed' && e.id === id });
  return { s, setS, error, load };
}

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

type Run = (fn: () => Promise<WhistleDetail>, ok: string) => Promise<void>;

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
      <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
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
  return (
    <section className="card">
      <div className="card-head">
        <h3>结束吹哨报到</h3>
      </div>
      <div className="ws-add ws-add-col">
        <textarea rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="处置结果和后续安排" data-testid="close-summary" />
        <button type="button" className="danger-ghost" onClick={() => void run(() => call('whistle.close', { sessionId: s.id, summary }), '吹哨报到已结束')} data-testid="close-submit">
          结束
        </button>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Meeting-room screen

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
