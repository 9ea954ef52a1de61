// Is a grid file in WGS-84/CGCS2000, or in GCJ-02 (shifted ≈ 570 m, as copied from a Chinese web
// map)? Coordinates alone cannot tell — a GCJ-02 polygon is a perfectly valid polygon 570 m away —
// so the test compares the file with reference geometry whose datum is known (WGS-84): the store's
// own grids, and the street outlines this build ships (REFERENCE_OUTLINES).
//
// 1. By code (strongest). For every feature whose code matches a reference grid, take the offset
//    d between the feature's centroid and the reference centroid, and the GCJ-02 offset g at that
//    place. d ≈ g (within max(25 % of |g|, 60 m)) is a vote for GCJ-02; d ≈ 0 (same bound) a vote
//    for WGS-84; anything else (the grid was really redrawn) no vote. Two thirds of the votes decide.
// 2. By outline, when no code matches. Sample up to 400 vertices of the file and count how many lie
//    inside (or within 60 m of) the reference polygons as they are, and after converting them
//    GCJ-02 → WGS-84. A file that fits well only after conversion (≥ 90 % vs ≤ 60 %) is GCJ-02,
//    one that fits well only as it is is WGS-84.
// 3. Otherwise (no reference near the file): 'unknown' — the import goes ahead as WGS-84, and the
//    result says the datum could not be checked.

import {
  classifyPoint,
  distanceM,
  geometryBBox,
  geometryCentroid,
  bboxesIntersect,
  OUTSIDE,
  type AreaGeometry,
  type BBox,
  type Position,
} from './geometry';
import { gcj02ToWgs84, gcjOffset } from './gcj02';

export type Datum = 'wgs84' | 'gcj02' | 'unknown';

export interface DatumReference {
  code: string;
  geometry: AreaGeometry;
}

export interface DatumVerdict {
  datum: Datum;
  method: 'codes' | 'outline' | 'none';
  /** Features compared by code, or vertices sampled for the outline test. */
  compared: number;
  votesGcj02: number;
  votesWgs84: number;
  /** Median offset (metres) of matched features from their references, for the log. */
  medianOffsetM: number | null;
  detail: string;
}

/**
 * Outlines of streets whose WGS-84 boundary this build knows, used when the store has no grids yet.
 * 经八路街道 (410105001): the outline of feature 410105001 of the city's street-outline data set.
 */
export const REFERENCE_OUTLINES: readonly DatumReference[] = [
  {
    code: '410105001',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.6641731, 34.7706641],
          [113.6752853, 34.770338],
          [113.6756985, 34.7792253],
          [113.6645864, 34.7795514],
          [113.6641731, 34.7706641],
        ],
      ],
    },
  },
];

const BAND_M = 60;

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function detectDatum(
  features: ReadonlyArray<{ code: string | null; geometry: AreaGeometry }>,
  references: readonly DatumReference[],
): DatumVerdict {
  const byCode = new Map(references.map((r) => [r.code, r.geometry]));
  let gcj = 0;
  let wgs = 0;
  let compared = 0;
  const offsets: number[] = [];
  for (const f of features) {
    const ref = f.code != null ? byCode.get(f.code) : undefined;
    if (!ref) continue;
    compared++;
    const cf = geometryCentroid(f.geometry);
    const cr = geometryCentroid(ref);
    if (!Number.isFinite(cf[0]) || !Number.isFinite(cr[0])) continue;
    const [gx, gy] = gcjOffset(cr[0], cr[1]);
    const shifted: Position = [cr[0] + gx, cr[1] + gy];
    const g = distanceM(cr, shifted);
    const bound = Math.max(0.25 * g, BAND_M);
    const d0 = distanceM(cf, cr);
    const dg = distanceM(cf, shifted);
    offsets.push(d0);
    if (dg <= bound && dg < d0) gcj++;
    else if (d0 <= bound) wgs++;
  }
  const votes = gcj + wgs;
  if (votes > 0) {
    const datum: Datum = gcj * 3 >= votes * 2 ? 'gcj02' : wgs * 3 >= votes * 2 ? 'wgs84' : 'unknown';
    return {
      datum,
      method: 'codes',
      compared,
      votesGcj02: gcj,
      votesWgs84: wgs,
      medianOffsetM: median(offsets),
      detail: `${compared} feature(s) matched reference grids by code: ${gcj} sit at the GCJ-02 offset, ${wgs} at their WGS-84 place`,
    };
  }

  // 2. Outline fit.
  const fileBox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const vertices: Position[] = [];
  for (const f of features) {
    const b = geometryBBox(f.geometry);
    fileBox[0] = Math.min(fileBox[0], b[0]);
    fileBox[1] = Math.min(fileBox[1], b[1]);
    fileBox[2] = Math.max(fileBox[2], b[2]);
    fileBox[3] = Math.max(fileBox[3], b[3]);
    const polys = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates];
    for (const poly of polys) for (const p of poly[0] ?? []) vertices.push(p);
  }
  const pad = 0.02; // ≈ 2 km: references near the file
  const near = references.filter((r) => bboxesIntersect(geometryBBox(r.geometry), fileBox, pad));
  if (!near.length || !vertices.length) {
    return { datum: 'unknown', method: 'none', compared: 0, votesGcj02: 0, votesWgs84: 0, medianOffsetM: null, detail: 'no reference geometry near the file' };
  }
  const step = Math.max(1, Math.floor(vertices.length / 400));
  let fitRaw = 0;
  let fitConv = 0;
  let n = 0;
  const fits = (x: number, y: number) => near.some((r) => classifyPoint(x, y, r.geometry, BAND_M) !== OUTSIDE);
  for (let i = 0; i < vertices.length; i += step) {
    const p = vertices[i]!;
    n++;
    if (fits(p[0]!, p[1]!)) fitRaw++;
    const w = gcj02ToWgs84(p[0]!, p[1]!);
    if (fits(w[0], w[1])) fitConv++;
  }
  const raw = fitRaw / n;
  const conv = fitConv / n;
  const datum: Datum = conv >= 0.9 && raw <= 0.6 ? 'gcj02' : raw >= 0.9 && conv <= 0.6 ? 'wgs84' : raw >= 0.9 ? 'wgs84' : 'unknown';
  return {
    datum,
    method: 'outline',
    compared: n,
    votesGcj02: fitConv,
    votesWgs84: fitRaw,
    medianOffsetM: null,
    detail: `${n} sampled vertices: ${Math.round(raw * 100)}% fit the reference outline as they are, ${Math.round(conv * 100)}% after GCJ-02 → WGS-84`,
  };
}
