// Read side of grids and the map page: grid polygons with open-ticket counts, a grid's profile,
// point → grid lookup, compact ticket points for clustering and heat maps, and the basemap.

import { sql } from 'kysely';
import type { z } from 'zod/v4';
import { OPEN_STATUSES, TICKET_STATUSES, maskPhone, type GridLevel, type TicketStatus } from '../../../shared/domain/ticket';
import { GRID_ELEMENTS, type GridMemberRole } from '../../../shared/domain/grid';
import { geometryBBox, labelPoint, pointInGeometry, type AreaGeometry, type BBox } from '../../../shared/geo/geometry';
import type { ticketFilter } from '../../../shared/api/contract';
import type * as T from '../../../shared/api/types';
import type * as G from '../../../shared/api/grids';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { conditions, ROW_COLUMNS, searchOf, toRow } from '../tickets/queries';
import { gridIndexFor } from './lookup';
import { alarmsOfTickets } from '../tickets/alarms';
import { getSetting, setSetting } from '../core/settings';

type Filter = z.output<typeof ticketFilter>;

const OPEN = OPEN_STATUSES as TicketStatus[];
const STATUS_INDEX = new Map<string, number>(TICKET_STATUSES.map((s, i) => [s, i]));

function parseGeometry(polygon: string | null): AreaGeometry | null {
  if (!polygon) return null;
  try {
    const g = JSON.parse(polygon) as AreaGeometry;
    return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null;
  } catch {
    return null;
  }
}

function info(g: { id: string; code: string; name: string; level: string; parent_id: string | null }): T.GridInfo {
  return { id: g.id, code: g.code, name: g.name, level: g.level as GridLevel, parentId: g.parent_id };
}

// ---------------------------------------------------------------------------------------------
// grids.geojson

