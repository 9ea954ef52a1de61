// Point → grid: innermost grid and its chain, special grids beside it, edges, holes, MultiPolygons,
// and agreement with a linear scan.
import { describe, expect, it } from 'vitest';
import { GridIndex, type IndexedGrid } from '../../src/shared/geo/gridIndex';
import type { Ring } from '../../src/shared/geo/geometry';
import { syntheticMicroGrids } from '../../bench/grids';

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const g = (id: string, level: IndexedGrid['level'], parentId: string | null, ...rings: Ring[]): IndexedGrid => ({
  id,
  code: id,
  name: id,
  level,
  parentId,
  geometry: { type: 'Polygon', coordinates: rings },
});

// Street 0..4 × 0..2 (offset to Zhengzhou); communities A (west) and B (east, with a hole: a lake);
// grids A1, A2 tiling A; micro-grids tiling A1; a special grid straddling A and B.
const X = 113.66;
const Y = 34.77;
const r = (x0: number, y0: number, x1: number, y1: number) => rect(X + x0 / 1000, Y + y0 / 1000, X + x1 / 1000, Y + y1 / 1000);
const GRIDS: IndexedGrid[] = [
  g('S', '1', null, r(0, 0, 4, 2)),
  g('A', '2', 'S', r(0, 0, 2, 2)),
  g('B', '2', 'S', r(2, 0, 4, 2), r(3, 0.5, 3.5, 1.5)),
  g('A1', '3', 'A', r(0, 0, 1, 2)),
  g('A2', '3', 'A', r(1, 0, 2, 2)),
  g('B1', '3', 'B', r(2, 0, 4, 2), r(3, 0.5, 3.5, 1.5)),
  g('A1a', 'micro', 'A1', r(0, 0, 1, 1)),
  g('A1b', 'micro', 'A1', r(0, 1, 1, 2)),
  g('SP', 'special', 'S', r(1.5, 0.5, 2.5, 1.5)),
  { id: 'SP2', code: 'SP2', name: 'SP2', level: 'special', parentId: 'S', geometry: { type: 'MultiPolygon', coordinates: [[r(0.1, 0.1, 0.2, 0.2)], [r(3.8, 1.8, 3.9, 1.9)]] } },
];
const P = (x: number, y: number): [number, number] => [X + x / 1000, Y + y / 1000];

describe('GridIndex', () => {
  const index = new GridIndex(GRIDS);
  const at = (x: number, y: number) => index.lookup(...P(x, y));

  it('returns the innermost grid with its chain, street first', () => {
    const l = at(0.5, 0.5)!;
    expect(l.grid.id).toBe('A1a');
    expect(l.chain.map((c) => c.id)).toEqual(['S', 'A', 'A1']);
    expect(l.special).toEqual([]);
    expect(at(1.2, 1.8)!.grid.id).toBe('A2');
    expect(at(2.5, 0.2)!.chain.map((c) => c.id)).toEqual(['S', 'B']);
  });
  it('reports special grids beside the regular one, including MultiPolygon parts', () => {
    const l = at(1.7, 1)!;
    expect(l.grid.id).toBe('A2');
    expect(l.special.map((s) => s.id)).toEqual(['SP']);
    expect(at(2.2, 1)!.special.map((s) => s.id)).toEqual(['SP']);
    expect(at(3.85, 1.85)!.special.map((s) => s.id)).toEqual(['SP2']);
    expect(at(0.15, 0.15)!).toMatchObject({ grid: { id: 'A1a' }, special: [{ id: 'SP2' }] });
  });
  it('a point in a hole falls to the next level that has no hole there', () => {
    // The lake is a hole of B and B1: the point is in the street only.
    const l = at(3.2, 1)!;
    expect(l.grid.id).toBe('S');
    expect(l.chain).toEqual([]);
  });
  it('edges: shared edges give exactly one grid, deterministic by code; the outer edge is inside', () => {
    expect(at(1, 1.5)!.grid.id).toBe('A1b'); // on A1/A2's shared edge: A1b (micro) is deepest
    expect(at(1.5, 2)!.grid.id).toBe('A2'); // on the street's north edge
    expect(at(2, 1.8)!.grid.id).toBe('A2'); // on A2/B1's shared edge: same depth, smaller code
    expect(at(0.5, 1)!.grid.id).toBe('A1a'); // micro edge: smaller code
    expect(at(0, 0)!.grid.id).toBe('A1a'); // the street's corner
    expect(at(4, 1)!.grid.id).toBe('B1');
    expect(at(4 + 1e-3, 1)).toBeNull(); // 1e-6° (≈ 0.1 m) east of the street
    expect(at(-0.5, 1)).toBeNull();
  });
  it('agrees with a linear scan on random points over synthetic micro-grids', () => {
    const grids = syntheticMicroGrids(2000, 3);
    const idx = new GridIndex(grids);
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const lon = 112.9 + Math.random() * 1.4;
      const lat = 34.2 + Math.random() * 0.79;
      const a = idx.innermost(lon, lat);
      expect(a?.id).toBe(idx.innermostLinear(lon, lat)?.id);
      if (a) found++;
    }
    // The synthetic micro-grids tile the extent except for the unfilled end of the last row.
    expect(found).toBeGreaterThan(2900);
  });
  it('an empty index answers null', () => {
    expect(new GridIndex([]).lookup(113.67, 34.77)).toBeNull();
  });
});
