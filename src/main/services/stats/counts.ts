// Counting the figures over a period, for the whole street or grouped by one column, one scan per
// anchor (created, first resolve, first dispatch, callback events, supervise events). Every count
// is SUM(CASE WHEN <the figure's own condition> …), the same expression the ticket list filters by.
// Whole 旬 (thirds of a month) of a period come from their kept parts (./keptParts): counts add up
// across parts, durations concatenate, supervised tickets merge by ticket (a ticket is counted
// once, at the highest level it reached in the whole period).

import { sql, type RawBuilder } from 'kysely';
import { emptyCounts, TICKET_FIGURES, type FigureCounts, type TicketFigure } from '../../../shared/stats/figures';
import type { NodeContext } from '../core/context';
import { anchorIn, figureRest, FIGURE_ANCHOR, SATISFIED_EVENT_SQL, type Anchor } from './figureSql';
import { ROLLUP_FIGURES } from '../../db/statsRollup';
import { keptParts, type Span } from './keptParts';

const CST_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Raw grouping: a ticket column, a time bucket of the anchor's time, or nothing (one row). */
export type Grouping =
  | { kind: 'all' }
  | { kind: 'column'; column: 'unit_id' | 'grid_id' | 'category_id' | 'channel' | 'type' | 'urgency' }
  | { kind: 'time'; unit: 'day' | 'week' | 'month' };

const ANCHOR_TIME: Record<Anchor, string> = {
  created: 'tickets.created_at',
  resolved: 'tickets.first_resolve_at',
  dispatched: 'tickets.first_dispatch_at',
  callback: 'e.at',
  supervised: 's.at',
};

/**
 * The SQL group key. Time buckets are grouped by the CST day number (integer arithmetic: SQLite's
 * date functions per row cost more than the rest of the scan) and named in JS by `groupKeyOf`.
 */
function groupExpr(g: Grouping, anchor: Anchor): RawBuilder<string | number | null> {
  if (g.kind === 'all') return sql<string | null>`''`;
  if (g.kind === 'column') return sql<string | null>`${sql.ref(`tickets.${g.column}`)}`;
  return sql<number>`CAST((${sql.ref(ANCHOR_TIME[anchor])} + ${CST_MS}) / ${DAY_MS} AS INTEGER)`;
}

/** The bucket (YYYY-MM-DD: the day, its week's Monday or its month's 1st) of a CST day number. */
export function bucketOfDay(day: number, unit: 'day' | 'week' | 'month'): string {
  if (unit === 'week') day -= (day + 3) % 7; // day 0 (1970-01-01) was a Thursday
  const d = new Date(day * DAY_MS).toISOString().slice(0, 10);
  return unit === 'month' ? `${d.slice(0, 8)}01` : d;
}

/** The group key of a SQL row's raw key: a column's value, or the time bucket of a day number (named once per day). */
function groupKeyOf(g: Grouping): (raw: unknown) => string | null {
  if (g.kind !== 'time') return (raw) => raw as string | null;
  const names = new Map<number, string>();
  return (raw) => {
    if (raw == null) return null;
    const day = Number(raw);
    let k = names.get(day);
    if (k == null) names.set(day, (k = bucketOfDay(day, g.unit)));
    return k;
  };
}

const figuresOf = (a: Anchor) => TICKET_FIGURES.filter((f) => FIGURE_ANCHOR[f] === a);

type Row = Record<string, number | string | null>;

/** Whether the daily roll-ups (migration 14) can answer: whole CST days, grouped by nothing, unit, grid or time. */
function rollupDim(from: number, to: number, g: Grouping): 'all' | 'unit' | 'grid' | null {
  if ((from + CST_MS) % DAY_MS !== 0 || (to + CST_MS) % DAY_MS !== 0) return null;
  if (g.kind === 'all' || g.kind === 'time') return 'all';
  if (g.column === 'unit_id') return 'unit';
  if (g.column === 'grid_id') return 'grid';
  return null;
}

function rollupKey(g: Grouping): RawBuilder<string | null> {
  if (g.kind === 'all') return sql<string | null>`''`;
  if (g.kind === 'column') return sql<string | null>`NULLIF(s.key, '')`;
  const t = sql`(s.day + ${CST_MS}) / 1000`;
  if (g.unit === 'day') return sql<string>`date(${t}, 'unixepoch')`;
  if (g.unit === 'month') return sql<string>`strftime('%Y-%m-01', ${t}, 'unixepoch')`;
  return sql<string>`date(${t}, 'unixepoch', '-6 days', 'weekday 1')`;
}

/** The key of a grouping among the kept parts. */
const groupingKey = (g: Grouping) => (g.kind === 'all' ? 'all' : g.kind === 'column' ? g.column : `time-${g.unit}`);

