// 运行模式: the mode in force (who switched it, until when), what it requires today — the zero report
// by its hour, key-place patrols, the duty roster — and the switch for leaders. The banner at the
// top of the dashboard is the same status in one line.

import { useCallback, useState } from 'react';
import type { RunModePreview, RunModeStatus } from '../../shared/api/coordination';
import { RUN_MODE_SOURCE_LABELS, ZERO_REPORT_STATE_LABELS } from '../../shared/domain/runMode';
import { RUN_MODE_LABELS, RUN_MODES, type RunMode } from '../../shared/domain/ticket';
import { call, errorMessage } from '../api/client';
import { DataTable } from '../components/DataTable';
import { Empty, Field, Spinner } from '../components/Form';
import { formatDateTime, formatShortDateTime, syncClock } from '../lib/format';
import { formatHm, fromLocalInput } from '../lib/coordination';
import { useTick } from '../lib/events';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';
import { useAction } from '../lib/action';
import { useReadySession } from '../state/session';
import { DateInput } from '../components/DateInputs';

const RUN_MODE_EVENTS: LiveEvents = { on: ['runMode.changed', 'settings.changed'], debounceMs: 200 };

function useRunModeStatus() {
  const { data: st, error, set: setSt, reload: load } = useLiveQuery(
    useCallback(async () => {
      const s = await call('runMode.status', {});
      syncClock(s.now);
      return s;
    }, []),
    RUN_MODE_EVENTS,
  );
  useTick(60_000);
  return { st, setSt, error, load };
}

/** One line on the dashboard: the mode and what it asks of the center today. */
export function RunModeBanner() {
  const { st } = useRunModeStatus();
  if (!st) return null;
  const zr = st.zeroReport;
  const dayDuty = st.duty.filter((d) => d.shift === 'day');
  return (
    <a href="#/runmode" className={`rm-banner rm-${st.mode}`} data-testid="runmode-banner" data-mode={st.mode}>
      <span className="rm-banner-mode">{RUN_MODE_LABELS[st.mode]}</span>
      {st.current && (
        <span className="rm-banner-item">
          {formatShortDateTime(st.current.start)} 起{st.current.end ? ` 至 ${formatShortDateTime(st.current.end)}` : ''} · {RUN_MODE_SOURCE_LABELS[st.current.source]}
        </span>
      )}
      {st.requirements.zeroReportDue ? (
        <span className={`rm-banner-item rm-zr-${zr.state}`} data-testid="banner-zero-report">
          零报告 {st.requirements.zeroReportDue} 前报送 · {ZERO_REPORT_STATE_LABELS[zr.state]}
        </span>
      ) : (
        <span className="rm-banner-item">按工作日历计时，无需零报告</span>
      )}
      {st.requirements.patrolEveryHours != null && (
        <span className={`rm-banner-item${st.patrolsDue ? ' rm-warn' : ''}`} data-testid="banner-patrols">
          重点部位待巡查 {st.patrolsDue}/{st.patrols.length}（每{st.requirements.patrolEveryHours}小时）
        </span>
      )}
      <span className="rm-banner-item" data-testid="banner-duty">
        今日值班：{dayDuty.length ? dayDuty.map((d) => `${d.post} ${d.name}`).join('、') : '未排班'}
      </span>
    </a>
  );
}

