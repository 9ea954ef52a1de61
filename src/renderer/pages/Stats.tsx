// 统计分析: a period's figures for leaders and operators, with 环比/同比, breakdowns, charts and
// exports. Every number links to the ticket list filtered by the figure's own definition
// (filter `figure` + period), so the list shows exactly the tickets behind it.

import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { StatsBreakdown, StatsGroupRow, StatsOverview, StatsTrend } from '../../shared/api/stats';
import { DIMENSIONS, DIMENSION_LABELS, type Dimension } from '../../shared/stats/dimensions';
import {
  FIGURE_LABELS,
  RATES,
  formatChange,
  formatRate,
  isHoursKey,
  isRateKey,
  type Figures,
  type RateKey,
  type TicketFigure,
} from '../../shared/stats/figures';
import {
  addDays,
  isDate,
  periodContaining,
  periodLabel,
  previousPeriod,
  PERIOD_KINDS,
  PERIOD_KIND_LABELS,
  type Period,
  type PeriodKind,
} from '../../shared/stats/period';
import { call, errorMessage } from '../api/client';
import { Spinner } from '../components/Form';
import { EChart, type ChartOption } from '../lib/charts';
import { saveFile } from '../lib/download';
import { figureHref } from '../lib/filters';
import { serverNow, toDateInput } from '../lib/format';
import { useLiveQuery } from '../lib/liveQuery';
import { navigate, type Route } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import { DateInput } from '../components/DateInputs';
import { RankingTab } from './StatsRanking';
import { ForecastTab } from './StatsForecast';
import { MAP_FIGURES, StatsMapTab, type MapFigure, type MapGridLevel } from './StatsMap';
import { RecurringTab } from './StatsRecurring';
import { RANKING_KINDS, type RankingKind } from '../../shared/stats/ranking';

type GroupFilter = StatsGroupRow['filter'];


function periodFromQuery(q: URLSearchParams, today: string): Period {
  const kind = (PERIOD_KINDS as readonly string[]).includes(q.get('kind') ?? '') ? (q.get('kind') as PeriodKind) : 'month';
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  if (kind === 'range' && isDate(from) && isDate(to) && from < to) return { kind, from, to };
  return periodContaining(kind === 'range' ? 'month' : kind, isDate(from) ? from : today);
}

function periodQuery(p: Period, dim: Dimension): string {
  return `kind=${p.kind}&from=${p.from}${p.kind === 'range' ? `&to=${p.to}` : ''}&dim=${dim}`;
}

type StatsTab = 'overview' | 'map' | 'forecast' | 'ranking' | 'recurring';
const TAB_LABELS: Record<StatsTab, string> = { overview: '概览', map: '网格地图', forecast: '按季施策', ranking: '排名', recurring: '一批事' };

const shift = (p: Period, dir: 1 | -1): Period => {
  if (dir === -1) return previousPeriod(p);
  if (p.kind === 'range') {
    const n = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000);
    return { kind: 'range', from: p.to, to: addDays(p.to, n) };
  }
  return periodContaining(p.kind, p.to);
};

/** Years offered by the month picker: this year and the ten before. */
const YEARS = (today: string) => Array.from({ length: 11 }, (_, i) => String(Number(today.slice(0, 4)) - i));

function fmt(k: keyof Figures, v: number | null): string {
  if (v == null) return '—';
  if (isRateKey(k)) return formatRate(v);
  if (isHoursKey(k)) return v.toFixed(1);
  return v.toLocaleString('zh-CN');
}

/** A count that opens the list of its tickets. */
function Num({ figure, value, period, group, testId }: { figure: TicketFigure; value: number; period: Period; group?: GroupFilter; testId?: string }) {
  if (group === null) return <span className="num-plain">{value.toLocaleString('zh-CN')}</span>;
  return (
    <a href={figureHref(figure, period, group)} className="num-link" data-testid={testId} title={`查看这${value}件工单：${FIGURE_LABELS[figure]}`}>
      {value.toLocaleString('zh-CN')}
    </a>
  );
}

