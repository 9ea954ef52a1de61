// Point → grid: a static R-tree (Flatbush, packed Hilbert R-tree) over the grids' bounding boxes,
// then an exact point-in-polygon test on the few candidates. Answers the innermost regular grid
// (micro > 3 > 2 > 1) with its chain of parents, and separately every special-purpose grid that
// contains the point (a point can be in a special grid and a level-3 grid at once).
//
// Boundaries are closed: a point on a grid's edge (within BOUNDARY_EPS_DEG) belongs to it. Where a
// point lies on the edge shared by two grids of the same depth, the one strictly containing it
// wins, else the smaller code — so every point of a tiling gets exactly one answer.
// The index is immutable: rebuild it when grids change (47,188 micro-grids build in ~100 ms).

import Flatbush from 'flatbush';
import type { GridLevel } from '../domain/ticket';
import { BOUNDARY_EPS_DEG, INSIDE, ON_BOUNDARY, geometryBBox, pointInGeometry, type AreaGeometry } from './geometry';

export interface GridRef {
  id: string;
  code: string;
  name: string;
  level: GridLevel;
  parentId: string | null;
}

export interface IndexedGrid extends GridRef {
  geometry: AreaGeometry;
}

export interface GridLookup {
  /** The innermost regular grid (level 1, 2, 3 or micro) containing the point. */
  grid: GridRef;
  /** Its ancestors, the street first, down to its direct parent. */
  chain: GridRef[];
  /** Special-purpose grids containing the point, by code. */
  special: GridRef[];
}

const DEPTH: Record<GridLevel, number> = { '1': 1, '2': 2, '3': 3, micro: 4, special: 0 };

export class GridIndex {
  private readonly grids: IndexedGrid[];
  private readonly boxes: Float64Array;
  private readonly tree: Flatbush | null;
  private readonly byId = new Map<string, IndexedGrid>();

  constructor(grids: readonly IndexedGrid[]) {
    this.grids = [...grids];
    this.boxes = new Float64Array(this.grids.length * 4);
    this.tree = this.grids.length ? new Flatbush(this.grids.length) : null;
    this.grids.forEach((g, i) => {
      const b = geometryBBox(g.geometry);
      this.boxes.set(b, i * 4);
      this.tree!.add(b[0] - BOUNDARY_EPS_DEG, b[1] - BOUNDARY_EPS_DEG, b[2] + BOUNDARY_EPS_DEG, b[3] + BOUNDARY_EPS_DEG);
      this.byId.set(g.id, g);
    });
    this.tree?.finish();
  }

  get size(): number {
    return this.grids.length;
  }

  get(id: string): IndexedGrid | undefined {
    return this.byId.get(id);
  }

  all(): readonly IndexedGrid[] {
    return this.grids;
  }

  /** Index positions of the grids whose bounding box contains the point. */
  private candidates(lon: number, lat: number): number[] {
    return this.tree ? this.tree.search(lon, lat, lon, lat) : [];
  }

  /** The innermost regular grid containing the point, or null outside every grid. */
  innermost(lon: number, lat: number): IndexedGrid | null {
    return this.pick(this.candidates(lon, lat), lon, lat);
  }

  /** The same answer by testing every grid (no index): the baseline the benchmark compares with. */
  innermostLinear(lon: number, lat: number): IndexedGrid | null {
    const all: number[] = [];
    const b = this.boxes;
    for (let i = 0; i < this.grids.length; i++) {
      const o = i * 4;
      if (lon >= b[o]! - BOUNDARY_EPS_DEG && lon <= b[o + 2]! + BOUNDARY_EPS_DEG && lat >= b[o + 1]! - BOUNDARY_EPS_DEG && lat <= b[o + 3]! + BOUNDARY_EPS_DEG) all.push(i);
    }
    return this.pick(all, lon, lat);
  }

  private pick(cands: readonly number[], lon: number, lat: number): IndexedGrid | null {
    // Deepest level first: once a level has a hit, shallower grids need no test.
    for (let depth = 4; depth >= 1; depth--) {
      let best: IndexedGrid | null = null;
      let bestLoc = 0;
      for (const i of cands) {
        const g = this.grids[i]!;
        if (DEPTH[g.level] !== depth) continue;
        const loc = pointInGeometry(lon, lat, g.geometry);
        if (loc < ON_BOUNDARY) continue;
        if (best && (loc < bestLoc || (loc === bestLoc && g.code >= best.code))) continue;
        best = g;
        bestLoc = loc;
      }
      if (best) return best;
    }
    return null;
  }

  /** Special grids containing the point (inside or on their edge), by code. */
  specialAt(lon: number, lat: number): IndexedGrid[] {
    const out: IndexedGrid[] = [];
    for (const i of this.candidates(lon, lat)) {
      const g = this.grids[i]!;
      if (g.level === 'special' && pointInGeometry(lon, lat, g.geometry) >= ON_BOUNDARY) out.push(g);
    }
    return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  /** Whether the point is strictly inside a grid (not on its edge). */
  strictlyInside(id: string, lon: number, lat: number): boolean {
    const g = this.byId.get(id);
    return !!g && pointInGeometry(lon, lat, g.geometry) === INSIDE;
  }

  /** Ancestors of a grid, the street first. Stops at a missing parent or a cycle. */
  chainOf(id: string): GridRef[] {
    const out: GridRef[] = [];
    const seen = new Set<string>([id]);
    let p = this.byId.get(id)?.parentId ?? null;
    while (p && !seen.has(p)) {
      seen.add(p);
      const g = this.byId.get(p);
      if (!g) break;
      out.push(ref(g));
      p = g.parentId;
    }
    return out.reverse();
  }

  lookup(lon: number, lat: number): GridLookup | null {
    const g = this.innermost(lon, lat);
    if (!g) return null;
    return { grid: ref(g), chain: this.chainOf(g.id), special: this.specialAt(lon, lat).map(ref) };
  }
}

export function ref(g: GridRef): GridRef {
  return { id: g.id, code: g.code, name: g.name, level: g.level, parentId: g.parentId };
}
