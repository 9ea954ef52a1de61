// The grids command line for IT staff, on the same store file as the app:
//
//   npm run -s grids -- import FILE --db STORE [--convert-gcj02] [--dry-run]
//   npm run -s grids -- export --db STORE --out FILE
//   npm run -s grids -- lookup --db STORE LON LAT
//   npm run -s grids -- import-members FILE --db STORE       (CSV or .xlsx)
//   npm run -s grids -- import-elements FILE --db STORE      (CSV or .xlsx)
//   npm run -s grids -- export-members --db STORE --out FILE
//   npm run -s grids -- export-elements --db STORE --out FILE
//
// Results are JSON lines on stdout. Every error is one JSON line on stderr naming the file and the
// feature (GeoJSON) or row (spreadsheet) at fault, with `code`, a Chinese `reason` and an English
// `detail`. Exit codes: 0 done, 1 rejected (nothing was changed), 2 wrong usage.
// A STORE path that does not exist yet becomes an empty street store.

import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../db/store';
import { createContext } from '../services/core/context';
import { silentLogger } from '../services/core/log';
import { ImportFileError, importGrids, readGridFile, type ImportIssue } from '../services/grids/import';
import { exportGridElementsCsv, exportGridMembersCsv, exportGrids, geojsonText } from '../services/grids/export';
import { importGridElements, importGridMembers, readTable } from '../services/grids/peopleImport';
import { lookupPoint } from '../services/grids/lookup';

const USAGE = `usage:
  grids import FILE --db STORE [--convert-gcj02] [--dry-run]
  grids export --db STORE --out FILE
  grids lookup --db STORE LON LAT
  grids import-members FILE --db STORE
  grids import-elements FILE --db STORE
  grids export-members --db STORE --out FILE
  grids export-elements --db STORE --out FILE`;

class UsageError extends Error {}

interface Args {
  command: string;
  positional: string[];
  db: string | null;
  out: string | null;
  convert: boolean;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { command: argv[0] ?? '', positional: [], db: null, out: null, convert: false, dryRun: false };
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i]!;
    const eq = x.startsWith('--') ? x.indexOf('=') : -1;
    const name = eq > 0 ? x.slice(0, eq) : x;
    const value = () => {
      const v = eq > 0 ? x.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--db') a.db = value();
    else if (name === '--out') a.out = value();
    else if (name === '--convert-gcj02') a.convert = true;
    else if (name === '--dry-run') a.dryRun = true;
    else if (x.startsWith('--')) throw new UsageError(`unknown option ${x}`);
    else a.positional.push(x);
  }
  return a;
}

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const err = (o: Record<string, unknown>) => process.stderr.write(JSON.stringify(o) + '\n');

function reportIssues(file: string, issues: ImportIssue[]): void {
  for (const i of issues) err({ file, ...(i.row != null ? { row: i.row } : { feature: i.feature ?? null }), code: i.code, reason: i.reason, detail: i.detail });
}

function writeAtomic(file: string, text: string): void {
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, abs);
}

function need<T>(v: T | null | undefined, what: string): T {
  if (v == null) throw new UsageError(`${what} is required`);
  return v;
}

async function run(a: Args, store: Store): Promise<number> {
  const ctx = createContext(store, { log: silentLogger });
  switch (a.command) {
    case 'import': {
      const file = need(a.positional[0], 'FILE');
      const data = await readGridFile(file);
      const r = await importGrids(ctx, data, { convertGcj02: a.convert, dryRun: a.dryRun });
      reportIssues(file, r.errors);
      out({
        command: 'import', ok: r.ok, file: path.resolve(file), db: store.file, features: r.features, errors: r.errors.length,
        inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, streetCreated: r.streetCreated,
        datum: r.datum.datum, datumCheck: r.datum.method, converted: r.converted, dryRun: a.dryRun,
      });
      return r.ok ? 0 : 1;
    }
    case 'export': {
      const file = need(a.out, '--out FILE');
      const r = await exportGrids(ctx);
      writeAtomic(file, geojsonText(r.geojson));
      for (const code of r.skipped) err({ file, feature: code, code: 'noPolygon', reason: `网格 ${code} 没有边界，未导出`, detail: `grid ${code} has no polygon; not exported` });
      out({ command: 'export', ok: true, out: path.resolve(file), db: store.file, features: r.geojson.features.length, skipped: r.skipped.length });
      return 0;
    }
    case 'lookup': {
      const [lonS, latS] = a.positional;
      const lon = Number(lonS);
      const lat = Number(latS);
      if (a.positional.length !== 2 || !Number.isFinite(lon) || !Number.isFinite(lat) || !/^-?\d/.test(lonS ?? '') || !/^-?\d/.test(latS ?? ''))
        throw new UsageError('lookup needs LON LAT as decimal degrees (WGS-84), e.g. lookup --db street.sqlite 113.67 34.775');
      out(await lookupPoint(store.db, store, lon, lat));
      return 0;
    }
    case 'import-members':
    case 'import-elements': {
      const file = need(a.positional[0], 'FILE');
      const table = await readTable(file);
      const r = a.command === 'import-members' ? await importGridMembers(ctx, table, { dryRun: a.dryRun }) : await importGridElements(ctx, table, { dryRun: a.dryRun });
      reportIssues(file, r.errors);
      out({ command: a.command, ok: r.ok, file: path.resolve(file), db: store.file, rows: r.rows, errors: r.errors.length, grids: r.grids, written: r.written, staffCreated: r.staffCreated, dryRun: a.dryRun });
      return r.ok ? 0 : 1;
    }
    case 'export-members':
    case 'export-elements': {
      const file = need(a.out, '--out FILE');
      const text = a.command === 'export-members' ? await exportGridMembersCsv(ctx) : await exportGridElementsCsv(ctx);
      writeAtomic(file, text);
      out({ command: a.command, ok: true, out: path.resolve(file), db: store.file, rows: text.split('\r\n').length - 2 });
      return 0;
    }
    default:
      throw new UsageError(a.command ? `unknown command ${a.command}` : 'no command');
  }
}

async function main(): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(process.argv.slice(2));
    if (!['import', 'export', 'lookup', 'import-members', 'import-elements', 'export-members', 'export-elements'].includes(a.command))
      throw new UsageError(a.command ? `unknown command ${a.command}` : 'no command');
    need(a.db, '--db STORE');
  } catch (e) {
    err({ code: 'usage', reason: '命令用法有误', detail: `${(e as Error).message}\n${USAGE}` });
    return 2;
  }
  let store: Store | null = null;
  try {
    store = await openStore(a.db!);
    return await run(a, store);
  } catch (e) {
    if (e instanceof UsageError) {
      err({ code: 'usage', reason: '命令用法有误', detail: `${e.message}\n${USAGE}` });
      return 2;
    }
    const file = a.positional[0] ?? a.out ?? a.db;
    if (e instanceof ImportFileError) err({ file, feature: null, code: e.code, reason: e.reason, detail: e.detail });
    else {
      const x = e as Error & { code?: string; detail?: string };
      const code = typeof x.code === 'string' ? x.code : 'failed';
      err({ file, code, reason: x.message, detail: x.detail ?? String(x.stack ?? x) });
    }
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    err({ code: 'failed', reason: '命令执行失败', detail: String(e) });
    process.exit(1);
  },
);
