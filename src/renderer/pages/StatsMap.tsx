// 统计分析 › 网格地图: the street's grids (or communities) on the offline map, filled by a figure of
// the chosen period (the same breakdown the tables use, so map and table agree). A click on a grid
// opens the ticket list with the figure's own filter, the period and the grid.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StatsGroupRow } from '../../shared/api/stats';
import { FIGURE_LABELS, formatRate, isHoursKey, isRateKey, RATES, type Figures, type TicketFigure } from '../../shared/stats/figures';
import type { Period } from '../../shared/stats/period';
import { call } from '../api/client';
import { Spinner } from '../components/Form';
import { figureHref } from '../lib/filters';
import { useLiveQuery } from '../lib/liveQuery';
import { OpsMap, type ChoroplethCell } from '../map/OpsMap';
import { countClasses } from '../../shared/stats/countClasses';

/** The figures the map can show (counts, rates and the 处置时长 median). */
export const MAP_FIGURES = [
  'received',
  'resolved',
  'onTimeRate',
  'satisfactionRate',
  'acceptedInTimeRate',
  'resolutionRate',
  'resolveHoursMedian',
  'proactiveRate',
  'repeatRate',
  'returnRate',
  'extensionRate',
  'microInGridRate',
  'callbacks',
  'supervised',
] as const satisfies ReadonlyArray<keyof Figures>;
export type MapFigure = (typeof MAP_FIGURES)[number];
export type MapGridLevel = '2' | '3';

/** Light to dark: darker is "more" for counts and hours, "worse" for rates. */
const SCALE = ['#fff1cc', '#fdcc8a', '#fc8d59', '#e34a33', '#a50f15'];
const CLASSES = SCALE.length;

/** The tickets a click opens: a count's own tickets, a rate's denominator, the resolved ones for 处置时长. */
export function clickFigure(k: MapFigure): TicketFigure {
  if (isRateKey(k)) return RATES[k].den;
  if (isHoursKey(k)) return 'resolved';
  return k as TicketFigure;
}

function fmt(k: MapFigure, v: number | null): string {
  if (v == null) return '—';
  if (isRateKey(k)) return formatRate(v);
  if (isHoursKey(k)) return `${v.toFixed(1)}小时`;
  return v.toLocaleString('zh-CN');
}

interface Legend {
  classes: Array<{ color: string; label: string }>;
  note: string;
}

function classify(rows: StatsGroupRow[], k: MapFigure): { cells: Map<string, ChoroplethCell>; legend: Legend | null } {
  const worseLow = isRateKey(k) && RATES[k].higherIsBetter;
  const vals = rows.map((r) => r.figures[k]).filter((v): v is number => v != null);
  const cells = new Map<string, ChoroplethCell>();
  if (!vals.length) return { cells, legend: null };
  const min = Math.min(...vals);
  const max = Math.max(...vals);
  const step = (max - min) / CLASSES || 1;
  const classOf = (v: number) => Math.min(CLASSES - 1, Math.floor((v - min) / step));
  const colorOf = (v: number) => SCALE[worseLow ? CLASSES - 1 - classOf(v) : classOf(v)]!;
  const cf = clickFigure(k);
  for (const r of rows) {
    if (!r.key || r.filter == null) continue;
    const v = r.figures[k];
    const lines = [`${FIGURE_LABELS[k]}：${fmt(k, v)}`];
    if (isRateKey(k)) lines.push(`${FIGURE_LABELS[RATES[k].num]} ${r.figures[RATES[k].num]} / ${FIGURE_LABELS[RATES[k].den]} ${r.figures[RATES[k].den]}`);
    lines.push(`点击查看${FIGURE_LABELS[cf]} ${(r.figures[cf] as number).toLocaleString('zh-CN')} 件工单`);
    cells.set(r.key, { color: v == null ? '#d0d4da' : colorOf(v), text: fmt(k, v), lines });
  }
  const single = max === min;
  const classes = single
    ? [{ color: colorOf(min), label: fmt(k, min) }]
    : isRateKey(k) || isHoursKey(k)
      ? SCALE.map((_, i) => {
          const lo = min + i * step;
          const hi = i === CLASSES - 1 ? max : min + (i + 1) * step;
          return { color: SCALE[worseLow ? CLASSES - 1 - i : i]!, label: `${fmt(k, lo)} – ${fmt(k, hi)}` };
        })
      : countClasses(min, max, classOf).map(([i, lo, hi]) => ({ color: SCALE[i]!, label: lo === hi ? fmt(k, lo) : `${fmt(k, lo)} – ${fmt(k, hi)}` }));
  return { cells, legend: { classes, note: worseLow ? '颜色越深越差（比率越低）' : isRateKey(k) ? '颜色越深越差（比率越高）' : isHoursKey(k) ? '颜色越深时长越长' : '颜色越深越多' } };
}

