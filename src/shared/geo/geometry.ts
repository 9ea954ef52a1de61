// Planar geometry on lon/lat degrees for grid-sized polygons (metres to a few kilometres):
// ring validation, point-in-polygon with holes and MultiPolygons, containment and overlap tests
// between polygons, area, label points. Pure TypeScript (no Node, no DOM): the street node, the
// renderer and the city server share it.
//
// Conventions: positions are GeoJSON [lon, lat]; rings are closed (first = last); a polygon is
// [shell, ...holes]; a MultiPolygon is a list of polygons. Ring orientation is not required.
// Distances for tolerances are in metres on a local equirectangular projection, which is exact
// enough over a street (errors < 0.1 % at 5 km).

export type Position = number[];
export type Ring = Position[];
export type PolygonCoords = Ring[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoords;
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonCoords[];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** Where a point lies with respect to a polygon. */
export const OUTSIDE = -1;
export const ON_BOUNDARY = 0;
export const INSIDE = 1;
export type PointLocation = -1 | 0 | 1;

/** A point closer than this (degrees, ≈ 0.1 mm) to an edge counts as on the boundary. */
export const BOUNDARY_EPS_DEG = 1e-9;

/** Default tolerance of containment and overlap tests: slivers thinner than this are ignored. */
export const DEFAULT_TOLERANCE_M = 0.5;

const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQ = 111_320;

export function polygonsOf(g: AreaGeometry): PolygonCoords[] {
  return g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates];
}

export function ringBBox(ring: Ring): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of ring) {
    const x = p[0]!;
    const y = p[1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export function geometryBBox(g: AreaGeometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(g)) {
    const shell = poly[0];
    if (!shell) continue;
    const r = ringBBox(shell);
    if (r[0] < b[0]) b[0] = r[0];
    if (r[1] < b[1]) b[1] = r[1];
    if (r[2] > b[2]) b[2] = r[2];
    if (r[3] > b[3]) b[3] = r[3];
  }
  return b;
}

export function bboxesIntersect(a: BBox, b: BBox, pad = 0): boolean {
  return a[0] - pad <= b[2] && b[0] - pad <= a[2] && a[1] - pad <= b[3] && b[1] - pad <= a[3];
}

// ---------------------------------------------------------------------------------------------
// Point in polygon

/**
 * Where (x, y) lies with respect to a closed ring: INSIDE, ON_BOUNDARY (within BOUNDARY_EPS_DEG
 * of an edge) or OUTSIDE. Crossing-number test; every edge is evaluated in a canonical direction
 * (lower endpoint first) so two polygons sharing an edge compute bit-identical crossings, whichever
 * way they traverse it.
 */
export function pointInRing(x: number, y: number, ring: Ring): PointLocation {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    let ax = ring[j]![0]!;
    let ay = ring[j]![1]!;
    let bx = ring[i]![0]!;
    let by = ring[i]![1]!;
    if (ay > by || (ay === by && ax > bx)) {
      const tx = ax;
      const ty = ay;
      ax = bx;
      ay = by;
      bx = tx;
      by = ty;
    }
    // On the edge?
    if (
      y >= ay - BOUNDARY_EPS_DEG &&
      y <= by + BOUNDARY_EPS_DEG &&
      x >= Math.min(ax, bx) - BOUNDARY_EPS_DEG &&
      x <= Math.max(ax, bx) + BOUNDARY_EPS_DEG
    ) {
      const dx = bx - ax;
      const dy = by - ay;
      const len = Math.sqrt(dx * dx + dy * dy);
      if (len === 0) {
        if (Math.abs(x - ax) <= BOUNDARY_EPS_DEG && Math.abs(y - ay) <= BOUNDARY_EPS_DEG) return ON_BOUNDARY;
      } else if (Math.abs(dx * (y - ay) - dy * (x - ax)) <= BOUNDARY_EPS_DEG * len) return ON_BOUNDARY;
    }
    if (ay <= y && y < by) {
      const xi = ax + ((y - ay) * (bx - ax)) / (by - ay);
      if (x < xi) inside = !inside;
    }
  }
  return inside ? INSIDE : OUTSIDE;
}

/** Point in a polygon with holes. */
export function pointInPolygon(x: number, y: number, poly: PolygonCoords): PointLocation {
  const shell = poly[0];
  if (!shell) return OUTSIDE;
  const s = pointInRing(x, y, shell);
  if (s !== INSIDE) return s;
  for (let h = 1; h < poly.length; h++) {
    const r = pointInRing(x, y, poly[h]!);
    if (r === INSIDE) return OUTSIDE;
    if (r === ON_BOUNDARY) return ON_BOUNDARY;
  }
  return INSIDE;
}