export async function gridGeojson(ctx: NodeContext, user: T.User, levels?: readonly GridLevel[]): Promise<G.GridFeatureCollection> {
  const db = ctx.store.db;
  let q = db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id', 'polygon', 'households', 'population']);
  if (levels?.length) q = q.where('level', 'in', [...levels]);
  const rows = await q.orderBy('code').execute();

  // Open tickets per grid, rolled up to every ancestor.
  const now = ctx.now();
  const counts = await db
    .selectFrom('tickets')
    .select(['tickets.grid_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => conditions(eb, { statuses: OPEN }, now, user))
    .groupBy('tickets.grid_id')
    .execute();
  const parents = new Map((await db.selectFrom('grids').select(['id', 'parent_id']).execute()).map((g) => [g.id, g.parent_id]));
  const open = new Map<string, number>();
  for (const c of counts) {
    let g: string | null | undefined = c.grid_id;
    const seen = new Set<string>();
    while (g && !seen.has(g)) {
      seen.add(g);
      open.set(g, (open.get(g) ?? 0) + Number(c.n));
      g = parents.get(g);
    }
  }
  // Special grids are not anyone's parent: count open tickets by point.
  if (rows.some((r) => r.level === 'special')) {
    const index = await gridIndexFor(db, ctx.store);
    const pts = await db
      .selectFrom('tickets')
      .select(['tickets.lon', 'tickets.lat'])
      .where((eb) => conditions(eb, { statuses: OPEN }, now, user))
      .where('tickets.lon', 'is not', null)
      .execute();
    for (const p of pts) for (const s of index.specialAt(p.lon!, p.lat!)) open.set(s.id, (open.get(s.id) ?? 0) + 1);
  }

  const features: G.GridFeature[] = [];
  for (const r of rows) {
    const geometry = parseGeometry(r.polygon);
    if (!geometry) continue;
    features.push({
      type: 'Feature',
      id: r.id,
      geometry,
      properties: {
        id: r.id,
        code: r.code,
        name: r.name,
        level: r.level as GridLevel,
        parentId: r.parent_id,
        households: r.households,
        population: r.population,
        openTickets: open.get(r.id) ?? 0,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------------------------------------
// grids.profile

async function descendants(ctx: NodeContext, id: string): Promise<string[]> {
  const r = await sql<{ id: string }>`WITH RECURSIVE sub(id) AS (SELECT ${id} UNION SELECT g.id FROM grids g JOIN sub ON g.parent_id = sub.id) SELECT id FROM sub`.execute(ctx.store.db);
  return r.rows.map((x) => x.id);
}

/** Tickets whose point lies in a (special) grid: candidates by the regular grids under its box, then exact test. */
async function ticketsInArea(ctx: NodeContext, user: T.User, geometry: AreaGeometry, filter: Filter) {
  const bb = geometryBBox(geometry);
  const now = ctx.now();
  const rows = await ctx.store.db
    .selectFrom('tickets')
    .select([...ROW_COLUMNS, 'tickets.lon', 'tickets.lat'])
    .where((eb) => conditions(eb, filter, now, user))
    .where('tickets.grid_id', 'in', (eb) =>
      eb
        .selectFrom('grids')
        .select('grids.id')
        .where('grids.level', '!=', 'special')
        .where('grids.min_lon', '<=', bb[2])
        .where('grids.max_lon', '>=', bb[0])
        .where('grids.min_lat', '<=', bb[3])
        .where('grids.max_lat', '>=', bb[1]),
    )
    .where('tickets.lon', '>=', bb[0])
    .where('tickets.lon', '<=', bb[2])
    .where('tickets.lat', '>=', bb[1])
    .where('tickets.lat', '<=', bb[3])
    .orderBy(sql`tickets.rowid`, 'desc')
    .execute();
  return rows.filter((r) => pointInGeometry(r.lon!, r.lat!, geometry) >= 0);
}

export async function gridProfile(ctx: NodeContext, user: T.User, id: string): Promise<G.GridProfile> {
  const db = ctx.store.db;
  const g = await db.selectFrom('grids').selectAll().where('id', '=', id).executeTakeFirst();
  if (!g) throw notFound('网格', id);

  const chain: T.GridInfo[] = [];
  const seen = new Set([g.id]);
  for (let p = g.parent_id; p && !seen.has(p); ) {
    seen.add(p);
    const row = await db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id']).where('id', '=', p).executeTakeFirst();
    if (!row) break;
    chain.unshift(info(row));
    p = row.parent_id;
  }
  const children = (await db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id']).where('parent_id', '=', id).orderBy('code').execute()).map(info);

  const members = await db
    .selectFrom('grid_members')
    .innerJoin('staff', 'staff.id', 'grid_members.staff_id')
    .leftJoin('units', 'units.id', 'staff.unit_id')
    .select(['staff.id as staffId', 'staff.name', 'staff.phone', 'grid_members.role', 'units.name as unitName'])
    .where('grid_members.grid_id', '=', id)
    .orderBy('grid_members.sort')
    .orderBy('staff.name')
    .execute();
  const mask = user.role === 'unit';

  // Six elements: the grid's own counts, else the sums over the grids below it.
  let own = await db.selectFrom('grid_elements').select(['kind', 'count']).where('grid_id', '=', id).execute();
  let aggregated = false;
  if (!own.length) {
    const below = (await descendants(ctx, id)).filter((x) => x !== id);
    if (below.length) {
      own = await db
        .selectFrom('grid_elements')
        .select(['kind', (eb) => eb.fn.sum<number>('count').as('count')])
        .where('grid_id', 'in', below)
        .groupBy('kind')
        .execute();
      aggregated = own.length > 0;
    }
  }
  const byKind = new Map(own.map((e) => [e.kind, Number(e.count)]));
  const elements = GRID_ELEMENTS.filter((e) => byKind.has(e.kind)).map((e) => ({ kind: e.kind, label: e.label, group: e.group, count: byKind.get(e.kind)! }));

  // Tickets: by grid (this one and below), or by point for a special grid.
  const now = ctx.now();
  const ticketCounts: Partial<Record<TicketStatus, number>> = {};
  let openTickets: T.TicketRow[];
  const geometry = parseGeometry(g.polygon);
  if (g.level === 'special' && geometry) {
    const rows = await ticketsInArea(ctx, user, geometry, {});
    for (const r of rows) ticketCounts[r.status as TicketStatus] = (ticketCounts[r.status as TicketStatus] ?? 0) + 1;
    openTickets = rows.filter((r) => OPEN.includes(r.status as TicketStatus)).slice(0, 50).map(toRow);
  } else {
    const byStatus = await db
      .selectFrom('tickets')
      .select(['tickets.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => conditions(eb, { gridId: id }, now, user))
      .groupBy('tickets.status')
      .execute();
    for (const r of byStatus) ticketCounts[r.status as TicketStatus] = Number(r.n);
    const rows = await db
      .selectFrom('tickets')
      .select(ROW_COLUMNS)
      .where((eb) => conditions(eb, { gridId: id, statuses: OPEN }, now, user))
      .orderBy(sql`tickets.rowid`, 'desc')
      .limit(50)
      .execute();
    openTickets = rows.map(toRow);
  }

  let props: Record<string, unknown> = {};
  try {
    props = g.props ? (JSON.parse(g.props) as Record<string, unknown>) : {};
  } catch {
    props = {};
  }
  return {
    grid: { ...info(g), households: g.households, population: g.population, areaM2: g.area_m2, props },
    chain,
    children,
    members: members.map((m) => ({
      staffId: m.staffId,
      name: m.name,
      role: m.role as GridMemberRole,
      phone: mask ? maskPhone(m.phone) : m.phone,
      unitName: m.unitName,
    })),
    elements: { counts: elements, aggregated },
    ticketCounts,
    openTickets,
  };
}

// ---------------------------------------------------------------------------------------------
// grids.lookup

export async function gridLookup(ctx: NodeContext, lon: number, lat: number): Promise<G.GridLookupResult | null> {
  const r = (await gridIndexFor(ctx.store.db, ctx.store)).lookup(lon, lat);
  return r ? { grid: r.grid, chain: r.chain, special: r.special } : null;
}

// ---------------------------------------------------------------------------------------------
// tickets.points

export async function ticketPoints(ctx: NodeContext, user: T.User, filter: Filter, limit: number): Promise<G.TicketPoints> {
  const now = ctx.now();
  const search = await searchOf(ctx, filter);
  // Newest first by creation time: with a date range this walks the created_at index backwards
  // and stops after `limit` rows. SQLite assembles the rows into one JSON array, which is parsed in
  // one go: twice as fast as materializing 40,000 row objects through the driver.
  const inner = ctx.store.db
    .selectFrom('tickets')
    .select(['tickets.id', 'tickets.lon', 'tickets.lat', 'tickets.status', 'tickets.resolve_deadline'])
    .where((eb) => conditions(eb, filter, now, user, search))
    .where('tickets.lon', 'is not', null)
    .where('tickets.lat', 'is not', null)
    .orderBy('tickets.created_at', 'desc')
    .limit(limit + 1);
  const res = await sql<{ j: string | null }>`SELECT json_group_array(json_array(id, lon, lat, status, resolve_deadline)) AS j FROM (${inner})`.execute(ctx.store.db);
  const rows = JSON.parse(res.rows[0]?.j ?? '[]') as Array<[string, number, number, string, number | null]>;
  const truncated = rows.length > limit;
  const n = Math.min(rows.length, limit);
  const points: G.TicketPoint[] = [];
  for (let i = 0; i < n; i++) {
    const [id, lon, lat, status, deadline] = rows[i]!;
    const overdue = deadline != null && deadline < now && OPEN.includes(status as TicketStatus) ? 1 : 0;
    points.push([id, lon, lat, STATUS_INDEX.get(status) ?? -1, overdue]);
  }
  // The map cannot draw tickets without a point: say how many there are and list the newest.
  const noPointQ = () =>
    ctx.store.db
      .selectFrom('tickets')
      .where((eb) => conditions(eb, filter, now, user, search))
      .where((eb) => eb.or([eb('tickets.lon', 'is', null), eb('tickets.lat', 'is', null)]));
  const [count, sample] = await Promise.all([
    noPointQ().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    noPointQ().select(['tickets.id', 'tickets.code', 'tickets.status', 'tickets.description']).orderBy('tickets.created_at', 'desc').limit(20).execute(),
  ]);
  const noPoint = {
    count: Number(count.n),
    sample: sample.map((r) => ({ id: r.id, code: r.code, status: r.status as TicketStatus, description: r.description.length > 60 ? r.description.slice(0, 60) + '…' : r.description })),
  };
  const alarms = await alarmsOfTickets(ctx.store.db, points.map((p) => p[0]));
  return { points, statuses: TICKET_STATUSES, truncated, noPoint, alarms, now };
}

// ---------------------------------------------------------------------------------------------
// map.basemap

/** The deployment's online tile service (settings key 'map.tileService'), if valid. */
export async function tileService(ctx: NodeContext): Promise<G.TileService | null> {
  const v = (await getSetting(ctx.store.db, 'map.tileService')) as Partial<G.TileService> | null | undefined;
  if (!v || typeof v !== 'object' || v.kind !== 'tianditu') return null;
  if (typeof v.url !== 'string' || !/^https:\/\/[^\s]+$/.test(v.url) || typeof v.key !== 'string' || !/^[0-9A-Za-z]{8,64}$/.test(v.key)) {
    ctx.log.warn('ignoring invalid map.tileService setting', { kind: v.kind });
    return null;
  }
  const layer = v.layer === 'img' || v.layer === 'ter' ? v.layer : 'vec';
  return { kind: 'tianditu', url: v.url, key: v.key, layer };
}

/** A leader switches the map to 天地图 (with the deployment's key) or back to the offline basemap. */
export async function setTileService(ctx: NodeContext, user: T.User, ts: G.TileService | null): Promise<G.TileService | null> {
  if (user.role !== 'leader') throw new AppError('forbiddenRole', '只有街道领导可以更改地图底图');
  await setSetting(ctx.store.db, 'map.tileService', ts);
  ctx.log.info('map tile service changed', { kind: ts?.kind ?? 'offline', layer: ts?.layer, by: user.username });
  ctx.events.publish({ type: 'settings.changed' });
  return tileService(ctx);
}

export async function basemap(ctx: NodeContext): Promise<G.Basemap> {
  const db = ctx.store.db;
  const [street, grids, roads, tiles] = await Promise.all([
    db.selectFrom('street').select(['code', 'name']).executeTakeFirst(),
    db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'polygon']).where('level', 'in', ['1', '2', 'special']).orderBy('code').execute(),
    db.selectFrom('basemap_features').select(['name', 'geometry']).where('kind', '=', 'road').orderBy('id').execute(),
    tileService(ctx),
  ]);
  const streetGrid = grids.find((g) => g.level === '1' && (!street || g.code === street.code)) ?? grids.find((g) => g.level === '1');
  const outline = parseGeometry(streetGrid?.polygon ?? null);
  const labels: G.BasemapLabel[] = [];
  let bbox: BBox | null = outline ? geometryBBox(outline) : null;
  for (const g of grids) {
    const geom = parseGeometry(g.polygon);
    if (!geom) continue;
    if (!bbox) bbox = geometryBBox(geom);
    const [lon, lat] = labelPoint(geom);
    if (!Number.isFinite(lon)) continue;
    labels.push({ name: g.name, code: g.code, kind: g.level === '1' ? 'street' : g.level === '2' ? 'community' : 'special', lon, lat });
  }
  const features: G.BasemapRoad[] = [];
  for (const r of roads) {
    try {
      const geometry = JSON.parse(r.geometry) as { type: string; coordinates: number[][] };
      if (geometry.type === 'LineString') features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: geometry.coordinates }, properties: { name: r.name ?? '' } });
    } catch {
      // skip a broken row
    }
  }
  return {
    street: { code: street?.code ?? streetGrid?.code ?? '', name: street?.name ?? streetGrid?.name ?? '' },
    outline,
    roads: { type: 'FeatureCollection', features },
    labels,
    bbox,
    tileService: tiles,
  };
}
