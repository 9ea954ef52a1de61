// Grid members and six-element counts from a spreadsheet (CSV, or .xlsx through exceljs), with the
// same rules as the grid import: every problem reported with its row, a code, a Chinese reason and
// an English detail; any problem and nothing is written; the write is one transaction.
//
// Members: columns 网格编码, 姓名, 角色 (网格长/专职网格员/兼职网格员/社区民警/辅警, or the English
// keys), 电话, optionally 单位 (unit code or name). Each grid named in the file gets exactly the
// members the file lists for it (other grids keep theirs). People are matched to existing staff by
// name and phone; new ones are added to staff.
// Elements: 网格编码 and one column per kind (its Chinese label or key, e.g. 重点关爱人员 or
// keyCareResidents); an empty cell leaves that count as it is.

import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { parse as parseCsv } from 'csv-parse/sync';
import { GRID_ELEMENTS, GRID_MEMBER_ROLES, GRID_MEMBER_ROLE_LABELS, type GridMemberRole } from '../../../shared/domain/grid';
import type { NodeContext } from '../core/context';
import { ImportFileError, type ImportIssue } from './import';

export const TABLE_LIMITS = { maxBytes: 64 * 1024 * 1024, maxRows: 500_000, maxErrors: 1000 };

/** Reads the first sheet of a .xlsx, or a CSV (UTF-8, BOM optional), into rows of trimmed strings. */
export async function readTable(file: string): Promise<string[][]> {
  const stat = fs.statSync(file);
  if (stat.size > TABLE_LIMITS.maxBytes) throw new ImportFileError('tooLarge', `文件超过${TABLE_LIMITS.maxBytes / 1024 / 1024}MB`, `${file} is ${stat.size} bytes`);
  return parseTableBytes(path.basename(file), fs.readFileSync(file));
}

export async function parseTableBytes(name: string, bytes: Buffer): Promise<string[][]> {
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (/\.xlsx$/i.test(name) || isZip) {
    try {
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      if (!ws) return [];
      const rows: string[][] = [];
      ws.eachRow({ includeEmpty: true }, (row, n) => {
        const cells: string[] = [];
        for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text.trim());
        rows[n - 1] = cells;
      });
      return Array.from(rows, (r) => r ?? []);
    } catch (err) {
      throw new ImportFileError('badSpreadsheet', '无法读取 Excel 文件（须为 .xlsx）', `xlsx: ${(err as Error).message}`);
    }
  }
  if (/\.xls$/i.test(name)) throw new ImportFileError('badSpreadsheet', '不支持旧版 .xls，请另存为 .xlsx 或 CSV', 'legacy .xls is not supported');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new ImportFileError('badCsv', 'CSV 文件无法解析（须为 UTF-8 编码、逗号分隔）', `csv: ${(err as Error).message}`);
  }
}

class RowIssues {
  readonly list: ImportIssue[] = [];
  add(row: number | null, code: string, reason: string, detail: string) {
    if (this.list.length < TABLE_LIMITS.maxErrors) this.list.push({ row: row ?? undefined, feature: row == null ? null : undefined, code, reason, detail });
  }
}

const GRID_HEADERS = ['网格编码', '网格代码', '网格', 'grid', 'gridcode', 'code'];
const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

function columnIndex(header: string[], names: string[]): number {
  const want = names.map(norm);
  return header.findIndex((h) => want.includes(norm(h)));
}

const ROLE_BY_TEXT = new Map<string, GridMemberRole>();
for (const r of GRID_MEMBER_ROLES) {
  ROLE_BY_TEXT.set(norm(r), r);
  ROLE_BY_TEXT.set(norm(GRID_MEMBER_ROLE_LABELS[r]), r);
}
ROLE_BY_TEXT.set(norm('专职网格长'), 'gridLeader');
ROLE_BY_TEXT.set(norm('网格员'), 'fullTimeOfficer');
ROLE_BY_TEXT.set(norm('民警'), 'communityPolice');

const PHONE_RE = /^[0-9+\-\s]{5,20}$/;

export interface TableImportResult {
  ok: boolean;
  errors: ImportIssue[];
  rows: number;
  grids: number;
  /** Members written (members import) or counts written (elements import). */
  written: number;
  staffCreated: number;
}

