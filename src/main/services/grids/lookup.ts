// Point → grid for the street node: the in-memory R-tree index of src/shared/geo/gridIndex over the
// store's grids, cached per store file and rebuilt when the grids change. Every change to the grids
// table bumps grid_revision (triggers, migration 2), including changes by another process on the
// same file (the grids command line), so a lookup costs one single-row read plus the index search.

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { GridLevel } from '../../../shared/domain/ticket';
import { GridIndex, type GridLookup, type IndexedGrid } from '../../../shared/geo/gridIndex';
import { pointInGeometry, type AreaGeometry } from '../../../shared/geo/geometry';

type Db = Kysely<Database> | Transaction<Database>;

export { pointInRing } from '../../../shared/geo/geometry';

/** Point in a GeoJSON Polygon/MultiPolygon, edges included. */
export function pointInPolygonGeoJson(lon: number, lat: number, geometry: { type: string; coordinates: unknown }): boolean {
  return pointInGeometry(lon, lat, geometry as AreaGeometry) >= 0;
}

interface Cached {
  rev: number;
  index: GridIndex;
}
// Keyed by the open store (pass ctx.store); the revision says whether the index is current.
const cache = new WeakMap<object, Cached>();

export async function gridRevision(db: Db): Promise<number> {
  const r = await db.selectFrom('grid_revision').select('rev').where('id', '=', 1).executeTakeFirst();
  return r?.rev ?? 0;
}

export async function loadIndexedGrids(db: Db): Promise<IndexedGrid[]> {
  const rows = await db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id', 'polygon']).where('polygon', 'is not', null).execute();
  const out: IndexedGrid[] = [];
  for (const r of rows) {
    let geometry: AreaGeometry;
    try {
      geometry = JSON.parse(r.polygon!) as AreaGeometry;
    } catch {
      continue;
    }
    if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') continue;
    out.push({ id: r.id, code: r.code, name: r.name, level: r.level as GridLevel, parentId: r.parent_id, geometry });
  }
  return out;
}

/** The current spatial index of a store's grids (rebuilt if the grids changed since last time). */
export async function gridIndexFor(db: Db, storeKey: object): Promise<GridIndex> {
  const rev = await gridRevision(db);
  const hit = cache.get(storeKey);
  if (hit && hit.rev === rev) return hit.index;
  const index = new GridIndex(await loadIndexedGrids(db));
  cache.set(storeKey, { rev, index });
  return index;
}

/**
 * The innermost regular grid containing the point (micro-grid, else level 3, 2, 1), or null when the
 * point is outside the street. Special grids are never the answer here (see lookupPoint).
 */
export async function gridAt(db: Db, storeKey: object, lon: number, lat: number): Promise<{ id: string; code: string; level: string } | null> {
  const g = (await gridIndexFor(db, storeKey)).innermost(lon, lat);
  return g ? { id: g.id, code: g.code, level: g.level } : null;
}

/** The innermost grid, its parents (street first) and the special grids at a point; null outside. */
export async function lookupPoint(db: Db, storeKey: object, lon: number, lat: number): Promise<GridLookup | null> {
  return (await gridIndexFor(db, storeKey)).lookup(lon, lat);
}