/**
 * Counts per group key ('' for the whole street; null where the column is empty). The figures
 * anchored on creation, first resolve and first dispatch come from the daily roll-ups when they
 * can answer, whole 旬 from their kept parts (`scan` forces counting the whole period from
 * the tickets and the timeline, for the tests and the benchmark).
 */
export async function countFigures(ctx: NodeContext, from: number, to: number, g: Grouping, opts: { scan?: boolean } = {}): Promise<Map<string | null, FigureCounts>> {
  const parts = opts.scan ? [await additiveCounts(ctx, from, to, g, true)] : await keptParts(ctx, `counts:${groupingKey(g)}`, from, to, (f, t) => additiveCounts(ctx, f, t, g, false));
  const out = new Map<string | null, FigureCounts>();
  for (const part of parts)
    for (const [k, c] of part) {
      const had = out.get(k);
      if (!had) out.set(k, { ...c });
      else for (const f of Object.keys(c) as Array<keyof FigureCounts>) had[f] += c[f];
    }
  const sg = recordGrouping(g);
  const supervised = opts.scan
    ? await supervisedTickets(ctx, from, to, sg)
    : mergeSupervised(await keptParts(ctx, `supervised:${groupingKey(sg)}`, from, to, (f, t) => supervisedTickets(ctx, f, t, sg)));
  countSupervised(supervised, g, (k) => {
    let c = out.get(k);
    if (!c) out.set(k, (c = emptyCounts()));
    return c;
  });
  for (const c of out.values()) {
    c.resolvedLate = c.resolved - c.resolvedOnTime;
    c.acceptedLate = c.dispatched - c.acceptedInTime;
  }
  return out;
}

/** The figures that add up across periods: every one but the supervised tickets. */
async function additiveCounts(ctx: NodeContext, from: number, to: number, g: Grouping, scan: boolean): Promise<Map<string | null, FigureCounts>> {
  const db = ctx.store.db;
  const out = new Map<string | null, FigureCounts>();
  const at = (k: string | null) => {
    let c = out.get(k);
    if (!c) out.set(k, (c = emptyCounts()));
    return c;
  };
  const keyOf = groupKeyOf(g);
  const add = (rows: Row[], figures: readonly TicketFigure[], raw = false) => {
    for (const r of rows) {
      const c = at(raw ? keyOf(r.k) : (r.k as string | null));
      for (const f of figures) c[f] += Number(r[f] ?? 0);
    }
  };

  const dim = scan ? null : rollupDim(from, to, g);
  if (dim) {
    const cols = Object.values(ROLLUP_FIGURES)
      .flatMap((f) => Object.keys(f))
      .filter((c) => c !== 'created') as TicketFigure[];
    // Groups a scan would find: some ticket anchored in the period (rows can be left at zero).
    const r = await sql<Row>`SELECT ${rollupKey(g)} AS k, ${sql.join(cols.map((c) => sql`SUM(${sql.ref(`s.${c}`)}) AS ${sql.ref(c)}`))}
      FROM stats_daily s WHERE s.dim = ${dim} AND s.day >= ${from} AND s.day < ${to}
      GROUP BY 1 HAVING SUM(s.created) + SUM(s.resolved) + SUM(s.dispatched) > 0`.execute(db);
    add(r.rows, cols);
  }
  // Ticket-anchored figures: one scan of the anchor's period index each.
  for (const anchor of dim ? [] : (['created', 'resolved', 'dispatched'] as const)) {
    const figs = figuresOf(anchor);
    const cols = figs.map((f) => {
      const rest = figureRest(f);
      return rest ? sql`SUM(CASE WHEN ${rest} THEN 1 ELSE 0 END) AS ${sql.ref(f)}` : sql`count(*) AS ${sql.ref(f)}`;
    });
    const r = await sql<Row>`SELECT ${groupExpr(g, anchor)} AS k, ${sql.join(cols)} FROM tickets WHERE ${anchorIn(anchor, from, to)} GROUP BY 1`.execute(db);
    add(r.rows, figs, true);
  }

  // Callbacks: from their daily roll-ups (migration 22) where those can answer.
  if (dim) {
    const r = await sql<Row>`SELECT ${rollupKey(g)} AS k, SUM(s.callbacks) AS callbacks, SUM(s.satisfied) AS satisfied
      FROM stats_daily_callbacks s WHERE s.dim = ${dim} AND s.day >= ${from} AND s.day < ${to}
      GROUP BY 1 HAVING SUM(s.callbacks) > 0`.execute(db);
    for (const row of r.rows) {
      const c = at(row.k as string | null);
      c.callbacks += Number(row.callbacks);
      c.satisfied += Number(row.satisfied);
      c.unsatisfied += Number(row.callbacks) - Number(row.satisfied);
    }
  }
  // Otherwise they are counted as events; their tickets give the group.
  else {
    // The group columns come from the covering index of migration 17 (no table row per event).
    const join = g.kind === 'column' ? sql`JOIN tickets INDEXED BY tickets_id_groups ON tickets.id = e.ticket_id` : sql``;
    const r = await sql<Row>`
      SELECT ${groupExpr(g, 'callback')} AS k, count(*) AS callbacks,
             SUM(CASE WHEN ${SATISFIED_EVENT_SQL} THEN 1 ELSE 0 END) AS satisfied
        FROM ticket_events e ${join}
       WHERE e.action = 'callback' AND e.at >= ${from} AND e.at < ${to}
       GROUP BY 1`.execute(db);
    for (const row of r.rows) {
      const c = at(keyOf(row.k));
      c.callbacks += Number(row.callbacks);
      c.satisfied += Number(row.satisfied);
      c.unsatisfied += Number(row.callbacks) - Number(row.satisfied);
    }
  }
  return out;
}

