// `backup.online` (part of `npm run bench -- security`): the online backup (VACUUM INTO on its own connection, what
// the node and `street -- backup` do) of the n-ticket store (default 1,000,000) while a writer keeps
// filing tickets on the node's connection, against the alternative — stop the node (checkpoint and
// close) and copy the file — as ratio_vs_copy = online ms / stop-and-copy ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { createTicket } from '../src/main/services/tickets/commands';
import { backupStore } from '../src/main/services/backup/backup';
import type { User } from '../src/shared/api/types';
import { argValue, emit, progress } from './stats';
import { ensureBenchStore } from './store';

const OPERATOR: User = { id: 'bench', username: 'bench', displayName: '基准', role: 'operator', unitId: null, unitName: null };

export async function benchBackupOnline(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 1_000_000);
  const source = await ensureBenchStore(n);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-backup-'));
  try {
    // A working copy, so the benchmark store stays as it is (and migrated to this version first).
    const file = path.join(work, 'street.sqlite');
    progress(`copying ${source} to ${file}`);
    fs.copyFileSync(source, file);
    const store = await openStore(file, { backupBeforeMigration: false });
    const ctx = createContext(store, { log: silentLogger });
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createTicket(ctx, OPERATOR, { channel: 'hotline12345', type: 'complaint', description: `基准测试：井盖破损第${written}处`, address: '经八路1号', urgency: 'normal', isMicro: false, isCrossBoundary: false, photos: [] });
        written++;
      }
    })();
    progress('online backup while writing');
    const r = await backupStore(file, path.join(work, 'out'));
    writing = false;
    await writer;
    fs.rmSync(path.join(work, 'out'), { recursive: true, force: true });

    progress('stop and copy');
    const t0 = performance.now();
    await store.close(); // the node stops: its connection checkpoints the WAL on close
    fs.copyFileSync(file, path.join(work, 'copy.sqlite'));
    const copyMs = Math.round(performance.now() - t0);
    emit({ name: 'backup.online', n, tickets: r.tickets, ms: r.ms, bytes: r.bytes, written_during: written, stop_and_copy_ms: copyMs, ratio_vs_copy: Math.round((r.ms / Math.max(1, copyMs)) * 100) / 100 });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
