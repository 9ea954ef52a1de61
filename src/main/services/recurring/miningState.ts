// The 一批事 mining kept up to date instead of recomputed: the window's tickets and their groups
// stay in memory per store and parameter set, block by block (a leaf category: groups never cross
// categories), and each call only catches up with what changed since the last one:
// - every insert, delete, or change of a column the mining reads is logged by triggers on `tickets`
//   (table `recurring_changes`, migration "recurring mining change log": one row per ticket with the
//   seq of its latest change) in the writing transaction itself — actions, sync, imports and the
//   demo seeding alike;
// - a new ticket newer than its block's last is clustered onto the block (the very step of the
//   full run); a change of only status or unit is patched in place; anything else (a category
//   given later, an address or text edited, a ticket cancelled or merged) re-clusters its block(s)
//   from the rows in memory;
// - tickets leaving the window (it ends at `to` and is `windowDays` long) re-cluster their blocks.
// The result is the same as `clusterTickets` over the store (tests/integration/recurringState
// compares both, and both with a naive reference, after random changes). A window ending at a fixed
// time (a month's report, until that month is frozen: ./monthly.ts) is kept the same way under its
// own key; one ending before the kept live one is computed straight from the store.

import { sql } from 'kysely';
import type { NodeContext } from '../core/context';
import type { Store } from '../../db/store';
import { DEFAULT_MINING, windowStart, type MiningParams } from '../../../shared/recurring/rules';
import { BlockClusterer, GROUP_OF, ROW_COLUMNS, Slicer, clusterTickets, eachWindowRow, prepareRow, rowOrder, type Group, type MinedRow, type Row } from './cluster';

/** Parameter sets kept per store (the default and a few a user tried); the least recently used goes. */
const MAX_STATES = 4;
/**
 * Tickets kept in all states of a store together: a kept ticket costs ~0.7 KB of heap (100,000
 * tickets: 696 B each; 1,000,000 tickets, 969,555 in the window: the node's heap 750 MB), so a
 * street of 1,000,000 keeps its live window and one month report's (~1.4 GB), and a larger one
 * fewer (the least recently used go) rather than the node running out of memory.
 */
export const KEPT_ROW_BUDGET = 2_400_000;
let maxKeptRows = KEPT_ROW_BUDGET;
/** The row budget (tests set a small one). */
export function setKeptRowBudget(n: number): void {
  maxKeptRows = n;
}
/**
 * Catches the kept live states of a store up to now (the node's minute job): the changes since the
 * last view, and once a day the tickets that left the window, are taken in in the background
 * rather than on the next view. Builds nothing that is not kept. Returns how many it caught up.
 */
export async function catchUpKeptStates(ctx: NodeContext, stopped?: () => boolean): Promise<number> {
  const m = states.get(ctx.store);
  // One at a time per store (a rebuild can outlast the minute between two jobs).
  if (!m || catchingUp.has(ctx.store)) return 0;
  catchingUp.add(ctx.store);
  let n = 0;
  try {
    for (const [key, st] of [...m.entries()])
      if (!key.includes('@') && m.get(key) === st) {
        await currentGroups(ctx, st.p, null, true, stopped);
        n++;
      }
  } finally {
    catchingUp.delete(ctx.store);
  }
  return n;
}
const catchingUp = new WeakSet<Store>();

/** The keys of the states kept for a store (parameters, and `@end` for a fixed window). */
export function keptStates(store: Store): string[] {
  return [...(states.get(store)?.keys() ?? [])];
}

interface Block {
  rows: MinedRow[];
  clusterer: BlockClusterer;
}

interface State {
  p: MiningParams;
  from: number;
  to: number;
  /** The last change-log entry taken in. */
  seq: number;
  blocks: Map<string, Block>;
  byId: Map<string, MinedRow>;
  usedAt: number;
  /** All groups in start order, while no block changed (the same array: callers may key caches on it). */
  groups: Group[] | null;
}

const states = new WeakMap<Store, Map<string, State>>();

/** Ticket ids whose rows changed since the state was built, for caches derived per ticket (words). */
export type ChangeListener = (ids: Iterable<string>) => void;
const listeners = new Set<ChangeListener>();
export function onMinedRowsChanged(l: ChangeListener): void {
  listeners.add(l);
}

