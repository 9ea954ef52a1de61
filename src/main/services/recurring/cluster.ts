// 一批事: the clustering at the core of the recurring-problem mining (./mining.ts) — tickets read
// oldest first and grouped by leader clustering, one block (leaf category) at a time. See mining.ts
// for the rule; ./miningState.ts keeps the blocks up to date as tickets change.

import type { NodeContext } from '../core/context';
import type { MiningParams } from '../../../shared/recurring/rules';
import { normalizeAddress, samePlaceProblem, textProfile, windowStart, type PlaceProblem, type TextProfile } from '../../../shared/recurring/rules';


export interface Row {
  id: string;
  created_at: number;
  category_id: string;
  address: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  description: string;
  unit_id: string | null;
  status: string;
}

/** The columns the mining reads of a ticket (the window's rows, and changed tickets by id). */
export const ROW_COLUMNS = ['id', 'created_at', 'category_id', 'address', 'lon', 'lat', 'grid_id', 'description', 'unit_id', 'status'] as const;

/** The group a row joined, set by the clusterer (a symbol: no copy, comparison or JSON of a row follows it). */
export const GROUP_OF = Symbol('group');

/**
 * A row as the clustering uses it: its place keys once, and itself what the rule compares
 * (`PlaceProblem`: its category and grid under the rule's names, its text profile while compared).
 * Every field is set when the row is made, so all rows share one shape and nothing is added later.
 */
export interface MinedRow extends Row, PlaceProblem {
  categoryId: string;
  addressKey: string;
  /** The candidate cell (near mode), null without a point. */
  cx: number | null;
  cy: number | null;
  /** Made when the row is first compared; kept while it is an anchor, dropped when it joins a group. */
  text: TextProfile;
  [GROUP_OF]: Group | undefined;
}

export interface Group {
  /** Its number in the order groups of its category started (= its anchor's age order). */
  n: number;
  anchor: MinedRow;
  members: MinedRow[];
  /** Bumped each time a member's status or unit is patched in place (./miningState.ts). */
  rev: number;
}

/**
 * Metres per degree used for the candidate cells. Longitude at cos 60° = 0.5: a cell is at least
 * `radiusM` wide at every latitude up to 60° (all of China), so the 3×3 cells around a point always
 * hold every anchor within `radiusM` — the candidate index never changes which group a ticket joins.
 */
const KX = 111_320 * 0.5;
const KY = 110_574;

/**
 * One string per distinct category id while rows are made: the rule's first test (the same
 * category) then holds by identity instead of reading both strings, for every candidate compared.
 */
const categories = new Map<string, string>();
function sameString(s: string): string {
  const k = categories.get(s);
  if (k !== undefined) return k;
  if (categories.size >= 100_000) categories.clear();
  categories.set(s, s);
  return s;
}

/** No profile yet (a shared empty one: compared with nothing, it is never read). */
const NO_TEXT: TextProfile = { grams: new Uint32Array(0), counts: new Uint16Array(0), norm: -1 };

export function prepareRow(r: Row, p: Pick<MiningParams, 'radiusM'>): MinedRow {
  const hasPoint = r.lon != null && r.lat != null;
  const category = sameString(r.category_id);
  return {
    id: r.id,
    created_at: r.created_at,
    category_id: category,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    grid_id: r.grid_id,
    description: r.description,
    unit_id: r.unit_id,
    status: r.status,
    categoryId: category,
    gridId: r.grid_id,
    addressKey: normalizeAddress(r.address),
    cx: hasPoint ? Math.floor((r.lon! * KX) / p.radiusM) : null,
    cy: hasPoint ? Math.floor((r.lat! * KY) / p.radiusM) : null,
    text: NO_TEXT,
    [GROUP_OF]: undefined,
  };
}

/** The row as the rule compares it, its text profile made if it has none (a member's was dropped). */
export function problemOf(r: MinedRow): MinedRow {
  if (r.text === NO_TEXT) r.text = textProfile(r.description);
  return r;
}

