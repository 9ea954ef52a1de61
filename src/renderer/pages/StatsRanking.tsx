// 统计分析 › 排名: the 三维评价 of units, communities and grids for a month (scores defined in
// src/shared/stats/ranking.ts). Each row opens its explanation: every item names a figure, and its
// count links to the ticket list filtered by that figure, the month and the entity (the list's own
// filters), so a unit sees exactly which tickets cost it points. Leaders enter 绩效刚性评 here.

import { Fragment, useCallback, useState } from 'react';
import type { RankingRow, RankingView } from '../../shared/api/stats';
import { RANKING_KINDS, RANKING_KIND_LABELS, type RankingKind, type RankingRules, type ScoreItem } from '../../shared/stats/ranking';
import { addMonths } from '../../shared/stats/period';
import { call, errorMessage } from '../api/client';
import { Spinner } from '../components/Form';
import { figureHref } from '../lib/filters';
import { formatDateTime, serverNow, toDateInput } from '../lib/format';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';

/** A month still open moves with its tickets; rules and entered scores change it too. */
const RANKING_EVENTS: LiveEvents = { on: ['ticket.changed', 'settings.changed'], debounceMs: 3000 };

const SCORE_LABELS: Record<ScoreItem['score'], string> = { system: '系统自动评', public: '群众参与评', performance: '绩效刚性评' };
const score = (v: number | null) => (v == null ? '—' : v.toFixed(1));
const monthLabel = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5))}月`;

function Movement({ row }: { row: RankingRow }) {
  if (row.rank == null) return <span className="muted">未排名</span>;
  if (row.previousRank == null) return <span className="mv mv-new" title="上月未参与排名">新</span>;
  const d = row.previousRank - row.rank;
  if (d === 0) return <span className="mv" title={`上月第${row.previousRank}名`}>—</span>;
  return (
    <span className={`mv ${d > 0 ? 'mv-up' : 'mv-down'}`} title={`上月第${row.previousRank}名`}>
      {d > 0 ? `↑${d}` : `↓${-d}`}
    </span>
  );
}

function ScoreForm({ row, view, onSaved }: { row: RankingRow; view: RankingView; onSaved: () => void }) {
  const toast = useToast();
  const [value, setValue] = useState(row.performanceEntry ? String(row.performanceEntry.score) : '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) return setError('请输入0到100之间的分数');
    if (reason.trim().length < 2) return setError('请填写评分理由（至少2个字）');
    setBusy(true);
    try {
      await call('stats.performanceScore', { kind: view.kind, entityId: row.key, month: view.month, score: n, reason });
      toast.success(`已录入${row.name}${monthLabel(view.month)}绩效刚性评 ${n} 分（已记入审计日志）`);
      setReason('');
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="perf-form"
      data-testid="perf-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        绩效刚性评
        <input type="number" min={0} max={100} step={0.5} value={value} onChange={(e) => setValue(e.target.value)} data-testid="perf-score" aria-label="绩效刚性评分数" />
        分
      </label>
      <input className="perf-reason" type="text" maxLength={200} placeholder="评分理由（必填，记入审计日志）" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="perf-reason" aria-label="评分理由" />
      <button type="submit" className="primary" disabled={busy} data-testid="perf-save">
        {busy ? '正在保存…' : '保存评分'}
      </button>
      {error && <span className="field-error" data-testid="perf-error">{error}</span>}
    </form>
  );
}

function Explanation({ row, view, onSaved }: { row: RankingRow; view: RankingView; onSaved: () => void }) {
  const period = { from: `${view.month}-01`, to: addMonths(`${view.month}-01`, 1) };
  const groups = (['system', 'public', 'performance'] as const).map((s) => ({ s, items: row.items.filter((i) => i.score === s) }));
  return (
    <div className="rank-explain" data-testid="rank-explain">
      {row.correction && (
        <p className="callout warn small" data-testid="rank-correction">
          更正：本月排名已于 {view.frozenAt ? formatDateTime(view.frozenAt) : '月末'} 冻结（总分 {score(row.total)}，第{row.rank ?? '—'}名）。之后工单或评分有变化，按现在的数据重算为：系统自动评 {score(row.correction.system)}、群众参与评 {score(row.correction.public)}、绩效刚性评 {score(row.correction.performance)}、总分 {score(row.correction.total)}（第{row.correction.rank ?? '—'}名）。下列明细按现在的数据列出。
        </p>
      )}
      <div className="rank-explain-cols">
        {groups.map(({ s, items }) => (
          <div key={s} className="rank-explain-col">
            <h4>{SCORE_LABELS[s]}</h4>
            {items.length === 0 ? (
              <p className="muted small">
                {s === 'system' ? '本月没有首次派单或首次办结的工单，不计分。' : s === 'public' ? '本月没有回访，不计分。' : view.mayEnter ? '尚未录入。' : '街道领导尚未录入。'}
              </p>
            ) : (
              <ul>
                {items.map((i) => (
                  <li key={i.label} className={i.points < 0 ? 'lost' : ''}>
                    {i.figure ? (
                      <a href={figureHref(i.figure, period, row.filter)} className="num-link" data-testid={`explain-${i.figure}${i.points < 0 ? '-lost' : ''}`} data-count={i.count} title={`查看这${i.count}件工单`}>
                        {i.label}
                      </a>
                    ) : (
                      <span>{i.label}</span>
                    )}
                    <span className="pts">{i.points > 0 ? '+' : ''}{i.points.toFixed(1)}</span>
                  </li>
                ))}
              </ul>
            )}
            {s === 'performance' && row.performanceEntry && (
              <p className="muted small">
                {row.performanceEntry.byName} 录入于 {formatDateTime(row.performanceEntry.at)}
              </p>
            )}
          </div>
        ))}
      </div>
      {view.mayEnter && <ScoreForm row={row} view={view} onSaved={onSaved} />}
    </div>
  );
}

type RuleField = { label: string; get: (r: RankingRules) => number; set: (r: RankingRules, v: number) => RankingRules };
const RULE_FIELDS: RuleField[] = [
  { label: '系统自动评权重', get: (r) => r.weights.system, set: (r, v) => ({ ...r, weights: { ...r.weights, system: v } }) },
  { label: '群众参与评权重', get: (r) => r.weights.public, set: (r, v) => ({ ...r, weights: { ...r.weights, public: v } }) },
  { label: '绩效刚性评权重', get: (r) => r.weights.performance, set: (r, v) => ({ ...r, weights: { ...r.weights, performance: v } }) },
  { label: '按时签收占比（0–1）', get: (r) => r.acceptShare, set: (r, v) => ({ ...r, acceptShare: v }) },
  { label: '每件退回扣分', get: (r) => r.returnPoints, set: (r, v) => ({ ...r, returnPoints: v }) },
  { label: '每件延期扣分', get: (r) => r.extensionPoints, set: (r, v) => ({ ...r, extensionPoints: v }) },
  { label: '每件超期扣分', get: (r) => r.overduePoints, set: (r, v) => ({ ...r, overduePoints: v }) },
  { label: '每件重启扣分', get: (r) => r.reopenPoints, set: (r, v) => ({ ...r, reopenPoints: v }) },
  ...([0, 1, 2, 3] as const).map((i) => ({
    label: `每件${'一二三四'[i]}级督办扣分`,
    get: (r: RankingRules) => r.supervisionPoints[i],
    set: (r: RankingRules, v: number) => {
      const sp = [...r.supervisionPoints] as RankingRules['supervisionPoints'];
      sp[i] = v;
      return { ...r, supervisionPoints: sp };
    },
  })),
];

/** Leaders: a new version of the weights and points, from this month or a later one (past months keep theirs). */
function RulesPanel({ onSaved }: { onSaved: () => void }) {
  const toast = useToast();
  const cur = toDateInput(serverNow()).slice(0, 7);
  const months = Array.from({ length: 13 }, (_, i) => addMonths(`${cur}-01`, i).slice(0, 7));
  const [from, setFrom] = useState(cur);
  const [rules, setRules] = useState<RankingRules | null>(null);
  const [text, setText] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The current rules fill the form once loaded.
  const loaded = useLiveQuery(
    useCallback(() => call('stats.rankingRules', {}), []),
    null,
    {
      onLoad: (info) => {
        setRules(info.current.rules);
        setText(RULE_FIELDS.map((f) => String(f.get(info.current.rules))));
      },
    },
  );
  if (!rules) return loaded.error ? <div className="callout error">{loaded.error}</div> : null;
  const save = async () => {
    setError(null);
    let next = rules;
    for (let i = 0; i < RULE_FIELDS.length; i++) {
      const v = Number(text[i]);
      if (text[i]!.trim() === '' || !Number.isFinite(v) || v < 0) return setError(`${RULE_FIELDS[i]!.label}须为不小于0的数`);
      next = RULE_FIELDS[i]!.set(next, v);
    }
    setBusy(true);
    try {
      const info = await call('stats.setRankingRules', { from, rules: next });
      setRules(info.current.rules);
      toast.success(`评价规则已保存，自${monthLabel(from)}起生效（已记入审计日志）`);
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="rules-panel" data-testid="rules-panel">
      <summary>评价规则（权重与扣分）</summary>
      <p className="muted small">修改只从所选月份起生效；已结束月份按冻结时的规则，不会改写。</p>
      <div className="rules-grid">
        {RULE_FIELDS.map((f, i) => (
          <label key={f.label}>
            <span>{f.label}</span>
            <input type="number" min={0} step="any" value={text[i] ?? ''} onChange={(e) => setText(text.map((t, j) => (j === i ? e.target.value : t)))} data-testid={`rule-${i}`} />
          </label>
        ))}
      </div>
      <div className="rules-actions">
        <label>
          生效月份
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="rules-from">
            {months.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}起
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="rules-save">
          {busy ? '正在保存…' : '保存规则'}
        </button>
        {error && <span className="field-error">{error}</span>}
      </div>
    </details>
  );
}

export function RankingTab({ month, kind, onChange }: { month: string; kind: RankingKind; onChange: (month: string, kind: RankingKind) => void }) {
  const { user } = useReadySession();
  const [open, setOpen] = useState<string | null>(null);
  const isUnit = user.role === 'unit';
  const ranking = useLiveQuery(
    useCallback(() => call('stats.ranking', { month, kind: isUnit ? 'unit' : kind }), [month, kind, isUnit]),
    RANKING_EVENTS,
    {
      onLoad: (v) => {
        if (v.ownOnly && v.rows[0]) setOpen(v.rows[0].key);
      },
    },
  );
  const view = ranking.data;
  const error = ranking.error;
  const reload = useCallback(() => void ranking.reload(), [ranking]);

  const years = Array.from({ length: 11 }, (_, i) => String(Number(month.slice(0, 4)) + 1 - i));
  const w = view?.rules.rules.weights;
  const wsum = w ? w.system + w.public + w.performance : 1;
  const pct = (x: number) => `${Math.round((x / wsum) * 100)}%`;

  return (
    <section className="card ranking" data-testid="ranking-tab">
      <div className="card-head ranking-head">
        <div className="ranking-tools">
          <span className="month-pick">
            <select value={month.slice(0, 4)} onChange={(e) => onChange(`${e.target.value}-${month.slice(5)}`, kind)} aria-label="年" data-testid="rank-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}年
                </option>
              ))}
            </select>
            <select value={month.slice(5)} onChange={(e) => onChange(`${month.slice(0, 4)}-${e.target.value}`, kind)} aria-label="月" data-testid="rank-month">
              {Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')).map((m) => (
                <option key={m} value={m}>
                  {Number(m)}月
                </option>
              ))}
            </select>
          </span>
          {!isUnit && (
            <div className="seg" role="radiogroup" aria-label="排名对象" data-testid="rank-kind">
              {RANKING_KINDS.map((k) => (
                <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'on' : ''} data-testid={`rank-kind-${k}`} onClick={() => onChange(month, k)}>
                  {RANKING_KIND_LABELS[k]}
                </button>
              ))}
            </div>
          )}
        </div>
        {view && (
          <span className="muted small" data-testid="rank-state">
            {view.state === 'frozen' ? `${monthLabel(view.month)}排名已于 ${view.frozenAt ? formatDateTime(view.frozenAt) : '月末'} 冻结定榜` : `${monthLabel(view.month)}尚未结束：排名随工单实时变化，月末冻结`}
            {w && ` · 权重：系统自动评 ${pct(w.system)}、群众参与评 ${pct(w.public)}、绩效刚性评 ${pct(w.performance)}（规则${view.rules.from === '0000-01' ? '为默认值' : `自${monthLabel(view.rules.from)}起`}）`}
          </span>
        )}
      </div>
      {view?.mayEnter && <RulesPanel onSaved={reload} />}
      {error && <div className="callout error">{error}</div>}
      {!view && !error && <Spinner label="正在计算排名…" />}
      {view && view.firstTicketAt == null && (
        <div className="stats-empty" data-testid="ranking-empty">
          <h3>还没有可排名的工单</h3>
          <p>
            受理并派出第一件工单后，这里将按月显示处置单位、社区和网格的三维评价：系统自动评（按时签收、按时办结，扣除退回、延期、超期、督办、重启）、群众参与评（回访满意率）和街道领导录入的绩效刚性评，以及总分、名次和较上月的升降。每月结束时排名自动冻结定榜；之后工单有更正时以“更正”显示。点击任一分项可查看计分的工单。
          </p>
        </div>
      )}
      {view && view.firstTicketAt != null && view.rows.length === 0 && (
        <div className="empty" data-testid="ranking-month-empty">
          {isUnit ? `${monthLabel(view.month)}本单位没有派单、办结或回访记录，暂无评分。` : `${monthLabel(view.month)}没有可排名的${RANKING_KIND_LABELS[view.kind]}：本月没有派单、办结、回访的工单，也没有录入绩效刚性评。请选择其他月份。`}
        </div>
      )}
      {view && view.ownOnly && view.rows[0] && (
        <p className="rank-own" data-testid="rank-own">
          {view.rows[0].name}：{monthLabel(view.month)}在 {view.rankedCount} 个处置单位中{view.rows[0].rank ? `排名第 ${view.rows[0].rank} 名` : '未参与排名'}，总分 {score(view.rows[0].total)}。以下为各项得分及扣分的工单。
        </p>
      )}
      {view && view.rows.length > 0 && (
        <div className="table-scroll">
          <table className="stats-table rank-table" data-testid="ranking-table">
            <thead>
              <tr>
                <th className="num">名次</th>
                <th>较上月</th>
                <th>{RANKING_KIND_LABELS[view.kind]}</th>
                <th className="num">系统自动评</th>
                <th className="num">群众参与评</th>
                <th className="num">绩效刚性评</th>
                <th className="num">总分</th>
                <th>更正</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <Fragment key={r.key}>
                  <tr data-testid="ranking-row" data-key={r.key} className={open === r.key ? 'open' : ''}>
                    <td className="num rank-no">{r.rank ?? '—'}</td>
                    <td>
                      <Movement row={r} />
                    </td>
                    <th title={r.code ?? undefined}>{r.name}</th>
                    <td className="num">{score(r.system)}</td>
                    <td className="num">{score(r.public)}</td>
                    <td className="num">{score(r.performance)}</td>
                    <td className="num total">{score(r.total)}</td>
                    <td>
                      {r.correction ? (
                        <span className="corr-pill" title="冻结后工单或评分有变化" data-testid="correction-pill">
                          {r.correction.total === r.total ? `重算 第${r.correction.rank ?? '—'}名` : `重算 ${score(r.correction.total)}分`}
                        </span>
                      ) : (
                        ''
                      )}
                    </td>
                    <td>
                      <button type="button" className="link-btn" onClick={() => setOpen(open === r.key ? null : r.key)} data-testid="rank-explain-toggle" aria-expanded={open === r.key}>
                        {open === r.key ? '收起' : view.mayEnter ? '得分说明 / 评分' : '得分说明'}
                      </button>
                    </td>
                  </tr>
                  {open === r.key && (
                    <tr className="rank-explain-row">
                      <td colSpan={9}>
                        <Explanation row={r} view={view} onSaved={reload} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
