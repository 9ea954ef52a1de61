// Labelled complaint data for training and evaluation: UTF-8 CSV (RFC 4180 quoting) or .xlsx with
// a header row containing id, title, text, category (other columns, e.g. time, are ignored).
// Any problem is a DatasetError naming the file and the row (1 = the header row).

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { LabelledSample } from './textModel';

export interface DatasetRow extends LabelledSample {
  id: string;
  /** Row number in the file (the header is row 1). */
  row: number;
}

export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | null,
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'DatasetError';
  }
}

export const REQUIRED_COLUMNS = ['id', 'title', 'text', 'category'] as const;
const MAX_BYTES = 200 * 1024 * 1024;

async function readCells(file: string): Promise<Array<{ row: number; cells: string[] }>> {
  if (!fs.existsSync(file)) throw new DatasetError(file, null, '文件不存在', `${file}: no such file`);
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new DatasetError(file, null, '不是文件', `${file}: not a regular file`);
  if (stat.size > MAX_BYTES) throw new DatasetError(file, null, '文件过大', `${file}: ${stat.size} bytes > ${MAX_BYTES}`);
  const bytes = fs.readFileSync(file);
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (/\.xlsx$/i.test(file) || isZip) {
    try {
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      const rows: Array<{ row: number; cells: string[] }> = [];
      ws?.eachRow({ includeEmpty: true }, (r, n) => {
        const cells: string[] = [];
        for (let c = 1; c <= r.cellCount; c++) cells.push(r.getCell(c).text);
        rows.push({ row: n, cells });
      });
      return rows;
    } catch (err) {
      throw new DatasetError(file, null, '无法读取 Excel 文件（须为 .xlsx）', `${file}: xlsx: ${(err as Error).message}`);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError(file, null, '文件不是 UTF-8 编码', `${file}: not valid UTF-8`);
  }
  try {
    const recs = parseCsv(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    return recs.map((r) => ({ row: r.info.lines, cells: r.record }));
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new DatasetError(file, e.lines ?? null, 'CSV 格式错误（须为 RFC 4180 引号规则）', `${file}: csv: ${e.message}`);
  }
}

/** Reads and validates a labelled data file. */
export async function readDataset(file: string): Promise<DatasetRow[]> {
  const rows = await readCells(file);
  const header = rows[0];
  if (!header) throw new DatasetError(file, 1, '文件为空', `${file}: empty file (no header row)`);
  const names = header.cells.map((c) => c.trim().replace(/^\uFEFF/, '').toLowerCase());
  const col: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of REQUIRED_COLUMNS) {
    const i = names.indexOf(c);
    if (i < 0) missing.push(c);
    col[c] = i;
  }
  if (missing.length)
    throw new DatasetError(file, header.row, `缺少列：${missing.join(', ')}`, `${file}: row ${header.row}: missing column(s) ${missing.join(', ')} (header: ${names.join(',')})`);
  // Trailing blank lines are tolerated; blank rows between data rows are not.
  let last = rows.length - 1;
  while (last > 0 && rows[last]!.cells.every((c) => !c.trim())) last--;
  const out: DatasetRow[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r <= last; r++) {
    const { row, cells } = rows[r]!;
    const get = (c: string) => (cells[col[c]!] ?? '').trim();
    if (cells.every((c) => !c.trim())) throw new DatasetError(file, row, '空行', `${file}: row ${row}: empty row`);
    const id = get('id');
    const title = get('title');
    const text = get('text');
    const label = get('category');
    if (!id) throw new DatasetError(file, row, 'id 为空', `${file}: row ${row}: empty id`);
    if (!title && !text) throw new DatasetError(file, row, 'title 和 text 都为空', `${file}: row ${row}: empty title and text`);
    if (!label) throw new DatasetError(file, row, 'category 为空', `${file}: row ${row}: empty category`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new DatasetError(file, row, `id 重复（与第${prev}行）`, `${file}: row ${row}: duplicate id ${id} (row ${prev})`);
    seen.set(id, row);
    out.push({ id, title, text, label, row });
  }
  if (!out.length) throw new DatasetError(file, null, '没有数据行', `${file}: no data rows`);
  return out;
}

export function describeFile(file: string): string {
  return path.basename(file);
}
