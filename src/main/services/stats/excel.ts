// Statistics tables as Excel workbooks (exceljs): one sheet per table, counts and rates as numbers
// (rates with a percentage format), hours as numbers, period dates as dates.

import ExcelJS from 'exceljs';
import { FIGURE_LABELS, TABLE_FIGURES, isHoursKey, isRateKey, type Figures } from '../../../shared/stats/figures';

export interface SheetSpec {
  name: string;
  /** Leading text columns (group names, codes) and their values per row. */
  lead: Array<{ header: string; width?: number }>;
  /** Date columns after the lead (CST calendar dates YYYY-MM-DD). */
  dates?: string[];
  rows: Array<{ lead: Array<string | null>; dates?: string[]; figures: Figures }>;
  figures?: ReadonlyArray<keyof Figures>;
  /** Free text rows above the table (title, period, note). */
  title?: string[];
}

const asDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
};

export function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const ws = wb.addWorksheet(spec.name.slice(0, 31));
  const keys = spec.figures ?? TABLE_FIGURES;
  for (const t of spec.title ?? []) ws.addRow([t]).font = { bold: ws.rowCount === 1, size: ws.rowCount === 1 ? 13 : 10 };
  if (spec.title?.length) ws.addRow([]);
  const header = [...spec.lead.map((l) => l.header), ...(spec.dates ?? []), ...keys.map((k) => FIGURE_LABELS[k] + (isHoursKey(k) ? '（工作小时）' : ''))];
  const hr = ws.addRow(header);
  hr.font = { bold: true };
  hr.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  const headerRow = ws.rowCount;
  for (const r of spec.rows) {
    ws.addRow([...r.lead, ...(r.dates ?? []).map(asDate), ...keys.map((k) => r.figures[k])]);
  }
  const nLead = spec.lead.length;
  const nDates = spec.dates?.length ?? 0;
  spec.lead.forEach((l, i) => (ws.getColumn(i + 1).width = l.width ?? 16));
  for (let i = 0; i < nDates; i++) {
    const col = ws.getColumn(nLead + i + 1);
    col.width = 12;
    col.numFmt = 'yyyy-mm-dd';
  }
  keys.forEach((k, i) => {
    const col = ws.getColumn(nLead + nDates + i + 1);
    col.width = Math.max(10, FIGURE_LABELS[k].length * 2 + 2);
    col.numFmt = isRateKey(k) ? '0.0%' : isHoursKey(k) ? '0.0' : '0';
  });
  ws.views = [{ state: 'frozen', ySplit: headerRow, xSplit: nLead }];
}

export async function workbookBuffer(sheets: SheetSpec[], extra?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '城运台';
  wb.created = new Date();
  for (const s of sheets) addSheet(wb, s);
  extra?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
