// Grid import/export on real SQLite files: a valid import, every validation error (each changes
// nothing), GCJ-02 detection and conversion, export → import round trips, members and six-element
// counts from CSV and .xlsx.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { writeShapefile, zip } from '../support/shapefile';
import { openStore } from '../../src/main/db/store';
import { all } from '../../src/main/db/sqlite3Dialect';
import { createContext } from '../../src/main/services/core/context';
import { silentLogger } from '../../src/main/services/core/log';
import { importGrids, parseGridBytes, ImportFileError } from '../../src/main/services/grids/import';
import { exportGridElementsCsv, exportGridMembersCsv, exportGrids, geojsonText } from '../../src/main/services/grids/export';
import { importGridElements, importGridMembers, parseTableBytes } from '../../src/main/services/grids/peopleImport';
import { gridAt } from '../../src/main/services/grids/lookup';
import { wgs84ToGcj02 } from '../../src/shared/geo/gcj02';

// The fixture street: 410105001 = [113.66, 113.68] × [34.77, 34.78]; community 410105001003 is its
// west half; grid 41010500100301 the south-west quarter of that.
type Ring = number[][];
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
interface F {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown } | null;
}
const feat = (code: unknown, level: unknown, parent: unknown, rings: Ring[] | unknown, extra: Record<string, unknown> = {}): F => ({
  type: 'Feature',
  properties: { code, name: `网格${String(code)}`, level, parent, ...extra },
  geometry: { type: 'Polygon', coordinates: rings },
});
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

/** A valid file: a second community (east half), its grid, micro-grids in the fixture's grid, a special grid. */
const valid = () =>
  fc(
    feat('410105001006', 2, '410105001', [rect(113.67, 34.77, 113.68, 34.78)], { committee: '科技社区居委会' }),
    feat('41010500100601', 3, '410105001006', [rect(113.67, 34.77, 113.68, 34.775)], { households: 600, population: 1500 }),
    feat('4101050010030101', 'micro', '41010500100301', [rect(113.66, 34.77, 113.6625, 34.775)], { households: 60 }),
    feat('4101050010030102', 'micro', '41010500100301', [rect(113.6625, 34.77, 113.665, 34.775)], { households: 58 }),
    feat('410105001901', 'special', '410105001', [rect(113.668, 34.772, 113.672, 34.776)], { kind: 'hospital' }),
  );

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

async function snapshot() {
  return {
    grids: await all(f.ctx.store.raw, 'SELECT * FROM grids ORDER BY code'),
    street: await all(f.ctx.store.raw, 'SELECT * FROM street'),
    rev: await all(f.ctx.store.raw, 'SELECT rev FROM grid_revision'),
  };
}

