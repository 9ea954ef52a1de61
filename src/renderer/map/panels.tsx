// Side panels of the map page: a grid's profile, a ticket's summary, a group of tickets at one
// spot, and the picked point for a new ticket.

import { useCallback, type ReactNode } from 'react';
import type { GridLookupResult } from '../../shared/api/grids';
import type { GridInfo } from '../../shared/api/types';
import { deadlineState } from '../../shared/domain/deadline';
import { GRID_ELEMENT_GROUP_LABELS, GRID_ELEMENT_GROUPS, GRID_MEMBER_ROLE_LABELS, GRID_MEMBER_ROLES } from '../../shared/domain/grid';
import { CHANNEL_LABELS, OPEN_STATUSES, STATUS_LABELS, TICKET_STATUSES, URGENCY_LABELS } from '../../shared/domain/ticket';
import { ALARM_KIND_LABELS } from '../../shared/intake/alarms';
import { call } from '../api/client';
import { Countdown } from '../components/Deadline';
import { Spinner } from '../components/Form';
import { StatusPill } from '../components/StatusPill';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { formatDateTime, formatShortDateTime, serverNow, truncate } from '../lib/format';
import { ticketPath } from '../lib/router';
import type { Lookups } from '../state/session';
import { LEVEL_NAMES } from './OpsMap';

const GRID_EVENTS = ticketEvents(undefined, 1500);

function Panel({ testId, kicker, title, onClose, children, extra }: { testId: string; kicker: ReactNode; title: ReactNode; onClose: () => void; children: ReactNode; extra?: Record<string, string> }) {
  return (
    <aside className="map-panel" data-testid={testId} {...extra}>
      <div className="mp-head">
        <div className="mp-titles">
          <div className="mp-kicker">{kicker}</div>
          <h3 data-testid={`${testId}-name`}>{title}</h3>
        </div>
        <button type="button" className="icon-btn" aria-label="关闭" title="关闭 (Esc)" onClick={onClose} data-testid={`${testId}-close`}>
          ×
        </button>
      </div>
      <div className="mp-body">{children}</div>
    </aside>
  );
}

function Section({ title, right, children }: { title: ReactNode; right?: ReactNode; children: ReactNode }) {
  return (
    <section className="mp-section">
      <div className="mp-section-head">
        <h4>{title}</h4>
        {right}
      </div>
      {children}
    </section>
  );
}

const PROP_LABELS: Record<string, string> = { roads: '四至道路', compounds: '院落/小区', address: '地址', note: '备注', type: '类型' };

function fmtArea(m2: number | null): string {
  if (m2 == null) return '—';
  return m2 >= 100_000 ? `${(m2 / 1_000_000).toFixed(2)} km²` : `${Math.round(m2).toLocaleString('zh-CN')} m²`;
}

const num = (n: number | null | undefined) => (n == null ? '—' : n.toLocaleString('zh-CN'));

// ---------------------------------------------------------------------------------------------

