// The grids and map API through the same `handle` the transports use: ticket creation gets its grid
// from the point (micro-grids, outside-street flag), grid polygons with open-ticket counts, grid
// profiles (members masked for units, six elements, tickets), lookup, ticket points, basemap.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { importGrids } from '../../src/main/services/grids/import';
import { importGridElements, importGridMembers } from '../../src/main/services/grids/peopleImport';
import { setSetting } from '../../src/main/services/core/settings';
import { TICKET_STATUSES } from '../../src/shared/domain/ticket';

type Ring = number[][];
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feat = (code: string, level: string, parent: string, ring: Ring, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { code, name: `网格${code}`, level, parent, ...extra },
  geometry: { type: 'Polygon', coordinates: [ring] },
});

let f: Fixture;
const ids: Record<string, string> = {};
beforeEach(async () => {
  f = await createFixture();
  const r = await importGrids(f.ctx, {
    type: 'FeatureCollection',
    features: [
      feat('410105001006', '2', '410105001', rect(113.67, 34.77, 113.68, 34.78)),
      feat('4101050010030101', 'micro', '41010500100301', rect(113.66, 34.77, 113.6625, 34.775), { households: 60 }),
      feat('4101050010030102', 'micro', '41010500100301', rect(113.6625, 34.77, 113.665, 34.775), { households: 61 }),
      feat('410105001901', 'special', '410105001', rect(113.664, 34.772, 113.672, 34.776), { kind: 'hospital' }),
    ],
  });
  expect(r.ok).toBe(true);
  for (const g of await f.ctx.store.db.selectFrom('grids').select(['id', 'code']).execute()) ids[g.code] = g.id;
  expect((await importGridMembers(f.ctx, [['网格编码', '姓名', '角色', '电话'], ['41010500100301', '张网格', '网格长', '13812345678'], ['41010500100301', '钱民警', '社区民警', '13900001111']])).ok).toBe(true);
  expect((await importGridElements(f.ctx, [['网格编码', '重点关爱人员', '井盖'], ['41010500100301', '12', '40']])).ok).toBe(true);
});
afterEach(async () => {
  await f.close();
});

const base = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '小区门口井盖破损，晚上很危险',
  address: '经八路12号院',
  categoryId: 'c12',
};

