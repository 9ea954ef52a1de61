// 派工单 / 工单 on paper, as HTML: one A4 sheet per ticket. The one source of the work-order sheets
// for both the screen's print view (renderer pages/PrintPage.tsx, printed by the browser) and the
// PDF the node makes with Chromium (main services/tickets/printPdf.ts) — so the PDF is exactly the
// printed sheet. It renders the ticket detail as the user may see it (masked by the visibility rule
// before it gets here); every text is escaped.
//
//   dispatch  派工单: what the unit needs to do the work, with signature lines
//   full      工单: every field, photos, the timeline and the results

import type { TicketDetail, TicketEvent } from '../api/types';
import { URGE_MARK } from '../api/operatorTools';
import { cstDateTime } from '../domain/calendar';
import { actionLabel } from '../domain/stateMachine';
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
} from '../domain/ticket';

export type WorkOrderKind = 'dispatch' | 'full';
export const WORK_ORDER_TITLES: Record<WorkOrderKind, string> = { dispatch: '派工单', full: '工单' };

/** Names of what a ticket refers to by id (the street's own lookups). */
export interface WorkOrderNames {
  category(id: string): string | undefined;
  grid(id: string): string | undefined;
  unit(id: string): string | undefined;
}

export interface WorkOrderOptions {
  kind: WorkOrderKind;
  streetName: string;
  printedAt: number;
  names: WorkOrderNames;
  /** Where a photo's image comes from (the browser: the node's file URL; the PDF: a data: URL); null leaves it out. */
  photoSrc(sha256: string): string | null;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const e = (s: string | null | undefined) => (s ? escapeHtml(s) : '');
/** A cell's content: already-safe HTML, or — when empty. */
const cell = (html: string) => html || '—';

const row = (label: string, html: string, wide = false) => `<tr><th>${e(label)}</th><td${wide ? ' colspan="3"' : ''}>${cell(html)}</td></tr>`;
const pair = (a: [string, string], b: [string, string]) => `<tr><th>${e(a[0])}</th><td>${cell(a[1])}</td><th>${e(b[0])}</th><td>${cell(b[1])}</td></tr>`;

function names(d: TicketDetail, o: WorkOrderOptions) {
  const t = d.ticket;
  return {
    category: t.categoryId ? (o.names.category(t.categoryId) ?? t.categoryId) : '未分类',
    grid: t.gridId ? (o.names.grid(t.gridId) ?? t.gridId) : '',
    unit: t.unitId ? (o.names.unit(t.unitId) ?? t.unitId) : '',
  };
}

function dispatchSheet(d: TicketDetail, o: WorkOrderOptions): string {
  const t = d.ticket;
  const n = names(d, o);
  const dispatch = [...d.events].reverse().find((x) => x.action === 'dispatch');
  const urges = d.events.filter((x) => x.action === 'note' && (x.reason ?? '').startsWith(URGE_MARK));
  const sign = '<span class="sheet-sign"></span>';
  return `<table class="sheet-table"><tbody>
${pair(['处置单位', `<strong>${e(n.unit || '（尚未派单）')}</strong>`], ['派单时间', dispatch ? cstDateTime(dispatch.at) : ''])}
${pair(['派单目录分类', e(n.category)], ['紧急程度', e(URGENCY_LABELS[t.urgency])])}
${row('地址', `${e(t.address)}${n.grid ? `（${e(n.grid)}）` : ''}`, true)}
${row('问题描述', `<div class="sheet-text">${e(t.description)}</div>`, true)}
${pair(['报告人', e(t.reporterName)], ['联系电话', e(t.reporterPhone)])}
${pair(['签收时限', t.acceptDeadline != null ? cstDateTime(t.acceptDeadline) : ''], ['办结时限', t.resolveDeadline != null ? cstDateTime(t.resolveDeadline) : ''])}
${pair(['渠道', e(CHANNEL_LABELS[t.channel] ?? t.channel)], ['12345工单号', e(t.externalRef)])}
${dispatch?.reason ? row('派单说明', e(dispatch.reason), true) : ''}
${urges.length ? row('催办', e(urges.map((u) => `${cstDateTime(u.at)} ${(u.reason ?? '').slice(URGE_MARK.length)}`).join('；')), true) : ''}
${row('处置情况', '<div class="sheet-blank"></div>', true)}
${pair(['接单人（签字）', sign], ['接单时间', sign])}
${pair(['处置人（签字）', sign], ['完成时间', sign])}
</tbody></table>`;
}

function eventText(x: TicketEvent): string {
  return [x.reason, typeof x.data.result === 'string' ? `办理结果：${x.data.result}` : null].filter(Boolean).join('；');
}

function fullSheet(d: TicketDetail, o: WorkOrderOptions): string {
  const t = d.ticket;
  const n = names(d, o);
  const events = [...d.events].sort((a, b) => a.seq - b.seq);
  const photos = d.attachments
    .map((a) => {
      const src = o.photoSrc(a.sha256);
      if (!src) return '';
      return `<figure><img src="${e(src)}" alt="${e(a.name)}"><figcaption>${a.kind === 'after' ? '处置后' : '处置前'} · ${cstDateTime(a.addedAt)}</figcaption></figure>`;
    })
    .join('');
  const timeline = events
    .map(
      (x) => `<tr>
<td class="nowrap">${cstDateTime(x.at)}</td>
<td class="nowrap">${e(actionLabel(x.action))}</td>
<td>${e(x.actorName)}（${e(ROLE_LABELS[x.actorRole] ?? x.actorRole)}）${x.unitId ? `<div class="muted">对象单位：${e(o.names.unit(x.unitId) ?? x.unitId)}</div>` : ''}</td>
<td class="nowrap">${e(STATUS_LABELS[x.toStatus])}</td>
<td>${e(eventText(x))}</td>
</tr>`,
    )
    .join('\n');
  return `<table class="sheet-table"><tbody>
${pair(['状态', e(STATUS_LABELS[t.status])], ['受理时间', cstDateTime(t.createdAt)])}
${pair(['渠道', e(CHANNEL_LABELS[t.channel] ?? t.channel)], ['诉求类型', e(TICKET_TYPE_LABELS[t.type] ?? t.type)])}
${row('问题描述', `<div class="sheet-text">${e(t.description)}</div>`, true)}
${row('地址', `${e(t.address)}${t.lon != null && t.lat != null ? `（${t.lon.toFixed(6)}, ${t.lat.toFixed(6)}）` : ''}`, true)}
${pair(['网格', e(n.grid)], ['紧急程度', e(URGENCY_LABELS[t.urgency])])}
${pair(['报告人', e(t.reporterName)], ['联系电话', e(t.reporterPhone)])}
${row('派单目录分类', e(n.category), true)}
${pair(['处置单位', e(n.unit)], ['派单方式', t.dispatchMode ? e(DISPATCH_MODE_LABELS[t.dispatchMode]) : ''])}
${pair(['签收时限', t.acceptDeadline != null ? cstDateTime(t.acceptDeadline) : ''], ['办结时限', t.resolveDeadline != null ? cstDateTime(t.resolveDeadline) : ''])}
${pair(['督办级别', e(SUPERVISION_LABELS[t.supervisionLevel as SupervisionLevel] ?? String(t.supervisionLevel))], ['12345工单号', e(t.externalRef)])}
${row('办理结果', `<div class="sheet-text">${e(t.result)}</div>`, true)}
${pair(['办结时间', t.resolvedAt != null ? cstDateTime(t.resolvedAt) : ''], ['满意度', t.satisfaction ? e(SATISFACTION_LABELS[t.satisfaction]) : ''])}
${t.closedAt ? pair(['归档时间', cstDateTime(t.closedAt)], ['退回/重启', `退回 ${t.returnCount} 次 · 重启 ${t.reopenCount} 次`]) : ''}
</tbody></table>
${photos ? `<section class="sheet-section"><h2>现场照片</h2><div class="sheet-photos">${photos}</div></section>` : ''}
<section class="sheet-section"><h2>办理过程（${events.length} 条）</h2>
<table class="sheet-timeline" data-testid="print-timeline"><thead><tr><th>时间</th><th>操作</th><th>操作人</th><th>状态</th><th>说明</th></tr></thead>
<tbody>
${timeline}
</tbody></table></section>`;
}

/** One ticket's sheet (an <article class="sheet">). */
export function workOrderSheetHtml(d: TicketDetail, o: WorkOrderOptions): string {
  const title = WORK_ORDER_TITLES[o.kind];
  return `<article class="sheet" data-testid="print-sheet">
<header class="sheet-head">
<div class="sheet-org">${e(o.streetName)}城市运行管理中心</div>
<h1>${title}</h1>
<div class="sheet-code"><span>编号：<span class="mono">${e(d.ticket.code)}</span></span><span>打印时间：${cstDateTime(o.printedAt)}</span></div>
</header>
${o.kind === 'dispatch' ? dispatchSheet(d, o) : fullSheet(d, o)}
</article>`;
}

/** The sheets' own stylesheet (A4, CJK serif, ruled tables), shared by the screen and the PDF. */
export const WORK_ORDER_CSS = `
.sheet { width: 210mm; min-height: 297mm; margin: 16px auto; padding: 14mm 14mm 12mm; background: #fff; box-shadow: 0 2px 10px rgba(0, 0, 0, 0.12);
  font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'SimSun', 'Microsoft YaHei', 'PingFang SC', serif; font-size: 12pt; line-height: 1.55; color: #000; box-sizing: border-box; }
.sheet-head { text-align: center; margin-bottom: 6mm; }
.sheet-org { font-size: 11pt; letter-spacing: 1px; }
.sheet-head h1 { font-size: 22pt; letter-spacing: 12px; margin: 2mm 0 3mm; }
.sheet-code { display: flex; justify-content: space-between; font-size: 10.5pt; }
.sheet .mono { font-family: 'DejaVu Sans Mono', 'Consolas', monospace; }
.sheet .muted { color: #555; }
.sheet-table, .sheet-timeline { width: 100%; border-collapse: collapse; table-layout: fixed; }
.sheet-table th, .sheet-table td, .sheet-timeline th, .sheet-timeline td { border: 1px solid #000; padding: 2mm 2.5mm; vertical-align: top; text-align: left; word-break: break-word; }
.sheet-table th { width: 36mm; font-weight: 600; background: #f3f3f3; white-space: nowrap; }
.sheet-text { white-space: pre-wrap; }
.sheet-blank { height: 42mm; }
.sheet-sign { display: inline-block; min-width: 30mm; height: 8mm; }
.sheet-section { margin-top: 6mm; }
.sheet-section h2 { font-size: 13pt; margin: 0 0 2mm; }
.sheet-timeline { font-size: 10pt; }
.sheet-timeline th { background: #f3f3f3; }
.sheet-timeline th:nth-child(1) { width: 34mm; }
.sheet-timeline th:nth-child(2), .sheet-timeline th:nth-child(4) { width: 20mm; }
.sheet-timeline th:nth-child(3) { width: 42mm; }
.sheet-timeline .nowrap { white-space: nowrap; }
.sheet-timeline tr { break-inside: avoid; }
.sheet-photos { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; }
.sheet-photos figure { margin: 0; break-inside: avoid; }
.sheet-photos img { width: 100%; height: 45mm; object-fit: cover; border: 1px solid #999; }
.sheet-photos figcaption { font-size: 9pt; text-align: center; }
@page { size: A4; margin: 12mm; }
@media print {
  .sheet { margin: 0; padding: 0; box-shadow: none; width: auto; min-height: 0; break-after: page; }
  .sheet:last-of-type { break-after: auto; }
}
`;

/** A whole document of sheets, for printing to PDF (no script, nothing fetched but data: images). */
export function workOrderDocumentHtml(sheets: string[], title: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>html, body { margin: 0; background: #fff; }${WORK_ORDER_CSS}</style></head>
<body>${sheets.join('\n')}</body></html>`;
}