describe('grid import', () => {
  it('imports a valid file: new grids, kept properties, parents by code, lookups follow', async () => {
    const r = await importGrids(f.ctx, valid());
    expect(r).toMatchObject({ ok: true, errors: [], features: 5, inserted: 5, updated: 0, unchanged: 0, streetCreated: false });
    const g = await f.ctx.store.db.selectFrom('grids').selectAll().where('code', '=', '41010500100601').executeTakeFirstOrThrow();
    const parent = await f.ctx.store.db.selectFrom('grids').select('id').where('code', '=', '410105001006').executeTakeFirstOrThrow();
    expect(g).toMatchObject({ level: '3', parent_id: parent.id, households: 600, population: 1500, min_lon: 113.67, max_lat: 34.775 });
    expect(g.area_m2).toBeGreaterThan(400_000);
    const c = await f.ctx.store.db.selectFrom('grids').select('props').where('code', '=', '410105001006').executeTakeFirstOrThrow();
    expect(JSON.parse(c.props!)).toEqual({ committee: '科技社区居委会' });
    // The point → grid index sees the new grids at once.
    expect((await gridAt(f.ctx.store.db, f.ctx.store, 113.661, 34.771))?.code).toBe('4101050010030101');
    expect((await gridAt(f.ctx.store.db, f.ctx.store, 113.675, 34.772))?.code).toBe('41010500100601');
    // Again: nothing changes. A renamed grid: one update, same id.
    expect(await importGrids(f.ctx, valid())).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 5 });
    const renamed = valid();
    (renamed.features[1] as F).properties.name = '科技社区第一网格';
    expect(await importGrids(f.ctx, renamed)).toMatchObject({ ok: true, inserted: 0, updated: 1, unchanged: 4 });
    const again = await f.ctx.store.db.selectFrom('grids').select(['id', 'name']).where('code', '=', '41010500100601').executeTakeFirstOrThrow();
    expect(again).toEqual({ id: g.id, name: '科技社区第一网格' });
  });

  it('accepts MultiPolygons and polygons with holes', async () => {
    const r = await importGrids(
      f.ctx,
      fc(
        feat('410105001006', '2', '410105001', [rect(113.67, 34.77, 113.68, 34.78), rect(113.674, 34.774, 113.676, 34.776)]),
        { type: 'Feature', properties: { code: '410105001902', name: '两块专属网格', level: 'special', parent: '410105001' }, geometry: { type: 'MultiPolygon', coordinates: [[rect(113.661, 34.771, 113.662, 34.772)], [rect(113.675, 34.775, 113.679, 34.779)]] } },
      ),
    );
    expect(r).toMatchObject({ ok: true, inserted: 2 });
    // In the hole of the community: the street.
    expect((await gridAt(f.ctx.store.db, f.ctx.store, 113.675, 34.775))?.code).toBe('410105001');
  });

  type Case = [string, () => unknown, string, number | string | null];
  const mutate = (i: number, fn: (x: F) => void) => () => {
    const v = valid();
    fn(v.features[i] as F);
    return v;
  };
  const add = (...extra: F[]) => () => ({ ...valid(), features: [...valid().features, ...extra] });
  const CASES: Case[] = [
    ['notFeatureCollection', () => ({ type: 'Feature' }), 'notFeatureCollection', null],
    ['noFeatures', () => fc(), 'noFeatures', null],
    ['badFeature', add({ type: 'Point' } as unknown as F), 'badFeature', 5],
    ['missingCode', mutate(1, (x) => delete x.properties.code), 'missingCode', 1],
    ['badCode', mutate(1, (x) => (x.properties.code = '41 01')), 'badCode', 1],
    ['missingName', mutate(2, (x) => (x.properties.name = '  ')), 'missingName', 2],
    ['badLevel', mutate(2, (x) => (x.properties.level = 4)), 'badLevel', 2],
    ['badParent (street with a parent)', add(feat('410105001', 1, '410105', [rect(113.66, 34.77, 113.68, 34.78)])), 'badParent', 5],
    ['badParent (itself)', mutate(1, (x) => (x.properties.parent = '41010500100601')), 'badParent', 1],
    ['badNumber', mutate(1, (x) => (x.properties.households = -3)), 'badNumber', 1],
    ['badGeometry', mutate(1, (x) => (x.geometry = { type: 'LineString', coordinates: [[113.67, 34.77], [113.68, 34.78]] })), 'badGeometry', 1],
    ['badCoordinates', mutate(1, (x) => (x.geometry!.coordinates = [[[113.67, '34.77'], [113.68, 34.77], [113.68, 34.78], [113.67, 34.77]]])), 'badCoordinates', 1],
    ['outsideChina (lat/lon swapped)', mutate(1, (x) => (x.geometry!.coordinates = [rect(34.77, 113.67, 34.775, 113.68)])), 'outsideChina', 1],
    ['unclosedRing', mutate(2, (x) => (x.geometry!.coordinates = [rect(113.66, 34.77, 113.6625, 34.775).slice(0, 4)])), 'unclosedRing', 2],
    ['tooFewPoints', mutate(2, (x) => (x.geometry!.coordinates = [[[113.66, 34.77], [113.6625, 34.77], [113.66, 34.77]]])), 'tooFewPoints', 2],
    ['selfIntersection', mutate(2, (x) => (x.geometry!.coordinates = [[[113.66, 34.77], [113.6625, 34.775], [113.6625, 34.77], [113.66, 34.775], [113.66, 34.77]]])), 'selfIntersection', 2],
    ['holeOutside', mutate(0, (x) => (x.geometry!.coordinates = [rect(113.67, 34.77, 113.68, 34.78), rect(113.679, 34.774, 113.685, 34.776)])), 'holeOutside', 0],
    ['selfOverlap', mutate(4, (x) => (x.geometry = { type: 'MultiPolygon', coordinates: [[rect(113.668, 34.772, 113.672, 34.776)], [rect(113.67, 34.774, 113.671, 34.777)]] })), 'selfOverlap', 4],
    ['duplicateCode', add(feat('4101050010030102', 'micro', '41010500100301', [rect(113.6625, 34.775, 113.665, 34.776)])), 'duplicateCode', 5],
    ['multipleStreets', add(feat('410105002', 1, null, [rect(113.7, 34.77, 113.71, 34.78)])), 'multipleStreets', 5],
    ['foreignStreet', () => fc(feat('410105999', 1, null, [rect(113.66, 34.77, 113.68, 34.78)])), 'foreignStreet', 0],
    ['missingParent', mutate(1, (x) => (x.properties.parent = null)), 'missingParent', 1],
    ['unknownParent', mutate(1, (x) => (x.properties.parent = '410105001099')), 'unknownParent', 1],
    ['badParentLevel (micro under a community)', mutate(2, (x) => (x.properties.parent = '410105001003')), 'badParentLevel', 2],
    ['childOutsideParent', mutate(3, (x) => (x.geometry!.coordinates = [rect(113.6625, 34.77, 113.666, 34.775)])), 'childOutsideParent', 3],
    ['siblingOverlap (in the file)', mutate(3, (x) => (x.geometry!.coordinates = [rect(113.662, 34.77, 113.665, 34.775)])), 'siblingOverlap', 3],
    ['siblingOverlap (with a grid in the store)', mutate(0, (x) => (x.geometry!.coordinates = [rect(113.669, 34.77, 113.68, 34.78)])), 'siblingOverlap', 0],
  ];
  it.each(CASES)('%s: reported with feature and reason, nothing written', async (_name, input, code, feature) => {
    const before = await snapshot();
    const r = await importGrids(f.ctx, input());
    expect(r.ok).toBe(false);
    const e = r.errors.find((x) => x.code === code);
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    expect(e!.feature).toBe(feature);
    expect(e!.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(e!.detail).toMatch(/[a-z]/);
    expect(r.inserted + r.updated).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('reports a store grid whose new parent (changed by the file) no longer fits', async () => {
    await importGrids(f.ctx, valid());
    // Shrink 41010500100301 so its micro-grids (in the store, not in the file) stick out.
    const r = await importGrids(f.ctx, fc(feat('41010500100301', 3, '410105001003', [rect(113.66, 34.77, 113.663, 34.775)])));
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ code: 'childOutsideParent', feature: '4101050010030102' }));
  });

  it('imports a zipped Shapefile (Chinese names via .cpg, holes, empty numbers)', async () => {
    const files = writeShapefile(
      [
        { rings: [rect(113.67, 34.77, 113.68, 34.78), rect(113.674, 34.774, 113.676, 34.776)], props: { code: '410105001006', name: '科技社区', level: '2', parent: '410105001', households: 2400 } },
        { rings: [rect(113.67, 34.77, 113.68, 34.773)], props: { code: '41010500100601', name: '科技社区第一网格', level: '3', parent: '410105001006', households: null } },
      ],
      [
        { name: 'code', type: 'C', length: 20 },
        { name: 'name', type: 'C', length: 60 },
        { name: 'level', type: 'C', length: 8 },
        { name: 'parent', type: 'C', length: 20 },
        { name: 'households', type: 'N', length: 10 },
      ],
    );
    const data = await parseGridBytes('grids.zip', zip(files));
    const r = await importGrids(f.ctx, data);
    expect(r).toMatchObject({ ok: true, inserted: 2 });
    const rows = await all<{ code: string; name: string; households: number | null }>(f.ctx.store.raw, "SELECT code, name, households FROM grids WHERE code LIKE '410105001006%' ORDER BY code");
    expect(rows).toEqual([
      { code: '410105001006', name: '科技社区', households: 2400 },
      { code: '41010500100601', name: '科技社区第一网格', households: null },
    ]);
    expect((await gridAt(f.ctx.store.db, f.ctx.store, 113.675, 34.775))?.code).toBe('410105001');
  });

  it('rejects a broken zip quickly', async () => {
    const z = zip(writeShapefile([{ rings: [rect(113.67, 34.77, 113.68, 34.78)], props: { code: 'x' } }], [{ name: 'code', type: 'C', length: 20 }]));
    const t0 = Date.now();
    await expect(parseGridBytes('grids.zip', z.subarray(0, z.length - 30))).rejects.toMatchObject({ code: 'badShapefile' });
    await expect(parseGridBytes('grids.zip', zip({ 'readme.txt': Buffer.from('no shapefile here') }))).rejects.toMatchObject({ code: 'badShapefile' });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('rejects a file that is not JSON', async () => {
    await expect(parseGridBytes('grids.geojson', Buffer.from('{"type": "FeatureCollection", '))).rejects.toMatchObject({ code: 'invalidJson' });
    await expect(parseGridBytes('grids.zip', Buffer.from('PK\x03\x04 not really a zip'))).rejects.toBeInstanceOf(ImportFileError);
  });

  it('detects GCJ-02 data, refuses it, and imports it converted on request', async () => {
    const shifted = valid();
    for (const x of shifted.features as F[]) x.geometry!.coordinates = (x.geometry!.coordinates as Ring[]).map((r) => r.map(([lon, lat]) => wgs84ToGcj02(lon!, lat!)));
    const before = await snapshot();
    const r = await importGrids(f.ctx, shifted);
    expect(r).toMatchObject({ ok: false, datum: { datum: 'gcj02' } });
    expect(r.errors).toEqual([expect.objectContaining({ code: 'gcj02Suspected', feature: null, reason: expect.stringContaining('--convert-gcj02') })]);
    expect(await snapshot()).toEqual(before);
    const ok = await importGrids(f.ctx, shifted, { convertGcj02: true });
    expect(ok).toMatchObject({ ok: true, converted: true, inserted: 5 });
    const g = await f.ctx.store.db.selectFrom('grids').select(['min_lon', 'min_lat', 'max_lon', 'max_lat']).where('code', '=', '41010500100601').executeTakeFirstOrThrow();
    expect(g.min_lon).toBeCloseTo(113.67, 7);
    expect(g.max_lat).toBeCloseTo(34.775, 7);
    // The WGS-84 file is recognised as such.
    expect((await importGrids(f.ctx, valid())).datum.datum).toBe('wgs84');
  });

  it('export → import into a new store → export gives the same file; into the same store changes nothing', async () => {
    await importGrids(f.ctx, valid());
    const first = geojsonText((await exportGrids(f.ctx)).geojson);
    const dir = tempDir();
    const store = await openStore(path.join(dir, 'new.sqlite'));
    try {
      const ctx = createContext(store, { log: silentLogger });
      const r = await importGrids(ctx, JSON.parse(first));
      expect(r).toMatchObject({ ok: true, inserted: 8, streetCreated: true });
      expect(await store.db.selectFrom('street').select(['code', 'name']).executeTakeFirst()).toEqual({ code: '410105001', name: '经八路街道' });
      expect(geojsonText((await exportGrids(ctx)).geojson)).toBe(first);
    } finally {
      await store.close();
    }
    expect(await importGrids(f.ctx, JSON.parse(first))).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 8 });
  });
});

