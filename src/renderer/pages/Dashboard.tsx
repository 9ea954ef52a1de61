// 工作台: today's counts, each a shortcut into the ticket list, and the latest changes.

import { useCallback } from 'react';
import type { SavedView } from '../../shared/api/operatorTools';
import type { DashboardCounts } from '../../shared/api/types';
import { CHANNEL_LABELS } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { Countdown } from '../components/Deadline';
import { DataTable } from '../components/DataTable';
import { Spinner } from '../components/Form';
import { canCreateTickets } from '../components/Shell';
import { StatusPill } from '../components/StatusPill';
import { useTick } from '../lib/events';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { formatShortDateTime, serverNow } from '../lib/format';
import { filterFromQuery, toApiFilter } from '../lib/filters';
import { navigate, ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';
import { RunModeBanner } from './RunMode';
import { SignInAlert, SignInCountdown } from '../components/SignInAlert';
import { awaitsSignIn } from '../../shared/domain/signIn';
import { ALARM_KIND_LABELS } from '../../shared/intake/alarms';

const CARDS: Array<{ key: keyof DashboardCounts; label: string; hint: string; tone: string }> = [
  { key: 'pendingAccept', label: '待签收', hint: '已派单、处置单位尚未签收', tone: 'blue' },
  { key: 'inProgress', label: '处置中', hint: '已签收、正在处置', tone: 'teal' },
  { key: 'dueSoon', label: '即将超期', hint: '时限的最后四分之一（至多24小时）', tone: 'orange' },
  { key: 'overdue', label: '已超期', hint: '超过办结时限仍未办结', tone: 'red' },
  { key: 'newToday', label: '今日新增', hint: '今日受理的工单', tone: 'indigo' },
  { key: 'pendingCallback', label: '待回访', hint: '已核查、等待回访报告人', tone: 'green' },
];

const DASHBOARD_EVENTS = ticketEvents(undefined, 800);

export function DashboardPage() {
  const { user, boot, lookups } = useReadySession();
  useTick(60_000);
  const { data, error, reload } = useLiveQuery(
    useCallback(async () => {
      const [counts, page] = await Promise.all([
        call('dashboard.counts', {}),
        call('tickets.list', { startRow: 0, endRow: 8, sort: [{ colId: 'updatedAt', sort: 'desc' }], filter: {} }),
      ]);
      return { counts, recent: page.rows };
    }, []),
    DASHBOARD_EVENTS,
  );
  const counts = data?.counts ?? null;
  const recent = data?.recent ?? null;

  const now = serverNow();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h2>工作台</h2>
          <p className="muted">
            {boot.street.name} · {user.displayName}，你好
          </p>
        </div>
        {canCreateTickets(user.role) && (
          <button type="button" className="primary big" onClick={() => navigate('/new')} data-testid="dashboard-new">
            ＋ 新建工单
          </button>
        )}
      </div>
      <RunModeBanner />
      <SignInAlert />
      {error && (
        <div className="callout error">
          {error}{' '}
          <button type="button" className="link-btn" onClick={() => void reload()}>
            重试
          </button>
        </div>
      )}
      <div className="cards">
        {CARDS.map((c) => (
          <a key={c.key} href={`#/tickets?view=${c.key}`} className={`stat-card tone-${c.tone}`} data-testid={`card-${c.key}`} title={c.hint}>
            <span className="stat-label">{c.label}</span>
            <span className="stat-value" data-testid={`count-${c.key}`}>
              {counts ? counts[c.key].toLocaleString('zh-CN') : '—'}
            </span>
            <span className="stat-hint">{c.hint}</span>
          </a>
        ))}
      </div>
      <PinnedViews />
      <DeviceAlarms />
      <section className="card">
        <div className="card-head">
          <h3>最近更新</h3>
          <a href="#/tickets" className="link-btn">
            查看全部工单 ›
          </a>
        </div>
        {!recent ? (
          <Spinner />
        ) : (
          <DataTable rows={recent} headers={['编号', '状态', '描述', '渠道', '处置单位', '时限', '更新时间']} empty="暂无工单" className="mini-table" testId="recent-tickets">
            {(r) => (
              <tr key={r.id} onClick={() => navigate(ticketPath(r.id))} className="clickable">
                <td className="mono">{r.code}</td>
                <td>
                  <StatusPill status={r.status} />
                </td>
                <td className="cell-fill" title={r.description}>
                  {r.description}
                </td>
                <td>{CHANNEL_LABELS[r.channel] ?? r.channel}</td>
                <td>{r.unitId ? lookups.units.get(r.unitId)?.name ?? '—' : '—'}</td>
                <td>
                  {awaitsSignIn(r, now) ? <SignInCountdown ticket={r} /> : <Countdown status={r.status} deadline={r.resolveDeadline} now={now} start={r.createdAt} />}
                </td>
                <td>{formatShortDateTime(r.updatedAt)}</td>
              </tr>
            )}
          </DataTable>
        )}
      </section>
    </div>
  );
}