/** Point in a Polygon or MultiPolygon: the best location over its parts. */
export function pointInGeometry(x: number, y: number, g: AreaGeometry): PointLocation {
  let best: PointLocation = OUTSIDE;
  for (const poly of polygonsOf(g)) {
    const r = pointInPolygon(x, y, poly);
    if (r === INSIDE) return INSIDE;
    if (r > best) best = r;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Area, centroid, label point

/** Planar signed area in degrees² (positive = counter-clockwise). */
export function signedRingArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, n = ring.length; i + 1 < n; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a / 2;
}

const EARTH_RADIUS_M = 6_378_137;
const RAD = Math.PI / 180;

/** Area of a ring on the sphere in m² (the formula OpenLayers and Turf use: Chamberlain & Duquette 2007). */
export function ringAreaM2(ring: Ring): number {
  const n = ring.length;
  if (n < 4) return 0;
  let total = 0;
  for (let i = 0; i + 1 < n; i++) {
    const p1 = ring[i]!;
    const p2 = ring[i + 1]!;
    total += (p2[0]! - p1[0]!) * RAD * (2 + Math.sin(p1[1]! * RAD) + Math.sin(p2[1]! * RAD));
  }
  return Math.abs((total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

export function polygonAreaM2(poly: PolygonCoords): number {
  if (!poly[0]) return 0;
  let a = ringAreaM2(poly[0]);
  for (let h = 1; h < poly.length; h++) a -= ringAreaM2(poly[h]!);
  return Math.max(0, a);
}

export function geometryAreaM2(g: AreaGeometry): number {
  return polygonsOf(g).reduce((s, p) => s + polygonAreaM2(p), 0);
}

/** Area-weighted centroid of a ring (planar). Falls back to the vertex mean for degenerate rings. */
export function ringCentroid(ring: Ring): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Shift to the first vertex for precision.
  const x0 = ring[0]![0]!;
  const y0 = ring[0]![1]!;
  for (let i = 0; i + 1 < ring.length; i++) {
    const xi = ring[i]![0]! - x0;
    const yi = ring[i]![1]! - y0;
    const xj = ring[i + 1]![0]! - x0;
    const yj = ring[i + 1]![1]! - y0;
    const f = xi * yj - xj * yi;
    a += f;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  if (Math.abs(a) < 1e-20) {
    let sx = 0;
    let sy = 0;
    const m = Math.max(1, ring.length - 1);
    for (let i = 0; i < m; i++) {
      sx += ring[i]![0]!;
      sy += ring[i]![1]!;
    }
    return [sx / m, sy / m];
  }
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** Centroid of a geometry: area-weighted over its parts' shells (holes ignored). */
export function geometryCentroid(g: AreaGeometry): [number, number] {
  let w = 0;
  let x = 0;
  let y = 0;
  for (const poly of polygonsOf(g)) {
    const shell = poly[0];
    if (!shell || shell.length < 4) continue;
    const a = Math.abs(signedRingArea(shell)) || 1e-30;
    const c = ringCentroid(shell);
    w += a;
    x += c[0] * a;
    y += c[1] * a;
  }
  return w > 0 ? [x / w, y / w] : [NaN, NaN];
}

/**
 * A point guaranteed inside the polygon (for labels and for interior tests): the centroid when it
 * lies inside, otherwise the middle of the widest inside span of the horizontal line through it.
 */
export function interiorPoint(poly: PolygonCoords): [number, number] {
  const shell = poly[0]!;
  const c = ringCentroid(shell);
  if (pointInPolygon(c[0], c[1], poly) === INSIDE) return c;
  const bb = ringBBox(shell);
  for (const f of [0.5, 0.37, 0.63, 0.25, 0.75, 0.13, 0.87]) {
    const y = f === 0.5 && c[1] > bb[1] && c[1] < bb[3] ? c[1] : bb[1] + (bb[3] - bb[1]) * f;
    const xs: number[] = [];
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if ((a[1]! <= y && y < b[1]!) || (b[1]! <= y && y < a[1]!)) xs.push(a[0]! + ((y - a[1]!) * (b[0]! - a[0]!)) / (b[1]! - a[1]!));
      }
    }
    xs.sort((p, q) => p - q);
    let best: [number, number] | null = null;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const wd = xs[i + 1]! - xs[i]!;
      if (wd > width) {
        width = wd;
        best = [(xs[i]! + xs[i + 1]!) / 2, y];
      }
    }
    if (best && pointInPolygon(best[0], best[1], poly) === INSIDE) return best;
  }
  return c;
}

/** Label point of a geometry: the interior point of its largest part. */
export function labelPoint(g: AreaGeometry): [number, number] {
  let best: PolygonCoords | null = null;
  let area = -1;
  for (const poly of polygonsOf(g)) {
    if (!poly[0] || poly[0].length < 4) continue;
    const a = Math.abs(signedRingArea(poly[0]));
    if (a > area) {
      area = a;
      best = poly;
    }
  }
  return best ? interiorPoint(best) : [NaN, NaN];
}

// ---------------------------------------------------------------------------------------------
// Segments

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/**
 * Do segments ab and cd share any point? Exact orientation tests on the input doubles (no
 * tolerance): 'proper' = they cross at a point interior to both, 'touch' = they meet at an
 * endpoint or overlap collinearly, 'none' = disjoint.
 */
export function segmentIntersection(a: Position, b: Position, c: Position, d: Position): 'none' | 'proper' | 'touch' {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const [cx, cy] = c as [number, number];
  const [dx, dy] = d as [number, number];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return 'none';
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return 'none';
  const o1 = Math.sign(orient(ax, ay, bx, by, cx, cy));
  const o2 = Math.sign(orient(ax, ay, bx, by, dx, dy));
  const o3 = Math.sign(orient(cx, cy, dx, dy, ax, ay));
  const o4 = Math.sign(orient(cx, cy, dx, dy, bx, by));
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'proper';
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return 'touch';
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return 'touch';
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return 'touch';
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return 'touch';
  return 'none';
}

/** Parameter t ∈ [0, 1] along ab where it meets cd (the crossing, or collinear overlap ends). */
function meetParams(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number, out: number[]): void {
  const rx = bx - ax;
  const ry = by - ay;
  const sx = dx - cx;
  const sy = dy - cy;
  const den = rx * sy - ry * sx;
  const rr = rx * rx + ry * ry;
  if (rr === 0) return;
  if (Math.abs(den) > 1e-300 && Math.abs(den) > 1e-12 * Math.sqrt(rr * (sx * sx + sy * sy))) {
    const t = ((cx - ax) * sy - (cy - ay) * sx) / den;
    const u = ((cx - ax) * ry - (cy - ay) * rx) / den;
    if (t >= 0 && t <= 1 && u >= -1e-12 && u <= 1 + 1e-12) out.push(t);
    return;
  }
  // Parallel: collinear overlap contributes the projections of c and d.
  for (const [px, py] of [
    [cx, cy],
    [dx, dy],
  ] as const) {
    const t = ((px - ax) * rx + (py - ay) * ry) / rr;
    if (t > 0 && t < 1) out.push(t);
  }
}

// ---------------------------------------------------------------------------------------------
// Ring validation

export type RingProblem =
  | { code: 'tooFewPoints'; at: Position | null }
  | { code: 'unclosedRing'; at: Position | null }
  | { code: 'selfIntersection'; at: Position }
  | { code: 'zeroArea'; at: Position | null };

/**
 * Checks one ring: closed, at least 4 positions (3 distinct corners), not crossing or touching
 * itself, non-zero area. Consecutive duplicate positions are tolerated. Self-intersection is a
 * sweep over edges sorted by their west end: O(n log n + k) for k edge pairs whose x-ranges overlap.
 */
export function validateRing(ring: Ring): RingProblem | null {
  if (ring.length < 4) return { code: 'tooFewPoints', at: ring[0] ?? null };
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return { code: 'unclosedRing', at: last };
  // Distinct consecutive vertices (closing vertex dropped).
  const v: Position[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const p = ring[i]!;
    const q = v[v.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) v.push(p);
  }
  while (v.length > 1 && v[0]![0] === v[v.length - 1]![0] && v[0]![1] === v[v.length - 1]![1]) v.pop();
  const n = v.length;
  if (n < 3) return { code: 'tooFewPoints', at: first };
  // Edge i runs v[i] → v[(i + 1) % n].
  const order = Array.from({ length: n }, (_, i) => i);
  const minX = (i: number) => Math.min(v[i]![0]!, v[(i + 1) % n]![0]!);
  const maxX = (i: number) => Math.max(v[i]![0]!, v[(i + 1) % n]![0]!);
  order.sort((a, b) => minX(a) - minX(b));
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi]!;
    const a = v[i]!;
    const b = v[(i + 1) % n]!;
    const hi = maxX(i);
    for (let oj = oi + 1; oj < n && minX(order[oj]!) <= hi; oj++) {
      const j = order[oj]!;
      const c = v[j]!;
      const d = v[(j + 1) % n]!;
      const adjacentNext = (i + 1) % n === j;
      const adjacentPrev = (j + 1) % n === i;
      const r = segmentIntersection(a, b, c, d);
      if (r === 'none') continue;
      if (adjacentNext || adjacentPrev) {
        // Adjacent edges share one vertex; anything more (a spike folding back) is invalid.
        const shared = adjacentNext ? b : a;
        const far1 = adjacentNext ? a : b;
        const far2 = adjacentNext ? d : c;
        const o = orient(far1[0]!, far1[1]!, shared[0]!, shared[1]!, far2[0]!, far2[1]!);
        if (o === 0) {
          const dot = (far1[0]! - shared[0]!) * (far2[0]! - shared[0]!) + (far1[1]! - shared[1]!) * (far2[1]! - shared[1]!);
          if (dot > 0) return { code: 'selfIntersection', at: shared };
        }
        continue;
      }
      return { code: 'selfIntersection', at: crossingPoint(a, b, c, d) };
    }
  }
  if (signedRingArea(ring) === 0) return { code: 'zeroArea', at: first };
  return null;
}