describe('members and six-element counts', () => {
  const csv = (rows: string[][]) => Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n'));
  const members = async (rows: string[][]) => importGridMembers(f.ctx, await parseTableBytes('m.csv', csv(rows)));
  const HEADER = ['网格编码', '姓名', '角色', '电话', '单位'];

  it('imports members from CSV (Chinese or English roles), replacing each named grid’s members, and exports them back', async () => {
    const r = await members([
      HEADER,
      ['41010500100301', '张网格', '网格长', '13800000001', ''],
      ['41010500100301', '李专职', '专职网格员', '13800000002', ''],
      ['41010500100301', '赵兼职', 'partTimeOfficer', '', ''],
      ['41010500100301', '钱民警', '社区民警', '13800000004', ''],
      ['410105001003', '钱民警', '社区民警', '13800000004', ''],
      ['41010500100301', '孙辅警', '辅警', '13800000005', 'CG'],
    ]);
    expect(r).toMatchObject({ ok: true, grids: 2, written: 6, staffCreated: 5 });
    const roles = await all<{ role: string; name: string }>(f.ctx.store.raw, "SELECT m.role, s.name FROM grid_members m JOIN staff s ON s.id = m.staff_id WHERE m.grid_id = 'g3' ORDER BY m.sort");
    expect(roles.map((x) => x.role)).toEqual(['gridLeader', 'fullTimeOfficer', 'partTimeOfficer', 'communityPolice', 'auxiliaryPolice']);
    // The police officer is one person in two grids.
    expect((await all<{ n: number }>(f.ctx.store.raw, "SELECT count(*) AS n FROM staff WHERE name = '钱民警'"))[0]!.n).toBe(1);
    // Re-import with one member: the grid has exactly that one now.
    expect(await members([HEADER, ['41010500100301', '张网格', '网格长', '13800000001', '']])).toMatchObject({ ok: true, written: 1, staffCreated: 0 });
    expect((await all(f.ctx.store.raw, "SELECT * FROM grid_members WHERE grid_id = 'g3'")).length).toBe(1);
    // Export → import is stable.
    const text = await exportGridMembersCsv(f.ctx);
    const before = await all(f.ctx.store.raw, 'SELECT * FROM grid_members ORDER BY grid_id, sort');
    expect(await importGridMembers(f.ctx, await parseTableBytes('m.csv', Buffer.from(text)))).toMatchObject({ ok: true, staffCreated: 0 });
    expect(await all(f.ctx.store.raw, 'SELECT * FROM grid_members ORDER BY grid_id, sort')).toEqual(before);
  });

  it.each([
    ['missingColumn', [['网格编码', '姓名'], ['41010500100301', '张三']], 1],
    ['unknownGrid', [HEADER, ['999', '张三', '网格长', '', '']], 2],
    ['badRole', [HEADER, ['41010500100301', '张三', '楼长', '', '']], 2],
    ['badPhone', [HEADER, ['41010500100301', '张三', '网格长', 'call me', '']], 2],
    ['unknownUnit', [HEADER, ['41010500100301', '张三', '网格长', '', '不存在的单位']], 2],
    ['duplicateRow', [HEADER, ['41010500100301', '张三', '网格长', '', ''], ['41010500100301', '张三', '网格长', '', '']], 3],
    ['missingName', [HEADER, ['41010500100301', '', '网格长', '', '']], 2],
  ] as Array<[string, string[][], number]>)('members: %s is reported with its row and changes nothing', async (code, rows, row) => {
    await members([HEADER, ['41010500100301', '张网格', '网格长', '13800000001', '']]);
    const before = await all(f.ctx.store.raw, 'SELECT * FROM grid_members');
    const staffBefore = await all(f.ctx.store.raw, 'SELECT * FROM staff');
    // A valid row first: all or nothing.
    const r = await members([rows[0]!, ['410105001003', '王五', '网格长', '', ''], ...rows.slice(1)]);
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ code, row: code === 'missingColumn' ? 1 : row + 1 }));
    expect(await all(f.ctx.store.raw, 'SELECT * FROM grid_members')).toEqual(before);
    expect(await all(f.ctx.store.raw, 'SELECT * FROM staff')).toEqual(staffBefore);
  });

  it('imports members from .xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成员');
    ws.addRow(HEADER);
    ws.addRow(['41010500100301', '张网格', '网格长', '13800000001', '']);
    ws.addRow([41010500100301, '李专职', '专职网格员', 13800000002, '']); // numbers, as Excel keeps them
    const file = path.join(tempDir(), 'members.xlsx');
    await wb.xlsx.writeFile(file);
    const table = await parseTableBytes('members.xlsx', fs.readFileSync(file));
    expect(await importGridMembers(f.ctx, table)).toMatchObject({ ok: true, written: 2 });
  });

  it('imports six-element counts (labels or keys), leaves empty cells alone, exports them back', async () => {
    const table = await parseTableBytes('e.csv', csv([['网格编码', '重点关爱人员', '井盖', 'streetLights'], ['41010500100301', '12', '40', ''], ['410105001003', '30', '', '7']]));
    expect(await importGridElements(f.ctx, table)).toMatchObject({ ok: true, grids: 2, written: 4 });
    const t2 = await parseTableBytes('e.csv', csv([['网格编码', '井盖'], ['41010500100301', '41']]));
    expect(await importGridElements(f.ctx, t2)).toMatchObject({ ok: true, written: 1 });
    const rows = await all<{ kind: string; count: number }>(f.ctx.store.raw, "SELECT kind, count FROM grid_elements WHERE grid_id = 'g3' ORDER BY kind");
    expect(rows).toEqual([
      { kind: 'keyCareResidents', count: 12 },
      { kind: 'manholeCovers', count: 41 },
    ]);
    const text = await exportGridElementsCsv(f.ctx);
    expect(text).toContain('网格编码,重点关爱人员,院落');
    const before = await all(f.ctx.store.raw, 'SELECT grid_id, kind, count FROM grid_elements ORDER BY grid_id, kind');
    expect(await importGridElements(f.ctx, await parseTableBytes('e.csv', Buffer.from(text)))).toMatchObject({ ok: true });
    expect(await all(f.ctx.store.raw, 'SELECT grid_id, kind, count FROM grid_elements ORDER BY grid_id, kind')).toEqual(before);
  });

  it.each([
    ['unknownColumn', [['网格编码', '井盖', '垃圾桶'], ['41010500100301', '1', '2']], 1],
    ['badCount', [['网格编码', '井盖'], ['41010500100301', '-1']], 2],
    ['unknownGrid', [['网格编码', '井盖'], ['nope', '1']], 2],
    ['duplicateGrid', [['网格编码', '井盖'], ['41010500100301', '1'], ['41010500100301', '2']], 3],
  ] as Array<[string, string[][], number]>)('elements: %s is reported with its row and changes nothing', async (code, rows, row) => {
    const r = await importGridElements(f.ctx, await parseTableBytes('e.csv', csv(rows)));
    expect(r.ok).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ code, row }));
    expect(await all(f.ctx.store.raw, 'SELECT * FROM grid_elements')).toEqual([]);
  });
});
