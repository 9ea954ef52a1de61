// 打印派工单 / 打印工单: work orders on paper for one ticket or a batch of selected tickets, one
// ticket per sheet. The page has no frame (no sidebar, no inner scrolling); the print stylesheet
// (styles/print.css) hides the toolbar; the sheets themselves (A4, CJK fonts) come from the shared
// work-order module (shared/print/workOrder.ts), which the node also prints to PDF with Chromium —
// 导出PDF downloads exactly these sheets (masked for the user, audited).
//
//   #/print?kind=dispatch&ids=a,b   派工单: what the unit needs to do the work, with signature lines
//   #/print?kind=full&ids=a         工单: every field, photos, the timeline and the results

import { useCallback, useEffect, useMemo } from 'react';
import type { TicketDetail } from '../../shared/api/types';
import { BULK_MAX } from '../../shared/api/operatorTools';
import { WORK_ORDER_CSS, WORK_ORDER_TITLES, escapeHtml, workOrderSheetHtml, type WorkOrderKind, type WorkOrderNames } from '../../shared/print/workOrder';
import { call, errorMessage, fileUrl } from '../api/client';
import { Spinner } from '../components/Form';
import { ExportPdfButton } from '../components/ExportPdf';
import { useLiveQuery } from '../lib/liveQuery';
import type { Route } from '../lib/router';
import { useReadySession } from '../state/session';

type Kind = WorkOrderKind;

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

  const title = WORK_ORDER_TITLES[kind];
  const names = useMemo<WorkOrderNames>(
    () => ({ category: (id) => lookups.catalog.get(id)?.path, grid: (id) => lookups.grids.get(id)?.name, unit: (id) => lookups.units.get(id)?.name }),
    [lookups],
  );
  return (
    <div className="print-root" data-testid="print-page" data-kind={kind}>
      <div className="print-toolbar no-print">
        <button type="button" onClick={() => history.back()} data-testid="print-back">
          ‹ 返回
        </button>
        <strong>
          打印{title}（{ids.length} 件）
        </strong>
        <span className="muted small">每件工单单独一页（A4）。</span>
        <div className="spacer" />
        <ExportPdfButton ids={ids} kind={kind} disabled={!data || ids.length === 0} />
        <button type="button" className="primary" onClick={() => window.print()} disabled={!data} data-testid="print-go">
          打印
        </button>
      </div>
      {ids.length === 0 && <div className="callout error no-print">没有要打印的工单</div>}
      {error && <div className="callout error no-print">{error}</div>}
      {!data && ids.length > 0 && <Spinner label="正在准备打印内容…" />}
      <style>{WORK_ORDER_CSS}</style>
      {data && (
        <div
          className="print-sheets"
          // The shared module escapes every text it puts in (shared/print/workOrder.ts); so does this.
          dangerouslySetInnerHTML={{
            __html: data
              .map((x) =>
                x.detail
                  ? workOrderSheetHtml(x.detail, { kind, streetName: boot.street.name, printedAt: Date.now(), names, photoSrc: fileUrl })
                  : `<div class="callout error no-print" data-testid="print-error">工单 ${escapeHtml(x.id)}：${escapeHtml(x.error ?? '')}</div>`,
              )
              .join('\n'),
          }}
        />
      )}
    </div>
  );
}