function crossingPoint(a: Position, b: Position, c: Position, d: Position): Position {
  const t: number[] = [];
  meetParams(a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!, d[0]!, d[1]!, t);
  const s = t[0] ?? 0;
  return [a[0]! + (b[0]! - a[0]!) * s, a[1]! + (b[1]! - a[1]!) * s];
}

// ---------------------------------------------------------------------------------------------
// Containment and overlap (approximate, with a tolerance)
//
// Both tests look at the boundary of one polygon against the other polygon: every edge of A is cut
// at every point where it meets the boundary of B, and sample points (A's vertices and three points
// inside each piece) are classified against B as inside / outside / on the boundary, where "on the
// boundary" means within `toleranceM` metres of it. Between two cuts a piece cannot cross B's
// boundary, so it lies wholly inside or wholly outside; the samples find which. This is exact up
// to the tolerance for the cases grids produce — shared edges, T-junctions, vertices rounded to
// 1e-7° — and costs O(nA · nB) per pair, fine for grid-sized rings (a few thousand vertices).
// Known approximation: a piece that is inside B but thinner than the tolerance everywhere near the
// sample points (a sliver) is not reported, which is the intent.

interface Classified {
  inside: Position | null;
  outside: Position | null;
  /** Every sample was on B's boundary (within tolerance). */
  allBoundary: boolean;
}