/** 我的视图 pinned to the dashboard: each with the exact count of its filter (the list's own). */
function PinnedViews() {
  const { user } = useReadySession();
  const { data } = useLiveQuery(
    useCallback(async (): Promise<Array<SavedView & { count: number | null }>> => {
      if (user.role === 'admin') return [];
      const pinned = (await call('views.list', {})).filter((v) => v.pinned);
      return Promise.all(
        pinned.map(async (v) => {
          const filter = toApiFilter(filterFromQuery(new URLSearchParams(v.query)));
          const count = await call('tickets.count', { filter }).then((r) => r.count, () => null);
          return { ...v, count };
        }),
      );
    }, [user.role]),
    DASHBOARD_EVENTS,
  );
  if (!data || data.length === 0) return null;
  return (
    <section className="pinned-views" data-testid="pinned-views">
      <h3 className="pinned-title">我的视图</h3>
      <div className="cards cards-views">
        {data.map((v) => (
          <a key={v.id} href={v.query ? `#/tickets?${v.query}` : '#/tickets'} className="stat-card tone-slate view-card" data-testid="pinned-view" title={`打开视图“${v.name}”`}>
            <span className="stat-label">{v.name}</span>
            <span className="stat-value" data-testid="pinned-view-count">
              {v.count == null ? '—' : v.count.toLocaleString('zh-CN')}
            </span>
            <span className="stat-hint">我的视图 · 点击打开列表</span>
          </a>
        ))}
      </div>
    </section>
  );
}

/** 设备报警: today's alarm tickets and the latest alarms (shown once the street has any). */
function DeviceAlarms() {
  const { data } = useLiveQuery(useCallback(() => call('dashboard.alarms', {}), []), DASHBOARD_EVENTS);
  if (!data || data.latest.length === 0) return null;
  return (
    <section className="card alarm-card" data-testid="dashboard-alarms">
      <div className="card-head">
        <h3>
          <span className="alarm-icon" aria-hidden="true">
            ⚠
          </span>
          设备报警
        </h3>
        <span className="muted small" data-testid="alarms-today">
          今日报警工单 <strong>{data.today.toLocaleString('zh-CN')}</strong> 件
        </span>
        <a href="#/map" className="link-btn">
          在地图上查看 ›
        </a>
      </div>
      <DataTable rows={data.latest} headers={['编号', '状态', '报警类型', '设备', '累计', '最近报警', '位置']} empty="暂无设备报警" className="mini-table" testId="latest-alarms">
        {(r) => (
          <tr key={r.ticketId} onClick={() => navigate(ticketPath(r.ticketId))} className="clickable" data-testid="latest-alarm">
            <td className="mono">{r.code}</td>
            <td>
              <StatusPill status={r.status} />
            </td>
            <td>
              <span className="tag tag-alarm">{ALARM_KIND_LABELS[r.kind] ?? r.kind}</span>
            </td>
            <td className="mono">{r.device}</td>
            <td>{r.count.toLocaleString('zh-CN')} 次</td>
            <td>{formatShortDateTime(r.lastAt)}</td>
            <td className="cell-fill" title={r.address}>
              {r.address}
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
