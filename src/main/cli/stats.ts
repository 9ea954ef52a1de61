// The statistics command line, on the same store file as the app (definitions in src/shared/stats):
//
//   npm run -s stats -- overview --db STORE --from YYYY-MM-DD --to YYYY-MM-DD [--by unit|community|grid|category|leaf|channel|type|urgency]
//   npm run -s stats -- report --db STORE --month YYYY-MM --out FILE.pdf|FILE.xlsx
//   npm run -s stats -- ranking --db STORE --month YYYY-MM [--by unit|community|grid]
//
// The period is [from, to) in China time: --to is the first day NOT counted (a month is
// --from 2026-10-01 --to 2026-11-01). `overview` prints one JSON object; with --by, one JSON line per
// group (the same fields plus dimension, key, code and name). `report` prints one JSON line naming
// the file written. `ranking` prints one JSON line per
// entity of the month's 三维评价 ranking (an ended month is frozen first, as the node does at month
// end; `correction` holds today's recomputation where it differs from the frozen row). Errors: one line on stderr; exit 1 (refused), 2 (wrong usage).

import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../db/store';
import { createContext } from '../services/core/context';
import { silentLogger } from '../services/core/log';
import { CLI_DIMENSIONS } from '../../shared/stats/dimensions';
import { daysBetween, isDate, MAX_PERIOD_DAYS, periodLabel, type Period } from '../../shared/stats/period';
import { breakdown, periodFigures } from '../services/stats/queries';
import { buildMonthlyReport, reportHtml, reportWorkbook } from '../services/stats/report';
import { htmlToPdf } from '../services/stats/pdf';
import { rankingView } from '../services/stats/ranking';
import { RANKING_KINDS, type RankingKind } from '../../shared/stats/ranking';

const USAGE = `usage:
  stats overview --db STORE --from YYYY-MM-DD --to YYYY-MM-DD [--by ${Object.keys(CLI_DIMENSIONS).join('|')}]
  stats report --db STORE --month YYYY-MM --out FILE.pdf|FILE.xlsx
  stats ranking --db STORE --month YYYY-MM [--by unit|community|grid]`;

class UsageError extends Error {}
class Refused extends Error {}

function parseArgs(argv: string[]): { command: string; opts: Map<string, string> } {
  const command = argv[0] ?? '';
  const opts = new Map<string, string>();
  const known = ['--db', '--from', '--to', '--by', '--month', '--out'];
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i]!;
    const eq = x.startsWith('--') ? x.indexOf('=') : -1;
    const name = eq > 0 ? x.slice(0, eq) : x;
    if (!known.includes(name)) throw new UsageError(`unknown argument ${x}`);
    const v = eq > 0 ? x.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
    opts.set(name, v);
  }
  return { command, opts };
}

async function openExisting(file: string | undefined): Promise<Store> {
  if (!file) throw new UsageError('--db is required');
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Refused(`${abs}: no such store file`);
  return openStore(abs);
}

async function main(argv: string[]): Promise<number> {
  let store: Store | null = null;
  try {
    const { command, opts } = parseArgs(argv);
    if (command === 'overview') {
      const from = opts.get('--from');
      const to = opts.get('--to');
      if (!from || !to) throw new UsageError('--from and --to are required');
      if (!isDate(from)) throw new UsageError(`--from must be a date YYYY-MM-DD, got "${from}"`);
      if (!isDate(to)) throw new UsageError(`--to must be a date YYYY-MM-DD, got "${to}"`);
      if (!(from < to)) throw new UsageError(`--to (${to}) must be after --from (${from}); the period is [from, to)`);
      if (daysBetween(from, to) > MAX_PERIOD_DAYS) throw new UsageError(`the period may not exceed ${MAX_PERIOD_DAYS} days`);
      const byName = opts.get('--by');
      const dim = byName ? CLI_DIMENSIONS[byName] : undefined;
      if (byName && !dim) throw new UsageError(`--by must be one of ${Object.keys(CLI_DIMENSIONS).join(', ')}, got "${byName}"`);
      store = await openExisting(opts.get('--db'));
      const ctx = createContext(store, { log: silentLogger });
      const p: Period = { kind: 'range', from, to };
      if (!dim) {
        const r = await periodFigures(ctx, p);
        process.stdout.write(JSON.stringify({ from, to, label: periodLabel(p), ...r.figures }) + '\n');
      } else {
        const b = await breakdown(ctx, p, dim);
        for (const row of b.rows)
          process.stdout.write(JSON.stringify({ from, to, dimension: byName, key: row.key, code: row.code, name: row.name, ...row.figures }) + '\n');
      }
      return 0;
    }
    if (command === 'report') {
      const month = opts.get('--month');
      const out = opts.get('--out');
      if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, got "${month ?? ''}"`);
      if (!out) throw new UsageError('--out is required');
      const ext = path.extname(out).toLowerCase();
      if (ext !== '.pdf' && ext !== '.xlsx') throw new UsageError(`--out must end in .pdf or .xlsx, got "${out}"`);
      const outAbs = path.resolve(out);
      if (!fs.existsSync(path.dirname(outAbs))) throw new Refused(`${outAbs}: the folder does not exist`);
      store = await openExisting(opts.get('--db'));
      const ctx = createContext(store, { log: silentLogger });
      const t0 = Date.now();
      const r = await buildMonthlyReport(ctx, month);
      const buf = ext === '.xlsx' ? await reportWorkbook(r) : await htmlToPdf(reportHtml(r));
      fs.writeFileSync(outAbs, buf);
      process.stdout.write(JSON.stringify({ name: 'stats.report', month, out: outAbs, bytes: buf.length, ms: Date.now() - t0, received: r.overview.figures.received, resolved: r.overview.figures.resolved }) + '\n');
      return 0;
    }
    if (command === 'ranking') {
      const month = opts.get('--month');
      if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, got "${month ?? ''}"`);
      const by = opts.get('--by') ?? 'unit';
      if (!(RANKING_KINDS as readonly string[]).includes(by)) throw new UsageError(`--by must be one of ${RANKING_KINDS.join(', ')}, got "${by}"`);
      store = await openExisting(opts.get('--db'));
      const ctx = createContext(store, { log: silentLogger });
      const cli = { id: 'cli', username: 'cli', displayName: '命令行', role: 'leader' as const, unitId: null, unitName: null };
      const v = await rankingView(ctx, cli, month, by as RankingKind);
      for (const r of v.rows)
        process.stdout.write(
          JSON.stringify({
            month,
            kind: by,
            state: v.state,
            rank: r.rank,
            previousRank: r.previousRank,
            movement: r.rank != null && r.previousRank != null ? r.previousRank - r.rank : null,
            key: r.key,
            code: r.code,
            name: r.name,
            system: r.system,
            public: r.public,
            performance: r.performance,
            total: r.total,
            correction: r.correction,
            counts: r.counts,
          }) + '\n',
        );
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`stats: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    const e = err as Error & { detail?: string };
    process.stderr.write(`stats: ${(e.detail ?? e.message).replace(/\s+/g, ' ')}\n`);
    return 1;
  } finally {
    if (store) await store.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
