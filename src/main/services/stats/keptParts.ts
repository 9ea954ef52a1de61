// Kept parts of the statistics: a period is cut into whole 旬 (the thirds of a CST month: days 1–10,
// 11–20, 21 to the month's end) and the days left at its edges; each whole 旬's part (counts by a
// grouping, resolved tickets' durations, supervised tickets, received tickets by day) is computed
// once and kept in memory while its version (stats_part_versions, bumped by triggers in the writing
// transaction: src/main/db/statsParts.ts) and the store's epoch are unchanged. The edges are
// computed each time (under a 旬 each). Callers merge the parts: counts add up, durations
// concatenate, supervised tickets merge by ticket. A change recomputes the 旬 it touched, not its
// whole month: a third of the work a month would take.
//
// A version is read before its part is computed: a change during the computation leaves the part
// tagged with the older version, so the next view recomputes it.

import { sql } from 'kysely';
import type { Store } from '../../db/store';
import type { NodeContext } from '../core/context';

const CST_MS = 8 * 3600_000;

export interface Span {
  from: number;
  to: number;
  /** The 旬 (YYYYMM × 10 + 0, 1 or 2) of a whole one; null for an edge. */
  part: number | null;
}

/** Epoch ms of the CST midnight starting 旬 `p` (YYYYMM × 10 + i). */
export function partStart(p: number): number {
  const ym = Math.floor(p / 10);
  return Date.UTC(Math.floor(ym / 100), (ym % 100) - 1, 1 + 10 * (p % 10)) - CST_MS;
}
function partOf(t: number): number {
  const d = new Date(t + CST_MS);
  return (d.getUTCFullYear() * 100 + d.getUTCMonth() + 1) * 10 + Math.min(2, Math.floor((d.getUTCDate() - 1) / 10));
}
function nextPart(p: number): number {
  if (p % 10 < 2) return p + 1;
  const ym = Math.floor(p / 10);
  return (ym % 100 === 12 ? ym + 89 : ym + 1) * 10;
}

/** [from, to) as its whole 旬 and the edges before and after them, in time order. */
export function splitIntoParts(from: number, to: number): Span[] {
  if (!(to > from)) return [];
  let p = partOf(from);
  if (partStart(p) < from) p = nextPart(p);
  const spans: Span[] = [];
  let at = from;
  for (; partStart(nextPart(p)) <= to; p = nextPart(p)) {
    const s = partStart(p);
    if (s > at) spans.push({ from: at, to: s, part: null });
    const e = partStart(nextPart(p));
    spans.push({ from: s, to: e, part: p });
    at = e;
  }
  if (at < to) spans.push({ from: at, to, part: null });
  return spans;
}

interface Entry {
  v: number;
  epoch: number;
  value: Promise<unknown>;
}

/** At most this many parts are kept per store (least recently used go first). */
const MAX_ENTRIES = 4000;
const caches = new WeakMap<Store, Map<string, Entry>>();

function cacheOf(store: Store): Map<string, Entry> {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = new Map()));
  return c;
}

/** Forgets every kept part of a store (tests and benchmarks measuring a first view). */
export function forgetKeptParts(store: Store): void {
  caches.delete(store);
}

/** The keys (kind|旬) of the parts kept for a store. */
export function keptPartKeys(store: Store): string[] {
  return [...cacheOf(store).keys()];
}

async function versions(ctx: NodeContext, parts: number[]): Promise<{ epoch: number; of: Map<number, number> }> {
  const of = new Map<number, number>();
  if (!parts.length) return { epoch: 0, of };
  const r = await sql<{ part: number; v: number }>`SELECT part, v FROM stats_part_versions
    WHERE part = 0 OR (part >= ${Math.min(...parts)} AND part <= ${Math.max(...parts)})`.execute(ctx.store.db);
  let epoch = 0;
  for (const row of r.rows) {
    if (Number(row.part) === 0) epoch = Number(row.v);
    else of.set(Number(row.part), Number(row.v));
  }
  return { epoch, of };
}

/**
 * The parts of [from, to) for one kind: whole 旬 from the kept ones where still
 * current, the rest computed by `compute`. `prepare` runs first over the spans that must be
 * computed (e.g. filling the durations not yet known, which itself bumps their 旬's versions).
 */
export async function keptParts<T>(
  ctx: NodeContext,
  kind: string,
  from: number,
  to: number,
  compute: (from: number, to: number) => Promise<T>,
  prepare?: (spans: Span[]) => Promise<void>,
): Promise<T[]> {
  const spans = splitIntoParts(from, to);
  const cache = cacheOf(ctx.store);
  const parts = spans.flatMap((s) => (s.part == null ? [] : [s.part]));
  const keyOf = (part: number) => `${kind}|${part}`;
  const current = (vs: { epoch: number; of: Map<number, number> }, part: number) => {
    const e = cache.get(keyOf(part));
    return e && e.v === (vs.of.get(part) ?? 0) && e.epoch === vs.epoch ? e : null;
  };
  let vs = await versions(ctx, parts);
  if (prepare) {
    const todo = spans.filter((s) => s.part == null || !current(vs, s.part));
    if (todo.length) {
      await prepare(todo);
      vs = await versions(ctx, parts);
    }
  }
  return Promise.all(
    spans.map((s) => {
      if (s.part == null) return compute(s.from, s.to);
      const key = keyOf(s.part);
      const hit = current(vs, s.part);
      if (hit) {
        // Most recently used last.
        cache.delete(key);
        cache.set(key, hit);
        return hit.value as Promise<T>;
      }
      const value = compute(s.from, s.to);
      cache.set(key, { v: vs.of.get(s.part) ?? 0, epoch: vs.epoch, value });
      // A failed computation is not kept.
      value.catch(() => cache.get(key)?.value === value && cache.delete(key));
      while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      return value;
    }),
  );
}
