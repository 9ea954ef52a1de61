// Point → grid: the innermost grid whose polygon contains the point (bounding boxes in SQL,
// exact point-in-polygon in JS). Grid import/export and the map build on this (issue 4).

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;
type Ring = number[][];

const DEPTH: Record<string, number> = { '1': 1, '2': 2, '3': 3, special: 3, micro: 4 };

export function pointInRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygonGeoJson(lon: number, lat: number, geometry: { type: string; coordinates: unknown }): boolean {
  const polys = (geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates]) as Ring[][];
  return polys.some((rings) => rings.length > 0 && pointInRing(lon, lat, rings[0]!) && !rings.slice(1).some((h) => pointInRing(lon, lat, h)));
}

export async function gridAt(db: Db, lon: number, lat: number): Promise<{ id: string; code: string; level: string } | null> {
  const candidates = await db
    .selectFrom('grids')
    .select(['id', 'code', 'level', 'polygon'])
    .where('min_lon', '<=', lon)
    .where('max_lon', '>=', lon)
    .where('min_lat', '<=', lat)
    .where('max_lat', '>=', lat)
    .execute();
  let best: { id: string; code: string; level: string } | null = null;
  for (const g of candidates) {
    if (!g.polygon || g.level === 'special') continue;
    if (!pointInPolygonGeoJson(lon, lat, JSON.parse(g.polygon))) continue;
    if (!best || (DEPTH[g.level] ?? 0) > (DEPTH[best.level] ?? 0)) best = { id: g.id, code: g.code, level: g.level };
  }
  return best;
}
