// Runs the sync client for a street node when a city is configured (settings key `sync.city`),
// restarts it when the settings change, and holds the street-side sync services (status,
// conflicts, directives) that the API handlers call.

import crypto from 'node:crypto';
import fs from 'node:fs';
import type { NodeContext } from '../services/core/context';
import { getSetting, setSetting } from '../services/core/settings';
import { AppError } from '../services/core/errors';
import { SyncClient, type SyncClientOptions } from './client';
import { pendingCount } from './outboxSync';
import { CURSOR_KEY, FEED_EPOCH_KEY, feedEpoch } from './feedApply';

export interface CityConfig {
  url: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export const CITY_CONFIG_KEY = 'sync.city';
/** Which city the feed cursor belongs to (hash of its address and CA certificate). */
const CITY_IDENTITY_KEY = 'sync.cityIdentity';

export class SyncManager {
  client: SyncClient | null = null;
  configError: string | null = null;

  constructor(private ctx: NodeContext, private opts: SyncClientOptions = {}) {}

  async config(): Promise<CityConfig | null> {
    const v = (await getSetting(this.ctx.store.db, CITY_CONFIG_KEY)) as CityConfig | null | undefined;
    return v && v.url ? v : null;
  }

  /** (Re)starts the client from the stored configuration; stops it when none. */
  async restart(): Promise<void> {
    await this.stop();
    this.configError = null;
    const cfg = await this.config();
    if (!cfg) {
      this.ctx.events.publish({ type: 'sync.changed' });
      return;
    }
    try {
      const street = await this.ctx.store.db.selectFrom('street').select('code').executeTakeFirst();
      if (!street) throw new Error('这个工作站还没有街道数据');
      const read = (f: string, what: string) => {
        try {
          return fs.readFileSync(f);
        } catch {
          throw new Error(`读不到${what}文件：${f}`);
        }
      };
      this.client = new SyncClient(
        this.ctx,
        { url: cfg.url, ca: read(cfg.caFile, '市级CA证书'), cert: read(cfg.certFile, '街道证书'), key: read(cfg.keyFile, '街道私钥'), streetCode: street.code },
        this.opts,
      );
      this.client.start();
      this.ctx.log.info('sync started', { city: cfg.url, street: street.code });
    } catch (err) {
      this.configError = err instanceof Error ? err.message : String(err);
      this.ctx.log.warn('sync not started', { error: this.configError });
    }
    this.ctx.events.publish({ type: 'sync.changed' });
  }

  async setConfig(cfg: CityConfig | null): Promise<void> {
    if (cfg) {
      for (const [f, what] of [[cfg.caFile, '市级CA证书'], [cfg.certFile, '街道证书'], [cfg.keyFile, '街道私钥']] as const)
        if (!fs.existsSync(f)) throw new AppError('badFile', `${what}文件不存在：${f}`, { detail: `sync config: missing ${f}` });
      // The feed cursor counts in one city's feed: another city (address or CA) starts from its
      // beginning. Applying its items is idempotent, so nothing is taken twice.
      const identity = crypto.createHash('sha256').update(cfg.url.replace(/\/+$/, '')).update('\0').update(fs.readFileSync(cfg.caFile)).digest('hex');
      const prev = await getSetting(this.ctx.store.db, CITY_IDENTITY_KEY);
      if (prev !== identity) {
        await this.ctx.store.db.transaction().execute(async (trx) => {
          if (prev != null) {
            await setSetting(trx, CURSOR_KEY, 0);
            // Its seqs start again too: a new epoch keeps them apart from the earlier city's in the logs.
            await setSetting(trx, FEED_EPOCH_KEY, (await feedEpoch(trx)) + 1);
          }
          await setSetting(trx, CITY_IDENTITY_KEY, identity);
        });
        if (prev != null) this.ctx.log.info('sync: another city; its feed is read from the start', { city: cfg.url });
      }
    }
    await setSetting(this.ctx.store.db, CITY_CONFIG_KEY, cfg);
    await this.restart();
  }

  async status() {
    const db = this.ctx.store.db;
    const cfg = await this.config();
    const [pending, conflicts, unacked, lastSyncAt] = await Promise.all([
      pendingCount(db),
      db.selectFrom('sync_conflicts').select((eb) => eb.fn.countAll<number>().as('n')).where('resolved_at', 'is', null).executeTakeFirst(),
      db.selectFrom('city_directives').select((eb) => eb.fn.countAll<number>().as('n')).where('acked_at', 'is', null).executeTakeFirst(),
      getSetting(db, 'sync.lastSyncAt'),
    ]);
    const s = this.client?.state;
    return {
      configured: !!cfg,
      cityUrl: cfg?.url ?? null,
      online: !!s?.online,
      live: !!s?.live,
      pending,
      conflicts: Number(conflicts?.n ?? 0),
      unackedDirectives: Number(unacked?.n ?? 0),
      lastSyncAt: s?.lastSyncAt ?? (typeof lastSyncAt === 'number' ? lastSyncAt : null),
      lastError: this.configError ?? s?.lastError ?? null,
      nextAttemptAt: s && !s.online ? s.nextAttemptAt : null,
    };
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.stop();
  }
}

const managers = new WeakMap<NodeContext, SyncManager>();

export function syncManager(ctx: NodeContext, opts?: SyncClientOptions): SyncManager {
  let m = managers.get(ctx);
  if (!m) managers.set(ctx, (m = new SyncManager(ctx, opts)));
  return m;
}
