// 设置: run mode, who is logged in, and the street as the node knows it (meta.bootstrap).

import { useToast } from '../state/toast';
import { ROLE_LABELS, RUN_MODE_LABELS, RUN_MODES, type RunMode } from '../../shared/domain/ticket';
import type { HostTlsInfo } from '../../shared/api/types';
import { RUN_MODE_RULES } from '../../shared/domain/deadline';
import { isElectron } from '../api/client';
import { useAction } from '../lib/action';
import { formatDateTime, serverNow } from '../lib/format';
import { useReadySession } from '../state/session';
import { MapSettings } from '../components/MapSettings';
import { AiSettingsPanel } from '../components/AiSettingsPanel';
import { SyncSettingsCard } from '../components/SyncSettings';
import { AccountsPanel } from '../components/admin/AccountsPanel';
import { UnitsPanel } from '../components/admin/UnitsPanel';
import { CatalogPanel } from '../components/admin/CatalogPanel';
import { KeyPlacesPanel } from '../components/admin/KeyPlacesPanel';
import { PlacesPanel } from '../components/admin/PlacesPanel';
import { DutyPanel } from '../components/admin/DutyPanel';
import { AuditLogPanel } from '../components/admin/AuditLogPanel';
import { BackupPanel } from '../components/admin/BackupPanel';
import { CatalogCard, GridImportCard, StreetDetailsCard } from '../components/admin/StreetSetupCards';
import { PasswordForm } from './ChangePassword';
import { AlertSettingsCard } from '../components/AlertsNav';
import { call } from '../api/client';
import { navigate } from '../lib/router';

const RUN_MODE_NOTES: Record<RunMode, string> = {
  daily: '按工作日历计时（法定节假日、调休均已计入）',
  holiday: '节假日值班，按自然时间计时',
  majorEvent: '重大活动保障，按自然时间计时，时限减半',
  emergency: '应急处置，按自然时间计时，时限缩短为四分之一',
};

/** 局域网访问: how the node is served; with --lan the certificate's fingerprint for LAN clients to check. */
function LanCard({ tls }: { tls: HostTlsInfo | null }) {
  return (
    <section className="card" data-testid="settings-lan">
      <div className="card-head">
        <h3>局域网访问</h3>
      </div>
      {tls ? (
        <>
          <dl className="fields">
            <div className="f">
              <dt>访问方式</dt>
              <dd>HTTPS（局域网，--lan）</dd>
            </div>
            <div className="f">
              <dt>证书</dt>
              <dd>{tls.source === 'city' ? '市级CA签发' : '本机自签名'}</dd>
            </div>
            <div className="f">
              <dt>SHA-256 指纹</dt>
              <dd className="mono fingerprint" data-testid="lan-fingerprint">
                {tls.fingerprint}
              </dd>
            </div>
            <div className="f">
              <dt>有效期至</dt>
              <dd>{formatDateTime(Date.parse(tls.notAfter))}</dd>
            </div>
          </dl>
          <p className="muted small">
            {tls.source === 'city'
              ? '证书由市城运中心的CA签发：局域网内的电脑装入市级CA证书后即可直接访问。'
              : '局域网内的电脑首次打开时，浏览器会提示证书不受信任：请核对浏览器显示的证书 SHA-256 指纹与上面一致后再继续。'}
          </p>
        </>
      ) : (
        <p className="muted small" data-testid="lan-off">
          仅本机访问（127.0.0.1，HTTP）。需要会议室大屏或部门电脑访问时，用 --lan 启动：节点在局域网地址上提供 HTTPS，并在此显示证书指纹供核对。
        </p>
      )}
    </section>
  );
}

