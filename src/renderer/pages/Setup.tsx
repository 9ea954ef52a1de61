// 初始化向导: the administrator's first login on a new real street walks through setting it up —
// street details, grids, units, accounts, key places, the catalog, the city connection. Each step
// can be skipped and done later from 设置.

import { useState } from 'react';
import { call, errorMessage } from '../api/client';
import { navigate } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import { CatalogCard, GridImportCard, StreetDetailsCard } from '../components/admin/StreetSetupCards';
import { UnitsPanel } from '../components/admin/UnitsPanel';
import { AccountsPanel } from '../components/admin/AccountsPanel';
import { KeyPlacesPanel } from '../components/admin/KeyPlacesPanel';
import { SyncSettingsCard } from '../components/SyncSettings';

const STEPS = [
  { key: 'street', label: '街道信息', note: '核对街道，设置工单编号前缀。', body: () => <StreetDetailsCard /> },
  { key: 'grids', label: '网格', note: '导入本街道的社区、网格、微网格。', body: () => <GridImportCard /> },
  { key: 'units', label: '处置单位', note: '职能部门、企业、社区居委会、街道科室：逐个添加或导入表格。', body: () => <UnitsPanel /> },
  { key: 'accounts', label: '账号', note: '为受理员、街道领导、处置单位、网格员开设账号。', body: () => <AccountsPanel /> },
  { key: 'places', label: '重点部位', note: '节假日、重大活动、应急模式下需要巡查的部位。', body: () => <KeyPlacesPanel /> },
  { key: 'catalog', label: '派单目录', note: '装入默认派单目录（接入市级平台后以市里下发的为准）。', body: () => <CatalogCard /> },
  { key: 'city', label: '市级平台', note: '填写市级平台地址和本街道证书；尚未接入可跳过，照常离线工作。', body: () => <SyncSettingsCard /> },
] as const;

export function SetupPage() {
  const { boot, user, refreshBootstrap } = useReadySession();
  const toast = useToast();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const cur = STEPS[step]!;
  const last = step === STEPS.length - 1;

  const finish = async () => {
    setBusy(true);
    try {
      if (user.role === 'admin' && boot.settings.setupPending) await call('setup.finish', {});
      await refreshBootstrap();
      toast.success('初始化完成。以上各项随时可在“设置”中修改');
      navigate('/settings');
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page setup-page" data-testid="setup">
      <div className="page-head">
        <h2>初始化向导 · {boot.street.name}</h2>
        <span className="muted small">每一步都可以跳过，之后在“设置”中完成</span>
      </div>
      <ol className="setup-steps" data-testid="setup-steps">
        {STEPS.map((s, i) => (
          <li key={s.key} className={i === step ? 'on' : i < step ? 'done' : ''}>
            <button type="button" className="link-btn" onClick={() => setStep(i)} data-testid={`setup-step-${s.key}`}>
              <span className="setup-num">{i + 1}</span> {s.label}
            </button>
          </li>
        ))}
      </ol>
      <p className="setup-note">{cur.note}</p>
      <div className="setup-body">{cur.body()}</div>
      <div className="setup-nav">
        <button type="button" disabled={step === 0} onClick={() => setStep(step - 1)}>
          上一步
        </button>
        <span className="spacer" />
        {!last && (
          <button type="button" onClick={() => setStep(step + 1)} data-testid="setup-skip">
            跳过
          </button>
        )}
        {last ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void finish()} data-testid="setup-finish">
            完成初始化
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => setStep(step + 1)} data-testid="setup-next">
            下一步
          </button>
        )}
      </div>
    </div>
  );
}