export function RunModePage() {
  const { user } = useReadySession();
  const { st, setSt, error } = useRunModeStatus();
  // Nothing preselected: the leader chooses, sees what the switch will do, then confirms.
  const [mode, setMode] = useState<RunMode | ''>('');
  const [preview, setPreview] = useState<RunModePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const [zrKind, setZrKind] = useState<'nothing' | 'incidents'>('nothing');
  const [zrText, setZrText] = useState('');
  const [zrCount, setZrCount] = useState(1);
  const [duty, setDuty] = useState({ date: '', shift: 'day' as 'day' | 'night', post: '值班员', name: '', phone: '' });
  const isLeader = user.role === 'leader';
  const isStaff = user.role === 'leader' || user.role === 'operator';
  const { run: act } = useAction<RunModeStatus>(setSt);
  if (!st) return <div className="page">{error ? <div className="callout error">{error}</div> : <Spinner />}</div>;
  const zr = st.zeroReport;
  return (
    <div className="page" data-testid="runmode-page" data-mode={st.mode}>
      <div className="page-head">
        <div>
          <h2>运行模式</h2>
          <p className="muted">日常、节假日、重大活动、应急四种模式：时限、督办、巡查、值班和零报告随模式调整</p>
        </div>
      </div>
      <div className={`rm-hero rm-${st.mode}`}>
        <div className="rm-hero-mode" data-testid="rm-mode">
          {RUN_MODE_LABELS[st.mode]}
        </div>
        <div className="rm-hero-sub">
          {st.current
            ? `${formatDateTime(st.current.start)} 起${st.current.end ? `，至 ${formatDateTime(st.current.end)}` : ''} · ${st.current.byName}（${RUN_MODE_SOURCE_LABELS[st.current.source]}）${st.current.note ? ` · ${st.current.note}` : ''}`
            : '未设定期限'}
        </div>
      </div>
      <div className="rm-grid">
        <section className="card" data-testid="rm-zero-report">
          <div className="card-head">
            <h3>今日零报告（{st.today}）</h3>
            <span className={`rm-zr rm-zr-${zr.state}`} data-testid="zr-state" data-state={zr.state}>
              {ZERO_REPORT_STATE_LABELS[zr.state]}
            </span>
          </div>
          {zr.dueAt != null &&
            (zr.state === 'firstDay' ? (
              <p data-testid="zr-first-day">今日为切换首日，首份零报告须于 {formatDateTime(zr.dueAt)} 前报送。</p>
            ) : zr.report ? (
              <p>应于 {formatHm(zr.dueAt)} 前报送。</p>
            ) : (
              <p>须于今日 {formatHm(zr.dueAt)} 前报送。</p>
            ))}
          {zr.report ? (
            <p className="description">
              {zr.report.kind === 'nothing' ? '无事件' : `事件 ${zr.report.incidents} 起`}：{zr.report.text}
              <span className="muted small">
                {' '}
                · {zr.report.byName} {formatHm(zr.report.at)} 报送{zr.report.late ? '（逾期）' : ''}
              </span>
            </p>
          ) : isStaff && st.requirements.zeroReportDue ? (
            <div className="ws-add ws-add-col">
              <div className="seg">
                <button type="button" className={zrKind === 'nothing' ? 'on' : ''} onClick={() => setZrKind('nothing')} data-testid="zr-nothing">
                  无事件（零报告）
                </button>
                <button type="button" className={zrKind === 'incidents' ? 'on' : ''} onClick={() => setZrKind('incidents')} data-testid="zr-incidents">
                  有事件
                </button>
              </div>
              {zrKind === 'incidents' && <input type="number" min={1} value={zrCount} onChange={(e) => setZrCount(Number(e.target.value))} />}
              <textarea rows={2} value={zrText} onChange={(e) => setZrText(e.target.value)} placeholder={zrKind === 'nothing' ? '可不填：默认“今日无突发事件、无安全隐患”' : '事件情况'} />
              <button type="button" className="primary" onClick={() => void act(() => call('runMode.zeroReport', { kind: zrKind, text: zrText, incidents: zrKind === 'incidents' ? zrCount : 0 }), '零报告已报送')} data-testid="zr-submit">
                报送
              </button>
            </div>
          ) : (
            <Empty>{st.requirements.zeroReportDue ? '尚未报送' : '日常模式无需零报告'}</Empty>
          )}
        </section>

        {isLeader && (
          <section className="card" data-testid="rm-switch">
            <div className="card-head">
              <h3>切换运行模式</h3>
            </div>
            <div className="form-grid">
              <Field label="模式">
                <select
                  value={mode}
                  onChange={(e) => {
                    setMode(e.target.value as RunMode | '');
                    setPreview(null);
                  }}
                  data-testid="rm-mode-select"
                >
                  <option value="">请选择（当前：{RUN_MODE_LABELS[st.mode]}）</option>
                  {RUN_MODES.filter((m) => m !== st.mode).map((m) => (
                    <option key={m} value={m}>
                      {RUN_MODE_LABELS[m]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="结束时间" hint="到时自动恢复日常模式；留空则手动恢复">
                <DateInput withTime value={end} onChange={setEnd} testId="rm-end" />
              </Field>
              <Field label="说明" wide>
                <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="如：寒潮蓝色预警" data-testid="rm-note" />
              </Field>
            </div>
            {previewError && <div className="callout error">{previewError}</div>}
            {preview && mode && <SwitchPreview p={preview} />}
            <div className="form-actions">
              {!preview ? (
                <button
                  type="button"
                  className="primary"
                  data-testid="rm-switch-submit"
                  disabled={!mode}
                  onClick={() => {
                    if (!mode) return;
                    setPreviewError(null);
                    call('runMode.preview', { mode })
                      .then(setPreview)
                      .catch((e) => setPreviewError(errorMessage(e)));
                  }}
                >
                  预览切换
                </button>
              ) : (
                <>
                  <button type="button" onClick={() => setPreview(null)} data-testid="rm-switch-cancel">
                    取消
                  </button>
                  <button
                    type="button"
                    className="primary"
                    data-testid="rm-switch-confirm"
                    onClick={() => {
                      if (!mode) return;
                      const e = end ? fromLocalInput(end) : null;
                      setPreview(null);
                      setMode('');
                      void act(() => call('runMode.switch', { mode, ...(e != null ? { end: e } : {}), note: note || undefined }), `已切换为${RUN_MODE_LABELS[mode]}`);
                    }}
                  >
                    确认切换为{mode && RUN_MODE_LABELS[mode]}
                  </button>
                </>
              )}
            </div>
          </section>
        )}

        <section className="card" data-testid="rm-patrols">
          <div className="card-head">
            <h3>重点部位巡查</h3>
            <span className="muted small">{st.requirements.patrolEveryHours != null ? `每${st.requirements.patrolEveryHours}小时巡查一次 · 待巡查 ${st.patrolsDue}` : '日常模式按常规巡查'}</span>
          </div>
          <DataTable rows={st.patrols} headers={['部位', '类型', '最近巡查', '今日', '']} empty="未设置重点部位" className="mini-table">
            {(p) => (
              <tr key={p.id} className={p.due ? 'rm-due' : ''}>
                <td>
                  {p.name}
                  <div className="muted small">{p.address}</div>
                </td>
                <td>{p.kind}</td>
                <td>
                  {p.lastAt ? `${formatShortDateTime(p.lastAt)} ${p.lastBy ?? ''}${p.lastOk === false ? '（有异常）' : ''}` : '—'}
                  {p.due && <span className="red small"> 待巡查</span>}
                </td>
                <td>{p.checkinsToday}</td>
                <td>
                  {user.role !== 'unit' && (
                    <button type="button" className="small-btn" onClick={() => void act(() => call('runMode.patrol', { placeId: p.id, ok: true }), `${p.name} 已打卡`)}>
                      巡查打卡
                    </button>
                  )}
                </td>
              </tr>
            )}
          </DataTable>
        </section>

        <section className="card" data-testid="rm-roster">
          <div className="card-head">
            <h3>值班表（近7日）</h3>
          </div>
          <DataTable rows={st.roster} headers={['日期', '班次', '岗位', '姓名', '电话']} className="mini-table">
            {(d) => (
              <tr key={d.id} className={d.date === st.today ? 'rm-today' : ''}>
                <td>{d.date}</td>
                <td>{d.shift === 'day' ? '白班' : '夜班'}</td>
                <td>{d.post}</td>
                <td>{d.name}</td>
                <td>{d.phone ?? '—'}</td>
              </tr>
            )}
          </DataTable>
          {isStaff && (
            <div className="ws-add">
              <DateInput value={duty.date} onChange={(date) => setDuty({ ...duty, date })} ariaLabel="值班日期" />
              <select value={duty.shift} onChange={(e) => setDuty({ ...duty, shift: e.target.value as 'day' | 'night' })}>
                <option value="day">白班</option>
                <option value="night">夜班</option>
              </select>
              <input placeholder="岗位" value={duty.post} onChange={(e) => setDuty({ ...duty, post: e.target.value })} />
              <input placeholder="姓名" value={duty.name} onChange={(e) => setDuty({ ...duty, name: e.target.value })} />
              <input placeholder="电话" value={duty.phone} onChange={(e) => setDuty({ ...duty, phone: e.target.value })} />
              <button type="button" onClick={() => void act(() => call('runMode.setDuty', { ...duty, phone: duty.phone || undefined }), '已排班')}>
                排班
              </button>
            </div>
          )}
        </section>

        <section className="card">
          <div className="card-head">
            <h3>模式切换记录</h3>
          </div>
          <DataTable rows={st.history} headers={['模式', '开始', '结束', '来源', '操作人']} empty="暂无切换记录" className="mini-table">
            {(p) => (
              <tr key={p.id}>
                <td>{RUN_MODE_LABELS[p.mode]}</td>
                <td>{formatShortDateTime(p.start)}</td>
                <td>{p.end ? formatShortDateTime(p.end) : '—'}</td>
                <td>{RUN_MODE_SOURCE_LABELS[p.source]}</td>
                <td>{p.byName}</td>
              </tr>
            )}
          </DataTable>
        </section>

        <section className="card">
          <div className="card-head">
            <h3>零报告记录</h3>
          </div>
          <DataTable rows={st.reports} headers={['日期', '模式', '内容', '报送']} empty="暂无零报告" className="mini-table">
            {(r) => (
              <tr key={r.id}>
                <td>{r.date}</td>
                <td>{RUN_MODE_LABELS[r.mode]}</td>
                <td className="cell-wrap">{r.kind === 'nothing' ? '零报告' : `事件${r.incidents}起`}：{r.text}</td>
                <td>
                  {r.byName} {formatHm(r.at)}
                  {r.late && <span className="red small"> 逾期</span>}
                </td>
              </tr>
            )}
          </DataTable>
        </section>
      </div>
    </div>
  );
}

/** What a switch will do, shown before the leader confirms it. */
function SwitchPreview({ p }: { p: RunModePreview }) {
  const clock = (natural: boolean) => (natural ? '自然时间' : '工作时间');
  const tighter = p.deadlines.factor !== p.deadlines.previousFactor || p.deadlines.naturalTime !== p.deadlines.previousNaturalTime;
  return (
    <div className="callout rm-preview" data-testid="rm-preview">
      <strong>
        {RUN_MODE_LABELS[p.from]} → {RUN_MODE_LABELS[p.to]}，确认后生效：
      </strong>
      <ul>
        <li data-testid="rm-preview-deadlines">
          新受理工单时限：{tighter ? `按目录时限 ×${p.deadlines.factor}（${clock(p.deadlines.naturalTime)}），原为 ×${p.deadlines.previousFactor}（${clock(p.deadlines.previousNaturalTime)}）` : '不变'}；已有工单的时限不变。
        </li>
        <li data-testid="rm-preview-escalations">
          已超期在办 {p.overdueOpen} 件：新的督办阈值从切换时起计时，切换时立即升级 {p.escalateAtOnce} 件；24小时内将升级 {p.escalationsWithin24h} 件
          {p.escalations.length > 0 && `（最早 ${p.escalations[0]!.code} 于 ${formatDateTime(p.escalations[0]!.at)} 升为${p.escalations[0]!.toLevel}级）`}。
        </li>
        <li data-testid="rm-preview-zero-report">
          {p.firstZeroReportDue != null ? `零报告：每日 ${p.zeroReportHour} 前报送，首份须于 ${formatDateTime(p.firstZeroReportDue)} 前报送。` : '无需零报告。'}
          {p.patrolEveryHours != null ? ` 重点部位每${p.patrolEveryHours}小时巡查一次。` : ''}
        </li>
        {p.undoesEscalations && <li data-testid="rm-preview-undo">切换后{p.graceMinutes}分钟内切回：将撤销上次切换造成的自动督办升级，并在工单时间线中注明。</li>}
      </ul>
    </div>
  );
}
