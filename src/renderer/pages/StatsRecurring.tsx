// 统计分析 › 一批事: recurring problems mined from the street's history (same place, same kind of
// problem, over a window), the 一类事 across places, and the 专项治理 items opened from them. The
// rules are src/shared/recurring/rules.ts; the mining runs on the node (recurring.groups).

import { useCallback, useMemo, useState } from 'react';
import type { RecurringGroup, RecurringItemDetail, RecurringResult } from '../../shared/api/recurring';
import { recurringCloseInput, recurringNoteInput, recurringOpenInput } from '../../shared/api/recurring';
import { DEFAULT_MINING, PLACE_MODES, PLACE_MODE_LABELS, type MiningParams, type PlaceMode } from '../../shared/recurring/rules';
import { STATUS_LABELS } from '../../shared/domain/ticket';
import { addDays } from '../../shared/stats/period';
import { call } from '../api/client';
import { FormError, Spinner } from '../components/Form';
import { DateInput } from '../components/DateInputs';
import { UnitSelect, groupUnits } from '../components/Pickers';
import { EChart, type ChartOption } from '../lib/charts';
import { formatDateTime, fromDateInput, serverNow, toDateInput } from '../lib/format';
import { useLiveQuery } from '../lib/liveQuery';
import { navigate, type Route } from '../lib/router';
import { useSubmit } from '../lib/submit';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import { PointsMap } from '../map/PointsMap';

const day = (ms: number) => toDateInput(ms);

function paramsFromQuery(q: URLSearchParams): MiningParams {
  const num = (k: string, d: number, min: number, max: number) => {
    const v = Number(q.get(k));
    return q.get(k) != null && Number.isFinite(v) && v >= min && v <= max ? v : d;
  };
  const place = (PLACE_MODES as readonly string[]).includes(q.get('place') ?? '') ? (q.get('place') as PlaceMode) : DEFAULT_MINING.place;
  return {
    windowDays: Math.round(num('win', DEFAULT_MINING.windowDays, 30, 1830)),
    place,
    radiusM: Math.round(num('radius', DEFAULT_MINING.radiusM, 10, 1000)),
    minSimilarity: num('sim', DEFAULT_MINING.minSimilarity, 0, 1),
    minCount: Math.round(num('min', DEFAULT_MINING.minCount, 2, 100)),
    minSpanDays: Math.round(num('span', DEFAULT_MINING.minSpanDays, 0, 365)),
  };
}

function paramsQuery(p: MiningParams): string {
  return `win=${p.windowDays}&place=${p.place}&radius=${p.radiusM}&sim=${p.minSimilarity}&min=${p.minCount}&span=${p.minSpanDays}`;
}

const go = (q: string) => navigate(`/stats?tab=recurring&${q}`);

function Sparkline({ counts, months }: { counts: number[]; months: string[] }) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 1, right: 1, top: 3, bottom: 1 },
      xAxis: { type: 'category', show: false, data: months },
      yAxis: { type: 'value', show: false, min: 0 },
      tooltip: { trigger: 'axis', confine: true, formatter: (ps: Array<{ name: string; value: number }>) => `${ps[0]!.name}：${ps[0]!.value} 件` },
      series: [{ type: 'bar', data: counts, itemStyle: { color: '#1f6feb' }, barCategoryGap: '20%' }],
    }),
    [counts, months],
  );
  return <EChart option={option} height={26} />;
}

export function RecurringTab({ route }: { route: Route }) {
  const params = useMemo(() => paramsFromQuery(route.query), [route.query]);
  const groupKey = route.query.get('group');
  const itemId = route.query.get('item');
  if (itemId) return <ItemView id={itemId} params={params} />;
  if (groupKey) return <GroupView groupKey={groupKey} params={params} />;
  return <GroupList params={params} />;
}