/**
 * A cell's key as one number (a candidate list's key only: two far cells sharing a key — beyond
 * ±16,000 km at a 1 m radius — only add candidates, each still judged by the rule).
 */
const cellKey = (cx: number, cy: number) => cx * 33_554_432 + cy;

/**
 * The leader clustering of one block of rows (one leaf category: groups never cross categories),
 * fed oldest first — (created_at, id) order — one row at a time, so a block kept in memory can take
 * a new ticket without starting over.
 */
export class BlockClusterer {
  readonly groups: Group[] = [];
  private byAddress = new Map<string, Group[]>();
  private byCell = new Map<number, Group[]>();
  private byGrid = new Map<string, Group[]>();
  constructor(private p: MiningParams) {}

  private static push<K>(m: Map<K, Group[]>, k: K, g: Group) {
    const l = m.get(k);
    if (l) l.push(g);
    else m.set(k, [g]);
  }

  add(r: MinedRow): Group {
    const p = this.p;
    // Candidate groups: each list holds groups in the order they started (rows come oldest first),
    // so the oldest matching group is the least-numbered first match over the lists; a list is read
    // only up to the best found so far.
    const lists: Group[][] = [];
    if (p.place === 'grid') {
      const l = r.grid_id ? this.byGrid.get(r.grid_id) : undefined;
      if (l) lists.push(l);
    } else {
      if (r.addressKey) {
        const l = this.byAddress.get(r.addressKey);
        if (l) lists.push(l);
      }
      if (r.cx != null)
        for (let dx = -1; dx <= 1; dx++)
          for (let dy = -1; dy <= 1; dy++) {
            const l = this.byCell.get(cellKey(r.cx + dx, r.cy! + dy));
            if (l) lists.push(l);
          }
    }
    let joined: Group | null = null;
    if (lists.length) {
      const problem = problemOf(r);
      for (const l of lists)
        for (const g of l) {
          if (joined && g.n >= joined.n) break;
          if (samePlaceProblem(g.anchor, problem, p)) {
            joined = g;
            break;
          }
        }
    }
    if (joined) {
      joined.members.push(r);
      r[GROUP_OF] = joined;
      // Only anchors are compared with: a member's text profile (most of a kept row's heap) goes
      // now and is made again if a re-clustering makes the row an anchor.
      r.text = NO_TEXT;
      return joined;
    }
    problemOf(r);
    const g: Group = { n: this.groups.length, anchor: r, members: [r], rev: 0 };
    r[GROUP_OF] = g;
    this.groups.push(g);
    if (p.place === 'grid') {
      if (r.grid_id) BlockClusterer.push(this.byGrid, r.grid_id, g);
    } else {
      if (r.addressKey) BlockClusterer.push(this.byAddress, r.addressKey, g);
      if (r.cx != null) BlockClusterer.push(this.byCell, cellKey(r.cx, r.cy!), g);
    }
    return g;
  }
}

/** (created_at, id) order: the order rows are clustered in. */
export const rowOrder = (a: Row, b: Row) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Clusters rows in (created_at, id) order, block by block (leaf category), as they come: the
 * window is read and clustered a page at a time (`readWindowPages`), never in one go.
 */
export class WindowClustering {
  readonly groups: Group[] = [];
  private blocks = new Map<string, BlockClusterer>();
  constructor(private p: MiningParams) {}

  add(r: MinedRow): void {
    let b = this.blocks.get(r.category_id);
    if (!b) this.blocks.set(r.category_id, (b = new BlockClusterer(this.p)));
    const before = b.groups.length;
    b.add(r);
    if (b.groups.length > before) this.groups.push(b.groups[before]!);
  }
}

/**
 * Lets other work run on the node's one JavaScript thread — the screens' requests, timers, sync —
 * once `sliceMs` of a long computation has passed since its last turn. The mining of a large
 * street's two years is tens of seconds of work (50–90 s on 1,000,000 tickets): done in one go it
 * froze every operator's screen for as long.
 */
