// Demo street generator on the command line:
//   npx tsx src/main/demo/cli.ts --db PATH [--tickets N] [--seed S] [--now ISO-or-ms]
// Prints one JSON line on stdout; progress on stderr; on error one line on stderr and exit code 1.
// A store that already has a street or tickets is refused untouched; a file this run created is
// removed again when seeding fails.

import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../db/store';
import { all } from '../db/sqlite3Dialect';
import { DEFAULT_DEMO_TICKETS, MAX_DEMO_TICKETS } from './seed';
import { seedWholeDemo } from './demoStreet';
import { createContext } from '../services/core/context';
import { silentLogger } from '../services/core/log';

class UsageError extends Error {}

const USAGE = 'usage: cli.ts --db PATH [--tickets N] [--seed S] [--now ISO-or-ms]';

interface CliArgs {
  db: string;
  tickets: number;
  seed: number;
  now: number | undefined;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const out: Partial<CliArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (!['--db', '--tickets', '--seed', '--now'].includes(name)) throw new UsageError(`unknown argument ${a}; ${USAGE}`);
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value; ${USAGE}`);
    switch (name) {
      case '--db':
        out.db = value;
        break;
      case '--tickets': {
        const n = Number(value.replace(/_/g, ''));
        if (!/^\d[\d_]*$/.test(value) || !Number.isSafeInteger(n) || n > MAX_DEMO_TICKETS)
          throw new UsageError(`--tickets must be a whole number from 0 to ${MAX_DEMO_TICKETS}, got "${value}"`);
        out.tickets = n;
        break;
      }
      case '--seed': {
        const n = Number(value);
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--seed must be an integer, got "${value}"`);
        out.seed = n;
        break;
      }
      case '--now': {
        const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
        if (!Number.isFinite(n)) throw new UsageError(`--now must be an ISO date-time or epoch milliseconds, got "${value}"`);
        out.now = n;
        break;
      }
    }
  }
  if (!out.db) throw new UsageError(`--db is required; ${USAGE}`);
  return { db: out.db, tickets: out.tickets ?? DEFAULT_DEMO_TICKETS, seed: out.seed ?? 1, now: out.now };
}

function removeStoreFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.rmSync(path.join(path.dirname(file), path.basename(file) + '.files'), { recursive: true, force: true });
}

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`demo seed: ${(err as Error).message}\n`);
    return 2;
  }
  const file = path.resolve(args.db);
  const existed = fs.existsSync(file);
  let store: Store | null = null;
  try {
    store = await openStore(file);
    const [c] = await all<{ n: number; s: number }>(store.raw, 'SELECT (SELECT count(*) FROM tickets) AS n, (SELECT count(*) FROM street) AS s');
    if (c && (c.n > 0 || c.s > 0)) {
      process.stderr.write(`demo seed: ${file} already has ${c.n} ticket(s) and ${c.s} street row(s); refusing to seed it\n`);
      await store.close();
      return 1;
    }
    const now = args.now ?? Date.now();
    const r = await seedWholeDemo(createContext(store, { now: () => now, log: silentLogger }), {
      tickets: args.tickets,
      seed: args.seed,
      now,
      onProgress: (m) => process.stderr.write(`${m}\n`),
    });
    await store.close();
    store = null;
    const bytes = fs.statSync(file).size;
    process.stdout.write(
      JSON.stringify({ name: 'demo.seed', db: file, tickets: r.tickets, events: r.events, ms: r.ms, bytes, seed: args.seed }) + '\n',
    );
    return 0;
  } catch (err) {
    if (store) await store.close().catch(() => undefined);
    if (!existed) removeStoreFiles(file);
    const e = err as Error & { detail?: string };
    process.stderr.write(`demo seed: ${file}: ${(e.detail ?? e.message).replace(/\s+/g, ' ')}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo seed: ${String(err).replace(/\s+/g, ' ')}\n`);
    process.exit(1);
  },
);
