// The street's sync client: in the background whenever a city is configured, it pushes the
// outbox in batches, pulls the feed by cursor in pages, and keeps a live channel (SSE) open so
// directives and 12345 dispatches arrive at once; when the channel is down it polls. Failures back
// off exponentially with full jitter. Everything it needs to resume lives in the SQLite store
// (outbox acks, conflicts, cursor), so it survives a restart at any point.

import type { NodeContext } from '../services/core/context';
import { getSetting, setSetting } from '../services/core/settings';
import { MAX_PUSH_OPS, SYNC_PATH, type FeedItem, type PullResponse, type PushResponse } from '../../shared/sync/protocol';
import { CityTransport, HttpError, type CityCredential } from './transport';
import { pendingCount, readPending, recordPushResults } from './outboxSync';
import type { TypedSyncOp } from '../../shared/sync/ops';
import { applyFeedPage, CURSOR_KEY } from './feedApply';
import { applyPendingReference } from './reference';
import { fetchCityPhotos } from './cityPhotos';
import { uploadPhotos } from './photos';
import { applyEffectiveMode } from '../services/coordination/runModes';
import { applyCityWhistleResponse } from '../services/coordination/whistle';
import type { WhistleResponsePayload } from '../../shared/sync/protocol';

export interface SyncClientOptions {
  /** Operations per push (default 500). */
  batchSize?: number;
  /** Feed items per pull page (default 500). */
  pageSize?: number;
  /** Poll interval while everything is fine (default 30 s; the live channel wakes it sooner). */
  pollMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Keep the SSE live channel open (default true). */
  live?: boolean;
  random?: () => number;
  /** Photo upload chunk size (default 1 MiB). */
  photoChunkBytes?: number;
  /** Give up on a request after this long (default 60 s). */
  requestTimeoutMs?: number;
}

export interface SyncRoundResult {
  pushed: number;
  rejected: number;
  pulled: number;
}

export interface SyncClientStatus {
  running: boolean;
  online: boolean;
  live: boolean;
  lastSyncAt: number | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: number | null;
}

/** Exponential back-off with full jitter: a random delay in [base/2, min(max, base·2^n)]. */
export function backoffDelay(failures: number, base: number, max: number, random: () => number = Math.random): number {
  const cap = Math.min(max, base * 2 ** Math.min(failures, 20));
  return Math.round(base / 2 + random() * Math.max(0, cap - base / 2));
}

/** Entities whose ops in this batch the city refused or deferred: their later ops wait. */
function heldBack(ops: readonly TypedSyncOp[], resp: PushResponse): Set<string> {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const held = new Set<string>();
  for (const r of resp.results) {
    const o = byId.get(r.id);
    if (o && (r.status === 'rejected' || r.status === 'deferred')) held.add(`${o.entity}\u0000${o.entityId}`);
  }
  return held;
}

export class SyncClient {
  private transport: CityTransport;
  private stopped = true;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  private loopDone: Promise<void> | null = null;
  private liveHandle: { close: () => void } | null = null;
  private liveLoop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private running: Promise<SyncRoundResult> | null = null;
  readonly state: SyncClientStatus = { running: false, online: false, live: false, lastSyncAt: null, lastError: null, failures: 0, nextAttemptAt: null };
  private opts: Required<SyncClientOptions>;

  constructor(private ctx: NodeContext, cred: CityCredential, opts: SyncClientOptions = {}) {
    this.transport = new CityTransport(cred, opts.requestTimeoutMs ?? 60_000);
    this.opts = {
      requestTimeoutMs: opts.requestTimeoutMs ?? 60_000,
      photoChunkBytes: opts.photoChunkBytes ?? 1024 * 1024,
      // A backlog (a street back after a long outage) drains in the largest batches the city takes.
      batchSize: Math.min(opts.batchSize ?? MAX_PUSH_OPS, MAX_PUSH_OPS),
      pageSize: opts.pageSize ?? 500,
      pollMs: opts.pollMs ?? 30_000,
      baseDelayMs: opts.baseDelayMs ?? 1_000,
      maxDelayMs: opts.maxDelayMs ?? 60_000,
      live: opts.live ?? true,
      random: opts.random ?? Math.random,
    };
  }

