// Opening a whistle session (发起吹哨), from a ticket or on its own.

import { useEffect, useMemo, useState } from 'react';
import type { TicketDetail, UnitInfo } from '../../../shared/api/types';
import { STATUS_LABELS, URGENCIES, URGENCY_LABELS, type Urgency } from '../../../shared/domain/ticket';
import { call, errorMessage } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Field } from '../../components/Form';
import { serverNow } from '../../lib/format';
import { fromLocalInput, toLocalInput } from '../../lib/coordination';
import { useSubmit } from '../../lib/submit';
import { NO_ERRORS } from '../../lib/validation';
import { navigate, ticketPath, type Route } from '../../lib/router';
import { useReadySession } from '../../state/session';
import { useToast } from '../../state/toast';
import { whistlePath } from './paths';
import { WhistleDeptSuggestions } from '../../components/WhistleDeptSuggestions';
import { DateInput } from '../../components/DateInputs';

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
  const { submit: send, busy, errors, setErrors } = useSubmit(null, 'whistle.open');
  const err = errors.message;
  const setErr = (message: string) => setErrors({ ...NO_ERRORS, message });
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
      .catch((e) => setErrors({ ...NO_ERRORS, message: errorMessage(e) }));
  }, [ticketId, setErrors]);

  const toggle = (id: string) => {
    setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
    setTasks((t) => (t[id] !== undefined ? t : { ...t, [id]: '到场排查，提出处置意见并落实整改' }));
  };

  const submit = async () => {
    const rb = fromLocalInput(reportBy);
    const td = fromLocalInput(taskDeadline);
    if (rb == null) return setErr('请填写报到时限');
    if (td == null) return setErr('请填写任务完成时限');
    const s = await send({
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
    if (!s) return;
    toast.success(`已吹哨：${s.code}，已通知${s.departments}个部门报到`);
    navigate(whistlePath(s.id));
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
            <DateInput withTime value={reportBy} onChange={setReportBy} testId="ws-reportby" />
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
                <DateInput withTime value={taskDeadline} onChange={setTaskDeadline} testId="ws-task-deadline" />
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
