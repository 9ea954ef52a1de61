// Assembles a street node: opens (and if new, seeds) the store, builds the API and the
// background jobs. Used by the browser host, the Electron main process and the tests.

import fs from 'node:fs';
import path from 'node:path';
import { holdStore, type RestoreResult } from './services/backup/backup';
import { applyPendingRestore, startDailyBackups } from './services/backup/schedule';
import { appendAudit } from './services/audit/auditLog';
import { openStore, type Store } from './db/store';
import { AppError } from './services/core/errors';
import { warmSearch } from './services/tickets/search';
import { warmStatistics } from './services/stats/warmUp';
import { MiningStopped } from './services/recurring/cluster';
import { catchUpKeptStates, warmMining } from './services/recurring/miningState';
import { freezeLastMonth } from './services/recurring/monthly';
import { createContext, type NodeContext } from './services/core/context';
import { loadCalendarYears } from './sync/reference';
import { createApi, type NodeApi } from './services/api';
import { runCoordinationJobs } from './services/coordination/jobs';
import { freezeDueRankings } from './services/stats/ranking';
import { closePhotoAi } from './services/ai/photo';
import { getSetting } from './services/core/settings';
import type { Logger } from './services/core/log';
import { aiServiceFor, closeAi } from './services/ai/registry';
import { syncManager } from './sync/manager';
import type { SyncClientOptions } from './sync/client';

export interface StreetNode {
  ctx: NodeContext;
  api: NodeApi;
  close(): Promise<void>;
}

export interface StreetNodeOptions {
  /**
   * Open the demo street: seeded when the store is new, and refused on a store that holds a real
   * street. Without it the store must hold a real street (made by `npm run street -- init`).
   */
  demo?: boolean;
  /** The node will serve the LAN: refused on a demo store (its passwords are public). */
  lan?: boolean;
  demoTickets?: number;
  log?: Logger;
  now?: () => number;
  /** Run the coordination job (run-mode periods, overdue escalation, at-risk reminders, zero report) every this many ms (0 = never). */
  escalateEveryMs?: number;
  /** Start the local assistant (load or train the street's text model) in the background (default true). */
  ai?: boolean;
  /** Sync with the city when one is configured (default true); options for the sync client. */
  sync?: boolean;
  syncOptions?: SyncClientOptions;
  /** Check every this many ms whether the daily backup is due (0 = no automatic backups). */
  backupEveryMs?: number;
}

const NO_STREET_HINT = '请先用“npm run -s street -- init --db 文件 --street 街道编码 --admin 用户名”创建本街道的数据库，或加 --demo 打开演示街道';

/**
 * The demo street generator (src/main/demo) is data for a demo store, not part of the node: it is
 * loaded only when a new store is to be seeded or the store is a demo one (its login screen offers
 * the demo accounts). Product code may not import it (eslint.config.mjs, element `demo`).
 */
const loadDemo = () => import('./demo/demoStreet');

