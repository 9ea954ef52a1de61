// Places for a typed address (地名联想): the street's offline gazetteer (the places table, imported
// from CSV/Excel), its key places, the landmarks and roads of the basemap, grid names, and the
// addresses of past tickets with a point. Every proposal carries a point and the grid at it, so
// choosing one sets the ticket's address, point and grid in one go.

import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { v7 as uuidv7 } from 'uuid';
import { labelPoint, type AreaGeometry } from '../../../shared/geo/geometry';
import type { PlaceImportResult, PlaceKind, PlaceProposal } from '../../../shared/api/places';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { gridIndexFor } from './lookup';

/** The end of a prefix range on a text index: every string starting with `p` sorts before it. */
const prefixEnd = (p: string) => p + '\uffff';
/** LIKE pattern for a substring, with the wildcards of the text escaped (ESCAPE '\'). */
const contains = (t: string) => '%' + t.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

interface Candidate {
  label: string;
  kind: PlaceKind;
  address: string;
  lon: number;
  lat: number;
  /** A grid proposal names its grid; the others take the grid at their point. */
  gridId?: string;
}

/** Lower ranks first: the text at the start of the label, then the kind's order. */
const KIND_ORDER: Record<PlaceKind, number> = { place: 0, keyPlace: 1, landmark: 2, ticketAddress: 3, road: 4, grid: 5 };

function pointOf(geometryJson: string): [number, number] | null {
  try {
    const g = JSON.parse(geometryJson) as { type: string; coordinates: unknown };
    if (g.type === 'Point') {
      const [x, y] = g.coordinates as number[];
      return Number.isFinite(x) && Number.isFinite(y) ? [x!, y!] : null;
    }
    if (g.type === 'LineString') {
      const cs = g.coordinates as number[][];
      const mid = cs[Math.floor(cs.length / 2)];
      return mid && Number.isFinite(mid[0]) && Number.isFinite(mid[1]) ? [mid[0]!, mid[1]!] : null;
    }
    if (g.type === 'MultiLineString') {
      const cs = (g.coordinates as number[][][])[0] ?? [];
      const mid = cs[Math.floor(cs.length / 2)];
      return mid && Number.isFinite(mid[0]) && Number.isFinite(mid[1]) ? [mid[0]!, mid[1]!] : null;
    }
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') return labelPoint(g as AreaGeometry);
  } catch {
    /* a broken geometry is no proposal */
  }
  return null;
}

/**
 * The newest point of each distinct past ticket address starting with the text, in address order.
 * SQLite takes the bare lon/lat from the row of max(created_at); the partial index
 * tickets_address_point covers the statement, so it reads index entries only, in order, and stops
 * after `limit` addresses.
 */
export function ticketAddressesQuery(db: Kysely<Database>, text: string, limit: number) {
  return db.selectFrom('tickets')
    .select(['address', sql<number>`lon`.as('lon'), sql<number>`lat`.as('lat'), sql<number>`max(created_at)`.as('at')])
    .where('address', '>=', text).where('address', '<', prefixEnd(text))
    .where('lon', 'is not', null).where('lat', 'is not', null)
    .groupBy('address').orderBy('address').limit(limit);
}

/** The shortest text the trigram index can find; shorter texts scan the distinct addresses. */
const TRIGRAM_MIN = 3;

/**
 * Distinct past ticket addresses containing the text anywhere, with the newest point of each
 * (ticket_addresses, kept by triggers), most recently used first. Three or more characters go
 * through the FTS5 trigram index (a phrase: the exact substring); two characters cannot, and scan
 * the distinct addresses (far fewer than the tickets), stopping at `limit`.
 */
