// Month partials of the statistics: a period is cut into whole CST months and the days left at its
// edges; each whole month's partial (counts by a grouping, resolved tickets' durations, supervised
// tickets, received tickets by day) is computed once and kept in memory while the month's version
// (stats_month_versions, bumped by triggers in the writing transaction: src/main/db/statsMonths.ts)
// and the store's epoch are unchanged. The edges are computed each time (at most two partial
// months). Callers merge the parts: counts add up, durations concatenate, supervised tickets merge
// by ticket.
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
  /** YYYYMM of a whole month; null for an edge. */
  month: number | null;
}

/** Epoch ms of the CST midnight starting month `ym` (YYYYMM). */
export function monthStart(ym: number): number {
  return Date.UTC(Math.floor(ym / 100), (ym % 100) - 1, 1) - CST_MS;
}
function monthOf(t: number): number {
  const d = new Date(t + CST_MS);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}
function nextMonth(ym: number): number {
  return ym % 100 === 12 ? ym + 89 : ym + 1;
}

/** [from, to) as its whole CST months and the edges before and after them, in time order. */
export function splitByMonth(from: number, to: number): Span[] {
  if (!(to > from)) return [];
  let m = monthOf(from);
  if (monthStart(m) < from) m = nextMonth(m);
  const spans: Span[] = [];
  let at = from;
  for (; monthStart(nextMonth(m)) <= to; m = nextMonth(m)) {
    const s = monthStart(m);
    if (s > at) spans.push({ from: at, to: s, month: null });
    const e = monthStart(nextMonth(m));
    spans.push({ from: s, to: e, month: m });
    at = e;
  }
  if (at < to) spans.push({ from: at, to, month: null });
  return spans;
}

interface Entry {
  v: number;
  epoch: number;
  value: Promise<unknown>;
}

/** At most this many month partials are kept per store (least recently used go first). */
const MAX_ENTRIES = 1500;
const caches = new WeakMap<Store, Map<string, Entry>>();

function cacheOf(store: Store): Map<string, Entry> {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = new Map()));
  return c;
}

/** Forgets every kept partial of a store (tests and benchmarks measuring a first view). */
export function forgetMonthParts(store: Store): void {
  caches.delete(store);
}

/** The keys (kind|YYYYMM) of the partials kept for a store. */
export function keptMonthParts(store: Store): string[] {
  return [...cacheOf(store).keys()];
}

async function versions(ctx: NodeContext, months: number[]): Promise<{ epoch: number; of: Map<number, number> }> {
  const of = new Map<number, number>();
  if (!months.length) return { epoch: 0, of };
  const r = await sql<{ month: number; v: number }>`SELECT month, v FROM stats_month_versions
    WHERE month = 0 OR (month >= ${Math.min(...months)} AND month <= ${Math.max(...months)})`.execute(ctx.store.db);
  let epoch = 0;
  for (const row of r.rows) {
    if (Number(row.month) === 0) epoch = Number(row.v);
    else of.set(Number(row.month), Number(row.v));
  }
  return { epoch, of };
}

/**
 * The partials of [from, to) for one kind of part: whole months from the kept ones where still
 * current, the rest computed by `compute`. `prepare` runs first over the spans that must be
 * computed (e.g. filling the durations not yet known, which itself bumps their months' versions).
 */
export async function monthParts<T>(
  ctx: NodeContext,
  kind: string,
  from: number,
  to: number,
  compute: (from: number, to: number) => Promise<T>,
  prepare?: (spans: Span[]) => Promise<void>,
): Promise<T[]> {
  const spans = splitByMonth(from, to);
  const cache = cacheOf(ctx.store);
  const months = spans.flatMap((s) => (s.month == null ? [] : [s.month]));
  const keyOf = (m: number) => `${kind}|${m}`;
  const current = (vs: { epoch: number; of: Map<number, number> }, m: number) => {
    const e = cache.get(keyOf(m));
    return e && e.v === (vs.of.get(m) ?? 0) && e.epoch === vs.epoch ? e : null;
  };
  let vs = await versions(ctx, months);
  if (prepare) {
    const todo = spans.filter((s) => s.month == null || !current(vs, s.month));
    if (todo.length) {
      await prepare(todo);
      vs = await versions(ctx, months);
    }
  }
  return Promise.all(
    spans.map((s) => {
      if (s.month == null) return compute(s.from, s.to);
      const key = keyOf(s.month);
      const hit = current(vs, s.month);
      if (hit) {
        // Most recently used last.
        cache.delete(key);
        cache.set(key, hit);
        return hit.value as Promise<T>;
      }
      const value = compute(s.from, s.to);
      cache.set(key, { v: vs.of.get(s.month) ?? 0, epoch: vs.epoch, value });
      // A failed computation is not kept.
      value.catch(() => cache.get(key)?.value === value && cache.delete(key));
      while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      return value;
    }),
  );
}