describe('tickets get their grid from their point', () => {
  it('the innermost grid (a micro-grid); outside the street: no grid, flagged, not rejected', async () => {
    const op = f.as('operator');
    const inMicro = await op('tickets.create', { ...base, lon: 113.661, lat: 34.771 });
    expect(inMicro.ticket).toMatchObject({ gridId: ids['4101050010030101'], outsideStreet: false });
    const inCommunity = await op('tickets.create', { ...base, lon: 113.675, lat: 34.779 });
    expect(inCommunity.ticket.gridId).toBe(ids['410105001006']);
    const outside = await op('tickets.create', { ...base, lon: 113.7, lat: 34.79 });
    expect(outside.ticket).toMatchObject({ gridId: null, outsideStreet: true, lon: 113.7 });
    expect(outside.events[0]).toMatchObject({ action: 'report', data: { outsideStreet: true } });
    const outbox = await f.ctx.store.db.selectFrom('outbox').select('payload').where('entity_id', '=', outside.ticket.id).executeTakeFirstOrThrow();
    expect(JSON.parse(outbox.payload).ticket).toMatchObject({ gridId: null, outsideStreet: true });
    // No point: no grid, not flagged.
    expect((await op('tickets.create', base)).ticket).toMatchObject({ gridId: null, outsideStreet: false });
    // Filtering by a community finds tickets in its micro-grids.
    const list = await op('tickets.list', { startRow: 0, endRow: 50, filter: { gridId: 'g2' } });
    expect(list.rows.map((r) => r.id)).toEqual([inMicro.ticket.id]);
    expect((await op('tickets.list', { startRow: 0, endRow: 50, filter: { gridId: 'g1' } })).rows).toHaveLength(2);
  });

  it('a new grid import is used by the next ticket at once', async () => {
    const op = f.as('operator');
    expect((await op('tickets.create', { ...base, lon: 113.676, lat: 34.771 })).ticket.gridId).toBe(ids['410105001006']);
    await importGrids(f.ctx, { type: 'FeatureCollection', features: [feat('41010500100601', '3', '410105001006', rect(113.67, 34.77, 113.68, 34.775))] });
    const g = await f.ctx.store.db.selectFrom('grids').select('id').where('code', '=', '41010500100601').executeTakeFirstOrThrow();
    expect((await op('tickets.create', { ...base, lon: 113.676, lat: 34.771 })).ticket.gridId).toBe(g.id);
  });

  it('relocating a ticket moves it to the grid of its new point, or flags it outside the street', async () => {
    const op = f.as('operator');
    const t = (await op('tickets.create', { ...base, lon: 113.661, lat: 34.771 })).ticket;
    expect(t.gridId).toBe(ids['4101050010030101']);
    let d = await op('tickets.act', { action: 'relocate', id: t.id, address: '经七路东侧88号', lon: 113.663, lat: 34.771, reason: '地址登记错误' });
    expect(d.ticket).toMatchObject({ address: '经七路东侧88号', lon: 113.663, gridId: ids['4101050010030102'], outsideStreet: false, status: t.status });
    expect(d.events.at(-1)).toMatchObject({
      action: 'relocate',
      reason: '地址登记错误',
      data: { from: { gridId: ids['4101050010030101'], lon: 113.661 }, to: { gridId: ids['4101050010030102'], address: '经七路东侧88号' } },
    });
    // The new address is searchable at once.
    expect((await op('tickets.list', { startRow: 0, endRow: 10, filter: { q: '东侧88号' } })).rows.map((r) => r.id)).toEqual([t.id]);
    d = await op('tickets.act', { action: 'relocate', id: t.id, address: '街道外某处', lon: 113.7, lat: 34.79, reason: '实际在街道外' });
    expect(d.ticket).toMatchObject({ gridId: null, outsideStreet: true });
    expect(d.events.at(-1)!.data).toMatchObject({ outsideStreet: true });
    // Half a point, or a unit trying it: refused, nothing changed, nothing queued.
    const before = await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await expect(op('tickets.act', { action: 'relocate', id: t.id, address: '某处', lon: 113.66, reason: '只填经度' })).rejects.toMatchObject({ code: 'badPoint' });
    const after = await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await op('tickets.get', { id: t.id })).ticket.address).toBe('街道外某处');
  });
});