  /** One full round: push everything pending, then pull every page. Serialised. */
  syncOnce(): Promise<SyncRoundResult> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Pushes the outbox until nothing pending is left after the last batch sent. Pipelined: while
   * the city judges batch k, the street records batch k−1's answer and reads batch k+1 (the ops
   * after k by seq). Ops of an entity the city refused or deferred in batch k are held back from
   * k+1 in memory — exactly what the conflict recorded for it will hold back from then on. A crash
   * between sending k+1 and recording k only means k is sent again, which the city answers as
   * duplicates.
   */
  private async pushAll(): Promise<{ pushed: number; rejected: number }> {
    const db = this.ctx.store.db;
    let pushed = 0;
    let rejected = 0;
    let recording: Promise<void> | null = null;
    const record = (ops: TypedSyncOp[], resp: PushResponse) =>
      recordPushResults(db, ops, resp, this.ctx.now()).then((r) => {
        pushed += r.acked;
        rejected += r.rejected;
        if (r.rejected) this.ctx.log.warn('city refused operations', { rejected: r.rejected });
      });
    try {
      let ops = await readPending(db, this.opts.batchSize, this.ctx.now());
      while (ops.length) {
        // Photos first (content-addressed, resumable), so the city has them before the ops naming them.
        await uploadPhotos(this.ctx, this.transport, ops, this.opts.photoChunkBytes);
        const answer = this.transport.json<PushResponse>('POST', `${SYNC_PATH}/push`, { ops });
        answer.catch(() => undefined); // awaited below; a failure surfaces there
        if (recording) await recording;
        recording = null;
        const next = await readPending(db, this.opts.batchSize, this.ctx.now(), ops[ops.length - 1]!.seq);
        const resp = await answer;
        recording = record(ops, resp);
        const held = heldBack(ops, resp);
        ops = held.size ? next.filter((o) => !held.has(`${o.entity}\u0000${o.entityId}`)) : next;
      }
    } finally {
      if (recording) await recording;
    }
    return { pushed, rejected };
  }

  private async round(): Promise<SyncRoundResult> {
    const db = this.ctx.store.db;
    let { pushed, rejected } = await this.pushAll();
    let pulled = 0;
    // Pipelined: the next page is fetched (the city reads its feed) while this one is written to
    // the store. A page is only ever applied after the one before it; a failure drops the prefetch.
    const fetchPage = (after: number) => {
      const p = this.transport.json<PullResponse>('GET', `${SYNC_PATH}/pull?after=${after}&limit=${this.opts.pageSize}`);
      p.catch(() => {}); // awaited below, or dropped when applying a page failed
      return p;
    };
    let next = fetchPage(Number((await getSetting(db, CURSOR_KEY)) ?? 0));
    for (;;) {
      const page = await next;
      if (page.more) next = fetchPage(page.cursor);
      if (page.items.length) {
        const out = await applyFeedPage(db, this.ctx.calendar, page.items, page.cursor, this.ctx.now());
        pulled += page.items.length;
        // Photos that came with the city's tickets, before the screens are told of the tickets.
        if (out.tickets.length) await this.fetchPhotos();
        for (const id of out.tickets) this.ctx.events.publish({ type: 'ticket.changed', id, status: 'dispatched', action: 'cityDispatch' });
        for (const id of out.directives) this.ctx.events.publish({ type: 'directive.received', id });
        if (out.runModeSwitched) await applyEffectiveMode(this.ctx);
        for (const r of out.whistleResponses) await this.applyWhistleResponse(r);
      }
      if (!page.more) break;
    }
    // Photos a cut left pending in an earlier round.
    if (!pulled) await this.fetchPhotos();
    // Reference data held by this round's pages, or left pending by an earlier one.
    const ref = await applyPendingReference(this.ctx, { fetchModel: (sha) => this.transport.getBytes(`${SYNC_PATH}/models/${sha}`) });
    if (ref.applied.length || ref.rejected) {
      // Their receipts go up at once: the city follows who has taken what.
      const more = await this.pushAll();
      pushed += more.pushed;
      rejected += more.rejected;
    }
    const now = this.ctx.now();
    await setSetting(db, 'sync.lastSyncAt', now);
    this.state.lastSyncAt = now;
    // A round that went through (the loop's or 立即同步's) ends any failure streak.
    const recovered = !this.state.online || this.state.lastError !== null;
    this.state.online = true;
    this.state.failures = 0;
    this.state.lastError = null;
    if (pushed || pulled || rejected || recovered) this.ctx.events.publish({ type: 'sync.changed' });
    return { pushed, rejected, pulled };
  }

  /** Photos of city tickets still to fetch (left over by a cut); never fails the round. */
  private async fetchPhotos(): Promise<void> {
    try {
      await fetchCityPhotos(this.ctx, (sha) => this.transport.getBytes(`${SYNC_PATH}/photos/${sha}`));
    } catch (err) {
      this.ctx.log.warn('city photos not fetched', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * A department's response that came through the city: applied to the street's session like one
   * given on the LAN. A response the session cannot take (closed session, department not summoned,
   * unknown unit) is logged and left in the feed log; it never stops the sync.
   */
  private async applyWhistleResponse(r: WhistleResponsePayload): Promise<void> {
    try {
      const unit = await this.ctx.store.db.selectFrom('units').select('id').where('code', '=', r.unitCode).executeTakeFirst();
      if (!unit) throw new Error(`unknown unit code ${r.unitCode}`);
      await applyCityWhistleResponse(this.ctx, { sessionId: r.sessionId, unitId: unit.id, state: r.state, repName: r.repName, note: r.note, at: r.at });
    } catch (e) {
      this.ctx.log.warn('city whistle response not applied', { sessionId: r.sessionId, unitCode: r.unitCode, state: r.state, error: e instanceof Error ? e.message : String(e) });
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.state.running = true;
    void getSetting(this.ctx.store.db, 'sync.lastSyncAt').then((v) => (this.state.lastSyncAt ??= typeof v === 'number' ? v : null));
    // Local changes wake the loop (debounced by the loop itself) — unless the city is failing: then
    // they wait for the backed-off retry (else every keystroke's ticket change would retry at once).
    // An explicit request (sync.wake: 立即同步) and the live channel coming back always wake it.
    this.unsubscribe = this.ctx.events.subscribe((e) => {
      if (e.type === 'ticket.changed' && e.action !== 'cityDispatch' && this.state.failures === 0) this.wake();
      if (e.type === 'sync.wake') this.wake();
    });
    this.loopDone = this.loop();
    if (this.opts.live) this.liveLoop = this.runLive();
  }

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      t.unref?.();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        this.wakeRequested = false;
        done();
      };
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let delay = this.opts.pollMs;
      try {
        await this.syncOnce();
      } catch (err) {
        this.state.failures++;
        const wasOnline = this.state.online;
        this.state.online = false;
        this.state.lastError = describe(err);
        delay = backoffDelay(this.state.failures, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random);
        this.ctx.log.warn('sync failed', { error: this.state.lastError, failures: this.state.failures, retryInMs: delay });
        if (wasOnline || this.state.failures === 1) this.ctx.events.publish({ type: 'sync.changed' });
      }
      if (this.stopped) break;
      this.state.nextAttemptAt = this.ctx.now() + delay;
      await this.sleep(delay);
    }
  }

  private async runLive(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const h = this.transport.live(
          `${SYNC_PATH}/live`,
          (event, data) => {
            if (event === 'feed') {
              const item = JSON.parse(data) as FeedItem;
              this.ctx.log.info('live feed item', { kind: item.kind, seq: item.seq });
              this.wake();
            }
          },
          () => {
            failures = 0;
            this.state.live = true;
            this.ctx.events.publish({ type: 'sync.changed' });
            // Anything sent while we were away is in the feed.
            this.wake();
          },
        );
        this.liveHandle = h;
        await h.done;
      } catch (err) {
        if (!this.stopped) this.ctx.log.warn('live channel down', { error: describe(err) });
      }
      if (this.state.live) {
        this.state.live = false;
        this.ctx.events.publish({ type: 'sync.changed' });
      }
      if (this.stopped) break;
      failures++;
      await new Promise((r) => setTimeout(r, backoffDelay(failures, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random)).unref?.());
    }
  }

  async pending(): Promise<number> {
    return pendingCount(this.ctx.store.db);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state.running = false;
    this.unsubscribe?.();
    this.liveHandle?.close();
    this.wakeUp?.();
    await this.loopDone?.catch(() => {});
    await this.running?.catch(() => {});
    this.transport.close();
    this.state.live = false;
    this.state.online = false;
  }
}

function describe(err: unknown): string {
  if (err instanceof HttpError) return `市级拒绝：HTTP ${err.status}`;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ECONNREFUSED') return '无法连接市级平台（连接被拒绝）';
  if (e?.code === 'ECONNRESET') return '与市级平台的连接中断';
  if (e?.code === 'ENOTFOUND') return '找不到市级平台地址';
  if (e?.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(e.code)) return `市级平台证书校验失败（${e.code}）`;
  return e?.message ? `同步失败：${e.message}` : '同步失败';
}
