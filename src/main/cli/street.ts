// The street command line for IT staff:
//
//   npm run -s street -- init --db FILE --street CODE --admin USERNAME
//   npm run -s street -- backup --db FILE --out DIR
//   npm run -s street -- restore --from BACKUP --db FILE
//
// init   creates the store of a real street (name, district and city from the national division
//        table, outline from the bundled outlines, one 系统管理员 account) and prints
//        {"username","password"}: a one-time password the administrator changes at first login.
//        An existing FILE is refused.
// backup copies the store with SQLite's online backup (safe while the node runs on it), with its
//        photos, into DIR; prints {"file","tickets","ms"}.
// restore checks the backup (PRAGMA integrity_check) and puts it in place of FILE; refused while
//        a node has FILE open.
//
// Results are one JSON line on stdout; an error is one JSON line on stderr with `code`, a Chinese
// `reason` and an English `detail`. Exit codes: 0 done, 1 refused, 2 wrong usage.

import path from 'node:path';
import { AppError } from '../services/core/errors';
import { initRealStreet } from '../services/street/init';
import { backupStore, restoreStore } from '../services/backup/backup';

const USAGE = `usage:
  street init --db FILE --street CODE --admin USERNAME
  street backup --db FILE --out DIR
  street restore --from BACKUP --db FILE`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { command: string; opts: Map<string, string> } {
  const opts = new Map<string, string>();
  const known = new Set(['--db', '--street', '--admin', '--out', '--from']);
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i]!;
    const eq = x.startsWith('--') ? x.indexOf('=') : -1;
    const name = eq > 0 ? x.slice(0, eq) : x;
    if (!known.has(name)) throw new UsageError(`unknown argument ${x}`);
    const v = eq > 0 ? x.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
    opts.set(name, v);
  }
  return { command: argv[0] ?? '', opts };
}

function need(opts: Map<string, string>, name: string): string {
  const v = opts.get(name);
  if (!v) throw new UsageError(`${name} is required`);
  return v;
}

async function main(argv: string[]): Promise<number> {
  const { command, opts } = parseArgs(argv);
  if (command === 'init') {
    const r = await initRealStreet(path.resolve(need(opts, '--db')), { street: need(opts, '--street'), admin: need(opts, '--admin') });
    if (!r.street.outline) process.stderr.write(`提示：没有${r.street.name}的街道轮廓，地图暂以郑州市中心为中心；导入网格后即显示本街道。\n`);
    process.stdout.write(JSON.stringify({ username: r.username, password: r.password }) + '\n');
    return 0;
  }
  if (command === 'backup') {
    const r = await backupStore(path.resolve(need(opts, '--db')), path.resolve(need(opts, '--out')));
    process.stdout.write(JSON.stringify({ file: r.file, tickets: r.tickets, ms: r.ms }) + '\n');
    return 0;
  }
  if (command === 'restore') {
    const r = await restoreStore(path.resolve(need(opts, '--from')), path.resolve(need(opts, '--db')));
    process.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  throw new UsageError(command ? `unknown command ${command}` : 'no command');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    const e = err instanceof AppError ? err : null;
    process.stderr.write(
      JSON.stringify({
        code: e?.code ?? 'failed',
        reason: e?.message ?? '操作失败',
        detail: e?.detail ?? (err instanceof Error ? err.message : String(err)),
      }) + '\n',
    );
    process.exit(1);
  },
);
