// Routes between the screens; the login screen stands in for all of them until a session exists.

import { Spinner } from './components/Form';
import { Shell } from './components/Shell';
import { navigate, useRoute } from './lib/router';
import { DashboardPage } from './pages/Dashboard';
import { MapPage } from './pages/MapPage';
import { LoginPage } from './pages/Login';
import { NewTicketPage } from './pages/NewTicket';
import { SettingsPage } from './pages/Settings';
import { SetupPage } from './pages/Setup';
import { ForcedPasswordPage } from './pages/ChangePassword';
import { DirectivesPage } from './pages/Directives';
import { SyncPage } from './pages/SyncPage';
import { TicketDetailPage } from './pages/TicketDetail';
import { TicketListPage } from './pages/TicketList';
import { SupervisionPage } from './pages/Supervision';
import { WhistleDetailPage } from './pages/whistle/WhistleDetailPage';
import { WhistleListPage } from './pages/whistle/WhistleListPage';
import { WhistleNewPage } from './pages/whistle/WhistleNewPage';
import { WhistleRoomPage } from './pages/whistle/WhistleRoomPage';
import { ReviewDetailPage, ReviewListPage, ReviewNewPage } from './pages/Reviews';
import { RunModePage } from './pages/RunMode';
import { StatsPage } from './pages/Stats';
import { PrintPage } from './pages/PrintPage';
import { useSession } from './state/session';
import { useEffect } from 'react';

export function App() {
  const { status, user, boot, changePassword, logout } = useSession();
  const route = useRoute();

  useEffect(() => {
    const titles: Record<string, string> = { dashboard: '工作台', tickets: '工单', map: '地图', new: '新建工单', settings: '设置', setup: '初始化向导', supervision: '督办看板', whistle: '吹哨报到', reviews: '三跨会商', runmode: '运行模式', directives: '指令', sync: '同步', stats: '统计分析', print: '打印' };
    document.title = status === 'ready' ? `${titles[route.segments[0] ?? ''] ?? ''} · 城运台` : '登录 · 城运台';
  }, [route, status]);

  // The administrator's first login of a new street opens the setup wizard (初始化向导).
  const wizard = status === 'ready' && !!boot?.settings.setupPending && user?.role === 'admin';
  const here = route.segments[0];
  useEffect(() => {
    if (wizard && here !== 'setup' && here !== 'settings') navigate('/setup', { replace: true });
    else if (status === 'ready' && user?.role === 'admin' && here === 'dashboard') navigate('/settings', { replace: true });
  }, [wizard, here, status, user?.role]);

  if (status === 'loading')
    return (
      <div className="boot">
        <Spinner label="正在连接街道节点…" />
      </div>
    );
  if (status === 'anonymous') return <LoginPage />;
  if (status === 'mustChange') return <ForcedPasswordPage username={user?.username ?? ''} onChange={changePassword} onLogout={() => void logout()} />;

  const [head, sub, third] = route.segments;
  // The meeting-room screen fills the whole window: no frame around it.
  if (head === 'whistle' && sub && third === 'room') return <WhistleRoomPage key={sub} id={sub} />;
  // Work orders on paper: the sheets alone, nothing around them.
  if (head === 'print' && user?.role !== 'admin') return <PrintPage route={route} />;
  let page;
  let active = head ?? 'dashboard';
  switch (head) {
    case 'dashboard':
      page = <DashboardPage />;
      break;
    case 'tickets':
      page = sub ? <TicketDetailPage key={sub} id={sub} /> : <TicketListPage route={route} />;
      break;
    case 'map':
      page = <MapPage route={route} />;
      break;
    case 'new':
      // Keyed by the query: a new point picked on the map starts a fresh form.
      page = <NewTicketPage key={route.query.toString()} query={route.query} />;
      active = 'tickets';
      break;
    case 'settings':
      page = <SettingsPage />;
      break;
    case 'setup':
      page = <SetupPage />;
      active = 'settings';
      break;
    case 'supervision':
      page = <SupervisionPage />;
      break;
    case 'whistle':
      page = !sub ? <WhistleListPage /> : sub === 'new' ? <WhistleNewPage route={route} /> : <WhistleDetailPage key={sub} id={sub} />;
      break;
    case 'reviews':
      page = !sub ? <ReviewListPage /> : sub === 'new' ? <ReviewNewPage route={route} /> : <ReviewDetailPage key={sub} id={sub} />;
      break;
    case 'runmode':
      page = <RunModePage />;
      break;
    case 'stats':
      page = <StatsPage route={route} />;
      break;
    case 'directives':
      page = <DirectivesPage />;
      break;
    case 'sync':
      page = <SyncPage />;
      break;
    default:
      page = <NotFound />;
  }
  return <Shell active={active}>{page}</Shell>;
}

function NotFound() {
  return (
    <div className="page">
      <div className="empty">
        页面不存在。{' '}
        <button type="button" className="link-btn" onClick={() => navigate('/dashboard')}>
          返回工作台
        </button>
      </div>
    </div>
  );
}