function Change({ k, cur, prev, label }: { k: keyof Figures; cur: number | null; prev: number | null; label: string }) {
  const text = formatChange(cur, prev, isRateKey(k));
  const good = isRateKey(k) ? RATES[k as RateKey].higherIsBetter : k === 'received' || k === 'resolved' ? null : isHoursKey(k) || k === 'supervised' ? false : null;
  const up = cur != null && prev != null && cur > prev;
  const down = cur != null && prev != null && cur < prev;
  const tone = good == null || (!up && !down) ? '' : up === good ? 'good' : 'bad';
  return (
    <span className={`chg ${tone}`}>
      {label} {text}
    </span>
  );
}

interface CardSpec {
  k: keyof Figures;
  hint: string;
}
const CARDS: CardSpec[] = [
  { k: 'received', hint: '新建且未作废、未合并' },
  { k: 'resolved', hint: '首次办结在本期' },
  { k: 'onTimeRate', hint: '首次办结不晚于时限' },
  { k: 'satisfactionRate', hint: '满意+基本满意 / 回访次数' },
  { k: 'acceptedInTimeRate', hint: '首次派单在本期，按时签收' },
  { k: 'resolutionRate', hint: '本期受理中已办结' },
  { k: 'resolveHoursMedian', hint: '工作小时，受理至首次办结' },
  { k: 'proactiveRate', hint: '网格巡查、视频AI、物联感知' },
  { k: 'repeatRate', hint: '合并为重复的 / 受理量' },
  { k: 'returnRate', hint: '派单后被退回' },
  { k: 'extensionRate', hint: '派单后申请延期' },
  { k: 'supervised', hint: '本期有督办记录' },
  { k: 'microInGridRate', hint: '小微事件由网格员办结' },
  { k: 'instantAnswerRate', hint: '咨询类未派单即办结' },
];

function FigureCard({ spec, ov }: { spec: CardSpec; ov: StatsOverview }) {
  const { k } = spec;
  const f = ov.figures;
  const v = f[k];
  const p = ov.period;
  let main: ReactNode;
  let sub: ReactNode = null;
  if (isRateKey(k)) {
    const r = RATES[k];
    main = <span className="stat-value">{fmt(k, v)}</span>;
    sub = (
      <span className="stat-frac">
        <Num figure={r.num} value={f[r.num]} period={p} testId={`fig-${k}-num`} /> / <Num figure={r.den} value={f[r.den]} period={p} testId={`fig-${k}-den`} />
      </span>
    );
  } else if (isHoursKey(k)) {
    main = <span className="stat-value">{fmt(k, v)}<small> 小时</small></span>;
    sub = <span className="stat-frac">平均 {fmt('resolveHoursMean', f.resolveHoursMean)} 小时 · <Num figure="resolved" value={f.resolved} period={p} /> 件</span>;
  } else if (k === 'supervised') {
    main = <span className="stat-value"><Num figure="supervised" value={f.supervised} period={p} testId={`fig-${k}`} /></span>;
    sub = (
      <span className="stat-frac">
        {([1, 2, 3, 4] as const).map((l) => (
          <span key={l} className="lvl">
            {l}级 <Num figure={`supervisedL${l}`} value={f[`supervisedL${l}`]} period={p} />
          </span>
        ))}
      </span>
    );
  } else {
    main = <span className="stat-value"><Num figure={k as TicketFigure} value={v as number} period={p} testId={`fig-${k}`} /></span>;
  }
  return (
    <div className="stat-card fig-card" data-testid={`card-${k}`}>
      <span className="stat-label" title={spec.hint}>
        {FIGURE_LABELS[isHoursKey(k) ? 'resolveHoursMedian' : k]}
      </span>
      {main}
      {sub}
      <span className="chgs">
        <Change k={k} cur={v} prev={ov.previous?.figures[k] ?? null} label="环比" />
        <Change k={k} cur={v} prev={ov.lastYear?.figures[k] ?? null} label="同比" />
      </span>
    </div>
  );
}