function metresScale(lat: number): [number, number] {
  return [M_PER_DEG_LON_EQ * Math.cos(lat * RAD), M_PER_DEG_LAT];
}

function distanceToSegmentM(px: number, py: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): number {
  const x = (px - ax) * kx;
  const y = (py - ay) * ky;
  const ux = (bx - ax) * kx;
  const uy = (by - ay) * ky;
  const uu = ux * ux + uy * uy;
  let t = uu > 0 ? (x * ux + y * uy) / uu : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = x - t * ux;
  const dy = y - t * uy;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Distance in metres from a point to the nearest edge of any ring of the geometry. */
export function distanceToBoundaryM(x: number, y: number, g: AreaGeometry): number {
  const [kx, ky] = metresScale(y);
  let best = Infinity;
  for (const poly of polygonsOf(g))
    for (const ring of poly)
      for (let i = 0; i + 1 < ring.length; i++) {
        const d = distanceToSegmentM(x, y, ring[i]![0]!, ring[i]![1]!, ring[i + 1]![0]!, ring[i + 1]![1]!, kx, ky);
        if (d < best) best = d;
      }
  return best;
}

/** Inside / outside / on the boundary of a geometry, with a tolerance band around the boundary. */
export function classifyPoint(x: number, y: number, g: AreaGeometry, toleranceM: number): PointLocation {
  const r = pointInGeometry(x, y, g);
  if (r === ON_BOUNDARY) return ON_BOUNDARY;
  if (distanceToBoundaryM(x, y, g) <= toleranceM) return ON_BOUNDARY;
  return r;
}

function allRings(g: AreaGeometry): Ring[] {
  const out: Ring[] = [];
  for (const poly of polygonsOf(g)) for (const ring of poly) out.push(ring);
  return out;
}

function classifyBoundary(a: AreaGeometry, b: AreaGeometry, toleranceM: number, stopAt: 'inside' | 'outside'): Classified {
  const res: Classified = { inside: null, outside: null, allBoundary: true };
  const bRings = allRings(b);
  const bBox = geometryBBox(b);
  const pad = (toleranceM / M_PER_DEG_LAT) * 2;
  const note = (x: number, y: number): boolean => {
    // Quick reject: far outside B's box.
    let r: PointLocation;
    if (x < bBox[0] - pad || x > bBox[2] + pad || y < bBox[1] - pad || y > bBox[3] + pad) r = OUTSIDE;
    else r = classifyPoint(x, y, b, toleranceM);
    if (r === INSIDE) {
      res.allBoundary = false;
      res.inside ??= [x, y];
      return stopAt === 'inside';
    }
    if (r === OUTSIDE) {
      res.allBoundary = false;
      res.outside ??= [x, y];
      return stopAt === 'outside';
    }
    return false;
  };
  const ts: number[] = [];
  for (const ring of allRings(a)) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const ax = ring[i]![0]!;
      const ay = ring[i]![1]!;
      const bx = ring[i + 1]![0]!;
      const by = ring[i + 1]![1]!;
      if (note(ax, ay)) return res;
      ts.length = 0;
      ts.push(0, 1);
      const eMinX = Math.min(ax, bx);
      const eMaxX = Math.max(ax, bx);
      const eMinY = Math.min(ay, by);
      const eMaxY = Math.max(ay, by);
      for (const br of bRings) {
        for (let j = 0; j + 1 < br.length; j++) {
          const cx = br[j]![0]!;
          const cy = br[j]![1]!;
          const dx = br[j + 1]![0]!;
          const dy = br[j + 1]![1]!;
          if (Math.max(cx, dx) < eMinX || Math.min(cx, dx) > eMaxX || Math.max(cy, dy) < eMinY || Math.min(cy, dy) > eMaxY) continue;
          meetParams(ax, ay, bx, by, cx, cy, dx, dy, ts);
        }
      }
      ts.sort((p, q) => p - q);
      for (let k = 0; k + 1 < ts.length; k++) {
        const t0 = ts[k]!;
        const t1 = ts[k + 1]!;
        if (t1 - t0 < 1e-12) continue;
        for (const f of [0.25, 0.5, 0.75]) {
          const t = t0 + (t1 - t0) * f;
          if (note(ax + (bx - ax) * t, ay + (by - ay) * t)) return res;
        }
      }
    }
  }
  return res;
}

