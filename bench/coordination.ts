// Coordination at scale (default 200,000 tickets; `--tickets N`): the periodic supervision job
// (first run on a fresh store, then steady state), the supervision board, the run-mode status,
// and the board's candidate query against the same query forced to scan the table.
// Works on a copy of the demo store so the store benchmark's file stays as seeded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { seedDemoStreet } from '../src/main/demo/seed';
import { runSupervision, supervisionBoard } from '../src/main/services/coordination/supervision';
import { runModeStatus } from '../src/main/services/coordination/runModes';
import { AT_RISK_MS } from '../src/shared/domain/supervision';
import type { User } from '../src/shared/api/types';
import { argValue, emit, progress, summary, timeRuns } from './stats';

const LEADER: User = { id: 'bench', username: 'bench', displayName: '基准', role: 'leader', unitId: null, unitName: null };

export async function benchCoordination(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 200_000);
  const dir = path.resolve(__dirname, '.data');
  const seeded = path.join(dir, `store-${n}.sqlite`);
  if (!fs.existsSync(seeded)) {
    progress(`building a ${n}-ticket demo store at ${seeded} (once; kept for later runs)`);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = seeded + '.building';
    const s = await openStore(tmp);
    await seedDemoStreet(s, { tickets: n, onProgress: (m) => progress(m) });
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(s.db);
    await sql`ANALYZE`.execute(s.db);
    await s.close();
    fs.renameSync(tmp, seeded);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-coord-'));
  const file = path.join(work, 'street.sqlite');
  fs.copyFileSync(seeded, file);
  const store = await openStore(file); // migrates an older store to the coordination schema
  try {
    const ctx = createContext(store, { log: silentLogger });
    const now = ctx.now();
    const open = await sql<{ n: number }>`SELECT count(*) AS n FROM tickets WHERE status IN ('reported','registered','dispatched','accepted','returned','reopened')`.execute(store.db);
    const candidates = await sql<{ n: number }>`SELECT count(*) AS n FROM tickets WHERE status IN ('reported','registered','dispatched','accepted','returned','reopened') AND resolve_deadline < ${now + AT_RISK_MS.daily}`.execute(store.db);

    // A real cold first run: the seeded history carries supervision levels as the generator set
    // them, so the job would find them up to date. Clear them (and the at-risk reminders' marker,
    // the records) as on a store whose supervision was never brought up to date.
    const cold = await sql<{ n: number }>`SELECT count(*) AS n FROM tickets WHERE supervision_level > 0`.execute(store.db);
    await sql`UPDATE tickets SET supervision_level = 0`.execute(store.db);
    const t0 = process.hrtime.bigint();
    const first = await runSupervision(ctx);
    emit({ name: 'coordination.supervision.first_run', n, reset_levels: cold.rows[0]!.n, open: open.rows[0]!.n, candidates: candidates.rows[0]!.n, ...first, total_ms: Number(process.hrtime.bigint() - t0) / 1e6 });

    const steady = await timeRuns(10, () => runSupervision(ctx), 1);
    emit({ name: 'coordination.supervision.steady', n, candidates: candidates.rows[0]!.n, ...summary(steady) });

    let rows = 0;
    const board = await timeRuns(10, async () => {
      rows = (await supervisionBoard(ctx, LEADER, {})).rows.length;
    });
    emit({ name: 'coordination.board', n, rows, ...summary(board) });

    const status = await timeRuns(20, () => runModeStatus(ctx));
    emit({ name: 'coordination.runmode.status', n, ...summary(status) });

    // The board's candidate query through the (status, resolve_deadline) index vs a full scan.
    const q = (indexed: boolean) =>
      sql`SELECT id FROM tickets ${sql.raw(indexed ? '' : 'NOT INDEXED')} WHERE status IN ('reported','registered','dispatched','accepted','returned','reopened') AND resolve_deadline < ${now + AT_RISK_MS.daily}`.execute(store.db);
    const idx = await timeRuns(10, () => q(true));
    const scan = await timeRuns(5, () => q(false), 1);
    const s1 = summary(idx);
    const s2 = summary(scan);
    emit({ name: 'coordination.candidates', n, ...s1, scan_p50_ms: s2.p50_ms, ratio_vs_scan: s2.p50_ms / Math.max(0.01, s1.p50_ms) });
  } finally {
    await store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