export function SettingsPage() {
  const { boot, user, lookups, setRunMode } = useReadySession();
  const { run, busy } = useAction<void>();
  const toast = useToast();
  const mode = boot.settings.runMode;
  const canSwitch = user.role === 'leader';
  const manager = user.role === 'leader' || user.role === 'admin';
  const s = boot.street;

  const gridCounts = [...lookups.grids.values()].reduce<Record<string, number>>((acc, g) => {
    acc[g.level] = (acc[g.level] ?? 0) + 1;
    return acc;
  }, {});
  const unitCounts = [...lookups.units.values()].reduce<Record<string, number>>((acc, u) => {
    acc[u.kind] = (acc[u.kind] ?? 0) + 1;
    return acc;
  }, {});

  const choose = async (m: RunMode) => {
    if (m === mode || !canSwitch) return;
    await run(() => setRunMode(m), `运行模式已切换为“${RUN_MODE_LABELS[m]}”`);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h2>设置</h2>
        {user.role === 'admin' && (
          <button type="button" className="small-btn" onClick={() => navigate('/setup')} data-testid="open-setup">
            初始化向导
          </button>
        )}
      </div>
      <div className="settings-grid">
        <section className="card" data-testid="settings-runmode">
          <div className="card-head">
            <h3>运行模式</h3>
            {!canSwitch && <span className="muted small">仅街道领导可切换</span>}
          </div>
          <div className="runmode-options">
            {RUN_MODES.map((m) => (
              <label key={m} className={`runmode-option${m === mode ? ' on' : ''}${!canSwitch ? ' readonly' : ''}`}>
                <input type="radio" name="runMode" checked={m === mode} disabled={!canSwitch || busy} onChange={() => void choose(m)} data-testid={`settings-runmode-${m}`} />
                <span className={`runmode-dot runmode-${m}`} />
                <span className="runmode-name">{RUN_MODE_LABELS[m]}</span>
                <span className="muted small">
                  {RUN_MODE_NOTES[m]}
                  {RUN_MODE_RULES[m].factor !== 1 ? `（系数 ×${RUN_MODE_RULES[m].factor}）` : ''}
                </span>
              </label>
            ))}
          </div>
          <p className="muted small">切换后新派单的工单按新模式计算时限；已有工单的时限不变。</p>
        </section>

        <section className="card" data-testid="settings-user">
          <div className="card-head">
            <h3>当前用户</h3>
          </div>
          <dl className="fields">
            <div className="f">
              <dt>姓名</dt>
              <dd>{user.displayName}</dd>
            </div>
            <div className="f">
              <dt>用户名</dt>
              <dd className="mono">{user.username}</dd>
            </div>
            <div className="f">
              <dt>角色</dt>
              <dd>{ROLE_LABELS[user.role]}</dd>
            </div>
            <div className="f">
              <dt>所属单位</dt>
              <dd>{user.unitName ?? '—'}</dd>
            </div>
            <div className="f">
              <dt>连接方式</dt>
              <dd>{isElectron() ? '本机客户端' : `浏览器（${location.host}）`}</dd>
            </div>
            <div className="f">
              <dt>节点时间</dt>
              <dd>{formatDateTime(serverNow())}</dd>
            </div>
          </dl>
        </section>

        <AlertSettingsCard />

        <MapSettings canEdit={canSwitch} />

        <section className="card" data-testid="settings-street">
          <div className="card-head">
            <h3>本街道</h3>
          </div>
          <dl className="fields">
            <div className="f">
              <dt>街道</dt>
              <dd>{s.name}</dd>
            </div>
            <div className="f">
              <dt>街道编码</dt>
              <dd className="mono">{s.code}</dd>
            </div>
            <div className="f">
              <dt>所属区县</dt>
              <dd>{s.district}</dd>
            </div>
            <div className="f">
              <dt>所属城市</dt>
              <dd>{s.city}</dd>
            </div>
            <div className="f">
              <dt>中心坐标</dt>
              <dd className="mono">
                {s.centerLon.toFixed(5)}, {s.centerLat.toFixed(5)}
              </dd>
            </div>
            <div className="f">
              <dt>网格</dt>
              <dd>
                社区 {gridCounts['2'] ?? 0} 个 · 网格 {gridCounts['3'] ?? 0} 个
                {gridCounts.micro ? ` · 微网格 ${gridCounts.micro} 个` : ''}
                {gridCounts.special ? ` · 专属网格 ${gridCounts.special} 个` : ''}
              </dd>
            </div>
            <div className="f">
              <dt>处置单位</dt>
              <dd>
                职能部门 {unitCounts.department ?? 0} · 企业 {unitCounts.enterprise ?? 0} · 社区 {unitCounts.community ?? 0}
              </dd>
            </div>
            <div className="f">
              <dt>派单目录</dt>
              <dd>
                {lookups.catalog.size} 项（可派分类 {lookups.leaves.length} 项）
              </dd>
            </div>
          </dl>
        </section>
        <LanCard tls={boot.settings.tls ?? null} />
        {user.role !== 'admin' && <AiSettingsPanel role={user.role} />}

        <SyncSettingsCard />

        <section className="card" data-testid="settings-password">
          <div className="card-head">
            <h3>修改密码</h3>
          </div>
          <PasswordForm
            username={user.username}
            submitLabel="修改密码"
            onSubmit={async (current, next) => {
              await call('session.changePassword', { current, next });
              toast.success('密码已修改，其他设备上的登录已退出');
            }}
          />
        </section>
        {manager && <StreetDetailsCard />}
        {manager && <GridImportCard />}
        {manager && <CatalogCard />}
        {(manager || user.role === 'leader') && <AccountsPanel />}
        {manager && <UnitsPanel />}
        {manager && <CatalogPanel />}
        {manager && <KeyPlacesPanel />}
        {manager && <PlacesPanel />}
        {manager && <DutyPanel />}
        {manager && <AuditLogPanel />}
        {manager && <BackupPanel />}
      </div>
    </div>
  );
}