describe('grids API', () => {
  it('grids.geojson: polygons with properties and open tickets rolled up (special grids by point)', async () => {
    const op = f.as('operator');
    await op('tickets.create', { ...base, lon: 113.661, lat: 34.771 });
    await op('tickets.create', { ...base, lon: 113.6645, lat: 34.773 }); // micro 02, inside the special grid
    const all = await op('grids.geojson', {});
    expect(all.type).toBe('FeatureCollection');
    expect(all.features).toHaveLength(7);
    const by = new Map(all.features.map((x) => [x.properties.code, x]));
    expect(by.get('4101050010030101')!.properties).toMatchObject({ level: 'micro', households: 60, parentId: ids['41010500100301'], openTickets: 1 });
    expect(by.get('41010500100301')!.properties.openTickets).toBe(2);
    expect(by.get('410105001003')!.properties.openTickets).toBe(2);
    expect(by.get('410105001')!.properties.openTickets).toBe(2);
    expect(by.get('410105001006')!.properties.openTickets).toBe(0);
    expect(by.get('410105001901')!.properties.openTickets).toBe(1);
    expect(by.get('410105001')!.geometry.type).toBe('Polygon');
    const some = await op('grids.geojson', { levels: ['2', 'special'] });
    expect(some.features.map((x) => x.properties.level).sort()).toEqual(['2', '2', 'special']);
    await expect(op('grids.geojson', { levels: ['4' as never] })).rejects.toMatchObject({ code: 'invalidInput' });
  });

  it('grids.profile: chain, children, members (phones masked for units), six elements, tickets', async () => {
    const op = f.as('operator');
    const t = await op('tickets.create', { ...base, lon: 113.661, lat: 34.771 });
    await op('tickets.act', { action: 'dispatch', id: t.ticket.id, mode: 'oneClick' });
    const p = await op('grids.profile', { id: 'g3' });
    expect(p.grid).toMatchObject({ id: 'g3', code: '41010500100301', level: '3', households: 400 });
    expect(p.chain.map((c) => c.code)).toEqual(['410105001', '410105001003']);
    expect(p.children.map((c) => c.code)).toEqual(['4101050010030101', '4101050010030102']);
    expect(p.members).toEqual([
      expect.objectContaining({ name: '张网格', role: 'gridLeader', phone: '13812345678' }),
      expect.objectContaining({ name: '钱民警', role: 'communityPolice', phone: '13900001111' }),
    ]);
    expect(p.elements).toEqual({ aggregated: false, counts: [expect.objectContaining({ kind: 'keyCareResidents', label: '重点关爱人员', group: 'people', count: 12 }), expect.objectContaining({ kind: 'manholeCovers', count: 40 })] });
    expect(p.ticketCounts).toEqual({ dispatched: 1 });
    expect(p.openTickets.map((r) => r.id)).toEqual([t.ticket.id]);
    // The community: counts summed from the grids below it.
    const c = await op('grids.profile', { id: 'g2' });
    expect(c.elements.aggregated).toBe(true);
    expect(c.elements.counts.find((e) => e.kind === 'manholeCovers')!.count).toBe(40);
    expect(c.ticketCounts).toEqual({ dispatched: 1 });
    // A unit sees phones masked, and only its own tickets.
    const unit = await f.as('cg')('grids.profile', { id: 'g3' });
    expect(unit.members[0]!.phone).toBe('138****5678');
    expect(unit.openTickets).toHaveLength(1);
    expect((await f.as('zj')('grids.profile', { id: 'g3' })).openTickets).toHaveLength(0);
    // A special grid: tickets by point.
    await op('tickets.create', { ...base, lon: 113.6645, lat: 34.773 });
    const s = await op('grids.profile', { id: ids['410105001901']! });
    expect(s.grid.props).toEqual({ kind: 'hospital' });
    expect(s.ticketCounts).toEqual({ registered: 1 });
    await expect(op('grids.profile', { id: 'nope' })).rejects.toMatchObject({ code: 'notFound' });
  });

  it('grids.lookup: innermost grid, chain and special grids; null outside; input checked', async () => {
    const op = f.as('operator');
    const l = await op('grids.lookup', { lon: 113.6645, lat: 34.773 });
    expect(l).toMatchObject({ grid: { code: '4101050010030102', level: 'micro' }, special: [{ code: '410105001901' }] });
    expect(l!.chain.map((c) => c.code)).toEqual(['410105001', '410105001003', '41010500100301']);
    expect(await op('grids.lookup', { lon: 113.7, lat: 34.79 })).toBeNull();
    await expect(op('grids.lookup', { lon: 200, lat: 34.79 })).rejects.toMatchObject({ code: 'invalidInput' });
  });

  it('tickets.points: compact points by filter, overdue flag, limit, visibility', async () => {
    const op = f.as('operator');
    const a = await op('tickets.create', { ...base, lon: 113.661, lat: 34.771 });
    f.setNow(Date.parse('2026-11-23T11:00:00+08:00'));
    const b = await op('tickets.create', { ...base, lon: 113.675, lat: 34.775 });
    await op('tickets.create', { ...base }); // no point
    await op('tickets.act', { action: 'dispatch', id: b.ticket.id, mode: 'oneClick' });
    let r = await op('tickets.points', { filter: {} });
    expect(r.statuses).toEqual(TICKET_STATUSES);
    expect(r).toMatchObject({ truncated: false });
    expect(r.points).toEqual([
      [b.ticket.id, 113.675, 34.775, TICKET_STATUSES.indexOf('dispatched'), 0],
      [a.ticket.id, 113.661, 34.771, TICKET_STATUSES.indexOf('registered'), 0],
    ]);
    r = await op('tickets.points', { filter: { from: Date.parse('2026-11-23T10:30:00+08:00') } });
    expect(r.points.map((p) => p[0])).toEqual([b.ticket.id]);
    r = await op('tickets.points', { filter: {}, limit: 1 });
    expect(r).toMatchObject({ truncated: true });
    expect(r.points).toHaveLength(1);
    // Weeks later both are overdue.
    f.setNow(Date.parse('2026-12-30T10:00:00+08:00'));
    r = await op('tickets.points', { filter: { statuses: ['registered', 'dispatched'] } });
    expect(r.points.map((p) => p[4])).toEqual([1, 1]);
    // A unit sees only what was dispatched to it.
    expect((await f.as('cg')('tickets.points', { filter: {} })).points.map((p) => p[0])).toEqual([b.ticket.id]);
    await expect(op('tickets.points', { filter: {}, limit: 100_001 })).rejects.toMatchObject({ code: 'invalidInput' });
  });

  it('map.basemap: outline, roads, labels, and the configured tile service', async () => {
    await f.ctx.store.db.insertInto('basemap_features').values({ kind: 'road', name: '经八路', geometry: JSON.stringify({ type: 'LineString', coordinates: [[113.67, 34.76], [113.67, 34.79]] }), props: null }).execute();
    const op = f.as('operator');
    let m = await op('map.basemap', {});
    expect(m.street).toEqual({ code: '410105001', name: '经八路街道' });
    expect(m.outline!.type).toBe('Polygon');
    expect(m.bbox).toEqual([113.66, 34.77, 113.68, 34.78]);
    expect(m.roads.features).toEqual([{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[113.67, 34.76], [113.67, 34.79]] }, properties: { name: '经八路' } }]);
    expect(m.labels.map((l) => [l.kind, l.code]).sort()).toEqual([['community', '410105001003'], ['community', '410105001006'], ['special', '410105001901'], ['street', '410105001']]);
    expect(m.tileService).toBeNull();
    await setSetting(f.ctx.store.db, 'map.tileService', { kind: 'tianditu', url: 'https://t0.tianditu.gov.cn/vec_w/wmts', key: 'abcdef0123456789' });
    m = await op('map.basemap', {});
    expect(m.tileService).toEqual({ kind: 'tianditu', url: 'https://t0.tianditu.gov.cn/vec_w/wmts', key: 'abcdef0123456789', layer: 'vec' });
    await setSetting(f.ctx.store.db, 'map.tileService', { kind: 'tianditu', url: 'javascript:alert(1)', key: 'x' });
    expect((await op('map.basemap', {})).tileService).toBeNull();
  });

  it('map.setTileService: leaders switch to 天地图 and back; bad keys and other roles change nothing', async () => {
    const ts = { kind: 'tianditu' as const, url: 'https://t{0-7}.tianditu.gov.cn/img_w/wmts', key: 'abcdef0123456789', layer: 'img' as const };
    await expect(f.as('operator')('map.setTileService', { tileService: ts })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('leader')('map.setTileService', { tileService: { ...ts, key: 'k e y' } })).rejects.toMatchObject({ code: 'invalidInput', message: expect.stringContaining('天地图密钥') });
    await expect(f.as('leader')('map.setTileService', { tileService: { ...ts, url: 'http://plain.example/wmts' } })).rejects.toMatchObject({ code: 'invalidInput' });
    expect((await f.as('operator')('map.basemap', {})).tileService).toBeNull();
    expect(await f.as('leader')('map.setTileService', { tileService: ts })).toEqual(ts);
    expect((await f.as('operator')('map.basemap', {})).tileService).toEqual(ts);
    expect(await f.as('leader')('map.setTileService', { tileService: null })).toBeNull();
    expect((await f.as('operator')('map.basemap', {})).tileService).toBeNull();
  });
});