export function GridProfilePanel({
  id,
  onClose,
  onSelectGrid,
  onFilterGrid,
  filteredGridId,
}: {
  id: string;
  onClose: () => void;
  onSelectGrid: (id: string) => void;
  onFilterGrid: (id: string | undefined) => void;
  filteredGridId: string | undefined;
}) {
  const { data, error, reload } = useLiveQuery(useCallback(() => call('grids.profile', { id }), [id]), GRID_EVENTS);

  if (error)
    return (
      <Panel testId="grid-profile" kicker="网格" title="网格档案" onClose={onClose}>
        <div className="callout error">{error}</div>
        <button type="button" onClick={() => void reload()}>
          重试
        </button>
      </Panel>
    );
  if (!data)
    return (
      <Panel testId="grid-profile" kicker="网格" title="网格档案" onClose={onClose}>
        <Spinner />
      </Panel>
    );

  const g = data.grid;
  const open = OPEN_STATUSES.reduce((a, s) => a + (data.ticketCounts[s] ?? 0), 0);
  const total = TICKET_STATUSES.reduce((a, s) => a + (data.ticketCounts[s] ?? 0), 0);
  const members = [...data.members].sort((a, b) => GRID_MEMBER_ROLES.indexOf(a.role) - GRID_MEMBER_ROLES.indexOf(b.role));
  const props = Object.entries(g.props ?? {}).filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && v.length === 0));
  const now = serverNow();
  const filtered = filteredGridId === g.id;

  return (
    <Panel
      testId="grid-profile"
      kicker={
        <>
          <LevelTag level={g.level} /> <span className="mono">{g.code}</span>
        </>
      }
      title={g.name} onClose={onClose} extra={{ 'data-grid-id': g.id }}>
      <div className="mp-chain" data-testid="grid-profile-chain">
        {data.chain.map((c) => (
          <span key={c.id}>
            <button type="button" className="link-btn" onClick={() => onSelectGrid(c.id)}>
              {c.name}
            </button>
            <span className="mp-sep">›</span>
          </span>
        ))}
        <span className="mp-here">{g.name}</span>
      </div>
      <dl className="mp-stats">
        <div>
          <dt>户数</dt>
          <dd>{num(g.households)}</dd>
        </div>
        <div>
          <dt>人口</dt>
          <dd>{num(g.population)}</dd>
        </div>
        <div>
          <dt>面积</dt>
          <dd>{fmtArea(g.areaM2)}</dd>
        </div>
      </dl>

      <Section
        title="工单"
        right={
          <span className="mp-links">
            <a href={`#/tickets?grid=${encodeURIComponent(g.id)}`} data-testid="grid-profile-list">
              在列表中查看
            </a>
            <button type="button" className="link-btn" onClick={() => onFilterGrid(filtered ? undefined : g.id)} data-testid="grid-profile-filter">
              {filtered ? '取消只看此网格' : '地图只看此网格'}
            </button>
          </span>
        }
      >
        <div className="mp-kpis">
          <div className={`mp-kpi${open > 0 ? ' hot' : ''}`}>
            <span className="mp-kpi-v" data-testid="grid-profile-open">
              {num(open)}
            </span>
            <span className="mp-kpi-l">未办结</span>
          </div>
          <div className="mp-kpi">
            <span className="mp-kpi-v">{num(total)}</span>
            <span className="mp-kpi-l">累计工单</span>
          </div>
        </div>
        <div className="mp-status-counts" data-testid="grid-profile-counts">
          {TICKET_STATUSES.filter((s) => data.ticketCounts[s]).map((s) => (
            <span key={s} className="mp-sc" title={STATUS_LABELS[s]}>
              <span className={`dot dot-${s}`} />
              {STATUS_LABELS[s]}
              <strong>{num(data.ticketCounts[s])}</strong>
            </span>
          ))}
          {total === 0 && <span className="muted">暂无工单</span>}
        </div>
      </Section>

      <Section title={`网格力量（${members.length}）`}>
        {members.length === 0 ? (
          <div className="muted small">未配置网格人员</div>
        ) : (
          <ul className="mp-members" data-testid="grid-profile-members">
            {members.map((m) => (
              <li key={`${m.staffId}-${m.role}`}>
                <span className={`mp-role mp-role-${m.role}`}>{GRID_MEMBER_ROLE_LABELS[m.role] ?? m.role}</span>
                <span className="mp-member-name">{m.name}</span>
                <span className="mp-member-phone mono">{m.phone ?? ''}</span>
                {m.unitName && <span className="mp-member-unit">{m.unitName}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="六要素" right={data.elements.aggregated ? <span className="muted small">下级网格汇总</span> : undefined}>
        <div className="mp-elements" data-testid="grid-profile-elements">
          {GRID_ELEMENT_GROUPS.map((grp) => {
            const items = data.elements.counts.filter((c) => c.group === grp);
            if (!items.length) return null;
            return (
              <div key={grp} className="mp-el-group">
                <div className="mp-el-title">{GRID_ELEMENT_GROUP_LABELS[grp]}</div>
                {items.map((c) => (
                  <div key={c.kind} className="mp-el">
                    <span>{c.label}</span>
                    <strong>{num(c.count)}</strong>
                  </div>
                ))}
              </div>
            );
          })}
          <div className="mp-el-group">
            <div className="mp-el-title">事·情</div>
            <div className="mp-el">
              <span>未办结事件</span>
              <strong>{num(open)}</strong>
            </div>
            <div className="mp-el">
              <span>累计诉求</span>
              <strong>{num(total)}</strong>
            </div>
          </div>
        </div>
      </Section>

      {data.children.length > 0 && (
        <Section title={`下级网格（${data.children.length}）`}>
          <div className="mp-children">
            {data.children.map((c) => (
              <button key={c.id} type="button" className="mp-child" onClick={() => onSelectGrid(c.id)} title={c.name}>
                {shortChild(c, g.name)}
              </button>
            ))}
          </div>
        </Section>
      )}

      <Section title={`未办结工单${data.openTickets.length ? `（${data.openTickets.length}${open > data.openTickets.length ? `/${open}` : ''}）` : ''}`}>
        {data.openTickets.length === 0 ? (
          <div className="muted small">没有未办结的工单</div>
        ) : (
          <ul className="mp-tickets" data-testid="grid-profile-tickets">
            {data.openTickets.map((t) => {
              const over = deadlineState(t.status, t.resolveDeadline, now) === 'overdue';
              return (
                <li key={t.id} className={over ? 'is-overdue' : ''}>
                  <a href={`#${ticketPath(t.id)}`}>
                    <span className="mp-t-top">
                      <span className="mono">{t.code}</span>
                      <StatusPill status={t.status} />
                      <span className="spacer" />
                      <Countdown status={t.status} deadline={t.resolveDeadline} now={now} />
                    </span>
                    <span className="mp-t-desc">{truncate(t.description, 56)}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      {props.length > 0 && (
        <Section title="其他信息">
          <dl className="mp-props">
            {props.map(([k, v]) => (
              <div key={k}>
                <dt>{PROP_LABELS[k] ?? k}</dt>
                <dd>{Array.isArray(v) ? v.map(String).join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </div>
            ))}
          </dl>
        </Section>
      )}
    </Panel>
  );
}

function shortChild(c: GridInfo, parentName: string): string {
  return c.name.startsWith(parentName) && c.name.length > parentName.length ? c.name.slice(parentName.length) : c.name;
}

export function LevelTag({ level }: { level: GridInfo['level'] }) {
  return <span className={`level-tag level-${level}`}>{LEVEL_NAMES[level]}</span>;
}

// ---------------------------------------------------------------------------------------------

export function TicketPanel({ id, lookups, onClose }: { id: string; lookups: Lookups; onClose: () => void }) {
  const { data, error } = useLiveQuery(useCallback(() => call('tickets.get', { id }), [id]), ticketEvents(id));
  if (error)
    return (
      <Panel testId="ticket-panel" kicker="工单" title="工单摘要" onClose={onClose}>
        <div className="callout error">{error}</div>
      </Panel>
    );
  if (!data)
    return (
      <Panel testId="ticket-panel" kicker="工单" title="工单摘要" onClose={onClose}>
        <Spinner />
      </Panel>
    );
  const t = data.ticket;
  const now = serverNow();
  const over = deadlineState(t.status, t.resolveDeadline, now) === 'overdue';
  const grid = t.gridId ? lookups.grids.get(t.gridId) : undefined;
  const unit = t.unitId ? lookups.units.get(t.unitId) : undefined;
  const cat = t.categoryId ? lookups.catalog.get(t.categoryId) : undefined;
  return (
    <Panel testId="ticket-panel" kicker="工单" title={<span className="mono">{t.code}</span>} onClose={onClose} extra={{ 'data-ticket-id': t.id }}>
      <div className="mp-ticket-head">
        <StatusPill status={t.status} />
        {over && <span className="tag tag-sv">已超期</span>}
        {t.urgency !== 'normal' && <span className={`tag tag-${t.urgency}`}>{URGENCY_LABELS[t.urgency]}</span>}
        {t.supervisionLevel > 0 && <span className="tag tag-sv">{t.supervisionLevel}级督办</span>}
      </div>
      <p className="mp-desc">{t.description}</p>
      {data.alarm && (
        <div className="mp-alarm" data-testid="map-alarm">
          <span className="tag tag-alarm">⚠ {ALARM_KIND_LABELS[data.alarm.kind] ?? data.alarm.kind}</span> 设备 <span className="mono">{data.alarm.device}</span> · 累计报警 <strong>{data.alarm.count}</strong> 次 · 最近 {formatDateTime(data.alarm.lastAt)}
        </div>
      )}
      <dl className="mp-props">
        <div>
          <dt>地址</dt>
          <dd>{t.address}</dd>
        </div>
        <div>
          <dt>网格</dt>
          <dd>{grid?.name ?? (t.outsideStreet ? <span className="warn">不在本街道范围内</span> : '—')}</dd>
        </div>
        <div>
          <dt>分类</dt>
          <dd>{cat?.path ?? <span className="warn">未分类</span>}</dd>
        </div>
        <div>
          <dt>渠道</dt>
          <dd>{CHANNEL_LABELS[t.channel]}</dd>
        </div>
        <div>
          <dt>处置单位</dt>
          <dd>{unit?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>受理时间</dt>
          <dd>{formatDateTime(t.createdAt)}</dd>
        </div>
        <div>
          <dt>办结时限</dt>
          <dd>
            <Countdown status={t.status} deadline={t.resolveDeadline} now={now} />
          </dd>
        </div>
      </dl>
      <a className="mp-primary-link" href={`#${ticketPath(t.id)}`} data-testid="ticket-panel-open">
        查看工单详情 →
      </a>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------

export function TicketGroupPanel({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const shown = ids.slice(0, 30);
  const key = shown.join(',');
  const { data, error } = useLiveQuery(
    useCallback(() => Promise.all(key.split(',').map((id) => call('tickets.get', { id }).then((d) => d.ticket))), [key]),
    null,
  );
  const now = serverNow();
  return (
    <Panel testId="ticket-group" kicker="同一位置" title={`${ids.length} 件工单`} onClose={onClose}>
      {error && <div className="callout error">{error}</div>}
      {!data && !error && <Spinner />}
      {data && (
        <ul className="mp-tickets">
          {data.map((t) => (
            <li key={t.id} className={deadlineState(t.status, t.resolveDeadline, now) === 'overdue' ? 'is-overdue' : ''}>
              <a href={`#${ticketPath(t.id)}`}>
                <span className="mp-t-top">
                  <span className="mono">{t.code}</span>
                  <StatusPill status={t.status} />
                  <span className="spacer" />
                  <span className="muted small">{formatShortDateTime(t.createdAt)}</span>
                </span>
                <span className="mp-t-desc">{truncate(t.description, 56)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {ids.length > shown.length && <div className="muted small">另有 {ids.length - shown.length} 件未列出，请在列表中按网格查看。</div>}
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------

export function PickPanel({
  lon,
  lat,
  hint,
  canCreate,
  onCreate,
  onClose,
}: {
  lon: number;
  lat: number;
  hint: string | null;
  canCreate: boolean;
  onCreate: (r: GridLookupResult) => void;
  onClose: () => void;
}) {
  const lookup = useLiveQuery(useCallback(() => call('grids.lookup', { lon, lat }), [lon, lat]), null);
  return (
    <Panel testId="pick-panel" kicker="地图选点" title="在此新建工单" onClose={onClose}>
      <div className="mp-coord mono" data-testid="pick-coord">
        经度 {lon.toFixed(6)}，纬度 {lat.toFixed(6)}
      </div>
      {hint && <div className="muted small mp-hint">参考位置：{hint}</div>}
      {lookup.loading ? (
        <Spinner label="正在判定所属网格…" />
      ) : lookup.error ? (
        <div className="callout error">{lookup.error}</div>
      ) : (
        <PickResult result={lookup.data} canCreate={canCreate} onCreate={onCreate} />
      )}
      <div className="muted small mp-hint">在地图上点击其他位置可重新选点，按 Esc 退出选点。</div>
    </Panel>
  );
}

function PickResult({ result, canCreate, onCreate }: { result: GridLookupResult | null; canCreate: boolean; onCreate: (r: GridLookupResult) => void }) {
  if (!result)
    return (
      <div className="callout warn" data-testid="pick-outside">
        该位置不在本街道范围内
      </div>
    );
  return (
    <>
      <div className="mp-pick-grid">
        <div className="muted small">所属网格</div>
        <div className="mp-pick-name" data-testid="pick-grid-name" data-grid-id={result.grid.id}>
          {result.grid.name}
        </div>
        <div className="mp-chain small">
          {result.chain.map((c) => (
            <span key={c.id}>
              {c.name}
              <span className="mp-sep">›</span>
            </span>
          ))}
          <LevelTag level={result.grid.level} />
        </div>
        {result.special.length > 0 && (
          <div className="mp-special small">
            同时位于专属网格：
            {result.special.map((s) => s.name).join('、')}
          </div>
        )}
      </div>
      {canCreate ? (
        <button type="button" className="primary block" onClick={() => onCreate(result)} data-testid="pick-create">
          ＋ 在此新建工单
        </button>
      ) : (
        <div className="muted small">当前账号不能新建工单。</div>
      )}
    </>
  );
}
