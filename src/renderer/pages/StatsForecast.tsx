// 统计分析 › 按季施策: each top-level category's weekly received counts, the next 8 weeks'
// forecast with its interval, the backtest error (MAPE) of the baseline and of the model, and the
// warnings where a category is expected to rise well above its recent level. Method:
// src/shared/stats/forecast.ts.

import { useCallback, useMemo } from 'react';
import type { ForecastCategory, StatsForecast } from '../../shared/api/stats';
import { FORECAST_METHOD_LABELS, HORIZON_WEEKS, LEVEL_WEEKS, MIN_HISTORY_WEEKS } from '../../shared/stats/forecast';
import { formatRate } from '../../shared/stats/figures';
import { addDays } from '../../shared/stats/period';
import { call } from '../api/client';
import { Spinner } from '../components/Form';
import { EChart, type ChartOption } from '../lib/charts';
import { figureHref } from '../lib/filters';
import { useLiveQuery } from '../lib/liveQuery';

/** Weeks of history drawn before the forecast (two years). */
const SHOWN_WEEKS = 104;
// Week starts with their year: the chart spans two years.
const md = (d: string) => `${d.slice(0, 4)}/${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
const round = (n: number) => Math.round(n);

function chartOf(data: StatsForecast, c: ForecastCategory): { option: ChartOption; firstShown: number } {
  const histWeeks = data.weeks.slice(c.start);
  const firstShown = Math.max(0, histWeeks.length - SHOWN_WEEKS);
  const shownHist = c.history.slice(firstShown);
  const labels = [...histWeeks.slice(firstShown), ...data.forecastWeeks].map(md);
  const pad = (n: number) => Array<null>(n).fill(null);
  const f = c.forecast.status === 'ok' ? c.forecast.points : null;
  const series: Array<Record<string, unknown>> = [{ type: 'line', name: '每周受理量', data: [...shownHist, ...pad(HORIZON_WEEKS)], showSymbol: false, lineStyle: { width: 1.5 } }];
  if (f) {
    const lead = pad(shownHist.length - 1);
    const last = shownHist[shownHist.length - 1] ?? null;
    series.push(
      // The band: the lower bound (invisible) and the width stacked on it.
      { type: 'line', name: '区间下限', stack: 'band', data: [...pad(shownHist.length), ...f.map((p) => round(p.lo))], lineStyle: { opacity: 0 }, showSymbol: false, silent: true, tooltip: { show: false } },
      { type: 'line', name: '80%区间', stack: 'band', data: [...pad(shownHist.length), ...f.map((p) => round(p.hi) - round(p.lo))], lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(196,87,10,0.18)' }, showSymbol: false, silent: true },
      { type: 'line', name: '预测', data: [...lead, last, ...f.map((p) => round(p.value))], showSymbol: false, lineStyle: { type: 'dashed', width: 2 } },
    );
  }
  const option: ChartOption = {
    color: ['#1f6feb', '#c4570a', '#c4570a', '#c4570a'],
    tooltip: {
      trigger: 'axis',
      formatter: (ps: Array<{ dataIndex: number; seriesName: string; value: number | null }>) => {
        const i = ps[0]?.dataIndex ?? 0;
        const h = i - shownHist.length;
        if (h >= 0 && f) return `${data.forecastWeeks[h]} 起一周<br/>预测 ${round(f[h]!.value)} 件（80%区间 ${round(f[h]!.lo)}–${round(f[h]!.hi)}）`;
        if (h >= 0) return '';
        return `${histWeeks[firstShown + i]} 起一周<br/>受理 ${shownHist[i]} 件`;
      },
    },
    grid: { left: 40, right: 12, top: 12, bottom: 24 },
    xAxis: { type: 'category', data: labels, boundaryGap: false, axisLabel: { interval: 12 } },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
  return { option, firstShown };
}

function CategoryCard({ data, c }: { data: StatsForecast; c: ForecastCategory }) {
  const { option } = useMemo(() => chartOf(data, c), [data, c]);
  const last = data.weeks[data.weeks.length - 1];
  const fc = c.forecast;
  return (
    <section className={`card fc-card${c.warning ? ' fc-warn' : ''}`} data-testid="forecast-card" data-category={c.name}>
      <div className="card-head">
        <h3>{c.name}</h3>
        {fc.status === 'ok' ? (
          <span className="muted small" data-testid="forecast-mape">
            回测MAPE：基准 {formatRate(fc.baselineMape)} · 模型 {formatRate(fc.modelMape)} ·{' '}
            <b className={fc.method === 'scaledSeasonal' ? 'fc-model' : ''}>采用{fc.method === 'scaledSeasonal' ? '模型' : '基准'}</b>
          </span>
        ) : (
          <span className="muted small">历史不足</span>
        )}
      </div>
      {fc.status === 'tooLittle' && (
        <p className="callout small" data-testid="forecast-too-little">
          已有 {fc.weeks} 周完整记录，季节预测需要至少 {fc.needed} 周（约一年半：一整年的季节加上回测），暂不预测。
        </p>
      )}
      <EChart option={option} height={190} testId="forecast-chart" />
      {fc.status === 'ok' && (
        <p className="muted small fc-foot">
          近{LEVEL_WEEKS}周平均 {fc.recentLevel.toFixed(1)} 件/周；未来{HORIZON_WEEKS}周预计共 {round(fc.points.reduce((s, p) => s + p.value, 0))} 件 · {FORECAST_METHOD_LABELS[fc.method]} · 回测 {fc.origins} 个起点
          {last && (
            <>
              {' · '}
              <a href={figureHref('received', { from: addDays(last, -7 * (LEVEL_WEEKS - 1)), to: addDays(last, 7) }, { categoryId: c.key })} data-testid="forecast-recent-link">
                近{LEVEL_WEEKS}周 {c.history.slice(-LEVEL_WEEKS).reduce((a, b) => a + b, 0)} 件
              </a>
            </>
          )}
        </p>
      )}
    </section>
  );
}

export function ForecastTab() {
  const q = useLiveQuery(useCallback(() => call('stats.forecast', {}), []), null);
  const data = q.loading ? null : q.data;
  if (q.error) return <div className="callout error">{q.error}</div>;
  if (!data) return <Spinner label="正在计算预测…" />;
  if (!data.categories.length)
    return (
      <div className="card stats-empty" data-testid="forecast-empty">
        <h3>还没有可用于预测的历史</h3>
        <p>
          有了完整的受理周记录后，这里按问题大类显示每周受理量；积累满 {MIN_HISTORY_WEEKS} 周（约一年半）后，预测未来 {HORIZON_WEEKS} 周的受理量及其区间，并在开学季、汛期、供暖季等到来前提示将明显上升的问题。
        </p>
      </div>
    );
  const warnings = data.categories.filter((c) => c.warning);
  const ready = data.categories.filter((c) => c.forecast.status === 'ok').length;
  return (
    <>
      <section className="card" data-testid="forecast-warnings">
        <div className="card-head">
          <h3>未来{HORIZON_WEEKS}周预警</h3>
          <span className="muted small">
            {data.forecastWeeks[0]} 起（本周未满，按整周预测） · {ready}/{data.categories.length} 个大类可预测
          </span>
        </div>
        {warnings.length ? (
          <ul className="fc-warnings">
            {warnings.map((c) => {
              const w = c.warning!;
              return (
                <li key={c.key} data-testid="forecast-warning">
                  <b>{c.name}</b>：预计 {md(w.weeks[0]!)}{w.weeks.length > 1 ? `–${md(addDays(w.weeks[w.weeks.length - 1]!, 6))}` : ` 起一周`} 明显上升，峰值约 {round(w.peak)} 件/周，为近{LEVEL_WEEKS}周平均（{w.recentLevel.toFixed(1)} 件）的 {(w.peak / Math.max(w.recentLevel, 0.1)).toFixed(1)} 倍
                  {w.seasons.length ? <span className="fc-season">正值{w.seasons.join('、')}</span> : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="muted" data-testid="forecast-no-warning">未来{HORIZON_WEEKS}周没有预计明显高于近期水平的大类。</p>
        )}
        <p className="muted small fc-method">
          方法：每周受理量（受理量口径：新建且未作废、未合并）。基准为季节朴素——预测某周等于去年同一周，不按近期水平缩放；模型为平滑季节×近期水平——去年同周及前后各一周的平均，乘以近{LEVEL_WEEKS}周与去年同期之比（限0.5–2倍）。两者都做滚动起点回测（每4周一个起点，预测其后{HORIZON_WEEKS}周），模型只在回测MAPE低于基准时采用；区间为所用方法回测相对误差的10%–90%分位（约80%）。预警：至少两周的预测不低于近{LEVEL_WEEKS}周平均的1.5倍且多出至少5件。
        </p>
      </section>
      <div className="chart-grid fc-grid">
        {data.categories.map((c) => (
          <CategoryCard key={c.key} data={data} c={c} />
        ))}
      </div>
    </>
  );
}
