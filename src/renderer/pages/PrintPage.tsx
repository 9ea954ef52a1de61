// 打印派工单 / 打印工单: work orders on paper for one ticket or a batch of selected tickets, one
// ticket per sheet. The page has no frame (no sidebar, no inner scrolling); the print stylesheet
// (styles/print.css) hides the toolbar and sets A4 sheets with CJK fonts. The browser's print
// dialog also saves the same sheets as a PDF (目标打印机：另存为PDF).
//
//   #/print?kind=dispatch&ids=a,b   派工单: what the unit needs to do the work, with signature lines
//   #/print?kind=full&ids=a         工单: every field, photos, the timeline and the results

import { useCallback, useEffect, type ReactNode } from 'react';
import type { TicketDetail } from '../../shared/api/types';
import { BULK_MAX, URGE_MARK } from '../../shared/api/operatorTools';
import {
  CHANNEL_LABELS,
  DISPATCH_MODE_LABELS,
  ROLE_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  SUPERVISION_LABELS,
  TICKET_TYPE_LABELS,
  URGENCY_LABELS,
  type SupervisionLevel,
} from '../../shared/domain/ticket';
import { call, errorMessage, fileUrl } from '../api/client';
import { Spinner } from '../components/Form';
import { actionLabel } from '../components/Timeline';
import { useLiveQuery } from '../lib/liveQuery';
import { formatDateTime } from '../lib/format';
import type { Route } from '../lib/router';
import { useReadySession, type Lookups } from '../state/session';

type Kind = 'dispatch' | 'full';

export function PrintPage({ route }: { route: Route }) {
  const { lookups, boot } = useReadySession();
  const kind: Kind = route.query.get('kind') === 'full' ? 'full' : 'dispatch';
  const ids = [...new Set((route.query.get('ids') ?? '').split(',').filter(Boolean))].slice(0, BULK_MAX);
  const key = ids.join(',');

  const { data, error } = useLiveQuery(
    useCallback(async () => {
      const out: Array<{ id: string; detail?: TicketDetail; error?: string }> = [];
      for (const id of key.split(',').filter(Boolean)) {
        try {
          out.push({ id, detail: await call('tickets.get', { id }) });
        } catch (e) {
          out.push({ id, error: errorMessage(e) });
        }
      }
      return out;
    }, [key]),
    null,
  );

  useEffect(() => {
    document.title = `${kind === 'dispatch' ? '派工单' : '工单'}（${ids.length}件）· 城运台`;
  }, [kind, ids.length]);

  const title = kind === 'dispatch' ? '派工单' : '工单';
  return (
    <div className="print-root" data-testid="print-page" data-kind={kind}>
      <div className="print-toolbar no-print">
        <button type="button" onClick={() => history.back()} data-testid="print-back">
          ‹ 返回
        </button>
        <strong>
          打印{title}（{ids.length} 件）
        </strong>
        <span className="muted small">每件工单单独一页（A4）。在打印对话框中选择“另存为PDF”即可导出PDF。</span>
        <div className="spacer" />
        <button type="button" className="primary" onClick={() => window.print()} disabled={!data} data-testid="print-go">
          打印
        </button>
      </div>
      {ids.length === 0 && <div className="callout error no-print">没有要打印的工单</div>}
      {error && <div className="callout error no-print">{error}</div>}
      {!data && ids.length > 0 && <Spinner label="正在准备打印内容…" />}
      {data?.map((x) =>
        x.detail ? (
          <article key={x.id} className="sheet" data-testid="print-sheet">
            <header className="sheet-head">
              <div className="sheet-org">{boot.street.name}城市运行管理中心</div>
              <h1>{title}</h1>
              <div className="sheet-code">
                <span>
                  编号：<span className="mono">{x.detail.ticket.code}</span>
                </span>
                <span>打印时间：{formatDateTime(Date.now())}</span>
              </div>
            </header>
            {kind === 'dispatch' ? <DispatchSheet d={x.detail} lookups={lookups} /> : <FullSheet d={x.detail} lookups={lookups} />}
          </article>
        ) : (
          <div key={x.id} className="callout error" data-testid="print-error">
            工单 {x.id}：{x.error}
          </div>
        ),
      )}
    </div>
  );
}

function Row({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <tr>
      <th>{label}</th>
      <td colSpan={wide ? 3 : 1}>{children || '—'}</td>
    </tr>
  );
}

function Pair({ a, b }: { a: [string, ReactNode]; b: [string, ReactNode] }) {
  return (
    <tr>
      <th>{a[0]}</th>
      <td>{a[1] || '—'}</td>
      <th>{b[0]}</th>
      <td>{b[1] || '—'}</td>
    </tr>
  );
}

function names(d: TicketDetail, lookups: Lookups) {
  const t = d.ticket;
  return {
    category: t.categoryId ? lookups.catalog.get(t.categoryId)?.path ?? t.categoryId : '未分类',
    grid: t.gridId ? lookups.grids.get(t.gridId)?.name ?? t.gridId : '',
    unit: t.unitId ? lookups.units.get(t.unitId)?.name ?? t.unitId : '',
  };
}

