// 地图: the street on an offline OpenLayers map — grids by level, tickets as status-coloured
// clusters or a heat map, a grid's profile on click, and "在此新建工单" by picking a point.
// Filters are the ticket list's (lib/filters.ts, the same URL parameters), so the list and the
// map switch back and forth on the same selection. Map-only settings ride along in the hash:
// level=2|3|micro|special, show=heat|none.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GridLookupResult, TicketPoints } from '../../shared/api/grids';
import { OPEN_STATUSES, STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { FilterBar } from '../components/FilterBar';
import { canCreateTickets } from '../components/Shell';
import { filterFromQuery, filterToQuery, toApiFilter, type ListFilter } from '../lib/filters';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { navigate, ticketPath, type Route } from '../lib/router';
import { ALARM_ORANGE, OVERDUE_RED, statusColors } from '../map/colors';
import { HEAT_COLORS } from '../map/heat';
import { addressHint } from '../map/nearby';
import { OpsMap, type MapLevel, type TicketDisplay } from '../map/OpsMap';
import { GridProfilePanel, PickPanel, TicketGroupPanel, TicketPanel } from '../map/panels';
import { useReadySession } from '../state/session';

const LEVELS: Array<{ key: MapLevel; label: string }> = [
  { key: '2', label: '社区' },
  { key: '3', label: '网格' },
  { key: 'micro', label: '微网格' },
  { key: 'special', label: '专属网格' },
];
const DISPLAYS: Array<{ key: TicketDisplay; label: string }> = [
  { key: 'points', label: '点位' },
  { key: 'heat', label: '热力' },
  { key: 'none', label: '隐藏' },
];

function parseLevel(s: string | null): MapLevel {
  return s === '2' || s === 'micro' || s === 'special' ? s : '3';
}
function parseDisplay(s: string | null): TicketDisplay {
  return s === 'heat' || s === 'none' ? s : 'points';
}

/** #/map?<filters>&level=..&show=.. */
export function mapPath(f: ListFilter, level: MapLevel = '3', show: TicketDisplay = 'points'): string {
  const qs = [filterToQuery(f), level !== '3' ? `level=${level}` : '', show !== 'points' ? `show=${show}` : ''].filter(Boolean).join('&');
  return qs ? `/map?${qs}` : '/map';
}

type Selection =
  | { kind: 'grid'; id: string }
  | { kind: 'ticket'; id: string }
  | { kind: 'group'; ids: string[] }
  | { kind: 'pick'; lon: number; lat: number }
  | null;

interface Summary {
  shown: number;
  overdue: number;
  byStatus: Partial<Record<TicketStatus, number>>;
  truncated: boolean;
  noPoint: TicketPoints['noPoint'];
  /** Drawn tickets raised by alarms (设备报警). */
  alarms: number;
}

function summarize(tp: TicketPoints): Summary {
  const byStatus: Partial<Record<TicketStatus, number>> = {};
  let overdue = 0;
  for (const p of tp.points) {
    const s = tp.statuses[p[3]];
    if (s) byStatus[s] = (byStatus[s] ?? 0) + 1;
    overdue += p[4];
  }
  return { shown: tp.points.length, overdue, byStatus, truncated: tp.truncated, noPoint: tp.noPoint, alarms: Object.keys(tp.alarms ?? {}).length };
}

// Grids (their open counts) and points move when tickets change.
const MAP_EVENTS = ticketEvents(undefined, 1500);

export function MapPage({ route }: { route: Route }) {
  const { lookups, user } = useReadySession();
  const filter = useMemo(() => filterFromQuery(route.query), [route.query]);
  const filterKey = filterToQuery(filter);
  const level = parseLevel(route.query.get('level'));
  const display = parseDisplay(route.query.get('show'));
  const canCreate = canCreateTickets(user.role);
  const openOnly = filter.statuses.length === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => filter.statuses.includes(s));

  const hostRef = useRef<HTMLDivElement>(null);
  const [ctrl, setCtrl] = useState<OpsMap | null>(null);
  const basemapQuery = useLiveQuery(useCallback(() => call('map.basemap', {}), []), null);
  const gridsQuery = useLiveQuery(useCallback(() => call('grids.geojson', {}), []), MAP_EVENTS);
  const pointsQuery = useLiveQuery(
    useCallback(() => call('tickets.points', { filter: toApiFilter(filterFromQuery(new URLSearchParams(filterKey))) }), [filterKey]),
    MAP_EVENTS,
  );
  const basemap = basemapQuery.data;
  const grids = gridsQuery.data;
  const points = pointsQuery.data;
  const summary = useMemo(() => (points ? summarize(points) : null), [points]);
  const loadError = basemapQuery.error ?? gridsQuery.error;
  const pointsError = pointsQuery.error;
  const pointsLoading = pointsQuery.loading;
  const [selection, setSelection] = useState<Selection>(null);
  const [picking, setPicking] = useState(false);
  const loaded = useRef({ base: false, grids: false, points: false });

  const go = useCallback((f: ListFilter, l: MapLevel, d: TicketDisplay) => navigate(mapPath(f, l, d), { replace: true }), []);
  const onFilterChange = useCallback((f: ListFilter) => go(f, level, display), [go, level, display]);

  // The map itself, once per mount.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const markReady = () => {
      const l = loaded.current;
      host.dataset.ready = l.base && l.grids && l.points ? '1' : '0';
    };
    const m: OpsMap = new OpsMap(host, {
      onGridClick: (id) => setSelection(id ? { kind: 'grid', id } : null),
      onTicketClick: (id) => setSelection({ kind: 'ticket', id }),
      onTicketGroup: (ids) => setSelection({ kind: 'group', ids }),
      onPick: (lon, lat) => setSelection({ kind: 'pick', lon, lat }),
      onRenderComplete: () => {
        host.dataset.gridFeatures = String(m.gridFeatureCount());
        markReady();
      },
    });
    host.dataset.ready = '0';
    setCtrl(m);
    return () => {
      m.dispose();
      setCtrl(null);
    };
  }, []);

  useEffect(() => {
    if (!ctrl || !basemap) return;
    ctrl.setBasemap(basemap);
    loaded.current.base = true;
  }, [ctrl, basemap]);
  useEffect(() => {
    if (!ctrl || !grids) return;
    ctrl.setGrids(grids);
    loaded.current.grids = true;
  }, [ctrl, grids]);

  // Ticket points: the newest answer wins; the map is not ready while they load.
  useEffect(() => {
    if (!pointsLoading) return;
    loaded.current.points = false;
    if (hostRef.current) hostRef.current.dataset.ready = '0';
  }, [pointsLoading]);
  useEffect(() => {
    if (!ctrl || !points) return;
    ctrl.setPoints(points);
    loaded.current.points = true;
    if (hostRef.current) hostRef.current.dataset.points = String(points.points.length);
  }, [ctrl, points]);

  useEffect(() => ctrl?.setLevel(level), [ctrl, level]);
  useEffect(() => ctrl?.setDisplay(display), [ctrl, display]);
  useEffect(() => ctrl?.setPicking(picking), [ctrl, picking]);
  useEffect(() => {
    ctrl?.setSelectedGrid(selection?.kind === 'grid' ? selection.id : null);
    if (selection?.kind !== 'pick') ctrl?.setPickMarker(null);
  }, [ctrl, selection]);

  // A grid chosen in the filter bar: bring it into view.
  useEffect(() => {
    if (ctrl && grids && filter.gridId) ctrl.fitGrid(filter.gridId);
  }, [ctrl, grids, filter.gridId]);

  // Esc: leave pick mode, then close the panel.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) return;
      if (picking) {
        setPicking(false);
        setSelection(null);
      } else setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [picking]);

  const selectGrid = useCallback(
    (id: string) => {
      const g = lookups.grids.get(id);
      setPicking(false);
      setSelection({ kind: 'grid', id });
      if (g && g.level !== '1' && g.level !== level && !(g.level === '2' && level !== 'special')) go(filter, g.level as MapLevel, display);
      ctrl?.fitGrid(id);
    },
    [lookups.grids, level, go, filter, display, ctrl],
  );

  const createHere = useCallback(
    (r: GridLookupResult) => {
      if (selection?.kind !== 'pick') return;
      const p = new URLSearchParams();
      p.set('lon', selection.lon.toFixed(7));
      p.set('lat', selection.lat.toFixed(7));
      p.set('gridId', r.grid.id);
      const hint = basemap ? addressHint(selection.lon, selection.lat, basemap.roads.features) : null;
      if (hint) p.set('address', hint);
      navigate(`/new?${p.toString()}`);
    },
    [selection, basemap],
  );

  const togglePick = () => {
    setPicking((p) => !p);
    setSelection(null);
  };

  const colors = statusColors();
  const listHref = `#/tickets${filterKey ? `?${filterKey}` : ''}`;

  return (
    <div className="page page-fill map-page">
      <div className="page-head compact">
        <h2>地图</h2>
        <div className="list-meta" data-testid="map-count">
          {pointsError ? (
            <span className="error-text">{pointsError}</span>
          ) : summary ? (
            <>
              地图显示 <strong>{summary.shown.toLocaleString('zh-CN')}</strong> 件工单
              {summary.overdue > 0 && (
                <span className="map-meta-overdue">
                  · 超期 <strong>{summary.overdue.toLocaleString('zh-CN')}</strong>
                </span>
              )}
              {summary.truncated && <span className="warn"> · 仅显示最新的 {summary.shown.toLocaleString('zh-CN')} 件，请缩小筛选范围</span>}
              {summary.noPoint.count > 0 && <NoPointList noPoint={summary.noPoint} />}
              {pointsLoading && <span className="spinner map-inline-spinner" aria-label="更新中" />}
            </>
          ) : (
            '加载中…'
          )}
        </div>
        <div className="spacer" />
        <a className="btn-link" href={listHref} data-testid="map-to-list">
          ☰ 在列表中查看
        </a>
      </div>
      <FilterBar filter={filter} onChange={onFilterChange} lookups={lookups} />
      <div className="map-wrap">
        <div className="map-host" ref={hostRef} data-testid="map" tabIndex={0} aria-label="街道地图" />

        <div className="map-toolbar" data-testid="map-toolbar">
          <div className="map-tool-group">
            <span className="map-tool-label">网格层级</span>
            <div className="seg" role="radiogroup" aria-label="网格层级">
              {LEVELS.map((l) => (
                <button
                  key={l.key}
                  type="button"
                  role="radio"
                  aria-checked={level === l.key}
                  className={level === l.key ? 'on' : ''}
                  data-testid={`map-level-${l.key}`}
                  onClick={() => go(filter, l.key, display)}
                >
                  {l.label}
                </button>
              ))}
            </div>
          </div>
          <div className="map-tool-group">
            <span className="map-tool-label">工单</span>
            <div className="seg" role="radiogroup" aria-label="工单显示">
              {DISPLAYS.map((d) => (
                <button
                  key={d.key}
                  type="button"
                  role="radio"
                  aria-checked={display === d.key}
                  className={display === d.key ? 'on' : ''}
                  title={d.key === 'heat' ? '按当前筛选（受理日期、分类等）显示工单密度' : undefined}
                  data-testid={`map-show-${d.key}`}
                  onClick={() => go(filter, level, d.key)}
                >
                  {d.label}
                </button>
              ))}
            </div>
          </div>
          <button
            type="button"
            className={`map-chip-btn${openOnly ? ' on' : ''}`}
            aria-pressed={openOnly}
            onClick={() => go({ ...filter, statuses: openOnly ? [] : [...OPEN_STATUSES] }, level, display)}
            data-testid="map-open-only"
            title="只显示未办结（已上报、已登记、已派单、处置中、已退回、已重启）的工单"
          >
            {openOnly ? '☑' : '☐'} 仅未办结
          </button>
          {canCreate && (
            <button type="button" className={`map-pick-btn${picking ? ' on' : ''}`} onClick={togglePick} aria-pressed={picking} data-testid="map-pick">
              {picking ? '✕ 退出选点' : '⊕ 在此新建工单'}
            </button>
          )}
          <button type="button" className="map-fit-btn" onClick={() => ctrl?.fitStreet()} title="显示全街道" data-testid="map-fit">
            ⤢ 全街道
          </button>
        </div>

        {picking && selection?.kind !== 'pick' && (
          <div className="map-banner" data-testid="pick-banner">
            在地图上点击问题发生的位置，系统将判定所属网格 · 按 Esc 退出
          </div>
        )}

        {loadError && (
          <div className="map-error callout error" role="alert">
            地图数据加载失败：{loadError}
            <button
              type="button"
              className="link-btn"
              onClick={() => {
                if (basemapQuery.error) void basemapQuery.reload();
                void gridsQuery.reload();
                void pointsQuery.reload();
              }}
            >
              重试
            </button>
          </div>
        )}

        <div className="map-legend" data-testid="map-legend">
          {display === 'heat' ? (
            <>
              <div className="ml-title">工单密度</div>
              <div className="ml-heat" style={{ background: `linear-gradient(90deg, ${HEAT_COLORS.join(', ')})` }} />
              <div className="ml-heat-scale">
                <span>低</span>
                <span>高</span>
              </div>
            </>
          ) : (
            <>
              <div className="ml-title">工单状态</div>
              <div className="ml-rows">
                {TICKET_STATUSES.filter((s) => summary?.byStatus[s]).map((s) => (
                  <div key={s} className="ml-row">
                    <span className="ml-dot" style={{ background: colors[s] }} />
                    <span>{STATUS_LABELS[s]}</span>
                    <span className="ml-n">{(summary?.byStatus[s] ?? 0).toLocaleString('zh-CN')}</span>
                  </div>
                ))}
                <div className="ml-row">
                  <span className="ml-dot ml-overdue" style={{ borderColor: OVERDUE_RED }} />
                  <span>超期（红圈）</span>
                  <span className="ml-n">{(summary?.overdue ?? 0).toLocaleString('zh-CN')}</span>
                </div>
                {summary && summary.alarms > 0 && (
                  <div className="ml-row" data-testid="map-alarms">
                    <span className="ml-tri" style={{ borderBottomColor: ALARM_ORANGE }} />
                    <span>设备报警（三角）</span>
                    <span className="ml-n">{summary.alarms.toLocaleString('zh-CN')}</span>
                  </div>
                )}
              </div>
              <div className="ml-note">圆环按状态占比着色，数字为工单数；点击放大</div>
            </>
          )}
        </div>

        {selection?.kind === 'grid' && (
          <GridProfilePanel
            key={selection.id}
            id={selection.id}
            onClose={() => setSelection(null)}
            onSelectGrid={selectGrid}
            filteredGridId={filter.gridId}
            onFilterGrid={(gridId) => go({ ...filter, gridId }, level, display)}
          />
        )}
        {selection?.kind === 'ticket' && <TicketPanel key={selection.id} id={selection.id} lookups={lookups} onClose={() => setSelection(null)} />}
        {selection?.kind === 'group' && <TicketGroupPanel key={selection.ids.join(',')} ids={selection.ids} onClose={() => setSelection(null)} />}
        {selection?.kind === 'pick' && (
          <PickPanel
            lon={selection.lon}
            lat={selection.lat}
            hint={basemap ? addressHint(selection.lon, selection.lat, basemap.roads.features) : null}
            canCreate={canCreate}
            onCreate={createHere}
            onClose={() => setSelection(null)}
          />
        )}
      </div>
    </div>
  );
}

/** "N 件无坐标": tickets the filter matches that the map cannot draw, with the newest listed. */
function NoPointList({ noPoint }: { noPoint: TicketPoints['noPoint'] }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="map-nopoint">
      {' · '}
      <button type="button" className="link-btn warn" onClick={() => setOpen((o) => !o)} data-testid="map-no-point" aria-expanded={open}>
        另有 {noPoint.count.toLocaleString('zh-CN')} 件无坐标
      </button>
      {open && (
        <ul className="map-nopoint-list" data-testid="map-no-point-list">
          {noPoint.sample.map((t) => (
            <li key={t.id}>
              <a href={`#${ticketPath(t.id)}`}>
                <span className="mono">{t.code}</span> {t.description}
              </a>
            </li>
          ))}
          {noPoint.count > noPoint.sample.length && <li className="muted">…仅列出最新 {noPoint.sample.length} 件，可在列表中查看全部</li>}
        </ul>
      )}
    </span>
  );
}
