// 工单详情: every field, photos, negotiations, extensions, the timeline, and the actions the node
// allows this user right now.

import { RevealButton, useRevealPersonal } from '../components/RevealPersonal';
import { useCallback, useState, type ReactNode } from 'react';
import { deadlineState } from '../../shared/domain/deadline';
import { ACTION_LABELS, type TicketAction } from '../../shared/domain/stateMachine';
import {
  CHANNEL_LABELS,
  DISPATCH_MODE_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  SUPERVISION_LABELS,
  TICKET_TYPE_LABELS,
  URGENCY_LABELS,
  type SupervisionLevel,
} from '../../shared/domain/ticket';
import { call } from '../api/client';
import { ActionDialog } from '../components/actions/ActionDialog';
import { Countdown } from '../components/Deadline';
import { SignInCountdown } from '../components/SignInAlert';
import { ExportPdfButton } from '../components/ExportPdf';
import { DataTable } from '../components/DataTable';
import { Spinner } from '../components/Form';
import { PhotoStrip } from '../components/Photos';
import { AlarmPanel } from '../components/AlarmPanel';
import { PhotoCheckPanel } from '../components/PhotoCheck';
import { StatusPill } from '../components/StatusPill';
import { Timeline } from '../components/Timeline';
import { CoordinationLinks } from '../components/CoordinationLinks';
import { RecurringLinks } from '../components/RecurringLinks';
import { useTick } from '../lib/events';
import { ticketEvents, useLiveQuery } from '../lib/liveQuery';
import { formatDateTime, serverNow, syncClock } from '../lib/format';
import { ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';
import { useShortcut } from '../lib/shortcuts';

const PRIMARY: TicketAction[] = ['register', 'dispatch', 'respondNegotiation', 'accept', 'resolve', 'verify', 'callback', 'close', 'decideExtension'];
const DANGER: TicketAction[] = ['cancel', 'merge', 'return', 'reopen'];
const ORDER: TicketAction[] = [
  'register',
  'classify',
  'dispatch',
  'respondNegotiation',
  'accept',
  'resolve',
  'verify',
  'callback',
  'close',
  'decideExtension',
  'requestExtension',
  'note',
  'relocate',
  'supervise',
  'return',
  'reopen',
  'merge',
  'cancel',
];

const SUCCESS: Partial<Record<TicketAction, string>> = {
  dispatch: '已派单',
  accept: '已签收',
  resolve: '已办结',
  verify: '核查结果已提交',
  callback: '回访已记录',
  close: '工单已归档',
  note: '备注已添加',
};

export function TicketDetailPage({ id }: { id: string }) {
  const { lookups, user } = useReadySession();
  const toast = useToast();
  const [action, setAction] = useState<TicketAction | null>(null);
  const personal = useRevealPersonal(id);
  useTick(30_000);

  const { data: detail, error, set: setDetail } = useLiveQuery(
    useCallback(async () => {
      const d = await call('tickets.get', { id });
      syncClock(d.now);
      return d;
    }, [id]),
    ticketEvents(id, 300),
  );
  // D: 派单 when the ticket may be dispatched now.
  useShortcut('d', () => {
    if (!detail?.allowedActions.includes('dispatch') || action) return false;
    setAction('dispatch');
    return true;
  });

  if (error && !detail)
    return (
      <div className="page">
        <a href="#/tickets" className="back-link">
          ‹ 返回工单列表
        </a>
        <div className="callout error" data-testid="detail-error">
          {error}
        </div>
      </div>
    );
  if (!detail)
    return (
      <div className="page">
        <Spinner />
      </div>
    );

  const t = detail.ticket;
  const now = serverNow();
  const cat = t.categoryId ? lookups.catalog.get(t.categoryId) : undefined;
  const grid = t.gridId ? lookups.grids.get(t.gridId) : undefined;
  const unit = t.unitId ? lookups.units.get(t.unitId) : undefined;
  const ds = deadlineState(t.status, t.resolveDeadline, now, t.createdAt);
  const before = detail.attachments.filter((a) => a.kind !== 'after');
  const after = detail.attachments.filter((a) => a.kind === 'after');
  const actions = [...detail.allowedActions].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));

  return (
    <div className="page detail-page" data-testid="ticket-detail" data-status={t.status}>
      <a href="#/tickets" className="back-link">
        ‹ 返回工单列表
      </a>
      <div className={`detail-head${ds === 'overdue' ? ' is-overdue' : ''}`}>
        <div className="detail-title">
          <h2 className="mono" data-testid="ticket-code">
            {t.code}
          </h2>
          <StatusPill status={t.status} />
          {t.urgency !== 'normal' && <span className={`tag tag-${t.urgency}`}>{URGENCY_LABELS[t.urgency]}</span>}
          {t.isMicro && <span className="tag tag-micro">小微事件</span>}
          {t.isCrossBoundary && <span className="tag tag-cross">三跨</span>}
          {t.supervisionLevel > 0 && <span className="tag tag-sv">{SUPERVISION_LABELS[t.supervisionLevel as SupervisionLevel]}</span>}
          {ds !== 'none' && (
            <span className="detail-deadline" data-testid="detail-countdown">
              <Countdown status={t.status} deadline={t.resolveDeadline} now={now} start={t.createdAt} />
            </span>
          )}
        </div>
        <div className="detail-actions" data-testid="detail-actions">
          {actions.length === 0 && <span className="muted small">当前无可执行的操作</span>}
          {(user.role === 'operator' || user.role === 'leader') && !['closed', 'cancelled'].includes(t.status) && (
            <>
              <a className="button-like whistle-btn" href={`#/whistle/new?ticket=${encodeURIComponent(t.id)}`} data-testid="action-whistle">
                吹哨
              </a>
              {!['resolved', 'verified'].includes(t.status) && (
                <a className="button-like" href={`#/reviews/new?ticket=${encodeURIComponent(t.id)}`} data-testid="action-review">
                  三跨会商
                </a>
              )}
            </>
          )}
          <a className="button-like" href={`#/print?kind=dispatch&ids=${encodeURIComponent(t.id)}`} data-testid="print-dispatch" title="打印派工单（给处置单位）">
            打印派工单
          </a>
          <a className="button-like" href={`#/print?kind=full&ids=${encodeURIComponent(t.id)}`} data-testid="print-full" title="打印工单（含照片、办理过程、结果）">
            打印工单
          </a>
          <ExportPdfButton ids={[t.id]} kind="full" label="导出PDF" testId="export-pdf" />
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={PRIMARY.includes(a) ? 'primary' : DANGER.includes(a) ? 'danger-ghost' : ''}
              data-testid={`action-${a}`}
              onClick={() => setAction(a)}
            >
              {ACTION_LABELS[a]}
            </button>
          ))}
        </div>
      </div>
      {error && <div className="callout error">{error}</div>}

      <div className="detail-cols">
        <div className="detail-main">
          <section className="card">
            <div className="card-head">
              <h3>诉求内容</h3>
              <span className="muted small">
                {CHANNEL_LABELS[t.channel] ?? t.channel} · {TICKET_TYPE_LABELS[t.type] ?? t.type} · 受理于 {formatDateTime(t.createdAt)}
              </span>
            </div>
            <p className="description" data-testid="ticket-description">
              {t.description}
            </p>
            <dl className="fields">
              <F label="地址" wide>
                {t.address}
                {t.lon != null && t.lat != null && (
                  <span className="muted small">
                    {' '}
                    （{t.lon.toFixed(6)}, {t.lat.toFixed(6)}）
                  </span>
                )}
              </F>
              <F label="网格" testId="detail-grid">{grid ? grid.name : t.gridId ?? '—'}</F>
              <F label="报告人">
                <span data-testid="reporter-name">{(personal.full?.reporterName ?? t.reporterName) || '—'}</span>{' '}
                {(t.reporterName || t.reporterPhone) && <RevealButton shown={!!personal.full || !!t.personalInFull} allowed={t.revealAllowed} busy={personal.busy} onReveal={() => void personal.reveal()} />}
              </F>
              <F label="联系电话">
                <span data-testid="reporter-phone">{(personal.full?.reporterPhone ?? t.reporterPhone) || '—'}</span>
              </F>
              <F label={t.channel === 'police110' ? '110接警单号' : t.channel === 'hotline12345' || !t.externalRef ? '12345工单号' : `${CHANNEL_LABELS[t.channel] ?? '来源'}编号`}>{t.externalRef ?? '—'}</F>
              <F label="紧急程度">{URGENCY_LABELS[t.urgency]}</F>
              <F label="事件属性">
                {[t.isMicro && '小微事件', t.isCrossBoundary && '三跨事件'].filter(Boolean).join('、') || '—'}
              </F>
              <F label="派单目录分类" wide>
                {cat ? cat.path : <span className="warn">未分类</span>}
              </F>
              <F label="处置单位">{unit ? unit.name : t.unitId ?? '—'}</F>
              <F label="派单方式">{t.dispatchMode ? DISPATCH_MODE_LABELS[t.dispatchMode] : '—'}</F>
              <F label="督办级别">{SUPERVISION_LABELS[t.supervisionLevel as SupervisionLevel] ?? t.supervisionLevel}</F>
              <F label="签收时限">
                {formatDateTime(t.acceptDeadline)} <SignInCountdown ticket={t} dispatchedAt={[...detail.events].reverse().find((e) => e.action === 'dispatch')?.at ?? null} />
                {t.acceptedAt != null && t.acceptDeadline != null && (
                  <span className={t.acceptedAt > t.acceptDeadline ? 'signin-late' : 'muted'} data-testid="signin-done">
                    {' '}
                    {formatDateTime(t.acceptedAt)} 签收{t.acceptedAt > t.acceptDeadline ? '（超时）' : '（按时）'}
                  </span>
                )}
              </F>
              <F label="办结时限">
                {formatDateTime(t.resolveDeadline)}{' '}
                {ds !== 'none' && t.resolveDeadline != null && <Countdown status={t.status} deadline={t.resolveDeadline} now={now} start={t.createdAt} />}
              </F>
              <F label="最后更新">{formatDateTime(t.updatedAt)}</F>
              {t.result && (
                <F label="办理结果" wide>
                  <span data-testid="ticket-result">{t.result}</span>
                </F>
              )}
              {t.resolvedAt && <F label="办结时间">{formatDateTime(t.resolvedAt)}</F>}
              {t.satisfaction && <F label="满意度">{SATISFACTION_LABELS[t.satisfaction]}</F>}
              {t.closedAt && <F label="归档时间">{formatDateTime(t.closedAt)}</F>}
              {t.mergedInto && (
                <F label="已并入">
                  <a href={`#${ticketPath(t.mergedInto)}`}>{t.mergedInto}</a>
                </F>
              )}
              {t.parentId && (
                <F label="主工单">
                  <a href={`#${ticketPath(t.parentId)}`}>{t.parentId}</a>
                </F>
              )}
              {(t.returnCount > 0 || t.reopenCount > 0) && (
                <F label="退回/重启">
                  退回 {t.returnCount} 次 · 重启 {t.reopenCount} 次
                </F>
              )}
            </dl>
          </section>

          {detail.alarm && <AlarmPanel alarm={detail.alarm} />}

          <section className="card">
            <div className="card-head">
              <h3>现场照片</h3>
            </div>
            <div className="photo-sections">
              <div>
                <div className="sub-title">处置前（{before.length}）</div>
                <PhotoStrip photos={before} emptyText="无处置前照片" testId="photos-before" />
              </div>
              <div>
                <div className="sub-title">处置后（{after.length}）</div>
                <PhotoStrip photos={after} emptyText="无处置后照片" testId="photos-after" />
              </div>
            </div>
            {after.length > 0 && <PhotoCheckPanel detail={detail} />}
          </section>

          {detail.negotiations.length > 0 && (
            <section className="card" data-testid="negotiations">
              <div className="card-head">
                <h3>商定派单</h3>
              </div>
              <DataTable rows={detail.negotiations} headers={['候选单位', '答复', '理由', '答复时间']} className="mini-table">
                {(n) => (
                  <tr key={n.unitId}>
                    <td>{lookups.units.get(n.unitId)?.name ?? n.unitId}</td>
                    <td>
                      <span className={`resp resp-${n.response}`}>
                        {n.response === 'accepted' ? '同意承办' : n.response === 'declined' ? '拒绝' : '待答复'}
                      </span>
                    </td>
                    <td className="cell-wrap">{n.reason ?? '—'}</td>
                    <td>{formatDateTime(n.respondedAt)}</td>
                  </tr>
                )}
              </DataTable>
            </section>
          )}

          {detail.extensions.length > 0 && (
            <section className="card" data-testid="extensions">
              <div className="card-head">
                <h3>延期申请</h3>
              </div>
              <DataTable rows={detail.extensions} headers={['申请单位', '天数', '理由', '申请时间', '状态', '审批意见']} className="mini-table">
                {(x) => (
                  <tr key={x.id}>
                    <td>{lookups.units.get(x.unitId)?.name ?? x.unitId}</td>
                    <td>{x.days}个工作日</td>
                    <td className="cell-wrap">{x.reason}</td>
                    <td>{formatDateTime(x.requestedAt)}</td>
                    <td>
                      <span className={`resp resp-${x.status}`}>
                        {x.status === 'approved' ? '已同意' : x.status === 'rejected' ? '未同意' : '待审批'}
                      </span>
                    </td>
                    <td className="cell-wrap">
                      {x.decisionReason ?? '—'}
                      {x.decidedAt ? <span className="muted small"> · {formatDateTime(x.decidedAt)}</span> : null}
                    </td>
                  </tr>
                )}
              </DataTable>
            </section>
          )}
        </div>

        <aside className="detail-side">
          <RecurringLinks ticketId={t.id} />
          <CoordinationLinks ticketId={t.id} />
          <section className="card">
            <div className="card-head">
              <h3>办理过程</h3>
              <span className="muted small">{detail.events.length} 条记录</span>
            </div>
            <Timeline events={detail.events} lookups={lookups} />
          </section>
        </aside>
      </div>

      {action && (
        <ActionDialog
          action={action}
          detail={detail}
          onClose={() => setAction(null)}
          onDone={(d, a) => {
            syncClock(d.now);
            setDetail(d);
            setAction(null);
            toast.success(`${SUCCESS[a] ?? `${ACTION_LABELS[a]}成功`} · 当前状态：${STATUS_LABELS[d.ticket.status]}`);
          }}
        />
      )}
    </div>
  );
}

function F({ label, children, wide, testId }: { label: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <div className={`f${wide ? ' f-wide' : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