/**
 * Is `inner` within `outer` (up to the tolerance)? Returns null when it is, or a point of `inner`
 * that lies outside `outer` (or a point of a hole of `outer` that `inner` covers).
 */
export function findOutside(inner: AreaGeometry, outer: AreaGeometry, toleranceM = DEFAULT_TOLERANCE_M): Position | null {
  const c = classifyBoundary(inner, outer, toleranceM, 'outside');
  if (c.outside) return c.outside;
  // A hole of the outer polygon lying inside the inner one is not covered by the outer.
  for (const poly of polygonsOf(outer))
    for (let h = 1; h < poly.length; h++) {
      const hole: AreaGeometry = { type: 'Polygon', coordinates: [poly[h]!] };
      const hc = classifyBoundary(hole, inner, toleranceM, 'inside');
      if (hc.inside) return hc.inside;
      if (hc.allBoundary) {
        const p = interiorPoint([poly[h]!]);
        if (classifyPoint(p[0], p[1], inner, toleranceM) === INSIDE) return p;
      }
    }
  return null;
}

/**
 * Do the interiors of a and b overlap by more than the tolerance? Returns null when they do not
 * (disjoint or only touching along edges), or a point inside both.
 */
export function findOverlap(a: AreaGeometry, b: AreaGeometry, toleranceM = DEFAULT_TOLERANCE_M): Position | null {
  if (!bboxesIntersect(geometryBBox(a), geometryBBox(b))) return null;
  const ab = classifyBoundary(a, b, toleranceM, 'inside');
  if (ab.inside) return ab.inside;
  const ba = classifyBoundary(b, a, toleranceM, 'inside');
  if (ba.inside) return ba.inside;
  // Boundaries that coincide everywhere: the same shape (overlap) unless their interiors are apart.
  if (ab.allBoundary && ba.allBoundary) {
    for (const poly of polygonsOf(a)) {
      const p = interiorPoint(poly);
      if (classifyPoint(p[0], p[1], b, toleranceM) === INSIDE) return p;
    }
  }
  return null;
}

/** Metres between two lon/lat points (local projection; exact enough within a city). */
export function distanceM(a: Position, b: Position): number {
  const [kx, ky] = metresScale((a[1]! + b[1]!) / 2);
  const dx = (a[0]! - b[0]!) * kx;
  const dy = (a[1]! - b[1]!) * ky;
  return Math.sqrt(dx * dx + dy * dy);
}
