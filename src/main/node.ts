// Assembles a street node: opens (and if new, seeds) the store, builds the API and the
// background jobs. Used by the browser host, the Electron main process and the tests.

import fs from 'node:fs';
import { openStore } from './db/store';
import { warmSearch } from './services/tickets/search';
import { createContext, type NodeContext } from './services/core/context';
import { loadCalendarYears } from './sync/reference';
import { createApi, type NodeApi } from './services/api';
import { runCoordinationJobs } from './services/coordination/jobs';
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
  /** Seed the demo street when the store is new (default true). */
  seedDemo?: boolean;
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
}

/**
 * The demo street generator (src/main/demo) is data for a demo store, not part of the node: it is
 * loaded only when a new store is to be seeded or the store is a demo one (its login screen offers
 * the demo accounts). Product code may not import it (eslint.config.mjs, element `demo`).
 */
const loadDemo = () => import('./demo/demoStreet');

export async function openStreetNode(file: string, opts: StreetNodeOptions = {}): Promise<StreetNode> {
  const isNew = !fs.existsSync(file);
  const store = await openStore(file);
  const ctx = createContext(store, { log: opts.log, now: opts.now });
  const hasStreet = await store.db.selectFrom('street').select('id').executeTakeFirst();
  if (!hasStreet && opts.seedDemo !== false) {
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
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  const every = opts.escalateEveryMs ?? 0;
  if (every > 0) {
    const tick = () =>
      runCoordinationJobs(ctx)
        .then((r) => (r.escalated || r.warned) && ctx.log.info('supervision job', { ...r }))
        .catch((err) => ctx.log.error('coordination job failed', { error: String(err) }));
    timer = setInterval(tick, every);
    timer.unref();
    first = setTimeout(tick, 5_000);
    first.unref();
  }
  const sync = syncManager(ctx, opts.syncOptions);
  if (opts.sync !== false) await sync.restart();
  return {
    ctx,
    api,
    close: async () => {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      clearTimeout(warm);
      await closePhotoAi(ctx);
      await closeAi(ctx);
      await sync.stop();
      await store.close();
    },
  };
}