const paramsKey = (p: MiningParams) => JSON.stringify([p.windowDays, p.place, p.radiusM, p.minSimilarity]);

async function lastSeq(ctx: NodeContext): Promise<number> {
  const s = Number((await sql<{ s: number | null }>`SELECT max(seq) AS s FROM recurring_changes`.execute(ctx.store.db)).rows[0]?.s ?? 0);
  return Math.max(s, await prunedUpTo(ctx));
}
async function prunedUpTo(ctx: NodeContext): Promise<number> {
  return Number((await sql<{ v: number | null }>`SELECT v FROM recurring_mining_meta WHERE k = 'pruned'`.execute(ctx.store.db)).rows[0]?.v ?? 0);
}

async function recluster(b: Block, p: MiningParams, slicer: Slicer): Promise<void> {
  b.rows.sort(rowOrder);
  const c = new BlockClusterer(p);
  for (const r of b.rows) {
    c.add(r);
    if (slicer.due()) await slicer.pause();
  }
  b.clusterer = c;
}

async function build(ctx: NodeContext, p: MiningParams, to: number, slicer: Slicer): Promise<State> {
  const seq = await lastSeq(ctx);
  const from = windowStart(to, p.windowDays);
  const st: State = { p, from, to, seq, blocks: new Map(), byId: new Map(), usedAt: Date.now(), groups: null };
  await eachWindowRow(ctx, p, from, to, slicer, (r) => {
    st.byId.set(r.id, r);
    let b = st.blocks.get(r.category_id);
    if (!b) st.blocks.set(r.category_id, (b = { rows: [], clusterer: new BlockClusterer(p) }));
    b.rows.push(r);
    b.clusterer.add(r);
  });
  return st;
}

/** Whether a changed row clusters exactly as before (only status or unit differ). */
const sameKeys = (a: Row, b: Row) =>
  a.created_at === b.created_at && a.category_id === b.category_id && a.address === b.address && a.lon === b.lon && a.lat === b.lat && a.grid_id === b.grid_id && a.description === b.description;

async function catchUp(ctx: NodeContext, st: State, to: number, slicer: Slicer): Promise<boolean> {
  const p = st.p;
  if ((await prunedUpTo(ctx)) > st.seq) return false;
  const changes = await sql<{ seq: number; ticket_id: string }>`SELECT seq, ticket_id FROM recurring_changes WHERE seq > ${st.seq} ORDER BY seq`.execute(ctx.store.db);
  const ids = new Set(changes.rows.map((c) => c.ticket_id));
  const seq = changes.rows.length ? Number(changes.rows[changes.rows.length - 1]!.seq) : st.seq;
  const from = windowStart(to, p.windowDays);
  // Tickets dated into the part of the window that is new (normally none: tickets are filed now).
  if (to > st.to)
    for (const r of await ctx.store.db.selectFrom('tickets').select('id').where('created_at', '>=', st.to).where('created_at', '<', to).execute()) ids.add(r.id);
  const dirty = new Set<string>();
  const fresh = new Map<string, Row>();
  const idList = [...ids];
  for (let i = 0; i < idList.length; i += 500) {
    const rows = (await ctx.store.db
      .selectFrom('tickets')
      .select([...ROW_COLUMNS])
      .where('id', 'in', idList.slice(i, i + 500))
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('category_id', 'is not', null)
      .where('merged_into', 'is', null)
      .where('status', '!=', 'cancelled')
      .execute()) as Row[];
    for (const r of rows) fresh.set(r.id, r);
  }
  const block = (cat: string) => {
    let b = st.blocks.get(cat);
    if (!b) st.blocks.set(cat, (b = { rows: [], clusterer: new BlockClusterer(p) }));
    return b;
  };
  const removed = new Set<string>();
  const appended: MinedRow[] = [];
  for (const id of idList) {
    const old = st.byId.get(id);
    const nw = fresh.get(id);
    if (old && nw && sameKeys(old, nw)) {
      old.status = nw.status;
      old.unit_id = nw.unit_id;
      const g = old[GROUP_OF];
      if (g) g.rev++;
      continue;
    }
    if (old) {
      dirty.add(old.category_id);
      removed.add(id);
      st.byId.delete(id);
    }
    if (nw) {
      const r = prepareRow(nw, p);
      st.byId.set(id, r);
      const b = block(r.category_id);
      const last = b.rows[b.rows.length - 1];
      b.rows.push(r);
      if (!old && !dirty.has(r.category_id) && (!last || rowOrder(last, r) < 0)) appended.push(r);
      else dirty.add(r.category_id);
    }
  }
  // Tickets that left the window.
  if (from > st.from)
    for (const [cat, b] of st.blocks) {
      let k = 0;
      while (k < b.rows.length && b.rows[k]!.created_at < from) k++;
      if (!k) continue;
      for (const r of b.rows.slice(0, k)) if (r.created_at < from) st.byId.delete(r.id);
      b.rows = b.rows.filter((r) => r.created_at >= from);
      dirty.add(cat);
      if (slicer.due()) await slicer.pause();
    }
  for (const cat of dirty) {
    const b = st.blocks.get(cat);
    if (!b) continue;
    if (removed.size) b.rows = b.rows.filter((r) => st.byId.get(r.id) === r);
    if (!b.rows.length) st.blocks.delete(cat);
    else await recluster(b, p, slicer);
  }
  // New tickets in time order, each onto its (untouched) block, as the full run would.
  appended.sort(rowOrder);
  for (const r of appended) if (!dirty.has(r.category_id)) st.blocks.get(r.category_id)!.clusterer.add(r);
  if (dirty.size || appended.length) st.groups = null;
  if (ids.size) for (const l of listeners) l(ids);
  st.seq = seq;
  st.from = from;
  st.to = to;
  return true;
}