/**
 * Many rows as one: node-sqlite3 makes an object per row (microseconds each, most of a month's
 * cost), so row-per-ticket results come back as one row of group_concat'ed columns, split here
 * (all aggregates of one SELECT see the rows in the same order). NULL travels as char(30).
 */
const SEP = '\x1f';
const packed = (col: RawBuilder<unknown> | string) => sql`group_concat(coalesce(${typeof col === 'string' ? sql.raw(col) : col}, char(30)), char(31))`;
const unpack = (v: string | number | null | undefined): string[] => (v == null ? [] : String(v).split(SEP));
const orNull = (xs: string[]): Array<string | null> => xs.map((x) => (x === '\x1e' ? null : x));

/** The part key of a grouping for per-ticket parts: time groupings share the day's. */
const recordGrouping = (g: Grouping): Grouping => (g.kind === 'time' ? { kind: 'time', unit: 'day' } : g);

/** The tickets supervised in a span: each once, with its first supervision's time, its highest level and its raw group key. */
interface SupervisedTickets {
  id: string[];
  at: number[];
  lvl: Array<number | null>;
  key: Array<string | null>;
}

async function supervisedTickets(ctx: NodeContext, from: number, to: number, g: Grouping): Promise<SupervisedTickets> {
  // The group column comes from the covering index of migration 17 (no table row per ticket).
  const r = await sql<Record<string, string | null>>`
    SELECT ${packed('s.ticket_id')} AS id, ${packed('s.at')} AS at, ${packed('s.lvl')} AS lvl, ${packed(groupExpr(g, 'supervised'))} AS k FROM (
      SELECT e.ticket_id, min(e.at) AS at, max(CAST(json_extract(e.data, '$.level') AS INTEGER)) AS lvl
        FROM ticket_events e WHERE e.action = 'supervise' AND e.at >= ${from} AND e.at < ${to}
       GROUP BY e.ticket_id) s
    LEFT JOIN tickets INDEXED BY tickets_id_groups ON tickets.id = s.ticket_id`.execute(ctx.store.db);
  const row = r.rows[0] ?? {};
  return { id: unpack(row.id), at: unpack(row.at).map(Number), lvl: orNull(unpack(row.lvl)).map((x) => (x == null ? null : Number(x))), key: orNull(unpack(row.k)) };
}

/**
 * The spans' supervised tickets as one period's: each ticket once, at its first time and highest
 * level (by time: the key is the day of that first time, so it is taken from the earliest span).
 */
function mergeSupervised(parts: SupervisedTickets[]): SupervisedTickets {
  if (parts.length === 1) return parts[0]!;
  const out: SupervisedTickets = { id: [], at: [], lvl: [], key: [] };
  const index = new Map<string, number>();
  for (const p of parts)
    for (let i = 0; i < p.id.length; i++) {
      const j = index.get(p.id[i]!);
      if (j == null) {
        index.set(p.id[i]!, out.id.length);
        out.id.push(p.id[i]!);
        out.at.push(p.at[i]!);
        out.lvl.push(p.lvl[i]!);
        out.key.push(p.key[i]!);
        continue;
      }
      if (p.at[i]! < out.at[j]!) {
        out.at[j] = p.at[i]!;
        out.key[j] = p.key[i]!;
      }
      const l = p.lvl[i]!;
      if (l != null && (out.lvl[j] == null || l > out.lvl[j]!)) out.lvl[j] = l;
    }
  return out;
}

/**
 * Supervised tickets, by the highest level each reached in the period (grouped by the day of its
 * first supervision there when grouped by time).
 */