export async function openStreetNode(file: string, opts: StreetNodeOptions = {}): Promise<StreetNode> {
  const isNew = !fs.existsSync(file);
  if (isNew && !opts.demo)
    throw new AppError('noStore', `数据库文件不存在：${file}。${NO_STREET_HINT}`, { detail: `no store at ${file} and --demo not given` });
  const release = holdStore(file);
  let restored: RestoreResult | null = null;
  let store: Store;
  try {
    restored = await applyPendingRestore(file);
    store = await openStore(file);
  } catch (err) {
    release();
    throw err;
  }
  try {
    await checkKind(store, file, opts);
  } catch (err) {
    await store.close();
    release();
    throw err;
  }
  const ctx = createContext(store, { log: opts.log, now: opts.now });
  if (restored) {
    ctx.log.info('store restored from backup', { ...restored });
    await appendAudit(store.db, ctx.now(), { actor: { id: null, name: '系统', role: 'system' }, action: 'restore', target: path.basename(restored.from), detail: { tickets: restored.tickets, previous: restored.previous } });
  }
  const hasStreet = await store.db.selectFrom('street').select('id').executeTakeFirst();
  if (!hasStreet && opts.demo) {
    ctx.log.info('seeding demo street', { file, isNew });
    const { seedWholeDemo } = await loadDemo();
    const r = await seedWholeDemo(ctx, {
      tickets: opts.demoTickets ?? 40_000,
      now: ctx.now(),
      onProgress: (m) => ctx.log.info('seed', { progress: m }),
    });
    ctx.log.info('demo street ready', { ...r });
  }
  // Working-day calendars the city sent (years beyond the built-in ones, or corrections).
  await loadCalendarYears(ctx);
  const isDemo = (await getSetting(store.db, 'demo')) === true;
  const api = createApi(ctx, { demoUsers: isDemo ? (await loadDemo()).demoUsers() : [] });
  if (opts.ai !== false) void aiServiceFor(ctx).start();
  // The segmenter's dictionary takes ~0.7 s to load: load it now rather than on the first search.
  const warm = setTimeout(() => void warmSearch(store).catch((err) => ctx.log.warn('search warm-up failed', { error: String(err) })), 1_000);
  warm.unref();
  // The statistics' past months, then the 一批事 mining of the last two years, kept from the start
  // rather than computed on the first long view (the mining gives the thread to requests between
  // slices: 50 s of work on a 1,000,000-ticket street).
  let closing = false;
  const stopped = () => closing;
  let statsWarming: Promise<unknown> = Promise.resolve();
  const statsWarm = setTimeout(() => {
    const t0 = Date.now();
    statsWarming = warmStatistics(ctx, stopped)
      .then((steps) => ctx.log.info('statistics warmed', { steps, ms: Date.now() - t0 }))
      .catch((err) => closing || ctx.log.warn('statistics warm-up failed', { error: String(err) }))
      .then(() => {
        if (closing) return;
        const t1 = Date.now();
        return warmMining(ctx, stopped).then(async (tickets) => {
          ctx.log.info('recurring mining warmed', { tickets, ms: Date.now() - t1 });
          // Last month's 月分析 section, mined to the month's end once and frozen.
          const t2 = Date.now();
          const month = await freezeLastMonth(ctx, stopped);
          if (month) ctx.log.info('recurring month frozen', { month, ms: Date.now() - t2 });
        });
      })
      .catch((err) => closing || err instanceof MiningStopped || ctx.log.warn('recurring mining warm-up failed', { error: String(err) }));
  }, 3_000);
  statsWarm.unref();
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  const every = opts.escalateEveryMs ?? 0;
  if (every > 0) {
    const tick = () =>
      runCoordinationJobs(ctx)
        .then((r) => (r.escalated || r.warned) && ctx.log.info('supervision job', { ...r }))
        .catch((err) => ctx.log.error('coordination job failed', { error: String(err) }))
        // Month end: freeze the month that just ended (older months freeze when first read).
        .then(() => freezeDueRankings(ctx, 2))
        .then((n) => n && ctx.log.info('rankings frozen', { n }))
        .catch((err) => ctx.log.error('ranking freeze failed', { error: String(err) }))
        // 一批事 kept states caught up in the background (once a day that re-clusters what left the window).
        .then(() => catchUpKeptStates(ctx, stopped))
        .catch((err) => err instanceof MiningStopped || ctx.log.error('recurring catch-up failed', { error: String(err) }))
        // Month end: the month that just ended gets its 月分析 section frozen (after the warm-up).
        .then(() => statsWarming)
        .then(() => (closing ? null : freezeLastMonth(ctx, stopped)))
        .then((month) => month && ctx.log.info('recurring month frozen', { month }))
        .catch((err) => err instanceof MiningStopped || ctx.log.error('recurring month freeze failed', { error: String(err) }));
    timer = setInterval(tick, every);
    timer.unref();
    first = setTimeout(tick, 5_000);
    first.unref();
  }
  const backups = startDailyBackups(ctx, { everyMs: opts.backupEveryMs ?? 0 });
  const sync = syncManager(ctx, opts.syncOptions);
  if (opts.sync !== false) await sync.restart();
  return {
    ctx,
    api,
    close: async () => {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      clearTimeout(warm);
      closing = true;
      clearTimeout(statsWarm);
      await statsWarming;
      await closePhotoAi(ctx);
      await closeAi(ctx);
      await sync.stop();
      backups.stop();
      await store.close();
      release();
    },
  };
}

/** A demo store only with --demo (and never on the LAN), a real street only without it. */
async function checkKind(store: Store, file: string, opts: StreetNodeOptions): Promise<void> {
  const hasStreet = !!(await store.db.selectFrom('street').select('id').executeTakeFirst());
  const isDemo = (await getSetting(store.db, 'demo')) === true;
  if (hasStreet && !isDemo && opts.demo)
    throw new AppError('realStreet', `${file} 是一个真实街道的数据库，不能用 --demo 打开（演示数据不会写入真实街道）。去掉 --demo 再启动`, {
      detail: `--demo refused: ${file} holds a real street`,
    });
  if (!hasStreet && !opts.demo)
    throw new AppError('noStreet', `数据库 ${file} 中还没有街道。${NO_STREET_HINT}`, { detail: `no street in ${file} and --demo not given` });
  if ((isDemo || (!hasStreet && opts.demo)) && opts.lan)
    throw new AppError('demoOnLan', '演示街道的账号和密码是公开的，不能用 --lan 在局域网中提供。请用 npm run street -- init 创建真实街道后再开放局域网访问', {
      detail: `--lan refused on the demo store ${file}`,
    });
  if (hasStreet && isDemo && !opts.demo)
    throw new AppError('demoStore', `${file} 是演示街道的数据库：请加 --demo 打开，或用 npm run street -- init 另建真实街道的数据库`, {
      detail: `${file} is a demo store and --demo was not given`,
    });
}