export function StatsMapTab({ period, figure, level, onChange }: { period: Period; figure: MapFigure; level: MapGridLevel; onChange: (f: MapFigure, l: MapGridLevel) => void }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [ctrl, setCtrl] = useState<OpsMap | null>(null);
  const p = useMemo(() => ({ kind: period.kind, from: period.from, to: period.to }), [period.kind, period.from, period.to]);
  const basemapQ = useLiveQuery(useCallback(() => call('map.basemap', {}), []), null);
  const gridsQ = useLiveQuery(useCallback(() => call('grids.geojson', {}), []), null);
  const dataQ = useLiveQuery(useCallback(() => call('stats.breakdown', { period: p, dimension: level === '2' ? 'community' : 'grid' }), [p, level]), null);
  const rows = dataQ.loading ? null : dataQ.data?.rows ?? null;
  const { cells, legend } = useMemo(() => (rows ? classify(rows, figure) : { cells: null, legend: null }), [rows, figure]);
  const rowsRef = useRef<{ rows: StatsGroupRow[] | null; figure: MapFigure; period: Period }>({ rows: null, figure, period });
  rowsRef.current = { rows, figure, period };

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const m: OpsMap = new OpsMap(host, {
      onGridClick: (id) => {
        if (!id) return;
        const { rows: rs, figure: f, period: per } = rowsRef.current;
        const row = rs?.find((r) => r.key === id);
        location.hash = figureHref(clickFigure(f), per, row?.filter ?? { gridId: id }).slice(1);
      },
      onTicketClick: () => undefined,
      onTicketGroup: () => undefined,
      onPick: () => undefined,
      onRenderComplete: () => {
        // For tests and diagnostics: the grid with the most tickets behind the figure, and where it is.
        const { rows: rs, figure: f } = rowsRef.current;
        const top = rs?.filter((r) => r.key && r.filter).sort((a, b) => (b.figures[clickFigure(f)] as number) - (a.figures[clickFigure(f)] as number))[0];
        const px = top?.key ? m.gridPixel(top.key) : null;
        host.dataset.topGrid = top?.key ?? '';
        host.dataset.topPixel = px ? px.map((n) => Math.round(n)).join(',') : '';
      },
    });
    m.setDisplay('none');
    setCtrl(m);
    return () => {
      m.dispose();
      setCtrl(null);
    };
  }, []);
  useEffect(() => {
    if (ctrl && basemapQ.data) ctrl.setBasemap(basemapQ.data);
  }, [ctrl, basemapQ.data]);
  useEffect(() => {
    if (ctrl && gridsQ.data) ctrl.setGrids(gridsQ.data);
  }, [ctrl, gridsQ.data]);
  useEffect(() => ctrl?.setLevel(level), [ctrl, level]);
  useEffect(() => {
    if (!ctrl) return;
    ctrl.setChoropleth(cells ?? new Map());
    if (hostRef.current) hostRef.current.dataset.ready = cells && basemapQ.data && gridsQ.data ? '1' : '0';
  }, [ctrl, cells, basemapQ.data, gridsQ.data]);

  const error = basemapQ.error ?? gridsQ.error ?? dataQ.error;
  const listed = useMemo(
    () =>
      (rows ?? [])
        .filter((r) => r.key && r.filter && r.figures[figure] != null)
        .sort((a, b) => {
          const worseLow = isRateKey(figure) && RATES[figure].higherIsBetter;
          const d = (b.figures[figure] as number) - (a.figures[figure] as number);
          return worseLow ? -d : d;
        })
        .slice(0, 12),
    [rows, figure],
  );
  return (
    <section className="card stats-map-card">
      <div className="card-head">
        <label className="stats-map-pick">
          指标
          <select value={figure} onChange={(e) => onChange(e.target.value as MapFigure, level)} data-testid="choropleth-figure">
            {MAP_FIGURES.map((k) => (
              <option key={k} value={k}>
                {FIGURE_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <div className="seg" role="radiogroup" aria-label="网格层级">
          {(['2', '3'] as const).map((l) => (
            <button key={l} type="button" role="radio" aria-checked={level === l} className={level === l ? 'on' : ''} data-testid={`choropleth-level-${l}`} onClick={() => onChange(figure, l)}>
              {l === '2' ? '社区' : '网格'}
            </button>
          ))}
        </div>
        <span className="muted small">点击{level === '2' ? '社区' : '网格'}查看本期{FIGURE_LABELS[clickFigure(figure)]}的工单</span>
      </div>
      {error && <div className="callout error">{error}</div>}
      <div className="stats-map-body">
        <div className="map-wrap stats-map-wrap">
          <div className="map-host" ref={hostRef} data-testid="choropleth-map" tabIndex={0} aria-label={`各${level === '2' ? '社区' : '网格'}${FIGURE_LABELS[figure]}地图`} />
          {!rows && <div className="stats-map-loading"><Spinner label="正在统计…" /></div>}
          {legend && (
            <div className="stats-map-legend" data-testid="choropleth-legend">
              <strong>{FIGURE_LABELS[figure]}</strong>
              {legend.classes.map((c) => (
                <div key={c.label} className="legend-row">
                  <i style={{ background: c.color }} />
                  {c.label}
                </div>
              ))}
              <div className="legend-row">
                <i style={{ background: '#d0d4da' }} />无数据
              </div>
              <div className="muted small">{legend.note}</div>
            </div>
          )}
          {rows && !legend && <div className="stats-map-legend" data-testid="choropleth-legend">本期没有可着色的{FIGURE_LABELS[figure]}数据</div>}
        </div>
        <ol className="stats-map-list" data-testid="choropleth-list">
          {listed.map((r) => (
            <li key={r.key}>
              <a href={figureHref(clickFigure(figure), period, r.filter)} data-testid="choropleth-list-item">
                <span>{r.name}</span>
                <b>
                  {fmt(figure, r.figures[figure])}
                  {isRateKey(figure) && <small className="muted"> /{r.figures[RATES[figure].den]}件</small>}
                </b>
              </a>
            </li>
          ))}
          {rows && !listed.length && <li className="muted">本期没有数据</li>}
        </ol>
      </div>
    </section>
  );
}