/** Drops the least recently used states other than `keep` while over the count or the row budget. */
function evict(m: Map<string, State>, keep: string): void {
  const rows = () => [...m.values()].reduce((n, s) => n + s.byId.size, 0);
  while (m.size > 1 && (m.size > MAX_STATES || rows() > maxKeptRows)) {
    const old = [...m.entries()].filter(([k]) => k !== keep).sort((a, b) => a[1].usedAt - b[1].usedAt)[0];
    if (!old) return;
    m.delete(old[0]);
  }
}

/** Drops change-log entries every kept state has taken in (others rebuild when they see the mark). */
async function prune(ctx: NodeContext, m: Map<string, State>): Promise<void> {
  const upTo = Math.min(...[...m.values()].map((s) => s.seq));
  if (!Number.isFinite(upTo) || upTo <= (await prunedUpTo(ctx))) return;
  await ctx.store.db.transaction().execute(async (trx) => {
    await sql`DELETE FROM recurring_changes WHERE seq <= ${upTo}`.execute(trx);
    await sql`INSERT INTO recurring_mining_meta (k, v) VALUES ('pruned', ${upTo}) ON CONFLICT (k) DO UPDATE SET v = excluded.v`.execute(trx);
  });
}

/**
 * One mining run at a time per store. A run gives the node's thread to other work between slices
 * (`Slicer`), so two runs could otherwise interleave: catch the same state up twice, or build it
 * twice (the first view after a start while the background warm-up is building it).
 */
const running = new WeakMap<Store, Promise<unknown>>();
function oneAtATime<T>(store: Store, run: () => Promise<T>): Promise<T> {
  const done = (running.get(store) ?? Promise.resolve()).then(run, run);
  running.set(store, done.catch(() => undefined));
  return done;
}

/**
 * The window's groups ending at `to`, in the order they started (anchor (created_at, id)), from
 * the kept state (caught up first). `keep` false: a window that ends at a fixed time (a month's
 * report, to the month's end) — kept under its own key beside the live one, one such at a time,
 * until the month is frozen (./monthly.ts) and it is dropped. A window
 * ending before the kept live one is computed straight from the store. `to` null: now, taken when
 * the run starts (a view that waited for another run is then not older than what that run kept).
 * `stopped`: checked between slices (the node closing); the run then throws `MiningStopped` and
 * keeps nothing of what it had not finished.
 */
