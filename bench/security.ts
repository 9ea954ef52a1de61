// `npm run bench -- security`: the login's cost with the asynchronous scrypt (p50/p95, and how long
// the event loop stalls meanwhile), and the node host under the fuzz generator (requests/s,
// crashes: 0 when the host survived and answered a normal request afterwards), and the online
// backup of the big store against stopping the node and copying it (./backupOnline.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { createApi } from '../src/main/services/api';
import { hashPassword } from '../src/main/services/auth/passwords';
import { startHost } from '../src/main/host/httpHost';
import { fuzzRequests, runAll } from '../tests/support/fuzz';
import { rawRequest } from '../tests/support/raw';
import { argValue, emit, progress, summary, timeRuns } from './stats';
import { benchBackupOnline } from './backupOnline';

export async function benchSecurity(args: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-security-'));
  const store = await openStore(path.join(dir, 'street.sqlite'));
  const ctx = createContext(store, { log: silentLogger });
  await store.db
    .insertInto('users')
    .values({ id: 'u-op', username: 'operator', display_name: '王受理', role: 'operator', unit_id: null, staff_id: null, password_hash: hashPassword('bench-pass-1234'), active: 1, created_at: Date.now() })
    .execute();
  const api = createApi(ctx);
  try {
    progress('auth.login: 40 logins, one at a time');
    const login = (i: number) => api.handle('session.login', { username: 'operator', password: 'bench-pass-1234' }, null, { client: `bench-${i}` });
    const ms = await timeRuns(40, login, 3);
    // Eight logins at once: the event loop keeps turning while scrypt runs on the thread pool.
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => login(100 + i)));
    const burst = performance.now() - t0;
    h.disable();
    const unknown = await timeRuns(20, (i) => api.handle('session.login', { username: `nobody${i}`, password: 'x' }, null, { client: `bench-u${i}` }).catch(() => null), 1);
    emit({ name: 'auth.login', ...summary(ms), unknown_user_p50_ms: summary(unknown).p50_ms, burst8_ms: burst, loop_delay_max_ms: h.max / 1e6, hash: 'scrypt N=16384 r=8 async' });

    const n = Number(argValue(args, '--fuzz') ?? 3000);
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>城运台</title>');
    const crashes: unknown[] = [];
    const onCrash = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const host = await startHost(ctx, api, { port: 0, rendererDir: renderer });
    try {
      const seed = Number(argValue(args, '--seed') ?? 20261203);
      progress(`host.fuzz: ${n} hostile requests (seed ${seed})`);
      const reqs = fuzzRequests(seed, n, { port: host.port, paths: ['/', '/api/session.login', '/api/tickets.list', '/api/no.such', '/files/', '/ws'] });
      const f0 = performance.now();
      const statuses = await runAll(reqs, 16, async (q) => (await rawRequest({ port: host.port }, q.bytes, 4000, { end: q.end })).status);
      const secs = (performance.now() - f0) / 1000;
      const after = await rawRequest({ port: host.port }, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${host.port}\r\nconnection: close\r\n\r\n`);
      emit({
        name: 'host.fuzz',
        requests: n,
        per_s: n / secs,
        crashes: crashes.length + (after.status === 200 ? 0 : 1),
        status_5xx: statuses.filter((s) => s >= 500).length,
        no_answer: statuses.filter((s) => s === 0).length,
        seed,
      });
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      await host.close();
    }
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await benchBackupOnline(args);
}
