// 导出PDF of work orders: the node prints the same sheets as the print view to PDF (Chromium) and
// the browser downloads it. Used next to 打印派工单 / 打印工单 on a ticket, in the print view and
// for a batch of tickets selected in the list.

import type { WorkOrderKind } from '../../shared/print/workOrder';
import { WORK_ORDER_TITLES } from '../../shared/print/workOrder';
import { call } from '../api/client';
import { useAction } from '../lib/action';
import { saveFile } from '../lib/download';

export function ExportPdfButton({ ids, kind, disabled, label, testId }: { ids: string[]; kind: WorkOrderKind; disabled?: boolean; label?: string; testId?: string }) {
  const { run, busy } = useAction<{ tickets: number }>();
  const go = () =>
    void run(async () => {
      const f = await call('tickets.exportPdf', { ids, kind });
      saveFile(f);
      return f;
    }, (f) => `已导出${WORK_ORDER_TITLES[kind]}PDF（${f.tickets} 件）`);
  return (
    <button type="button" disabled={disabled || busy || ids.length === 0} onClick={go} data-testid={testId ?? `export-pdf-${kind}`} title={`${WORK_ORDER_TITLES[kind]}导出为PDF文件（与打印内容相同）`}>
      {busy ? '正在生成PDF…' : (label ?? '导出PDF')}
    </button>
  );
}