const TABLE_COLS: Array<keyof Figures> = ['received', 'resolved', 'resolvedOnTime', 'onTimeRate', 'dispatched', 'acceptedInTime', 'acceptedInTimeRate', 'callbacks', 'satisfied', 'satisfactionRate', 'resolveHoursMean', 'returnRate', 'supervised'];

function BreakdownTable({ data, period }: { data: StatsBreakdown; period: Period }) {
  if (!data.rows.length) return <div className="empty">所选期间没有工单，分组统计为空。</div>;
  return (
    <div className="table-scroll">
      <table className="stats-table" data-testid="breakdown-table">
        <thead>
          <tr>
            <th>{DIMENSION_LABELS[data.dimension]}</th>
            {TABLE_COLS.map((k) => (
              <th key={k} className="num">
                {FIGURE_LABELS[k]}
                {isHoursKey(k) ? '(小时)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.key ?? '—'} data-testid="breakdown-row">
              <th title={r.code ?? undefined}>{r.name}</th>
              {TABLE_COLS.map((k) => (
                <td key={k} className="num">
                  {isRateKey(k) || isHoursKey(k) ? fmt(k, r.figures[k]) : <Num figure={k as TicketFigure} value={r.figures[k] as number} period={period} group={r.filter} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const PALETTE = ['#1f6feb', '#1a7f37', '#c4570a', '#8250df', '#0a7f8c', '#cf222e', '#9a6700', '#57606a', '#bf3989', '#116329', '#5a4fcf', '#0550ae', '#953800'];

function useCharts(trend: StatsTrend | null, units: StatsBreakdown | null, communities: StatsBreakdown | null) {
  return useMemo(() => {
    if (!trend) return null;
    const labels = trend.buckets.map((b) => b.label);
    // Days (weeks, months) after today are gaps: a 0 there would read as "nothing came in".
    const upToToday = (v: (b: StatsTrend['buckets'][number]) => number | null) => trend.buckets.map((b) => (b.future ? null : v(b)));
    // A period of one or two buckets (a day): a line without its points would draw nothing.
    const showSymbol = trend.buckets.length <= 2;
    const line: ChartOption = {
      color: PALETTE,
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 44, right: 48, top: 20, bottom: 44 },
      xAxis: { type: 'category', data: labels },
      yAxis: [{ type: 'value', name: '件' }, { type: 'value', name: '%', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { type: 'line', name: '受理量', data: upToToday((b) => b.figures.received), showSymbol },
        { type: 'line', name: '办结量', data: upToToday((b) => b.figures.resolved), showSymbol },
        { type: 'line', name: '按时办结率', yAxisIndex: 1, data: upToToday((b) => (b.figures.onTimeRate == null ? null : +(b.figures.onTimeRate * 100).toFixed(1))), showSymbol, lineStyle: { type: 'dashed' } },
        { type: 'line', name: '满意率', yAxisIndex: 1, data: upToToday((b) => (b.figures.satisfactionRate == null ? null : +(b.figures.satisfactionRate * 100).toFixed(1))), showSymbol, lineStyle: { type: 'dashed' } },
      ],
    };
    const stacked = (rows: Array<{ name: string; counts: number[] }>, max = 8): ChartOption => {
      const top = rows.slice(0, max);
      const rest = rows.slice(max);
      // A bar never wider than 56 px: a one-day period is one bar, not a block across the chart.
      const series = top.map((r) => ({ type: 'bar', stack: 'all', name: r.name, data: r.counts, barMaxWidth: 56 }));
      if (rest.length) series.push({ type: 'bar', stack: 'all', name: '其他', data: labels.map((_, i) => rest.reduce((s, r) => s + r.counts[i]!, 0)), barMaxWidth: 56 });
      return { color: PALETTE, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { bottom: 0, type: 'scroll' }, grid: { left: 44, right: 16, top: 16, bottom: 44 }, xAxis: { type: 'category', data: labels }, yAxis: { type: 'value' }, series };
    };
    const maxDay = trend.daily.days.reduce((m, [, n]) => Math.max(m, n), 0);
    const heat: ChartOption = {
      tooltip: { formatter: (p: { value: [string, number] }) => `${p.value[0]}：受理 ${p.value[1]} 件` },
      visualMap: { min: 0, max: Math.max(1, maxDay), text: ['多', '少'], calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#eef5ff', '#7fb0f5', '#1f6feb', '#0b3c8c'] } },
      calendar: { top: 24, left: 36, right: 12, cellSize: ['auto', 14], range: String(trend.daily.year), dayLabel: { nameMap: 'ZH', firstDay: 1 }, monthLabel: { nameMap: 'ZH' }, yearLabel: { show: false } },
      series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: trend.daily.days }],
    };
    const ranking = (rows: StatsGroupRow[], pick: (f: Figures) => number | null, percent: boolean): ChartOption => {
      const r = rows.filter((x) => x.key != null && pick(x.figures) != null).sort((a, b) => pick(b.figures)! - pick(a.figures)!).slice(0, 10);
      return {
        color: ['#1f6feb'],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: percent ? 100 : undefined, axisLabel: { formatter: percent ? '{value}%' : '{value}' } },
        yAxis: { type: 'category', inverse: true, data: r.map((x) => x.name), axisLabel: { width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', data: r.map((x) => (percent ? +(pick(x.figures)! * 100).toFixed(1) : pick(x.figures))), label: { show: true, position: 'right', formatter: percent ? '{c}%' : '{c}' } }],
      };
    };
    return {
      line,
      byChannel: stacked(trend.byChannel),
      byCategory: stacked(trend.byCategory),
      heat,
      unitRank: units ? ranking(units.rows.filter((u) => u.figures.resolved >= 5), (f) => f.onTimeRate, true) : null,
      communityRank: communities ? ranking(communities.rows, (f) => f.received, false) : null,
      rankedUnits: units ? units.rows.filter((u) => u.key != null && u.figures.resolved >= 5 && u.figures.onTimeRate != null).sort((a, b) => b.figures.onTimeRate! - a.figures.onTimeRate!).slice(0, 10) : [],
      rankedCommunities: communities ? communities.rows.filter((c) => c.key != null).sort((a, b) => b.figures.received - a.figures.received).slice(0, 10) : [],
    };
  }, [trend, units, communities]);
}

export function StatsPage({ route }: { route: Route }) {
  const { user } = useReadySession();
  const toast = useToast();
  const today = toDateInput(serverNow());
  const period = useMemo(() => periodFromQuery(route.query, today), [route.query, today]);
  const dimQ = route.query.get('dim');
  const dim: Dimension = (DIMENSIONS as readonly string[]).includes(dimQ ?? '') ? (dimQ as Dimension) : 'unit';
  const [busy, setBusy] = useState<string | null>(null);

  // 排名 (the unit role sees only that, for its own unit).
  const tabQ = route.query.get('tab') ?? '';
  const tab: StatsTab = user.role === 'unit' ? 'ranking' : tabQ in TAB_LABELS ? (tabQ as StatsTab) : 'overview';
  const figQ = route.query.get('fig') ?? '';
  const mapFigure: MapFigure = (MAP_FIGURES as readonly string[]).includes(figQ) ? (figQ as MapFigure) : 'received';
  const mapLevel: MapGridLevel = route.query.get('glevel') === '2' ? '2' : '3';
  const mapQuery = (f: MapFigure, l: MapGridLevel) => `&tab=map&fig=${f}&glevel=${l}`;
  const go = useCallback(
    (p: Period, d: Dimension = dim) => navigate(`/stats?${periodQuery(p, d)}${tab === 'map' ? mapQuery(mapFigure, mapLevel) : ''}`, { replace: true }),
    [dim, tab, mapFigure, mapLevel],
  );
  const rmQ = route.query.get('rmonth') ?? '';
  const rankMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(rmQ) && rmQ <= today.slice(0, 7) ? rmQ : addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  const rkQ = route.query.get('rkind') ?? '';
  const rankKind: RankingKind = (RANKING_KINDS as readonly string[]).includes(rkQ) ? (rkQ as RankingKind) : 'unit';
  const goRanking = (m: string, k: RankingKind) => navigate(`/stats?tab=ranking&rmonth=${m}&rkind=${k}`, { replace: true });

  // The overview first (its figures show at once), then the charts' series and the breakdown table
  // (which follows the chosen dimension). Each is cleared while its period or dimension reloads.
  const p = useMemo(() => ({ kind: period.kind, from: period.from, to: period.to }), [period.kind, period.from, period.to]);
  const onOverview = tab === 'overview';
  const overviewQ = useLiveQuery(useCallback(async () => (onOverview ? call('stats.overview', { period: p, compare: true }) : null), [p, onOverview]), null);
  const chartsQ = useLiveQuery(
    useCallback(async () => {
      if (!onOverview) return null;
      const [trend, units, communities] = await Promise.all([call('stats.trend', { period: p }), call('stats.breakdown', { period: p, dimension: 'unit' }), call('stats.breakdown', { period: p, dimension: 'community' })]);
      return { trend, units, communities };
    }, [p, onOverview]),
    null,
  );
  const tableQ = useLiveQuery(useCallback(async () => (onOverview ? call('stats.breakdown', { period: p, dimension: dim }) : null), [p, dim, onOverview]), null);
  const ov: StatsOverview | null = overviewQ.loading ? null : overviewQ.data;
  const loadedCharts = chartsQ.loading ? null : chartsQ.data;
  const trend: StatsTrend | null = loadedCharts?.trend ?? null;
  const units: StatsBreakdown | null = loadedCharts?.units ?? null;
  const communities: StatsBreakdown | null = loadedCharts?.communities ?? null;
  const table: StatsBreakdown | null = tableQ.loading ? null : tableQ.data;
  const error = overviewQ.error ?? chartsQ.error ?? tableQ.error;

  const charts = useCharts(trend, units, communities);

  const download = async (what: string, fn: () => Promise<{ name: string; mime: string; dataBase64: string }>) => {
    setBusy(what);
    try {
      const file = await fn();
      saveFile(file);
      toast.success(`已生成：${file.name}`);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  // The 月分析 of the month shown, or of a longer period's last month up to today (a year: its last month so far).
  const month = period.kind === 'month' ? period.from.slice(0, 7) : (addDays(period.to, -1) < today ? addDays(period.to, -1) : today).slice(0, 7);
  const monthLabel = `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

  if (user.role !== 'leader' && user.role !== 'operator' && user.role !== 'unit')
    return (
      <div className="page">
        <div className="callout warn">统计分析仅向街道领导、受理员和处置单位开放。</div>
      </div>
    );

  const openTab = (t: StatsTab) => {
    if (t === 'ranking') goRanking(rankMonth, rankKind);
    else if (t === 'forecast') navigate(`/stats?tab=forecast&${periodQuery(period, dim)}`, { replace: true });
    else navigate(`/stats?${periodQuery(period, dim)}${t === 'map' ? mapQuery(mapFigure, mapLevel) : ''}`, { replace: true });
  };
  const tabs = (
    <div className="seg stats-tabs" role="tablist" aria-label="统计分析" data-testid="stats-tabs">
      {user.role !== 'unit' &&
        (['overview', 'map', 'forecast'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} data-testid={`tab-${t}`} onClick={() => openTab(t)}>
            {TAB_LABELS[t]}
          </button>
        ))}
      <button type="button" role="tab" aria-selected={tab === 'ranking'} className={tab === 'ranking' ? 'on' : ''} data-testid="tab-ranking" onClick={() => goRanking(rankMonth, rankKind)}>
        {user.role === 'unit' ? '本单位排名' : '排名'}
      </button>
      {user.role !== 'unit' && (
        <button type="button" role="tab" aria-selected={tab === 'recurring'} className={tab === 'recurring' ? 'on' : ''} data-testid="tab-recurring" onClick={() => navigate('/stats?tab=recurring')}>
          一批事
        </button>
      )}
    </div>
  );

  if (tab === 'forecast')
    return (
      <div className="page stats-page" data-testid="stats-page">
        <div className="page-head stats-head">
          <div>
            <h2>统计分析 · 按季施策</h2>
            <p className="muted">各问题大类每周受理量与未来8周预测，看天穿衣、按季施策；点击“近8周 N 件”查看计算近期水平所用的工单</p>
          </div>
          {tabs}
        </div>
        <ForecastTab />
      </div>
    );

  if (tab === 'ranking')
    return (
      <div className="page stats-page" data-testid="stats-page">
        <div className="page-head stats-head">
          <div>
            <h2>统计分析 · 三维评价排名</h2>
            <p className="muted">系统自动评 · 群众参与评 · 绩效刚性评，按月排名，月末冻结定榜；点击得分说明中的任一项查看计分的工单</p>
          </div>
          {tabs}
        </div>
        <RankingTab month={rankMonth} kind={rankKind} onChange={goRanking} />
      </div>
    );

  if (tab === 'recurring')
    return (
      <div className="page stats-page" data-testid="stats-page">
        <div className="page-head stats-head">
          <div>
            <h2>统计分析 · 一件事 → 一批事 → 一类事</h2>
            <p className="muted">同一地点同类问题反复出现的批量问题、多处同根源的一类事，以及据此开立的专项治理</p>
          </div>
          {tabs}
        </div>
        <RecurringTab route={route} />
      </div>
    );

  const openBucket = (i: number, extra: GroupFilter = {}) => {
    const b = trend?.buckets[i];
    if (b) location.hash = figureHref('received', b, extra).slice(1);
  };

  return (
    <div className="page stats-page" data-testid="stats-page">
      <div className="page-head stats-head">
        <div>
          <h2>{tab === 'map' ? '统计分析 · 网格地图' : '统计分析'}</h2>
          <p className="muted" data-testid="stats-period-label">
            {periodLabel(period)} · {period.from} 至 {addDays(period.to, -1)}（北京时间） · 点击任一数字查看对应工单
          </p>
          {tabs}
        </div>
        <div className="stats-tools">
          <div className="seg" role="radiogroup" aria-label="统计周期" data-testid="period-kind">
            {PERIOD_KINDS.map((k) => (
              <button key={k} type="button" role="radio" aria-checked={period.kind === k} className={period.kind === k ? 'on' : ''} data-testid={`period-${k}`} onClick={() => go(k === 'range' ? { ...period, kind: 'range' } : periodContaining(k, period.from))}>
                {PERIOD_KIND_LABELS[k]}
              </button>
            ))}
          </div>
          <button type="button" className="icon-btn" aria-label="上一期" onClick={() => go(shift(period, -1))} data-testid="period-prev">
            ‹
          </button>
          {period.kind === 'range' ? (
            <label className="date-range">
              <DateInput value={period.from} max={addDays(period.to, -1)} onChange={(v) => isDate(v) && v < period.to && go({ kind: 'range', from: v, to: period.to })} testId="period-from" ariaLabel="开始日期" />
              <span>至</span>
              <DateInput value={addDays(period.to, -1)} min={period.from} onChange={(v) => isDate(v) && v >= period.from && go({ kind: 'range', from: period.from, to: addDays(v, 1) })} testId="period-to" ariaLabel="结束日期" />
            </label>
          ) : period.kind === 'month' ? (
            <span className="month-pick">
              <select value={month.slice(0, 4)} onChange={(e) => go(periodContaining('month', `${e.target.value}-${month.slice(5)}-01`))} aria-label="年" data-testid="period-year-select">
                {YEARS(today).map((y) => (
                  <option key={y} value={y}>
                    {y}年
                  </option>
                ))}
              </select>
              <select value={month.slice(5)} onChange={(e) => go(periodContaining('month', `${month.slice(0, 4)}-${e.target.value}-01`))} aria-label="月" data-testid="period-month-select">
                {Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')).map((m) => (
                  <option key={m} value={m}>
                    {Number(m)}月
                  </option>
                ))}
              </select>
            </span>
          ) : (
            <DateInput value={period.from} onChange={(v) => isDate(v) && go(periodContaining(period.kind, v))} testId="period-date" ariaLabel="日期" />
          )}
          <button type="button" className="icon-btn" aria-label="下一期" onClick={() => go(shift(period, 1))} data-testid="period-next">
            ›
          </button>
          <button type="button" disabled={!!busy} onClick={() => void download('overview', () => call('stats.export', { period: p, table: 'overview' }))} data-testid="export-overview">
            {busy === 'overview' ? '正在导出…' : '导出Excel'}
          </button>
          <button type="button" className="primary" disabled={!!busy} onClick={() => void download('pdf', () => call('stats.report', { month, format: 'pdf' }))} data-testid="report-pdf" title={`${month} 月分析（PDF）`}>
            {busy === 'pdf' ? '正在生成PDF…' : `月分析PDF（${monthLabel}）`}
          </button>
          <button type="button" disabled={!!busy} onClick={() => void download('xlsx', () => call('stats.report', { month, format: 'xlsx' }))} data-testid="report-xlsx" title={`${month} 月分析（Excel）`}>
            {busy === 'xlsx' ? '正在生成…' : `月分析Excel（${monthLabel}）`}
          </button>
        </div>
      </div>
      {tab === 'map' && <StatsMapTab period={period} figure={mapFigure} level={mapLevel} onChange={(f, l) => navigate(`/stats?${periodQuery(period, dim)}${mapQuery(f, l)}`, { replace: true })} />}
      {tab === 'overview' && error && <div className="callout error">{error}</div>}
      {tab === 'overview' && !ov && !error && <Spinner label="正在统计…" />}
      {tab === 'overview' && ov && ov.firstTicketAt == null && (
        <div className="card stats-empty" data-testid="stats-empty">
          <h3>本街道还没有工单</h3>
          <p>受理第一件工单后，这里将显示受理量、办结量、按时办结率、满意率、按时签收率等指标及其环比、同比；按社区、网格、处置单位、问题分类、渠道的分组统计；受理与办结趋势图、各渠道和各类问题的堆叠柱状图、每日受理量日历热力图和单位排名。每个数字都可以点开查看对应的工单，并可导出Excel和月分析PDF；月分析还将列出当月仍在发生的批量问题、一类事和专项治理进展。</p>
        </div>
      )}
      {tab === 'overview' && ov && ov.firstTicketAt != null && (
        <>
          {ov.figures.received + ov.figures.resolved + ov.figures.callbacks === 0 && (
            <div className="callout" data-testid="stats-period-empty">
              {periodLabel(period)}没有工单记录（本街道的工单从 {toDateInput(ov.firstTicketAt)} 开始）。请选择其他期间。
            </div>
          )}
          <div className="cards fig-cards">
            {CARDS.map((c) => (
              <FigureCard key={c.k} spec={c} ov={ov} />
            ))}
          </div>
          <p className="muted small compare-note">
            环比：{ov.previous?.label}；同比：{ov.lastYear?.label}。
          </p>
          {charts ? (
            <div className="chart-grid">
              <section className="card">
                <div className="card-head"><h3>受理与办结趋势</h3><span className="muted small">点击某一天（周/月）查看当期受理的工单</span></div>
                <EChart option={charts.line} onClick={(e) => openBucket(e.dataIndex)} testId="chart-trend" />
              </section>
              <section className="card">
                <div className="card-head"><h3>每日受理量（{trend!.daily.year}年）</h3></div>
                <EChart option={charts.heat} height={200} onClick={(e) => {
                  const d = (e.value as [string, number])[0];
                  location.hash = figureHref('received', { from: d, to: addDays(d, 1) }).slice(1);
                }} testId="chart-calendar" />
              </section>
              <section className="card">
                <div className="card-head"><h3>各渠道受理量</h3></div>
                <EChart option={charts.byChannel} onClick={(e) => {
                  const ch = trend!.byChannel.find((c) => c.name === e.seriesName);
                  if (ch) openBucket(e.dataIndex, { channel: ch.key as never });
                }} testId="chart-channel" />
              </section>
              <section className="card">
                <div className="card-head"><h3>各类问题受理量</h3></div>
                <EChart option={charts.byCategory} onClick={(e) => {
                  const c = trend!.byCategory.find((x) => x.name === e.seriesName);
                  if (c) openBucket(e.dataIndex, c.key ? { categoryId: c.key } : { missing: 'category' });
                }} testId="chart-category" />
              </section>
              {charts.unitRank && (
                <section className="card">
                  <div className="card-head"><h3>处置单位按时办结率排名</h3><span className="muted small">本期办结≥5件的单位</span></div>
                  {charts.rankedUnits.length ? (
                    <EChart option={charts.unitRank} height={Math.max(160, charts.rankedUnits.length * 26 + 20)} onClick={(e) => {
                      const u = charts.rankedUnits[e.dataIndex];
                      if (u?.filter) location.hash = figureHref('resolved', period, u.filter).slice(1);
                    }} testId="chart-unit-rank" />
                  ) : (
                    <div className="empty">本期没有办结5件以上的单位。</div>
                  )}
                </section>
              )}
              {charts.communityRank && (
                <section className="card">
                  <div className="card-head"><h3>社区受理量排名</h3></div>
                  {charts.rankedCommunities.length ? (
                    <EChart option={charts.communityRank} height={Math.max(160, charts.rankedCommunities.length * 26 + 20)} onClick={(e) => {
                      const c = charts.rankedCommunities[e.dataIndex];
                      if (c?.filter) location.hash = figureHref('received', period, c.filter).slice(1);
                    }} testId="chart-community-rank" />
                  ) : (
                    <div className="empty">本期没有落在社区网格内的工单。</div>
                  )}
                </section>
              )}
            </div>
          ) : (
            <Spinner label="正在绘制图表…" />
          )}
          <section className="card">
            <div className="card-head">
              <div className="seg" role="radiogroup" aria-label="分组" data-testid="breakdown-dim">
                {DIMENSIONS.map((d) => (
                  <button key={d} type="button" role="radio" aria-checked={dim === d} className={dim === d ? 'on' : ''} data-testid={`dim-${d}`} onClick={() => go(period, d)}>
                    按{DIMENSION_LABELS[d]}
                  </button>
                ))}
              </div>
              <button type="button" disabled={!!busy} onClick={() => void download('breakdown', () => call('stats.export', { period: p, table: 'breakdown', dimension: dim }))} data-testid="export-breakdown">
                {busy === 'breakdown' ? '正在导出…' : '导出Excel'}
              </button>
            </div>
            {table ? <BreakdownTable data={table} period={period} /> : <Spinner />}
          </section>
        </>
      )}
    </div>
  );
}
