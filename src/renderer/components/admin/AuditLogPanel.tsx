// 设置 › 审计日志 (leaders and administrators): who did what — logins, password and role changes,
// full views of personal data, exports, settings, backups — filtered, exported to Excel, and the
// hash chain checked (校验).

import { useCallback, useState } from 'react';
import type { AuditVerdict } from '../../../shared/api/admin';
import { ROLE_LABELS, type Role } from '../../../shared/domain/ticket';
import { call } from '../../api/client';
import { useAction } from '../../lib/action';
import { useLiveQuery } from '../../lib/liveQuery';
import { DataTable } from '../DataTable';
import { formatDateTime } from '../../lib/format';
import { downloadBase64 } from '../../lib/fileData';

const ACTIONS: Array<[string, string]> = [
  ['', '全部操作'],
  ['login', '登录与登录失败'],
  ['personal.view', '查看个人信息'],
  ['export', '导出'],
  ['password', '密码'],
  ['account', '账号'],
  ['settings.change', '修改设置'],
  ['performance.score', '绩效刚性评'],
  ['sync.config', '同步设置'],
  ['model.switch', '切换模型'],
  ['backup', '备份'],
  ['restore', '恢复'],
  ['recurring.open', '开立专项治理'],
  ['recurring.note', '专项治理进展'],
  ['recurring.close', '专项治理结项'],
];
const LABELS: Record<string, string> = {
  'street.init': '创建街道', 'login.ok': '登录', 'login.failed': '登录失败', 'password.change': '修改密码', 'password.reset': '重置密码',
  'account.create': '新建账号', 'account.update': '修改账号', 'account.deactivate': '停用账号', 'account.activate': '启用账号',
  'personal.view': '查看个人信息', export: '导出', 'settings.change': '修改设置', 'performance.score': '绩效刚性评', 'sync.config': '同步设置', 'model.switch': '切换模型',
  backup: '备份', restore: '恢复', 'audit.verify': '校验审计日志',
  'recurring.open': '开立专项治理', 'recurring.note': '专项治理进展', 'recurring.close': '专项治理结项',
};
const PAGE = 100;

export function AuditLogPanel() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [page, setPage] = useState(0);
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const filter = { ...(action ? { action } : {}), ...(actor.trim() ? { actor: actor.trim() } : {}) };
  const key = JSON.stringify(filter);

  const { data, error, reload } = useLiveQuery(
    useCallback(() => call('audit.list', { startRow: page * PAGE, endRow: (page + 1) * PAGE, filter: JSON.parse(key) as typeof filter }), [key, page]),
    null,
  );
  const checking = useAction<AuditVerdict>(setVerdict);
  const exporting = useAction<{ rows: number }>();
  const busy = checking.busy || exporting.busy;

  // Both are audited themselves, so the list is loaded again after each.
  const verify = async () => {
    if (await checking.run(() => call('audit.verify', {}), null)) void reload();
  };
  const exportXlsx = async () => {
    const done = await exporting.run(async () => {
      const r = await call('audit.export', { filter });
      downloadBase64(r.name, r.dataBase64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return r;
    }, (r) => `已导出 ${r.rows} 条审计记录`);
    if (done) void reload();
  };

  return (
    <section className="card wide-card" data-testid="settings-audit">
      <div className="card-head">
        <h3>审计日志</h3>
        <div className="row-actions">
          <button type="button" className="small-btn" disabled={busy} onClick={() => void verify()} data-testid="audit-verify">
            校验
          </button>
          <button type="button" className="small-btn" disabled={busy} onClick={() => void exportXlsx()} data-testid="audit-export">
            导出Excel
          </button>
        </div>
      </div>
      {error && <p className="error-text">{error}</p>}
      {verdict && (
        <div className={`callout ${verdict.ok ? '' : 'error'}`} data-testid="audit-verdict">
          {verdict.ok ? `校验通过：共 ${verdict.entries} 条记录，哈希链完整，未发现篡改。` : `校验未通过：${verdict.reason ?? ''}`}
        </div>
      )}
      <div className="filter-row">
        <select
          value={action}
          onChange={(e) => {
            setAction(e.target.value);
            setPage(0);
          }}
          aria-label="操作类型"
          data-testid="audit-action"
        >
          {ACTIONS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <input
          value={actor}
          onChange={(e) => {
            setActor(e.target.value);
            setPage(0);
          }}
          placeholder="操作人"
          aria-label="操作人"
          data-testid="audit-actor"
        />
        <span className="muted small">共 {data?.total ?? '…'} 条</span>
        <span className="spacer" />
        <button type="button" className="small-btn" disabled={page === 0} onClick={() => setPage(page - 1)}>
          上一页
        </button>
        <button type="button" className="small-btn" disabled={!data || (page + 1) * PAGE >= data.total} onClick={() => setPage(page + 1)}>
          下一页
        </button>
      </div>
      <DataTable rows={data?.rows ?? []} headers={['时间', '操作人', '角色', '操作', '对象', '详情']} empty={data ? '没有符合条件的记录' : '加载中…'} className="mini-table audit-table" testId="audit-table">
        {(r) => (
          <tr key={r.seq} className={r.action === 'login.failed' ? 'audit-warn' : ''}>
            <td className="mono nowrap">{formatDateTime(r.at)}</td>
            <td>{r.actorName}</td>
            <td>{r.actorRole && r.actorRole in ROLE_LABELS ? ROLE_LABELS[r.actorRole as Role] : (r.actorRole ?? '')}</td>
            <td>{LABELS[r.action] ?? r.action}</td>
            <td className="mono">{r.target ?? ''}</td>
            <td className="small muted audit-detail">{Object.keys(r.detail).length ? JSON.stringify(r.detail) : ''}</td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}
