// 督办看板: overdue and at-risk tickets by unit and level, how long, who was reminded when; leaders
// supervise by hand (level, note, new deadline). Updates live as the node escalates.

import { useCallback, useMemo, useState } from 'react';
import type { SupervisionRecordInfo, SupervisionRow } from '../../shared/api/coordination';
import { SUPERVISION_KIND_LABELS, SUPERVISION_LEVEL_NAMES, clockOf } from '../../shared/domain/supervision';
import { formatDuration } from '../../shared/domain/duration';
import { RUN_MODE_LABELS, STATUS_LABELS } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { Empty, Field, Spinner } from '../components/Form';
import { Modal } from '../components/Modal';
import { formatDateTime, formatShortDateTime, serverNow, syncClock } from '../lib/format';
import { formatHm, fromLocalInput, toLocalInput } from '../lib/coordination';
import { useTick } from '../lib/events';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';
import { useSubmit } from '../lib/submit';
import { NO_ERRORS } from '../lib/validation';
import { ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import { DateInput } from '../components/DateInputs';
import { SignInTimeliness } from './SupervisionSignIns';

const LEVEL_TEXT: Record<number, string> = { 0: '未督办', 1: '一级 · 街道', 2: '二级 · 区级', 3: '三级 · 市级', 4: '四级 · 纪检监察' };

export function LevelTag({ level }: { level: number }) {
  return (
    <span className={`sv-level sv-level-${level}`} data-level={level}>
      {LEVEL_TEXT[level] ?? level}
    </span>
  );
}

const BOARD_EVENTS: LiveEvents = { on: ['supervision.changed', 'ticket.changed', 'settings.changed'], debounceMs: 400 };

export function SupervisionPage() {
  const { user, lookups } = useReadySession();
  const [level, setLevel] = useState<number | undefined>(undefined);
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<string | null>(null);
  const [supervising, setSupervising] = useState<SupervisionRow | null>(null);
  useTick(30_000);

  const { data: board, error: loadError, reload: load } = useLiveQuery(
    useCallback(async () => {
      const b = await call('supervision.board', { level, unitId });
      syncClock(b.now);
      return b;
    }, [level, unitId]),
    BOARD_EVENTS,
  );
  const check = useSubmit(null, 'supervision.run');
  const error = loadError ?? check.errors.message;

  const unitName = (id: string | null) => (id ? (lookups.units.get(id)?.name ?? id) : '街道城运中心（未派单）');
  const totals = useMemo(() => {
    const t = { overdue: 0, dueSoon: 0, byLevel: [0, 0, 0, 0, 0] };
    for (const u of board?.units ?? []) {
      t.overdue += u.overdue;
      t.dueSoon += u.dueSoon;
      u.byLevel.forEach((n, i) => (t.byLevel[i]! += n));
    }
    return t;
  }, [board]);
  const now = serverNow();

  return (
    <div className="page" data-testid="supervision-page">
      <div className="page-head">
        <div>
          <h2>督办看板</h2>
          <p className="muted">
            超期和即将超期的工单，按单位和督办级别；{board ? `当前按“${RUN_MODE_LABELS[board.mode]}”规则升级` : ''}
          </p>
        </div>
        {user.role !== 'unit' && (
          <button type="button" onClick={() => void check.submit({}).then((r) => r && load())} data-testid="supervision-run">
            立即检查
          </button>
        )}
      </div>
      {error && <div className="callout error">{error}</div>}
      {!board ? (
        <Spinner />
      ) : (
        <>
          <div className="cards sv-cards">
            <button type="button" className={`stat-card tone-red${level === undefined ? ' sv-active' : ''}`} onClick={() => setLevel(undefined)}>
              <span className="stat-label">已超期</span>
              <span className="stat-value" data-testid="sv-overdue">{totals.overdue}</span>
              <span className="stat-hint">即将超期 {totals.dueSoon}</span>
            </button>
            {[1, 2, 3, 4].map((l) => (
              <button key={l} type="button" className={`stat-card sv-card-${l}${level === l ? ' sv-active' : ''}`} onClick={() => setLevel(level === l ? undefined : l)} data-testid={`sv-filter-${l}`}>
                <span className="stat-label">{SUPERVISION_LEVEL_NAMES[l as 1 | 2 | 3 | 4]}</span>
                <span className="stat-value">{totals.byLevel[l]}</span>
                <span className="stat-hint">{l}级督办</span>
              </button>
            ))}
          </div>
          <div className="sv-cols">
            <section className="card sv-units">
              <div className="card-head">
                <h3>按单位</h3>
                {unitId && (
                  <button type="button" className="link-btn" onClick={() => setUnitId(undefined)}>
                    全部单位
                  </button>
                )}
              </div>
              <DataTable rows={board.units} headers={['单位', '超期', '临期']} empty="没有超期或即将超期的工单" className="mini-table" testId="sv-units">
                {(u) => (
                  <tr
                    key={u.unitId ?? '-'}
                    className={`clickable${unitId === u.unitId ? ' sv-selected' : ''}`}
                    title={u.maxOverdueMinutes ? `最长超期 ${formatDuration(u.maxOverdueMinutes)}` : undefined}
                    onClick={() => u.unitId && setUnitId(u.unitId)}
                  >
                    <td className="cell-wrap">{unitName(u.unitId)}</td>
                    <td className="num red">{u.overdue}</td>
                    <td className="num">{u.dueSoon}</td>
                  </tr>
                )}
              </DataTable>
            </section>
            <section className="card sv-rows">
              <div className="card-head">
                <h3>督办工单</h3>
                <span className="muted small">
                  {board.rows.length} 件{board.truncated ? '（仅显示最紧急的部分）' : ''}
                </span>
              </div>
              {board.rows.length === 0 ? (
                <Empty>没有符合条件的工单</Empty>
              ) : (
                <div className="sv-scroll">
                  <DataTable rows={board.rows} headers={['编号', '督办级别', '问题', '责任单位', '办结时限', '超期时长 / 下次升级', '提醒', '']} className="mini-table sv-table" testId="sv-rows">
                    {(r) => (
                      <RowView
                        key={r.ticketId}
                        r={r}
                        now={now}
                        unitName={unitName(r.unitId)}
                        open={open === r.ticketId}
                        onToggle={() => setOpen(open === r.ticketId ? null : r.ticketId)}
                        canSupervise={user.role === 'leader'}
                        onSupervise={() => setSupervising(r)}
                      />
                    )}
                  </DataTable>
                </div>
              )}
            </section>
          </div>
          <SignInTimeliness />
        </>
      )}
      {supervising && (
        <SuperviseDialog
          row={supervising}
          onClose={() => setSupervising(null)}
          onDone={() => {
            setSupervising(null);
            void load();
          }}
        />
      )}
    </div>
  );
}

function RowView({ r, now, unitName, open, onToggle, canSupervise, onSupervise }: { r: SupervisionRow; now: number; unitName: string; open: boolean; onToggle: () => void; canSupervise: boolean; onSupervise: () => void }) {
  return (
    <>
      <tr className={`sv-row sv-${r.state}`} data-testid={`sv-row-${r.code}`} data-level={r.level} data-state={r.state}>
        <td className="mono">
          <a href={`#${ticketPath(r.ticketId)}`}>{r.code}</a>
        </td>
        <td>
          <LevelTag level={r.level} />
        </td>
        <td className="sv-desc" title={r.description}>
          <div className="sv-desc-text">{r.description}</div>
          <div className="muted small">
            {r.categoryPath ?? '未分类'} · {STATUS_LABELS[r.status]}
          </div>
        </td>
        <td className="cell-wrap">{unitName}</td>
        <td>{formatShortDateTime(r.resolveDeadline)}</td>
        <td data-testid="sv-overdue-for">
          <span className={r.state === 'overdue' ? 'red' : 'orange'}>
            {r.state === 'overdue'
              ? `${formatDuration(r.overdueNaturalMinutes)}${r.clock === 'working' ? `（计 ${formatDuration(r.overdueMinutes, 'working')}）` : ''}`
              : `剩余 ${formatDuration((r.resolveDeadline - now) / 60_000)}`}
          </span>
          <div className="muted small">{r.nextEscalationAt ? `${formatShortDateTime(r.nextEscalationAt)} 升级` : '已最高级'}</div>
        </td>
        <td>
          <button type="button" className="link-btn" onClick={onToggle} data-testid="sv-history-toggle">
            {r.reminders} 次
          </button>
          {r.lastReminder && <div className="muted small">{formatShortDateTime(r.lastReminder.at)}</div>}
        </td>
        <td>
          {canSupervise && (
            <button type="button" className="small-btn" onClick={onSupervise} data-testid="sv-supervise">
              督办
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="sv-history-row">
          <td colSpan={8}>
            <History ticketId={r.ticketId} />
          </td>
        </tr>
      )}
    </>
  );
}

function History({ ticketId }: { ticketId: string }) {
  const { data: recs } = useLiveQuery(
    useCallback(() => call('supervision.history', { ticketId }).catch((): SupervisionRecordInfo[] => []), [ticketId]),
    null,
  );
  const { lookups } = useReadySession();
  if (!recs) return <Spinner />;
  return (
    <DataTable rows={recs} headers={['时间', '类型', '级别', '责任单位', '当时超期', '提醒对象', '经办/意见']} empty="暂无督办记录" className="mini-table sv-history" testId="sv-history">
      {(h) => (
        <tr key={h.id}>
          <td>{formatDateTime(h.at)}</td>
          <td>{SUPERVISION_KIND_LABELS[h.kind]}</td>
          <td>{h.level ? <LevelTag level={h.level} /> : '—'}</td>
          <td className="cell-wrap">{h.unitId ? (lookups.units.get(h.unitId)?.name ?? h.unitId) : '街道城运中心'}</td>
          <td>{h.overdueMinutes ? formatDuration(h.overdueMinutes, clockOf(h.runMode)) : '—'}</td>
          <td className="cell-wrap">{h.notified.join('、')}</td>
          <td className="cell-wrap">
            {h.byName}
            {h.note ? `：${h.note}` : ''}
            {h.newDeadline ? `（新时限 ${formatDateTime(h.newDeadline)}）` : ''}
          </td>
        </tr>
      )}
    </DataTable>
  );
}

function SuperviseDialog({ row, onClose, onDone }: { row: SupervisionRow; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [level, setLevel] = useState(Math.max(1, Math.min(4, row.level + 1)));
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState('');
  const { submit: send, busy, errors, setErrors } = useSubmit(null, 'supervision.supervise');
  const err = errors.message;
  const submit = async () => {
    const nd = deadline ? fromLocalInput(deadline) : null;
    if (deadline && nd == null) return setErrors({ ...NO_ERRORS, message: '新时限格式不正确' });
    if (!(await send({ ticketId: row.ticketId, level, note, ...(nd != null ? { newDeadline: nd } : {}) }))) return;
    toast.success(`已对 ${row.code} ${level}级督办`);
    onDone();
  };
  return (
    <Modal title={`督办 ${row.code}`} onClose={onClose} testId="dialog-sv">
      <div className="form-grid">
        <Field label="督办级别" required>
          <select value={level} onChange={(e) => setLevel(Number(e.target.value))} data-testid="sv-level">
            {[1, 2, 3, 4].map((l) => (
              <option key={l} value={l}>
                {l}级 · {SUPERVISION_LEVEL_NAMES[l as 1 | 2 | 3 | 4]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="新的办结时限" hint={`当前 ${formatDateTime(row.resolveDeadline)}（${formatHm(row.resolveDeadline)}）`}>
          <DateInput withTime value={deadline} min={toLocalInput(serverNow())} onChange={setDeadline} testId="sv-deadline" />
        </Field>
        <Field label="督办意见" required wide>
          <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="sv-note" placeholder="如：群众反映强烈，请于明日12时前办结并反馈" />
        </Field>
      </div>
      {err && <div className="form-error" data-testid="form-error">{err}</div>}
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          取消
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()} data-testid="form-submit">
          确认督办
        </button>
      </div>
    </Modal>
  );
}