export async function importGridMembers(ctx: NodeContext, table: string[][], opts: { dryRun?: boolean } = {}): Promise<TableImportResult> {
  const issues = new RowIssues();
  const done = (extra: Partial<TableImportResult> = {}): TableImportResult => ({ ok: issues.list.length === 0, errors: issues.list, rows: Math.max(0, table.length - 1), grids: 0, written: 0, staffCreated: 0, ...extra });
  const header = table[0] ?? [];
  const col = {
    grid: columnIndex(header, GRID_HEADERS),
    name: columnIndex(header, ['姓名', 'name']),
    role: columnIndex(header, ['角色', '职务', 'role']),
    phone: columnIndex(header, ['电话', '手机', '联系电话', 'phone']),
    unit: columnIndex(header, ['单位', '所属单位', 'unit']),
  };
  for (const [k, zh] of [['grid', '网格编码'], ['name', '姓名'], ['role', '角色']] as const)
    if (col[k] < 0) issues.add(1, 'missingColumn', `表头缺少“${zh}”列`, `header has no ${k} column (${zh})`);
  if (issues.list.length) return done();
  if (table.length - 1 > TABLE_LIMITS.maxRows) {
    issues.add(null, 'tooManyRows', `行数超过上限${TABLE_LIMITS.maxRows}`, `${table.length - 1} rows`);
    return done();
  }

  const db = ctx.store.db;
  const grids = new Map((await db.selectFrom('grids').select(['id', 'code']).execute()).map((g) => [g.code, g.id]));
  const units = await db.selectFrom('units').select(['id', 'code', 'name']).execute();
  const unitBy = new Map<string, string>();
  for (const u of units) {
    unitBy.set(u.code, u.id);
    unitBy.set(u.name, u.id);
  }
  interface Row { row: number; gridId: string; name: string; role: GridMemberRole; phone: string | null; unitId: string | null }
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < table.length; i++) {
    const r = table[i]!;
    const rowNo = i + 1;
    const cell = (c: number) => (c >= 0 ? (r[c] ?? '').trim() : '');
    if (r.every((x) => !String(x ?? '').trim())) continue;
    const code = cell(col.grid);
    const name = cell(col.name);
    const roleText = cell(col.role);
    const phone = cell(col.phone) || null;
    const unitText = cell(col.unit) || null;
    let ok = true;
    const gridId = grids.get(code);
    if (!code || !gridId) {
      issues.add(rowNo, 'unknownGrid', `第${rowNo}行：网格编码“${code}”在库中不存在`, `row ${rowNo}: unknown grid code ${JSON.stringify(code)}`);
      ok = false;
    }
    if (!name || name.length > 50) {
      issues.add(rowNo, 'missingName', `第${rowNo}行：缺少姓名或姓名超过50字`, `row ${rowNo}: missing or too long name`);
      ok = false;
    }
    const role = ROLE_BY_TEXT.get(norm(roleText));
    if (!role) {
      issues.add(rowNo, 'badRole', `第${rowNo}行：角色“${roleText}”无效，须为${GRID_MEMBER_ROLES.map((x) => GRID_MEMBER_ROLE_LABELS[x]).join('、')}之一`, `row ${rowNo}: bad role ${JSON.stringify(roleText)}`);
      ok = false;
    }
    if (phone && !PHONE_RE.test(phone)) {
      issues.add(rowNo, 'badPhone', `第${rowNo}行：电话号码“${phone}”格式不正确`, `row ${rowNo}: bad phone`);
      ok = false;
    }
    const unitId = unitText ? unitBy.get(unitText) : null;
    if (unitText && !unitId) {
      issues.add(rowNo, 'unknownUnit', `第${rowNo}行：单位“${unitText}”在库中不存在`, `row ${rowNo}: unknown unit ${JSON.stringify(unitText)}`);
      ok = false;
    }
    if (!ok) continue;
    const key = `${gridId}|${name}|${phone ?? ''}|${role}`;
    if (seen.has(key)) {
      issues.add(rowNo, 'duplicateRow', `第${rowNo}行：与前面的行重复（同一网格、姓名、电话和角色）`, `row ${rowNo}: duplicate member row`);
      continue;
    }
    seen.add(key);
    rows.push({ row: rowNo, gridId: gridId!, name, role: role!, phone, unitId: unitId ?? null });
  }
  if (issues.list.length) {
    ctx.log.warn('grid members import rejected', { errors: issues.list.length });
    return done();
  }
  const gridIds = [...new Set(rows.map((r) => r.gridId))];
  if (opts.dryRun) return done({ grids: gridIds.length });
  let staffCreated = 0;
  await db.transaction().execute(async (trx) => {
    const staff = await trx.selectFrom('staff').select(['id', 'name', 'phone']).execute();
    const staffBy = new Map(staff.map((s) => [`${s.name}|${s.phone ?? ''}`, s.id]));
    for (let i = 0; i < gridIds.length; i += 500) await trx.deleteFrom('grid_members').where('grid_id', 'in', gridIds.slice(i, i + 500)).execute();
    const sortOf = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.name}|${r.phone ?? ''}`;
      let staffId = staffBy.get(k);
      if (!staffId) {
        staffId = uuidv7();
        await trx.insertInto('staff').values({ id: staffId, name: r.name, phone: r.phone, role: r.role, unit_id: r.unitId, grid_id: r.gridId }).execute();
        staffBy.set(k, staffId);
        staffCreated++;
      }
      const sort = sortOf.get(r.gridId) ?? 0;
      sortOf.set(r.gridId, sort + 1);
      await trx.insertInto('grid_members').values({ grid_id: r.gridId, staff_id: staffId, role: r.role, sort }).onConflict((oc) => oc.doNothing()).execute();
    }
  });
  ctx.log.info('grid members imported', { grids: gridIds.length, members: rows.length, staffCreated });
  return done({ grids: gridIds.length, written: rows.length, staffCreated });
}

export async function importGridElements(ctx: NodeContext, table: string[][], opts: { dryRun?: boolean } = {}): Promise<TableImportResult> {
  const issues = new RowIssues();
  const done = (extra: Partial<TableImportResult> = {}): TableImportResult => ({ ok: issues.list.length === 0, errors: issues.list, rows: Math.max(0, table.length - 1), grids: 0, written: 0, staffCreated: 0, ...extra });
  const header = table[0] ?? [];
  const gridCol = columnIndex(header, GRID_HEADERS);
  if (gridCol < 0) issues.add(1, 'missingColumn', '表头缺少“网格编码”列', 'header has no grid column');
  const kindCols: Array<{ col: number; kind: string }> = [];
  header.forEach((h, c) => {
    if (c === gridCol || !h.trim()) return;
    const e = GRID_ELEMENTS.find((x) => norm(x.kind) === norm(h) || norm(x.label) === norm(h));
    if (!e) issues.add(1, 'unknownColumn', `表头“${h}”不是已知的六要素项（可用：${GRID_ELEMENTS.map((x) => x.label).join('、')}）`, `unknown column ${JSON.stringify(h)}`);
    else kindCols.push({ col: c, kind: e.kind });
  });
  if (!issues.list.length && !kindCols.length) issues.add(1, 'missingColumn', '表头没有任何六要素列', 'no element columns');
  if (issues.list.length) return done();
  if (table.length - 1 > TABLE_LIMITS.maxRows) {
    issues.add(null, 'tooManyRows', `行数超过上限${TABLE_LIMITS.maxRows}`, `${table.length - 1} rows`);
    return done();
  }
  const grids = new Map((await ctx.store.db.selectFrom('grids').select(['id', 'code']).execute()).map((g) => [g.code, g.id]));
  const values: Array<{ gridId: string; kind: string; count: number }> = [];
  const seenGrid = new Map<string, number>();
  for (let i = 1; i < table.length; i++) {
    const r = table[i]!;
    const rowNo = i + 1;
    if (r.every((x) => !String(x ?? '').trim())) continue;
    const code = (r[gridCol] ?? '').trim();
    const gridId = grids.get(code);
    if (!gridId) {
      issues.add(rowNo, 'unknownGrid', `第${rowNo}行：网格编码“${code}”在库中不存在`, `row ${rowNo}: unknown grid code ${JSON.stringify(code)}`);
      continue;
    }
    const first = seenGrid.get(gridId);
    if (first) {
      issues.add(rowNo, 'duplicateGrid', `第${rowNo}行：网格${code}在第${first}行已出现`, `row ${rowNo}: grid ${code} repeats row ${first}`);
      continue;
    }
    seenGrid.set(gridId, rowNo);
    for (const { col, kind } of kindCols) {
      const v = (r[col] ?? '').trim();
      if (!v) continue;
      if (!/^\d{1,8}$/.test(v)) {
        issues.add(rowNo, 'badCount', `第${rowNo}行：“${header[col]}”的值“${v}”须为非负整数`, `row ${rowNo}: ${kind} = ${JSON.stringify(v)} is not a non-negative integer`);
        continue;
      }
      values.push({ gridId, kind, count: Number(v) });
    }
  }
  if (issues.list.length) {
    ctx.log.warn('grid elements import rejected', { errors: issues.list.length });
    return done();
  }
  if (opts.dryRun) return done({ grids: seenGrid.size });
  const at = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const v of values)
      await trx
        .insertInto('grid_elements')
        .values({ grid_id: v.gridId, kind: v.kind, count: v.count, updated_at: at })
        .onConflict((oc) => oc.columns(['grid_id', 'kind']).doUpdateSet({ count: v.count, updated_at: at }))
        .execute();
  });
  ctx.log.info('grid elements imported', { grids: seenGrid.size, values: values.length });
  return done({ grids: seenGrid.size, written: values.length });
}
