// 一批事: the clustering at the core of the recurring-problem mining (./mining.ts) — tickets read
// oldest first and grouped by leader clustering, one block (leaf category) at a time. See mining.ts
// for the rule; ./miningState.ts keeps the blocks up to date as tickets change.

import type { NodeContext } from '../core/context';
import type { MiningParams } from '../../../shared/recurring/rules';
import { normalizeAddress, samePlaceProblem, textProfile, windowStart, type PlaceProblem } from '../../../shared/recurring/rules';


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

type Problem = PlaceProblem & { addressKey: string };

/** The group a row joined, set by the clusterer (a symbol: no copy, comparison or JSON of a row follows it). */
export const GROUP_OF = Symbol('group');

/** A row as the clustering uses it: its place keys once, its text profile when first compared. */
export interface MinedRow extends Row {
  addressKey: string;
  /** The candidate cell (near mode), null without a point. */
  cx: number | null;
  cy: number | null;
  problem?: Problem;
  [GROUP_OF]?: Group;
}

export interface Group {
  /** Its number in the order groups of its category started (= its anchor's age order). */
  n: number;
  anchor: MinedRow & { problem: Problem };
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

export function prepareRow(r: Row, p: Pick<MiningParams, 'radiusM'>): MinedRow {
  const hasPoint = r.lon != null && r.lat != null;
  return {
    ...r,
    addressKey: normalizeAddress(r.address),
    cx: hasPoint ? Math.floor((r.lon! * KX) / p.radiusM) : null,
    cy: hasPoint ? Math.floor((r.lat! * KY) / p.radiusM) : null,
  };
}

const problemOf = (r: MinedRow): Problem =>
  (r.problem ??= { categoryId: r.category_id, address: r.address, addressKey: r.addressKey, lon: r.lon, lat: r.lat, gridId: r.grid_id, text: textProfile(r.description) });

/**
 * The leader clustering of one block of rows (one leaf category: groups never cross categories),
 * fed oldest first — (created_at, id) order — one row at a time, so a block kept in memory can take
 * a new ticket without starting over.
 */
export class BlockClusterer {
  readonly groups: Group[] = [];
  private byAddress = new Map<string, Group[]>();
  private byCell = new Map<string, Group[]>();
  private byGrid = new Map<string, Group[]>();
  constructor(private p: MiningParams) {}

  private static push(m: Map<string, Group[]>, k: string, g: Group) {
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
            const l = this.byCell.get(`${r.cx + dx}|${r.cy! + dy}`);
            if (l) lists.push(l);
          }
    }
    let joined: Group | null = null;
    if (lists.length) {
      const problem = problemOf(r);
      for (const l of lists)
        for (const g of l) {
          if (joined && g.n >= joined.n) break;
          if (samePlaceProblem(g.anchor.problem, problem, p)) {
            joined = g;
            break;
          }
        }
    }
    if (joined) {
      joined.members.push(r);
      r[GROUP_OF] = joined;
      return joined;
    }
    problemOf(r);
    const g: Group = { n: this.groups.length, anchor: r as Group['anchor'], members: [r], rev: 0 };
    r[GROUP_OF] = g;
    this.groups.push(g);
    if (p.place === 'grid') {
      if (r.grid_id) BlockClusterer.push(this.byGrid, r.grid_id, g);
    } else {
      if (r.addressKey) BlockClusterer.push(this.byAddress, r.addressKey, g);
      if (r.cx != null) BlockClusterer.push(this.byCell, `${r.cx}|${r.cy}`, g);
    }
    return g;
  }
}

/** (created_at, id) order: the order rows are clustered in. */
export const rowOrder = (a: Row, b: Row) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Clusters rows in (created_at, id) order, block by block (leaf category). */
export function clusterRows(rows: MinedRow[], p: MiningParams): Group[] {
  const blocks = new Map<string, BlockClusterer>();
  const out: Group[] = [];
  for (const r of rows) {
    let b = blocks.get(r.category_id);
    if (!b) blocks.set(r.category_id, (b = new BlockClusterer(p)));
    const before = b.groups.length;
    b.add(r);
    if (b.groups.length > before) out.push(b.groups[before]!);
  }
  return out;
}

/** Reads the window [from, to)'s eligible tickets, oldest first: cancelled, merged and uncategorised left out. */
export async function readWindow(ctx: NodeContext, from: number, to: number): Promise<Row[]> {
  return (await ctx.store.db
    .selectFrom('tickets')
    .select([...ROW_COLUMNS])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .where('category_id', 'is not', null)
    .where('merged_into', 'is', null)
    .where('status', '!=', 'cancelled')
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as Row[];
}

/**
 * Reads the window's tickets and groups them (no words, no names): the core the tests pin. Groups
 * come in the order they started (anchor (created_at, id)). Straight from the store; the screens go
 * through ./miningState.ts, which keeps the result up to date as tickets change.
 */
export async function clusterTickets(ctx: NodeContext, p: MiningParams, to = ctx.now()): Promise<{ from: number; to: number; scanned: number; groups: Group[] }> {
  const from = windowStart(to, p.windowDays);
  const rows = await readWindow(ctx, from, to);
  return { from, to, scanned: rows.length, groups: clusterRows(rows.map((r) => prepareRow(r, p)), p) };
}