function ParamsBar({ params }: { params: MiningParams }) {
  const [p, setP] = useState(params);
  const set = <K extends keyof MiningParams>(k: K, v: MiningParams[K]) => setP((x) => ({ ...x, [k]: v }));
  const num = (k: 'windowDays' | 'radiusM' | 'minCount' | 'minSpanDays', label: string, min: number, max: number, unit: string) => (
    <label>
      {label}
      <input type="number" min={min} max={max} value={p[k]} onChange={(e) => set(k, Math.max(min, Math.min(max, Math.round(Number(e.target.value) || min))))} data-testid={`rec-${k}`} />
      {unit}
    </label>
  );
  return (
    <form
      className="rec-params"
      onSubmit={(e) => {
        e.preventDefault();
        go(paramsQuery(p));
      }}
      data-testid="rec-params"
    >
      {num('windowDays', '近', 30, 1830, '天')}
      <label>
        地点
        <select value={p.place} onChange={(e) => set('place', e.target.value as PlaceMode)} data-testid="rec-place">
          {PLACE_MODES.map((m) => (
            <option key={m} value={m}>
              {PLACE_MODE_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {p.place === 'near' && num('radiusM', 'N =', 10, 1000, '米')}
      <label>
        描述相似度 ≥
        <input type="number" min={0} max={1} step={0.05} value={p.minSimilarity} onChange={(e) => set('minSimilarity', Math.max(0, Math.min(1, Number(e.target.value) || 0)))} data-testid="rec-sim" />
      </label>
      {num('minCount', '至少', 2, 100, '件')}
      {num('minSpanDays', '跨度超过', 0, 365, '天')}
      <button type="submit">重新分析</button>
      <span className="muted">同一小类问题、同一地点，反复出现即为“批量问题”</span>
    </form>
  );
}

function ItemsCard() {
  const q = useLiveQuery(useCallback(() => call('recurring.items', {}), []), { on: ['recurring.changed'], debounceMs: 300 });
  const items = q.data;
  return (
    <div className="card" data-testid="rec-items">
      <div className="card-head">
        <h3>专项治理</h3>
        <span className="muted">从批量问题开立；新受理的同地点同类工单自动关联</span>
      </div>
      {q.error && <div className="callout error">{q.error}</div>}
      {!items && !q.error && <Spinner />}
      {items && items.length === 0 && <p className="muted">还没有专项治理事项。在下方的批量问题中点开一组，即可开立专项治理：指定牵头单位、协办单位和完成期限。</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="stats-table rec-table">
            <thead>
              <tr>
                <th>编号</th>
                <th>标题</th>
                <th>状态</th>
                <th>分类 · 地点</th>
                <th>牵头单位</th>
                <th className="num">关联工单</th>
                <th className="num">其中自动关联</th>
                <th>完成期限</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} data-testid={`rec-item-${i.code}`}>
                  <td>
                    <a className="row-link" href={`#/stats?tab=recurring&item=${i.id}`}>
                      {i.code}
                    </a>
                  </td>
                  <td className="place">{i.title}</td>
                  <td>{i.status === 'open' ? '治理中' : '已结项'}</td>
                  <td className="place">
                    {i.categoryPath} · {i.place}
                  </td>
                  <td>{i.leadUnitName}</td>
                  <td className="num">{i.tickets}</td>
                  <td className="num">{i.autoLinked}</td>
                  <td className={i.status === 'open' && i.deadline < serverNow() ? 'danger' : ''}>{day(i.deadline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function GroupList({ params }: { params: MiningParams }) {
  const q = useLiveQuery(useCallback(() => call('recurring.groups', { params }), [params]), { on: ['recurring.changed'], debounceMs: 1000 });
  const r: RecurringResult | null = q.loading ? null : q.data;
  const pq = paramsQuery(params);
  return (
    <div data-testid="rec-page">
      <ItemsCard />
      <div className="card" data-testid="rec-groups">
        <div className="card-head">
          <h3>批量问题（一批事）</h3>
          {r && (
            <span className="muted" data-testid="rec-summary">
              {day(r.from)} 至 {day(r.to - 1)}，分析 {r.scanned} 件工单，发现 {r.groupCount} 组批量问题{r.groupCount > r.groups.length ? `（列出件数最多的 ${r.groups.length} 组）` : ''}，用时 {r.tookMs} 毫秒
            </span>
          )}
        </div>
        <ParamsBar key={pq} params={params} />
        {q.error && <div className="callout error">{q.error}</div>}
        {!r && !q.error && <Spinner label="正在分析历史工单…" />}
        {r && r.firstTicketAt == null && (
          <div className="stats-empty" data-testid="rec-empty">
            <h3>本街道还没有历史工单</h3>
            <p>
              工单积累后，这里将列出同一地点（同一地址、相距{params.radiusM}米内或同一网格）、同一小类、描述相近的问题反复出现的“批量问题”：件数、首次和最近一次、跨度、逐月趋势、地点地图和涉及的处置单位；以及同类问题在多处因同一根源反复出现的“一类事”。可以把批量问题开立为专项治理，新受理的同类工单会自动关联。
            </p>
          </div>
        )}
        {r && r.firstTicketAt != null && r.groups.length === 0 && (
          <p className="muted" data-testid="rec-none">
            所选时间窗口内没有发现批量问题（同一地点、同一小类至少 {params.minCount} 件，且首末相隔超过 {params.minSpanDays} 天）。可放宽条件后重新分析。
          </p>
        )}
        {r && r.groups.length > 0 && (
          <div className="table-scroll">
            <table className="stats-table rec-table" data-testid="rec-group-table">
              <thead>
                <tr>
                  <th>问题分类</th>
                  <th>地点</th>
                  <th>社区</th>
                  <th className="num">件数</th>
                  <th className="num">未办结</th>
                  <th>首次 / 最近</th>
                  <th className="num" title="首次到最近一次相隔的天数">跨度/天</th>
                  <th>逐月趋势</th>
                  <th>根源词</th>
                  <th>涉及单位</th>
                  <th>专项治理</th>
                </tr>
              </thead>
              <tbody>
                {r.groups.map((g) => (
                  <GroupRow key={g.key} g={g} months={r.months} pq={pq} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {r && r.classes.length > 0 && (
        <div className="card" data-testid="rec-classes">
          <div className="card-head">
            <h3>一类事</h3>
            <span className="muted">同一小类问题在多个地点反复出现，且描述中有共同的根源词</span>
          </div>
          <div className="table-scroll">
            <table className="stats-table rec-table">
              <thead>
                <tr>
                  <th>问题分类</th>
                  <th>共同根源词</th>
                  <th className="num">地点数</th>
                  <th className="num">工单数</th>
                  <th>地点</th>
                </tr>
              </thead>
              <tbody>
                {r.classes.map((c) => (
                  <tr key={c.key}>
                    <td>{c.categoryPath}</td>
                    <td>{c.words.join('、')}</td>
                    <td className="num">{c.groupKeys.length}</td>
                    <td className="num">{c.tickets}</td>
                    <td className="place" title={c.places.join('；')}>
                      {c.groupKeys.slice(0, 4).map((k, i) => (
                        <span key={k}>
                          {i > 0 && '；'}
                          <a href={`#/stats?tab=recurring&group=${encodeURIComponent(k)}&${pq}`}>{r.groups.find((g) => g.key === k)?.place ?? '—'}</a>
                        </span>
                      ))}
                      {c.groupKeys.length > 4 && ` 等 ${c.groupKeys.length} 处`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

function GroupRow({ g, months, pq }: { g: RecurringGroup; months: string[]; pq: string }) {
  const href = `#/stats?tab=recurring&group=${encodeURIComponent(g.key)}&${pq}`;
  return (
    <tr data-testid="rec-group-row">
      <td>
        <a className="row-link" href={href} data-testid="rec-group-link">
          {g.categoryPath}
        </a>
      </td>
      <td title={g.place}>
        <span className="clip place">{g.place}</span>
      </td>
      <td>{g.communityName ?? '—'}</td>
      <td className="num">{g.count}</td>
      <td className="num">{g.open}</td>
      <td className="dates">
        {day(g.firstAt)}
        <br />
        {day(g.lastAt)}
      </td>
      <td className="num">{g.spanDays}</td>
      <td className="spark">
        <Sparkline counts={g.trend} months={months} />
      </td>
      <td className="words" title={g.words.join('、')}>
        <span className="clip words">{g.words.slice(0, 3).join('、') || '—'}</span>
      </td>
      <td title={g.units.map((u) => `${u.name} ${u.count}件`).join('；')}>
        <span className="clip units">{g.units[0] ? g.units[0].name : '—'}</span>
        {g.units.length > 1 && <span className="muted"> 等{g.units.length}家</span>}
      </td>
      <td>{g.item ? <a href={`#/stats?tab=recurring&item=${g.item.id}`}>{g.item.code}</a> : <span className="muted">—</span>}</td>
    </tr>
  );
}

function TrendChart({ counts, months }: { counts: number[]; months: string[] }) {
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 32, right: 10, top: 12, bottom: 24 },
      xAxis: { type: 'category', data: months, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', minInterval: 1 },
      tooltip: { trigger: 'axis' },
      series: [{ type: 'bar', name: '工单数', data: counts, itemStyle: { color: '#1f6feb' } }],
    }),
    [counts, months],
  );
  return <EChart option={option} height={170} testId="rec-trend" />;
}

function GroupView({ groupKey, params }: { groupKey: string; params: MiningParams }) {
  const { user } = useReadySession();
  const q = useLiveQuery(useCallback(() => call('recurring.group', { key: groupKey, params }), [groupKey, params]), { on: ['recurring.changed'], debounceMs: 500 });
  const d = q.data;
  const points = useMemo(() => (d ? d.group.points.map(([id, lon, lat]) => ({ id, lon, lat, status: d.tickets.find((t) => t.id === id)?.status ?? ('registered' as const) })) : []), [d]);
  const back = `#/stats?tab=recurring&${paramsQuery(params)}`;
  return (
    <div data-testid="rec-group">
      <p>
        <a href={back} className="back-link">
          ← 返回批量问题列表
        </a>
      </p>
      {q.error && <div className="callout error">{q.error}</div>}
      {!d && !q.error && <Spinner label="正在分析…" />}
      {d && (
        <div className="rec-detail">
          <div>
            <div className="card">
              <div className="card-head">
                <h3 data-testid="rec-group-title">
                  {d.group.categoryPath} · {d.group.place}
                </h3>
                <span className="muted">{d.group.communityName ?? ''}{d.group.gridName ? ` · ${d.group.gridName}` : ''}</span>
              </div>
              <dl className="rec-facts">
                <dt>件数</dt>
                <dd data-testid="rec-group-count">
                  {d.group.count} 件（未办结 {d.group.open} 件）
                </dd>
                <dt>首次 — 最近</dt>
                <dd>
                  {formatDateTime(d.group.firstAt)} — {formatDateTime(d.group.lastAt)}（跨度 {d.group.spanDays} 天）
                </dd>
                <dt>根源词</dt>
                <dd>{d.group.words.join('、') || '—'}</dd>
                <dt>涉及单位</dt>
                <dd>{d.group.units.map((u) => `${u.name}（${u.count}件）`).join('、') || '尚未派单'}</dd>
                <dt>归组规则</dt>
                <dd className="muted">
                  同一小类；{params.place === 'grid' ? '同一网格' : `同一地址或距首件 ${params.radiusM} 米内`}；描述相似度 ≥ {params.minSimilarity}；近 {params.windowDays} 天
                </dd>
              </dl>
              <TrendChart counts={d.group.trend} months={d.months} />
            </div>
            <div className="card">
              <div className="card-head">
                <h3>工单（{d.tickets.length}）</h3>
                <span className="muted">点击编号查看工单</span>
              </div>
              <TicketTable rows={d.tickets} />
            </div>
          </div>
          <div>
            <div className="card">
              <div className="card-head">
                <h3>地点</h3>
                <span className="muted">{d.group.points.length} 件有坐标</span>
              </div>
              <PointsMap points={points} height={300} testId="rec-map" />
            </div>
            {d.group.item ? (
              <div className="card">
                <p>
                  已开立专项治理：
                  <a href={`#/stats?tab=recurring&item=${d.group.item.id}`} data-testid="rec-group-item">
                    {d.group.item.code}「{d.group.item.title}」
                  </a>
                  （{d.group.item.status === 'open' ? '治理中' : '已结项'}）
                </p>
              </div>
            ) : (
              (user.role === 'leader' || user.role === 'operator') && <OpenItemForm group={d.group} params={params} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function TicketTable({ rows, withReason = false }: { rows: Array<{ id: string; code: string; status: keyof typeof STATUS_LABELS; createdAt: number; address: string; description: string; unitName: string | null; reason?: string; auto?: boolean }>; withReason?: boolean }) {
  return (
    <div className="table-scroll">
      <table className="stats-table rec-table" data-testid="rec-tickets">
        <thead>
          <tr>
            <th>编号</th>
            <th>受理时间</th>
            <th>状态</th>
            <th>地址</th>
            <th>描述</th>
            <th>处置单位</th>
            {withReason && <th>关联原因</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id}>
              <td>
                <a href={`#/tickets/${t.id}`} className="mono">
                  {t.code}
                </a>
              </td>
              <td>{formatDateTime(t.createdAt)}</td>
              <td>{STATUS_LABELS[t.status]}</td>
              <td className="place" title={t.address}>
                {t.address}
              </td>
              <td className="place" title={t.description}>
                {t.description}
              </td>
              <td>{t.unitName ?? '—'}</td>
              {withReason && (
                <td className="place" title={t.reason}>
                  {t.auto && <span className="auto-pill">自动</span>} {t.reason}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OpenItemForm({ group, params }: { group: RecurringGroup; params: MiningParams }) {
  const { lookups } = useReadySession();
  const toast = useToast();
  const leaf = group.categoryPath.split('/').pop() ?? group.categoryPath;
  const [title, setTitle] = useState(`${group.place}${leaf}反复发生专项治理`.slice(0, 100));
  const [lead, setLead] = useState<string | undefined>(group.units[0]?.unitId);
  const [helpers, setHelpers] = useState<string[]>([]);
  const [deadline, setDeadline] = useState(addDays(toDateInput(serverNow()), 30));
  const { submit, busy, errors } = useSubmit(recurringOpenInput, 'recurring.open');
  const units = useMemo(() => groupUnits(lookups.units).flatMap((g) => g.units), [lookups.units]);
  const onSubmit = async () => {
    const end = fromDateInput(deadline);
    const item = await submit({ groupKey: group.key, params, title, leadUnitId: lead ?? '', helperUnitIds: helpers, deadline: end == null ? 0 : end + 86_400_000 - 1 });
    if (item) {
      toast.success(`已开立专项治理 ${item.code}`);
      navigate(`/stats?tab=recurring&item=${item.id}`);
    }
  };
  return (
    <div className="card" data-testid="rec-open-form">
      <div className="card-head">
        <h3>开立专项治理</h3>
        <span className="muted">本组 {group.count} 件工单将关联到事项</span>
      </div>
      <form
        className="rec-form"
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        <label>
          标题
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} data-testid="rec-title" />
        </label>
        <label>
          牵头单位
          <UnitSelect units={lookups.units} value={lead} onChange={setLead} emptyLabel="请选择牵头单位" testId="rec-lead" />
        </label>
        <div>
          <div className="muted">协办单位（可多选）</div>
          <div className="rec-helpers" data-testid="rec-helpers">
            {units
              .filter((u) => u.id !== lead)
              .map((u) => (
                <label key={u.id}>
                  <input type="checkbox" checked={helpers.includes(u.id)} onChange={(e) => setHelpers((h) => (e.target.checked ? [...h, u.id] : h.filter((x) => x !== u.id)))} />
                  {u.name}
                </label>
              ))}
          </div>
        </div>
        <label>
          完成期限
          <DateInput value={deadline} onChange={setDeadline} min={toDateInput(serverNow())} testId="rec-deadline" ariaLabel="完成期限" />
        </label>
        <FormError state={errors} />
        <div>
          <button type="submit" className="primary" disabled={busy || !lead} data-testid="rec-open">
            {busy ? '正在开立…' : '开立专项治理'}
          </button>
        </div>
      </form>
    </div>
  );
}

const itemPoints = (d: RecurringItemDetail) =>
  d.links.filter((l) => l.lon != null && l.lat != null).map((l) => ({ id: l.id, lon: l.lon!, lat: l.lat!, status: l.status }));

function ItemView({ id, params }: { id: string; params: MiningParams }) {
  const toast = useToast();
  const q = useLiveQuery(useCallback(() => call('recurring.item', { id }), [id]), { on: ['recurring.changed', 'ticket.changed'], debounceMs: 400 });
  const d: RecurringItemDetail | null = q.data;
  const points = useMemo(() => (d ? itemPoints(d) : []), [d]);
  const [note, setNote] = useState('');
  const [rootCause, setRootCause] = useState('');
  const noteSubmit = useSubmit(recurringNoteInput, 'recurring.note');
  const closeSubmit = useSubmit(recurringCloseInput, 'recurring.close');
  return (
    <div data-testid="rec-item">
      <p>
        <a href={`#/stats?tab=recurring&${paramsQuery(params)}`} className="back-link">
          ← 返回批量问题列表
        </a>
      </p>
      {q.error && <div className="callout error">{q.error}</div>}
      {!d && !q.error && <Spinner />}
      {d && (
        <div className="rec-detail">
          <div>
            <div className="card">
              <div className="card-head">
                <h3 data-testid="rec-item-title">
                  专项治理 {d.code}「{d.title}」
                </h3>
                <span className={d.status === 'open' ? 'pill' : 'pill muted'} data-testid="rec-item-status">
                  {d.status === 'open' ? '治理中' : '已结项'}
                </span>
              </div>
              <dl className="rec-facts">
                <dt>问题</dt>
                <dd>
                  {d.categoryPath} · {d.place}
                </dd>
                <dt>牵头单位</dt>
                <dd>{d.leadUnitName}</dd>
                <dt>协办单位</dt>
                <dd>{d.helperUnits.map((u) => u.name).join('、') || '—'}</dd>
                <dt>完成期限</dt>
                <dd>{day(d.deadline)}</dd>
                <dt>开立</dt>
                <dd>
                  {d.openedByName} · {formatDateTime(d.openedAt)}
                </dd>
                <dt>自动关联规则</dt>
                <dd className="muted">
                  同一小类；{d.rule.place === 'grid' ? '同一网格' : `同一地址或距首件 ${d.rule.radiusM} 米内`}；描述相似度 ≥ {d.rule.minSimilarity}
                </dd>
                <dt>关联工单</dt>
                <dd data-testid="rec-item-count">
                  {d.tickets} 件（其中新受理自动关联 {d.autoLinked} 件）
                </dd>
                {d.status === 'closed' && (
                  <>
                    <dt>根源治理</dt>
                    <dd data-testid="rec-item-root">
                      {d.rootCause}（{d.closedByName} · {formatDateTime(d.closedAt)}）
                    </dd>
                  </>
                )}
              </dl>
            </div>
            <div className="card">
              <div className="card-head">
                <h3>关联工单（{d.links.length}）</h3>
              </div>
              <TicketTable rows={d.links} withReason />
            </div>
          </div>
          <div>
            {d.links.some((l) => l.lon != null && l.lat != null) && (
              <div className="card">
                <div className="card-head">
                  <h3>地点</h3>
                  <span className="muted">关联工单中 {d.links.filter((l) => l.lon != null && l.lat != null).length} 件有坐标</span>
                </div>
                <PointsMap points={points} height={240} testId="rec-item-map" />
              </div>
            )}
            <div className="card">
              <div className="card-head">
                <h3>进展</h3>
              </div>
              {d.notes.length === 0 && <p className="muted">还没有进展记录。</p>}
              <ul className="rec-notes" data-testid="rec-notes">
                {d.notes.map((n) => (
                  <li key={n.id}>
                    {n.text}
                    <span className="meta">
                      {n.byName} · {formatDateTime(n.at)}
                    </span>
                  </li>
                ))}
              </ul>
              {d.mayEdit && (
                <form
                  className="rec-form"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const r = await noteSubmit.submit({ itemId: d.id, text: note });
                    if (r) {
                      q.set(r);
                      setNote('');
                    }
                  }}
                >
                  <textarea value={note} onChange={(e) => setNote(e.target.value)} placeholder="记录一次进展：现场查看、会商、整改措施…" maxLength={2000} data-testid="rec-note" aria-label="进展" />
                  <FormError state={noteSubmit.errors} />
                  <div>
                    <button type="submit" disabled={noteSubmit.busy} data-testid="rec-note-add">
                      添加进展
                    </button>
                  </div>
                </form>
              )}
            </div>
            {d.mayEdit && (
              <div className="card">
                <div className="card-head">
                  <h3>结项</h3>
                </div>
                <form
                  className="rec-form"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const r = await closeSubmit.submit({ itemId: d.id, rootCause });
                    if (r) {
                      q.set(r);
                      toast.success(`专项治理 ${r.code} 已结项`);
                    }
                  }}
                >
                  <label>
                    根源治理措施（必填）
                    <textarea value={rootCause} onChange={(e) => setRootCause(e.target.value)} placeholder="写明从根源上解决问题的措施，如：更换防沉降井座并纳入月度巡查" maxLength={2000} data-testid="rec-root" />
                  </label>
                  <FormError state={closeSubmit.errors} />
                  <div>
                    <button type="submit" disabled={closeSubmit.busy} data-testid="rec-close">
                      结项
                    </button>
                  </div>
                </form>
              </div>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