function countSupervised(s: SupervisedTickets, g: Grouping, at: (k: string | null) => FigureCounts): void {
  const keyOf = groupKeyOf(g);
  for (let i = 0; i < s.id.length; i++) {
    const c = at(keyOf(s.key[i]!));
    c.supervised += 1;
    const lvl = s.lvl[i] ?? 0;
    if (lvl >= 1 && lvl <= 4) c[`supervisedL${lvl}` as 'supervisedL1'] += 1;
  }
}

/** Computes and keeps (on the store's working-day calendar) the durations not yet known in the spans. */
async function fillDurations(ctx: NodeContext, spans: Span[]): Promise<void> {
  const db = ctx.store.db;
  for (const { from, to } of spans) {
    const missing = await db
      .selectFrom('tickets')
      .select(['id', 'created_at', 'first_resolve_at'])
      .where('first_resolve_at', '>=', from)
      .where('first_resolve_at', '<', to)
      .where('resolve_work_min', 'is', null)
      .execute();
    if (!missing.length) continue;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < missing.length; i += 500) {
        const part = missing.slice(i, i + 500);
        const values = part.map((t) => sql`(${t.id}, ${ctx.calendar.workingMinutesBetween(t.created_at, t.first_resolve_at!)}, ${t.first_resolve_at})`);
        // Only where first_resolve_at is still the one measured (a concurrent earlier resolve wins).
        await sql`WITH v(id, m, at) AS (VALUES ${sql.join(values)})
          UPDATE tickets SET resolve_work_min = v.m FROM v WHERE tickets.id = v.id AND tickets.first_resolve_at = v.at`.execute(trx);
      }
    });
  }
}

/** Working minutes of the tickets resolved in a span with a known duration, per raw group key. */
async function resolvedMinutes(ctx: NodeContext, from: number, to: number, g: Grouping): Promise<Map<string | null, number[]>> {
  // Every column from the covering index of migration 17 (no table row per ticket); one row per group.
  const r = await sql<{ k: string | number | null; j: string }>`
    SELECT ${groupExpr(g, 'resolved')} AS k, json_group_array(resolve_work_min) AS j FROM tickets INDEXED BY tickets_stats_resolved_by
     WHERE first_resolve_at >= ${from} AND first_resolve_at < ${to} AND resolve_work_min IS NOT NULL GROUP BY 1`.execute(ctx.store.db);
  return new Map(r.rows.map((row) => [row.k == null ? null : String(row.k), JSON.parse(row.j) as number[]]));
}

/**
 * Working minutes from creation to first resolve of the tickets resolved in [from, to), computing
 * (on the store's working-day calendar) and keeping those not yet known. Returns them per group.
 */
export async function resolveMinutes(ctx: NodeContext, from: number, to: number, g: Grouping, opts: { scan?: boolean } = {}): Promise<Map<string | null, number[]>> {
  const rg = recordGrouping(g);
  const parts = opts.scan
    ? (await fillDurations(ctx, [{ from, to, part: null }]), [await resolvedMinutes(ctx, from, to, rg)])
    : await keptParts(ctx, `resolved:${groupingKey(rg)}`, from, to, (f, t) => resolvedMinutes(ctx, f, t, rg), (spans) => fillDurations(ctx, spans));
  const keyOf = groupKeyOf(g);
  const out = new Map<string | null, number[]>();
  for (const p of parts)
    for (const [raw, m] of p) {
      const k = keyOf(raw);
      const had = out.get(k);
      if (!had) out.set(k, m.slice());
      else for (const x of m) had.push(x);
    }
  return out;
}

/** Received tickets (the `received` definition) per CST day number, channel and leaf category. */
export interface ReceivedByDay {
  day: Int32Array;
  channel: string[];
  category: Array<string | null>;
  n: Int32Array;
}

async function receivedByDaySpan(ctx: NodeContext, from: number, to: number): Promise<ReceivedByDay> {
  const r = await sql<Record<string, string | null>>`
    SELECT ${packed('d')} AS d, ${packed('ch')} AS ch, ${packed('k')} AS k, ${packed('n')} AS n FROM (
      SELECT CAST((created_at + ${CST_MS}) / ${DAY_MS} AS INTEGER) AS d, channel AS ch, category_id AS k, count(*) AS n
        FROM tickets WHERE ${anchorIn('created', from, to)} AND ${figureRest('received')!} GROUP BY 1, 2, 3)`.execute(ctx.store.db);
  const row = r.rows[0] ?? {};
  return { day: Int32Array.from(unpack(row.d), Number), channel: unpack(row.ch), category: orNull(unpack(row.k)), n: Int32Array.from(unpack(row.n), Number) };
}

/** Received tickets in [from, to) per day, channel and leaf category (whole 旬 from their kept parts). */
export async function receivedByDay(ctx: NodeContext, from: number, to: number): Promise<ReceivedByDay[]> {
  return keptParts(ctx, 'received', from, to, (f, t) => receivedByDaySpan(ctx, f, t));
}