export class Slicer {
  private last = performance.now();
  /** Turns given to other work so far. */
  turns = 0;
  constructor(
    private sliceMs = 20,
    private stopped: () => boolean = () => false,
  ) {}

  /** Whether the slice is used up (cheap: call it per row, `pause` only when it says so). */
  due(): boolean {
    return performance.now() - this.last >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.turns++;
    this.check();
    this.last = performance.now();
  }

  /** Throws `MiningStopped` once the run is to stop (between pages, and at every pause). */
  check(): void {
    if (this.stopped()) throw new MiningStopped();
  }
}

/** A long mining run given up because the node is closing. */
export class MiningStopped extends Error {
  constructor() {
    super('mining stopped: the node is closing');
  }
}

/** Rows read per page of the window (a page's rows are made into objects in one go). */
let pageRows = 5_000;
/** The page size (tests set a small one to see the pages). */
export function setWindowPageRows(n: number): void {
  pageRows = n;
}

/**
 * Reads the window [from, to)'s eligible tickets, oldest first — (created_at, id) order — a page at
 * a time (keyset: each page starts after the last row of the one before): cancelled, merged and
 * uncategorised left out. The next page is asked for as soon as a page arrives, so the store reads
 * it while the caller works on this one.
 */
async function* readWindowPages(ctx: NodeContext, from: number, to: number): AsyncGenerator<Row[]> {
  const page = async (after: { t: number; id: string } | null) =>
    (await ctx.store.db
      .selectFrom('tickets')
      .select([...ROW_COLUMNS])
      .where('created_at', '>=', after ? after.t : from)
      .where('created_at', '<', to)
      .$if(!!after, (q) => q.where((eb) => eb.or([eb('created_at', '>', after!.t), eb('id', '>', after!.id)])))
      .where('category_id', 'is not', null)
      .where('merged_into', 'is', null)
      .where('status', '!=', 'cancelled')
      .orderBy('created_at')
      .orderBy('id')
      .limit(pageRows)
      .execute()) as Row[];
  let next: Promise<Row[]> | null = page(null);
  while (next) {
    const rows: Row[] = await next;
    const last = rows[rows.length - 1];
    next = rows.length < pageRows || !last ? null : page({ t: last.created_at, id: last.id });
    // A page asked for ahead and then not read (the caller stopped) must not reject unobserved.
    next?.catch(() => undefined);
    if (rows.length) yield rows;
  }
}

/**
 * Reads the window's tickets and groups them (no words, no names): the core the tests pin. Groups
 * come in the order they started (anchor (created_at, id)). Straight from the store, in slices that
 * leave the node free between them; the screens go through ./miningState.ts, which keeps the result
 * up to date as tickets change.
 */
export async function clusterTickets(ctx: NodeContext, p: MiningParams, to = ctx.now(), slicer = new Slicer()): Promise<{ from: number; to: number; scanned: number; groups: Group[] }> {
  const from = windowStart(to, p.windowDays);
  const run = new WindowClustering(p);
  let scanned = 0;
  await eachWindowRow(ctx, p, from, to, slicer, (r) => {
    run.add(r);
    scanned++;
  });
  return { from, to, scanned, groups: run.groups };
}

/**
 * Hands each eligible ticket of the window [from, to), prepared, oldest first, to `use`: read a page
 * at a time, checking for a stop between pages and pausing between slices.
 */
export async function eachWindowRow(ctx: NodeContext, p: MiningParams, from: number, to: number, slicer: Slicer, use: (r: MinedRow) => void): Promise<void> {
  for await (const page of readWindowPages(ctx, from, to)) {
    slicer.check();
    for (const raw of page) {
      use(prepareRow(raw, p));
      if (slicer.due()) await slicer.pause();
    }
  }
}