export function ticketAddressesContainingQuery(db: Kysely<Database>, text: string, limit: number) {
  const q = db.selectFrom('ticket_addresses').select(['ticket_addresses.address', 'ticket_addresses.lon', 'ticket_addresses.lat']);
  if (Array.from(text).length >= TRIGRAM_MIN) {
    const phrase = '"' + text.replace(/"/g, '""') + '"';
    return q
      .where(sql<boolean>`ticket_addresses.id IN (SELECT rowid FROM ticket_addresses_fts WHERE ticket_addresses_fts MATCH ${phrase})`)
      .orderBy('ticket_addresses.at', 'desc')
      .limit(limit);
  }
  return q.where(sql<boolean>`instr(ticket_addresses.address, ${text}) > 0`).limit(limit);
}

/**
 * Up to `limit` places for a typed address (already normalised and checked by the contract).
 * Each source is read by an index or is small (the gazetteer, key places, basemap names, grids);
 * ticket addresses are read by prefix on tickets_address_point, which covers the query, and by any
 * part through the trigram index on ticket_addresses (ranked after every prefix match).
 */
export async function suggestPlaces(ctx: NodeContext, text: string, limit: number): Promise<PlaceProposal[]> {
  const db = ctx.store.db;
  const like = contains(text);
  const per = limit * 2;
  const [places, keyPlaces, features, grids, addresses, inner] = await Promise.all([
    db.selectFrom('places').select(['name', 'kind', 'address', 'lon', 'lat'])
      .where((eb) => eb.or([eb(sql`name`, 'like', sql`${like} ESCAPE '\\'`), eb(sql`address`, 'like', sql`${like} ESCAPE '\\'`)]))
      .orderBy(sql`instr(name, ${text}) = 1`, 'desc').orderBy('name').limit(per).execute(),
    db.selectFrom('key_places').select(['name', 'kind', 'address']).where('active', '=', 1)
      .where((eb) => eb.or([eb(sql`name`, 'like', sql`${like} ESCAPE '\\'`), eb(sql`address`, 'like', sql`${like} ESCAPE '\\'`)]))
      .orderBy('sort').limit(per).execute(),
    db.selectFrom('basemap_features').select(['kind', 'name', 'geometry']).where('kind', 'in', ['road', 'landmark'])
      .where(sql`name`, 'like', sql`${like} ESCAPE '\\'`).limit(per * 4).execute(),
    db.selectFrom('grids').select(['id', 'name', 'level', 'polygon']).where('level', '!=', '1').where('polygon', 'is not', null)
      .where(sql`name`, 'like', sql`${like} ESCAPE '\\'`).orderBy('code').limit(per).execute(),
    ticketAddressesQuery(db, text, per).execute(),
    ticketAddressesContainingQuery(db, text, per).execute(),
  ]);

  const out: Candidate[] = [];
  for (const p of places) out.push({ label: p.name, kind: 'place', address: p.address, lon: p.lon, lat: p.lat });
  // Key places have an address but no point: take the gazetteer's point for that address, else the
  // newest ticket filed at it (exact, else by prefix).
  for (const k of keyPlaces) {
    const pt =
      (await db.selectFrom('places').select(['lon', 'lat']).where('address', '=', k.address).limit(1).executeTakeFirst()) ??
      (await db.selectFrom('tickets').select([sql<number>`lon`.as('lon'), sql<number>`lat`.as('lat')])
        .where('address', '>=', k.address).where('address', '<', prefixEnd(k.address))
        .where('lon', 'is not', null).where('lat', 'is not', null)
        .orderBy('address').orderBy('created_at', 'desc').limit(1).executeTakeFirst());
    if (pt) out.push({ label: k.name, kind: 'keyPlace', address: k.address, lon: pt.lon, lat: pt.lat });
  }
  const seenFeature = new Set<string>();
  for (const f of features) {
    const key = `${f.kind}:${f.name}`;
    if (!f.name || seenFeature.has(key)) continue;
    const pt = pointOf(f.geometry);
    if (!pt) continue;
    seenFeature.add(key);
    out.push({ label: f.name, kind: f.kind === 'road' ? 'road' : 'landmark', address: f.name, lon: pt[0], lat: pt[1] });
  }
  for (const g of grids) {
    const pt = pointOf(g.polygon!);
    if (pt) out.push({ label: g.name, kind: 'grid', address: g.name, lon: pt[0], lat: pt[1], gridId: g.id });
  }
  for (const a of addresses) out.push({ label: a.address, kind: 'ticketAddress', address: a.address, lon: a.lon, lat: a.lat });
  // Addresses with the text inside (a prefix match is already above, with the same newest point).
  for (const a of inner) if (!a.address.startsWith(text)) out.push({ label: a.address, kind: 'ticketAddress', address: a.address, lon: a.lon, lat: a.lat });

  // Stable: within a kind, the order each source was read in.
  const starts = (c: Candidate) => (c.label.startsWith(text) || c.address.startsWith(text) ? 0 : 1);
  out.sort((a, b) => starts(a) - starts(b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const seen = new Set<string>();
  const picked: Candidate[] = [];
  for (const c of out) {
    const key = `${c.label}\u0000${c.address}`;
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(c);
    if (picked.length >= limit) break;
  }

  const index = await gridIndexFor(db, ctx.store);
  const gridIds = new Set<string>();
  const withGrid = picked.map((c) => {
    const gridId = c.gridId ?? index.innermost(c.lon, c.lat)?.id ?? null;
    if (gridId) gridIds.add(gridId);
    return { c, gridId };
  });
  const names = new Map<string, string>();
  if (gridIds.size) for (const g of await db.selectFrom('grids').select(['id', 'name']).where('id', 'in', [...gridIds]).execute()) names.set(g.id, g.name);
  return withGrid.map(({ c, gridId }) => ({
    label: c.label,
    kind: c.kind,
    address: c.address,
    lon: c.lon,
    lat: c.lat,
    gridId,
    gridName: gridId ? (names.get(gridId) ?? null) : null,
  }));
}

export async function placeCount(ctx: NodeContext): Promise<number> {
  const r = await ctx.store.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Import

export const PLACE_IMPORT_MAX_ROWS = 50_000;
/** How far outside the street's outline (degrees, ~5 km) an imported place may lie. */
const EXTENT_PAD_DEG = 0.05;
const HEADERS = { name: ['名称', '地名', 'name'], kind: ['类型', '分类', 'kind'], address: ['地址', 'address'], lon: ['经度', 'lon', 'lng'], lat: ['纬度', 'lat'] };
const BAD_TEXT = /[\u0000-\u001f\u007f-\u009f<>\\{}`$]/;

interface PlaceRow {
  name: string;
  kind: string;
  address: string;
  lon: number;
  lat: number;
}

async function streetExtent(ctx: NodeContext): Promise<[number, number, number, number] | null> {
  const r = await ctx.store.db.selectFrom('grids')
    .select((eb) => [eb.fn.min<number>('min_lon').as('x0'), eb.fn.min<number>('min_lat').as('y0'), eb.fn.max<number>('max_lon').as('x1'), eb.fn.max<number>('max_lat').as('y1')])
    .where('min_lon', 'is not', null).executeTakeFirst();
  if (r?.x0 == null || r.y0 == null || r.x1 == null || r.y1 == null) return null;
  return [r.x0 - EXTENT_PAD_DEG, r.y0 - EXTENT_PAD_DEG, r.x1 + EXTENT_PAD_DEG, r.y1 + EXTENT_PAD_DEG];
}

/** Checks every row of a gazetteer table (header 名称, 类型, 地址, 经度, 纬度); throws with every problem by row. */
export async function validatePlaceTable(ctx: NodeContext, table: string[][]): Promise<PlaceRow[]> {
  const [head, ...rows] = table;
  const h = (head ?? []).map((c) => c.normalize('NFKC').trim().toLowerCase());
  const col = (names: string[]) => h.findIndex((c) => names.includes(c));
  const ci = { name: col(HEADERS.name), kind: col(HEADERS.kind), address: col(HEADERS.address), lon: col(HEADERS.lon), lat: col(HEADERS.lat) };
  if (ci.name < 0 || ci.kind < 0 || ci.address < 0 || ci.lon < 0 || ci.lat < 0)
    throw new AppError('badFile', '表头须包含“名称”“类型”“地址”“经度”“纬度”五列', { detail: `places import header: ${JSON.stringify(head ?? null).slice(0, 300)}` });
  if (rows.length > PLACE_IMPORT_MAX_ROWS) throw new AppError('badFile', `地名表最多${PLACE_IMPORT_MAX_ROWS}行`, { detail: `places import has ${rows.length} rows` });
  const extent = await streetExtent(ctx);
  const problems: string[] = [];
  const ok: PlaceRow[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const cell = (c: number) => (r[c] ?? '').normalize('NFKC').trim();
    const name = cell(ci.name);
    const kind = cell(ci.kind);
    const address = cell(ci.address);
    const lonText = cell(ci.lon);
    const latText = cell(ci.lat);
    if (!name && !kind && !address && !lonText && !latText) return;
    const bad = (why: string) => problems.push(`第${line}行：${why}`);
    if (name.length < 2 || name.length > 100) return void bad('名称须为2–100字');
    if (kind.length < 1 || kind.length > 20) return void bad('类型须为1–20字');
    if (address.length < 2 || address.length > 300) return void bad('地址须为2–300字');
    if (BAD_TEXT.test(name + kind + address)) return void bad('含有无效字符');
    if (!/^-?\d{1,3}(\.\d{1,10})?$/.test(lonText) || !/^-?\d{1,3}(\.\d{1,10})?$/.test(latText)) return void bad('经纬度须为小数（如 113.6712, 34.7756）');
    const lon = Number(lonText);
    const lat = Number(latText);
    if (lon < 73 || lon > 136 || lat < 3 || lat > 54) return void bad('经纬度不在中国范围内（经度、纬度是否填反？）');
    if (extent && (lon < extent[0] || lon > extent[2] || lat < extent[1] || lat > extent[3])) return void bad('坐标不在本街道范围内');
    const key = `${name}\u0000${address}`;
    const first = seen.get(key);
    if (first != null) return void bad(`与第${first}行重复（同名同地址）`);
    seen.set(key, line);
    ok.push({ name, kind, address, lon, lat });
  });
  if (problems.length)
    throw new AppError('importRejected', `地名表未导入（共 ${problems.length} 处问题，未作任何改动）：${problems.slice(0, 5).join('；')}${problems.length > 5 ? '……' : ''}`, {
      detail: problems.slice(0, 50).join('; '),
    });
  if (!ok.length) throw new AppError('badFile', '地名表中没有数据行', { detail: 'places import has no data rows' });
  return ok;
}

/** Adds or updates the rows in one transaction (same name and address: kind and point are updated). */
export async function importPlaces(ctx: NodeContext, rows: PlaceRow[]): Promise<PlaceImportResult> {
  const now = ctx.now();
  let added = 0;
  let updated = 0;
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const hit = await trx.selectFrom('places').select('id').where('name', '=', r.name).where('address', '=', r.address).executeTakeFirst();
      if (hit) {
        await trx.updateTable('places').set({ kind: r.kind, lon: r.lon, lat: r.lat, source: 'import', updated_at: now }).where('id', '=', hit.id).execute();
        updated++;
      } else {
        await trx.insertInto('places').values({ id: uuidv7({ msecs: now }), ...r, source: 'import', updated_at: now }).execute();
        added++;
      }
    }
  });
  return { rows: rows.length, added, updated, total: await placeCount(ctx) };
}
