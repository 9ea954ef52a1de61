// The workstation frame: top bar (street, run mode, live link, user) and the left navigation.

import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useDismiss } from '../lib/dismiss';
import { ROLE_LABELS, RUN_MODE_LABELS, RUN_MODES, type RunMode } from '../../shared/domain/ticket';
import { useAction } from '../lib/action';
import { useConnectionState } from '../lib/events';
import { filterFromQuery, filterToQuery } from '../lib/filters';
import { navigate, useRoute } from '../lib/router';
import { useReadySession } from '../state/session';
import { SyncIndicator } from './SyncIndicator';
import { DirectiveBanner } from './DirectiveBanner';
import { WhistleNavBadge } from '../pages/whistle/WhistleListPage';
import { KeyboardShortcuts } from './ShortcutHelp';
import { AlertsNav } from './AlertsNav';
import { SignInWatch } from './SignInWatch';

interface NavItem {
  key: string;
  label: string;
  icon: string;
  href?: string;
  disabled?: boolean;
}

const NAV: NavItem[] = [
  { key: 'dashboard', label: '工作台', icon: '▦', href: '/dashboard' },
  { key: 'tickets', label: '工单', icon: '☰', href: '/tickets' },
  { key: 'map', label: '地图', icon: '◎', href: '/map' },
  { key: 'supervision', label: '督办', icon: '⚑', href: '/supervision' },
  { key: 'whistle', label: '吹哨报到', icon: '◈', href: '/whistle' },
  { key: 'reviews', label: '三跨会商', icon: '⇄', href: '/reviews' },
  { key: 'runmode', label: '运行模式', icon: '◐', href: '/runmode' },
  { key: 'stats', label: '统计分析', icon: '▤', href: '/stats' },
  { key: 'directives', label: '指令', icon: '✉', href: '/directives' },
  { key: 'sync', label: '同步', icon: '⇅', href: '/sync' },
  { key: 'settings', label: '设置', icon: '⚙', href: '/settings' },
];

export function canCreateTickets(role: string): boolean {
  return role !== 'unit' && role !== 'admin';
}

/** The administrator runs accounts and settings, not cases: no ticket screens. */
const ADMIN_NAV = new Set(['sync', 'settings']);

function RunModeBadge() {
  const { boot, user, setRunMode } = useReadySession();
  const [open, setOpen] = useState(false);
  const { run, busy } = useAction<void>();
  const wrap = useRef<HTMLDivElement>(null);
  const mode = boot.settings.runMode;
  const canSwitch = user.role === 'leader';

  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup, { escape: true });

  const choose = async (m: RunMode) => {
    setOpen(false);
    if (m === mode) return;
    await run(() => setRunMode(m), `运行模式已切换为“${RUN_MODE_LABELS[m]}”，新工单按该模式计算时限`);
  };

  return (
    <div className="runmode" ref={wrap}>
      <button
        type="button"
        className={`runmode-badge runmode-${mode}`}
        data-testid="runmode-badge"
        title={canSwitch ? '切换运行模式' : '运行模式（仅街道领导可切换）'}
        disabled={!canSwitch || busy}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="runmode-dot" />
        {RUN_MODE_LABELS[mode]}
        {canSwitch && <span className="caret">▾</span>}
      </button>
      {open && (
        <div className="runmode-menu" role="menu">
          {RUN_MODES.map((m) => (
            <button key={m} type="button" role="menuitemradio" aria-checked={m === mode} data-testid={`runmode-${m}`} onClick={() => void choose(m)}>
              <span className={`runmode-dot runmode-${m}`} />
              {RUN_MODE_LABELS[m]}
              {m === mode && <span className="check-mark">✓</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function LinkState() {
  const s = useConnectionState();
  const text = s === 'open' ? '实时连接' : s === 'connecting' ? '正在连接…' : '未连接';
  return (
    <span className={`link-state link-${s}`} title={s === 'open' ? '工单变化将实时刷新' : '实时通道中断，正在重连；数据可能不是最新'} data-testid="link-state">
      <span className="link-dot" />
      {text}
    </span>
  );
}

/**
 * The list and the map share their filters: going from one to the other through the navigation
 * keeps the current filter (the same URL parameters, lib/filters.ts).
 */
function useSharedFilterHrefs(): Record<string, string> {
  const route = useRoute();
  const [head, sub] = route.segments;
  const onList = head === 'tickets' && !sub;
  if (!onList && head !== 'map') return {};
  const qs = filterToQuery(filterFromQuery(route.query));
  if (!qs) return {};
  return onList ? { map: `/map?${qs}` } : { tickets: `/tickets?${qs}` };
}

export function Shell({ active, children }: { active: string; children: ReactNode }) {
  const { boot, user, logout } = useReadySession();
  const carried = useSharedFilterHrefs();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark">城</span>
          <span className="brand-name">城运台</span>
          <span className="brand-sep">·</span>
          <span className="brand-street" data-testid="street-name">
            {boot.street.name}
          </span>
        </div>
        <RunModeBadge />
        <div className="topbar-spacer" />
        <SyncIndicator />
        <LinkState />
        <div className="user-box" data-testid="current-user">
          <span className="avatar">{user.displayName.slice(0, 1)}</span>
          <span className="user-name">{user.displayName}</span>
          <span className="user-role">
            {ROLE_LABELS[user.role]}
            {user.unitName ? ` · ${user.unitName}` : ''}
          </span>
        </div>
        <button type="button" className="help-btn" onClick={() => window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }))} title="键盘快捷键（?）" aria-label="键盘快捷键" data-testid="shortcut-help-btn">
          ⌨
        </button>
        <button type="button" className="logout" onClick={() => void logout()} data-testid="logout">
          退出
        </button>
      </header>
      <nav className="sidenav" aria-label="主导航">
        {canCreateTickets(user.role) && (
          <button type="button" className="nav-new" onClick={() => navigate('/new')} data-testid="nav-new">
            ＋ 新建工单
          </button>
        )}
        <AlertsNav />
        {NAV.filter((item) => (item.key !== 'stats' || user.role === 'leader' || user.role === 'operator' || user.role === 'unit') && (user.role !== 'admin' || ADMIN_NAV.has(item.key))).map((item) =>
          item.disabled ? (
            <span key={item.key} className="nav-item disabled" title="建设中" aria-disabled="true" data-testid={`nav-${item.key}`}>
              <span className="nav-icon">{item.icon}</span>
              {item.label}
              <span className="nav-soon">建设中</span>
            </span>
          ) : (
            <a
              key={item.key}
              href={`#${carried[item.key] ?? item.href}`}
              title={carried[item.key] ? `${item.label}（保留当前筛选条件）` : undefined}
              className={`nav-item${active === item.key ? ' active' : ''}`}
              aria-current={active === item.key ? 'page' : undefined}
              data-testid={`nav-${item.key}`}
            >
              <span className="nav-icon">{item.icon}</span>
              {item.label}
              {item.key === 'whistle' && <WhistleNavBadge />}
            </a>
          ),
        )}
        <div className="nav-foot">
          {boot.street.district} · {boot.street.city}
        </div>
      </nav>
      <main className="content">
        {/* One banner area, capped in height (it scrolls inside), so a full-height page keeps most of the window. */}
        <div className="content-banners" data-testid="content-banners">
          <DirectiveBanner />
          {user.role === 'unit' && <SignInWatch />}
        </div>
        {children}
      </main>
      <KeyboardShortcuts canCreate={canCreateTickets(user.role)} />
    </div>
  );
}