function DispatchSheet({ d, lookups }: { d: TicketDetail; lookups: Lookups }) {
  const t = d.ticket;
  const n = names(d, lookups);
  const dispatch = [...d.events].reverse().find((e) => e.action === 'dispatch');
  const urges = d.events.filter((e) => e.action === 'note' && (e.reason ?? '').startsWith(URGE_MARK));
  return (
    <table className="sheet-table">
      <tbody>
        <Pair a={['处置单位', <strong key="u">{n.unit || '（尚未派单）'}</strong>]} b={['派单时间', dispatch ? formatDateTime(dispatch.at) : '']} />
        <Pair a={['派单目录分类', n.category]} b={['紧急程度', URGENCY_LABELS[t.urgency]]} />
        <Row label="地址" wide>
          {t.address}
          {n.grid ? `（${n.grid}）` : ''}
        </Row>
        <Row label="问题描述" wide>
          <div className="sheet-text">{t.description}</div>
        </Row>
        <Pair a={['报告人', t.reporterName]} b={['联系电话', t.reporterPhone]} />
        <Pair a={['签收时限', formatDateTime(t.acceptDeadline)]} b={['办结时限', formatDateTime(t.resolveDeadline)]} />
        <Pair a={['渠道', CHANNEL_LABELS[t.channel] ?? t.channel]} b={['12345工单号', t.externalRef]} />
        {dispatch?.reason && (
          <Row label="派单说明" wide>
            {dispatch.reason}
          </Row>
        )}
        {urges.length > 0 && (
          <Row label="催办" wide>
            {urges.map((u) => `${formatDateTime(u.at)} ${(u.reason ?? '').slice(URGE_MARK.length)}`).join('；')}
          </Row>
        )}
        <Row label="处置情况" wide>
          <div className="sheet-blank" />
        </Row>
        <Pair a={['接单人（签字）', <span key="s" className="sheet-sign" />]} b={['接单时间', <span key="t" className="sheet-sign" />]} />
        <Pair a={['处置人（签字）', <span key="s" className="sheet-sign" />]} b={['完成时间', <span key="t" className="sheet-sign" />]} />
      </tbody>
    </table>
  );
}

function FullSheet({ d, lookups }: { d: TicketDetail; lookups: Lookups }) {
  const t = d.ticket;
  const n = names(d, lookups);
  const events = [...d.events].sort((a, b) => a.seq - b.seq);
  return (
    <>
      <table className="sheet-table">
        <tbody>
          <Pair a={['状态', STATUS_LABELS[t.status]]} b={['受理时间', formatDateTime(t.createdAt)]} />
          <Pair a={['渠道', CHANNEL_LABELS[t.channel] ?? t.channel]} b={['诉求类型', TICKET_TYPE_LABELS[t.type] ?? t.type]} />
          <Row label="问题描述" wide>
            <div className="sheet-text">{t.description}</div>
          </Row>
          <Row label="地址" wide>
            {t.address}
            {t.lon != null && t.lat != null ? `（${t.lon.toFixed(6)}, ${t.lat.toFixed(6)}）` : ''}
          </Row>
          <Pair a={['网格', n.grid]} b={['紧急程度', URGENCY_LABELS[t.urgency]]} />
          <Pair a={['报告人', t.reporterName]} b={['联系电话', t.reporterPhone]} />
          <Row label="派单目录分类" wide>
            {n.category}
          </Row>
          <Pair a={['处置单位', n.unit]} b={['派单方式', t.dispatchMode ? DISPATCH_MODE_LABELS[t.dispatchMode] : '']} />
          <Pair a={['签收时限', formatDateTime(t.acceptDeadline)]} b={['办结时限', formatDateTime(t.resolveDeadline)]} />
          <Pair a={['督办级别', SUPERVISION_LABELS[t.supervisionLevel as SupervisionLevel] ?? String(t.supervisionLevel)]} b={['12345工单号', t.externalRef]} />
          <Row label="办理结果" wide>
            <div className="sheet-text">{t.result ?? ''}</div>
          </Row>
          <Pair a={['办结时间', formatDateTime(t.resolvedAt)]} b={['满意度', t.satisfaction ? SATISFACTION_LABELS[t.satisfaction] : '']} />
          {t.closedAt && <Pair a={['归档时间', formatDateTime(t.closedAt)]} b={['退回/重启', `退回 ${t.returnCount} 次 · 重启 ${t.reopenCount} 次`]} />}
        </tbody>
      </table>
      {d.attachments.length > 0 && (
        <section className="sheet-section">
          <h2>现场照片</h2>
          <div className="sheet-photos">
            {d.attachments.map((a) => (
              <figure key={a.sha256}>
                <img src={fileUrl(a.sha256)} alt={a.name} />
                <figcaption>
                  {a.kind === 'after' ? '处置后' : '处置前'} · {formatDateTime(a.addedAt)}
                </figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}
      <section className="sheet-section">
        <h2>办理过程（{events.length} 条）</h2>
        <table className="sheet-timeline" data-testid="print-timeline">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作</th>
              <th>操作人</th>
              <th>状态</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatDateTime(e.at)}</td>
                <td className="nowrap">{actionLabel(e.action)}</td>
                <td>
                  {e.actorName}（{ROLE_LABELS[e.actorRole] ?? e.actorRole}）
                  {e.unitId ? <div className="muted">对象单位：{lookups.units.get(e.unitId)?.name ?? e.unitId}</div> : null}
                </td>
                <td className="nowrap">{STATUS_LABELS[e.toStatus]}</td>
                <td>{[e.reason, typeof e.data.result === 'string' ? `办理结果：${e.data.result}` : null].filter(Boolean).join('；')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
