// Pure geometry: ring validation, point in polygon (edges, holes, MultiPolygons), containment and
// overlap with a tolerance, area, label points.
import { describe, expect, it } from 'vitest';
import {
  INSIDE,
  ON_BOUNDARY,
  OUTSIDE,
  findOutside,
  findOverlap,
  geometryAreaM2,
  interiorPoint,
  labelPoint,
  pointInGeometry,
  pointInPolygon,
  pointInRing,
  ringAreaM2,
  segmentIntersection,
  validateRing,
  type AreaGeometry,
  type Ring,
} from '../../src/shared/geo/geometry';

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: Ring[]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

describe('validateRing', () => {
  it('accepts a closed simple ring, either orientation, with repeated consecutive points', () => {
    expect(validateRing(rect(113.66, 34.77, 113.67, 34.78))).toBeNull();
    expect(validateRing([...rect(113.66, 34.77, 113.67, 34.78)].reverse())).toBeNull();
    expect(validateRing([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]].map(([x, y]) => [113 + x!, 34 + y!]))).toBeNull();
  });
  it('rejects unclosed rings and rings with too few points', () => {
    expect(validateRing([[113, 34], [113.1, 34], [113.1, 34.1], [113, 34.1]])).toMatchObject({ code: 'unclosedRing' });
    expect(validateRing([[113, 34], [113.1, 34], [113, 34]])).toMatchObject({ code: 'tooFewPoints' });
    expect(validateRing([[113, 34], [113.1, 34], [113.1, 34], [113, 34]])).toMatchObject({ code: 'tooFewPoints' });
  });
  it('finds self-intersections: a bow tie, a touching vertex, a spike folding back', () => {
    const bowTie = [[113, 34], [113.1, 34.1], [113.1, 34], [113, 34.1], [113, 34]];
    expect(validateRing(bowTie)).toMatchObject({ code: 'selfIntersection', at: [113.05, 34.05] });
    // The ring passes through (113.05, 34.05) twice.
    const touching = [[113, 34], [113.1, 34], [113.05, 34.05], [113.1, 34.1], [113, 34.1], [113.05, 34.05], [113, 34]];
    expect(validateRing(touching)).toMatchObject({ code: 'selfIntersection' });
    const spike = [[113, 34], [113.1, 34], [113.2, 34], [113.15, 34], [113.1, 34.1], [113, 34]];
    expect(validateRing(spike)).toMatchObject({ code: 'selfIntersection' });
  });
  it('rejects a ring with no area (all points on a line)', () => {
    expect(validateRing([[113, 34], [113.1, 34], [113.2, 34], [113, 34]])).not.toBeNull();
  });
  it('handles a large ring in n log n time', () => {
    const n = 20_000;
    const ring: Ring = [];
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      const r = 0.01 * (1 + 0.3 * Math.sin(7 * a));
      ring.push([113.67 + r * Math.cos(a), 34.77 + r * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    const t0 = performance.now();
    expect(validateRing(ring)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('segmentIntersection distinguishes crossing, touching and apart', () => {
    expect(segmentIntersection([0, 0], [2, 2], [0, 2], [2, 0])).toBe('proper');
    expect(segmentIntersection([0, 0], [2, 0], [2, 0], [3, 1])).toBe('touch');
    expect(segmentIntersection([0, 0], [2, 0], [1, 0], [3, 0])).toBe('touch');
    expect(segmentIntersection([0, 0], [1, 0], [2, 0], [3, 0])).toBe('none');
  });
});

describe('point in polygon', () => {
  const outer = rect(113.66, 34.77, 113.68, 34.79);
  const hole = rect(113.665, 34.775, 113.675, 34.785);
  it('inside, outside, and on edges and vertices (closed boundary)', () => {
    expect(pointInRing(113.67, 34.78, outer)).toBe(INSIDE);
    expect(pointInRing(113.69, 34.78, outer)).toBe(OUTSIDE);
    expect(pointInRing(113.66, 34.78, outer)).toBe(ON_BOUNDARY);
    expect(pointInRing(113.68, 34.78, outer)).toBe(ON_BOUNDARY);
    expect(pointInRing(113.67, 34.79, outer)).toBe(ON_BOUNDARY);
    expect(pointInRing(113.66, 34.77, outer)).toBe(ON_BOUNDARY);
    // A slanted edge: the midpoint of (0,0)-(1,3) scaled.
    const tri = [[113, 34], [113.1, 34.3], [113.2, 34], [113, 34]];
    expect(pointInRing(113.05, 34.15, tri)).toBe(ON_BOUNDARY);
    expect(pointInRing(113.05, 34.15 + 1e-6, tri)).toBe(OUTSIDE);
    expect(pointInRing(113.05, 34.15 - 1e-6, tri)).toBe(INSIDE);
  });
  it('holes: inside the hole is outside, the hole edge is boundary', () => {
    expect(pointInPolygon(113.67, 34.78, [outer, hole])).toBe(OUTSIDE);
    expect(pointInPolygon(113.662, 34.78, [outer, hole])).toBe(INSIDE);
    expect(pointInPolygon(113.665, 34.78, [outer, hole])).toBe(ON_BOUNDARY);
  });
  it('MultiPolygon: any part counts, the best location wins', () => {
    const mp: AreaGeometry = { type: 'MultiPolygon', coordinates: [[rect(113, 34, 113.1, 34.1)], [rect(113.2, 34, 113.3, 34.1)]] };
    expect(pointInGeometry(113.05, 34.05, mp)).toBe(INSIDE);
    expect(pointInGeometry(113.25, 34.05, mp)).toBe(INSIDE);
    expect(pointInGeometry(113.15, 34.05, mp)).toBe(OUTSIDE);
    expect(pointInGeometry(113.2, 34.05, mp)).toBe(ON_BOUNDARY);
  });
  it('a shared edge traversed in opposite directions gives the same answer for both polygons', () => {
    // Two triangles sharing a slanted edge; points near it belong to exactly one.
    const a = [[113, 34], [113.1, 34.07], [113, 34.1], [113, 34]];
    const b = [[113, 34], [113.1, 34], [113.1, 34.07], [113, 34]];
    for (let k = 1; k < 200; k++) {
      const x = 113 + (0.1 * k) / 200;
      const y = 34 + (0.07 * k) / 200 + (k % 3 === 0 ? 1e-12 : k % 3 === 1 ? -1e-12 : 0);
      const ra = pointInRing(x, y, a);
      const rb = pointInRing(x, y, b);
      expect(ra === ON_BOUNDARY || rb === ON_BOUNDARY || (ra === INSIDE) !== (rb === INSIDE)).toBe(true);
    }
  });
});

describe('containment and overlap', () => {
  const parent = poly(rect(113.66, 34.77, 113.68, 34.79));
  it('a child sharing the parent edges is inside; one poking out is not', () => {
    expect(findOutside(poly(rect(113.66, 34.77, 113.67, 34.78)), parent)).toBeNull();
    const out = findOutside(poly(rect(113.675, 34.785, 113.685, 34.795)), parent);
    expect(out).not.toBeNull();
    expect(pointInGeometry(out![0]!, out![1]!, parent)).toBe(OUTSIDE);
  });
  it('tolerates vertices rounded a few millimetres outside (0.5 m tolerance) but not 5 m', () => {
    expect(findOutside(poly(rect(113.66 - 5e-8, 34.77, 113.67, 34.78)), parent)).toBeNull();
    expect(findOutside(poly(rect(113.66 - 5e-5, 34.77, 113.67, 34.78)), parent)).not.toBeNull();
  });
  it('a child over a hole of the parent is outside it; a concave parent with an edge leaving between vertices', () => {
    const withHole = poly(rect(113.66, 34.77, 113.68, 34.79), rect(113.665, 34.775, 113.675, 34.785));
    expect(findOutside(poly(rect(113.661, 34.771, 113.679, 34.789)), withHole)).not.toBeNull();
    // U-shaped parent: the child's corners are all inside, but its top edge crosses the notch.
    const u = poly([[113.66, 34.77], [113.68, 34.77], [113.68, 34.79], [113.675, 34.79], [113.675, 34.775], [113.665, 34.775], [113.665, 34.79], [113.66, 34.79], [113.66, 34.77]]);
    expect(findOutside(poly(rect(113.662, 34.771, 113.678, 34.78)), u)).not.toBeNull();
    expect(findOutside(poly(rect(113.662, 34.771, 113.678, 34.774)), u)).toBeNull();
  });
  it('siblings sharing an edge or a T-junction do not overlap; real overlaps, containment and duplicates do', () => {
    const a = poly(rect(113.66, 34.77, 113.67, 34.78));
    const b = poly(rect(113.67, 34.77, 113.68, 34.78));
    expect(findOverlap(a, b)).toBeNull();
    // T-junction: c's top edge has a vertex in the middle of a's and b's bottom edges.
    const c = poly([[113.66, 34.76], [113.68, 34.76], [113.68, 34.77], [113.67, 34.77 + 3e-8], [113.66, 34.77], [113.66, 34.76]]);
    expect(findOverlap(a, c)).toBeNull();
    expect(findOverlap(b, c)).toBeNull();
    const d = poly(rect(113.665, 34.775, 113.675, 34.785));
    expect(findOverlap(a, d)).not.toBeNull();
    expect(findOverlap(a, poly(rect(113.662, 34.772, 113.668, 34.778)))).not.toBeNull(); // inside
    expect(findOverlap(a, a)).not.toBeNull(); // the same shape
    expect(findOverlap(a, poly(rect(113.7, 34.7, 113.71, 34.71)))).toBeNull(); // apart
    // A cross: no vertex of either lies inside the other, the edges cross.
    expect(findOverlap(poly(rect(113.66, 34.774, 113.68, 34.776)), poly(rect(113.669, 34.77, 113.671, 34.78)))).not.toBeNull();
  });
});

describe('area and label points', () => {
  it('area of a 0.01° × 0.01° square at 34.77N is about 1.01 km²', () => {
    const a = ringAreaM2(rect(113.66, 34.77, 113.67, 34.78));
    // 0.01° lat ≈ 1109 m, 0.01° lon ≈ 1113 m × cos(34.775°) ≈ 914 m
    expect(a).toBeGreaterThan(1.0e6);
    expect(a).toBeLessThan(1.03e6);
    expect(geometryAreaM2(poly(rect(113.66, 34.77, 113.67, 34.78), rect(113.662, 34.772, 113.668, 34.778)))).toBeCloseTo(a * (1 - 0.36), -3);
  });
  it('label point of a concave polygon lies inside it', () => {
    const u = [[113.66, 34.77], [113.68, 34.77], [113.68, 34.79], [113.675, 34.79], [113.675, 34.775], [113.665, 34.775], [113.665, 34.79], [113.66, 34.79], [113.66, 34.77]];
    const p = interiorPoint([u]);
    expect(pointInRing(p[0], p[1], u)).toBe(INSIDE);
    const l = labelPoint({ type: 'MultiPolygon', coordinates: [[rect(113, 34, 113.01, 34.01)], [u]] });
    expect(pointInRing(l[0], l[1], u)).toBe(INSIDE);
  });
});

describe('tile hosts for the CSP', () => {
  it('expands 天地图 subdomain ranges and refuses anything but https', async () => {
    const { tileOrigins } = await import('../../src/shared/geo/tileHosts');
    expect(tileOrigins('https://t{0-2}.tianditu.gov.cn/vec_w/wmts')).toEqual(['https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn', 'https://t2.tianditu.gov.cn']);
    expect(tileOrigins('https://127.0.0.1:8443/wmts')).toEqual(['https://127.0.0.1:8443']);
    expect(tileOrigins('http://t0.tianditu.gov.cn/vec_w/wmts')).toEqual([]);
    expect(tileOrigins("https://evil.example'; script-src *")).toEqual([]);
    expect(tileOrigins('javascript:alert(1)')).toEqual([]);
  });
});