export function currentGroups(ctx: NodeContext, p: MiningParams, to: number | null, keep = true, stopped?: () => boolean): Promise<{ from: number; to: number; scanned: number; groups: Group[] }> {
  return withGroups(ctx, p, to, keep, stopped, async (r) => r);
}

/**
 * `currentGroups`, then `use` of its result in the same turn: no other mining run of the store (a
 * catch-up patches the kept groups' members in place) starts before `use` has finished. `use` must
 * not ask for groups itself.
 */
export function withGroups<T>(
  ctx: NodeContext,
  p: MiningParams,
  to: number | null,
  keep: boolean,
  stopped: (() => boolean) | undefined,
  use: (r: { from: number; to: number; scanned: number; groups: Group[] }) => Promise<T>,
): Promise<T> {
  return oneAtATime(ctx.store, async () => use(await groupsAt(ctx, p, to ?? ctx.now(), keep, new Slicer(SLICE_MS, stopped))));
}

/** How long a mining run keeps the node's thread before letting other work run. */
const SLICE_MS = 20;

async function groupsAt(ctx: NodeContext, p: MiningParams, to: number, keep: boolean, slicer: Slicer): Promise<{ from: number; to: number; scanned: number; groups: Group[] }> {
  let m = states.get(ctx.store);
  if (!m) states.set(ctx.store, (m = new Map()));
  const key = keep ? paramsKey(p) : `${paramsKey(p)}@${to}`;
  let st = m.get(key);
  if (st && to < st.to) return clusterTickets(ctx, p, to, slicer);
  try {
    if (!st || !(await catchUp(ctx, st, to, slicer))) {
      st = await build(ctx, { ...p }, to, slicer);
      // One fixed window at a time: another month's report replaces the last one's.
      if (!keep) for (const k of [...m.keys()]) if (k.includes('@')) m.delete(k);
      m.set(key, st);
      evict(m, key);
    }
  } catch (err) {
    // A catch-up cut short leaves the state half-updated: it is rebuilt when next asked for.
    m.delete(key);
    throw err;
  }
  st.usedAt = Date.now();
  await prune(ctx, m);
  let scanned = 0;
  for (const b of st.blocks.values()) scanned += b.rows.length;
  st.groups ??= await inStartOrder([...st.blocks.values()].map((b) => b.clusterer.groups), slicer);
  return { from: st.from, to: st.to, scanned, groups: st.groups };
}

/**
 * All blocks' groups in the order they started: each block's are in that order already (its rows
 * go in oldest first), so they are merged pairwise, pausing between merges (one sort of a large
 * street's groups held the thread for a third of a second).
 */
async function inStartOrder(lists: Group[][], slicer: Slicer): Promise<Group[]> {
  let runs = lists.filter((l) => l.length > 0);
  if (runs.length === 1) return [...runs[0]!];
  while (runs.length > 1) {
    const next: Group[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      next.push(i + 1 < runs.length ? mergeInOrder(runs[i]!, runs[i + 1]!) : runs[i]!);
      if (slicer.due()) await slicer.pause();
    }
    runs = next;
  }
  return runs[0] ?? [];
}

function mergeInOrder(a: Group[], b: Group[]): Group[] {
  const out = new Array<Group>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = rowOrder(a[i]!.anchor, b[j]!.anchor) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * The node's background warm-up after a start: the live window under the default rule, built
 * before the first 一批事 view (or report, or 专项治理 opened from a group) asks for it. Last month's
 * 月分析 window is frozen after it (./monthly.ts `freezeLastMonth`). Returns the window's ticket count.
 */
export async function warmMining(ctx: NodeContext, stopped: () => boolean): Promise<number> {
  return (await currentGroups(ctx, DEFAULT_MINING, null, true, stopped)).scanned;
}

/** Drops the kept fixed window (a month's report, once frozen): only the live ones stay. */
export function forgetFixedWindows(store: Store): void {
  const m = states.get(store);
  if (m) for (const k of [...m.keys()]) if (k.includes('@')) m.delete(k);
}

/** Forgets the kept states of a store (tests; a store restored from a backup). */
export function forgetMiningState(store: Store): void {
  states.delete(store);
}
