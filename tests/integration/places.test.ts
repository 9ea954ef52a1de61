// Places for a typed address on a real store: past ticket addresses with a point (newest point,
// by an index), key places, grid names and the imported gazetteer, each with the grid at its point;
// hostile queries refused; the gazetteer import (CSV and .xlsx) all-or-nothing and audited.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { all, exec } from '../../src/main/db/sqlite3Dialect';
import { openStore } from '../../src/main/db/store';
import { ticketAddressesContainingQuery, ticketAddressesQuery } from '../../src/main/services/grids/places';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
});
afterEach(async () => {
  await f.close();
});

const base = { channel: 'hotline12345' as const, type: 'complaint' as const };
async function file(address: string, point?: [number, number]) {
  f.setNow(f.ctx.now() + 60_000);
  return (await f.as('operator')('tickets.create', { ...base, description: '井盖破损有安全隐患', address, ...(point ? { lon: point[0], lat: point[1] } : {}) })).ticket;
}
const suggest = (text: string, who = 'operator') => f.as(who)('places.suggest', { text });
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const csv = (rows: string[]) => b64(['名称,类型,地址,经度,纬度', ...rows].join('\n'));

describe('places.suggest', () => {
  it('proposes past ticket addresses with their newest point and the grid there; tickets without a point are not learnt', async () => {
    await file('经八路32号院南门', [113.668, 34.778]); // 体育社区, outside the first grid
    await file('经八路32号院南门', [113.662, 34.772]); // newer: inside 体育社区第一网格
    await file('经八路35号', [113.675, 34.772]); // street only
    await file('经八路39号'); // no point
    await file('纬五路12号', [113.663, 34.771]);
    const r = await suggest('经八路3');
    expect(r.map((p) => p.address)).toEqual(['经八路32号院南门', '经八路35号']);
    expect(r[0]).toMatchObject({ kind: 'ticketAddress', label: '经八路32号院南门', lon: 113.662, lat: 34.772, gridId: 'g3', gridName: '体育社区第一网格' });
    expect(r[1]).toMatchObject({ gridId: 'g1', gridName: '经八路街道' });
    // The address typed in full-width or with spaces around it is the same query.
    expect((await suggest('  经八路３２ ')).map((p) => p.address)).toEqual(['经八路32号院南门']);
    expect(await suggest('黄河路')).toEqual([]);
  });

  it('proposes key places (point from the tickets at their address) and grids by name (the grid itself)', async () => {
    await file('经八路32号院南门', [113.662, 34.772]);
    await f.ctx.store.db.insertInto('key_places').values([
      { id: 'k1', name: '省体育馆', address: '经八路32号院', kind: '人员密集场所', active: 1, sort: 1 },
      { id: 'k2', name: '体育中心加油站', address: '无坐标路1号', kind: '危化品', active: 1, sort: 2 },
    ]).execute();
    const kp = await suggest('体育');
    expect(kp.find((p) => p.kind === 'keyPlace')).toMatchObject({ label: '省体育馆', address: '经八路32号院', lon: 113.662, lat: 34.772, gridId: 'g3' });
    // A key place whose address never had a point cannot set one: not proposed.
    expect(kp.some((p) => p.label === '体育中心加油站')).toBe(false);
    const grids = kp.filter((p) => p.kind === 'grid');
    expect(grids.map((p) => p.gridId).sort()).toEqual(['g2', 'g3']);
    const g3 = grids.find((p) => p.gridId === 'g3')!;
    expect(g3).toMatchObject({ label: '体育社区第一网格', gridName: '体育社区第一网格' });
    expect(g3.lon).toBeGreaterThan(113.66);
    expect(g3.lon).toBeLessThan(113.665);
    expect(kp.length).toBeLessThanOrEqual(8);
  });

  it('refuses hostile or useless queries in Chinese, and users who never type addresses', async () => {
    await expect(suggest('经')).rejects.toThrow('请至少输入2个字');
    await expect(suggest('经'.repeat(51))).rejects.toThrow('不能超过50字');
    await expect(suggest('经八路<script>')).rejects.toThrow('无效字符');
    await expect(suggest('经八\u0000路')).rejects.toThrow('无效字符');
    await expect(suggest('经八路', 'cg')).rejects.toThrow('无权查询地名');
    // LIKE wildcards are text, not patterns.
    await file('经八路32号', [113.662, 34.772]);
    expect(await suggest('%%')).toEqual([]);
    expect(await suggest('__')).toEqual([]);
  });

  it('reads past ticket addresses through one covering index (fast on 100,000 tickets)', async () => {
    const q = ticketAddressesQuery(f.ctx.store.db, '经八路', 16).compile();
    const plan = await all<{ detail: string }>(f.ctx.store.raw, `EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]);
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toMatch(/USING COVERING INDEX tickets_address_point \(address>\? AND address<\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });
});

describe('places.suggest by any part of a past address', () => {
  it('finds an address by its middle (3+ characters through the trigram index, 2 by a scan), after every prefix match', async () => {
    await file('经八路32号院南门', [113.662, 34.772]);
    await file('金水区经八路12号', [113.668, 34.778]);
    await file('纬五路12号附近', [113.663, 34.771]);
    await file('金水区体育社区5号楼东侧', [113.664, 34.773]);
    await file('纬五路88号', [113.663, 34.771]);
    // The middle of an address: "路12号" is in two of them, at no start.
    const mid = await suggest('路12号');
    expect(mid.map((p) => p.address).sort()).toEqual(['纬五路12号附近', '金水区经八路12号']);
    expect(mid.every((p) => p.kind === 'ticketAddress')).toBe(true);
    expect(mid.find((p) => p.address === '金水区经八路12号')).toMatchObject({ lon: 113.668, lat: 34.778, gridId: 'g2' });
    // A community word in the middle, and two characters (no trigram: the scan).
    expect((await suggest('体育社区5')).map((p) => p.address)).toEqual(['金水区体育社区5号楼东侧']);
    expect((await suggest('南门')).map((p) => p.address)).toEqual(['经八路32号院南门']);
    expect((await suggest('东侧')).map((p) => p.address)).toEqual(['金水区体育社区5号楼东侧']);
    // Prefix matches first (the road), then the address with the text inside.
    const road = (await suggest('经八路')).filter((p) => p.kind === 'ticketAddress').map((p) => p.address);
    expect(road).toEqual(['经八路32号院南门', '金水区经八路12号']);
    // Not found: still nothing; quotes are text, not FTS syntax.
    expect(await suggest('路99号')).toEqual([]);
    expect(await suggest('路"12"号')).toEqual([]);
    expect(await suggest('"路12号')).toEqual([]);
  });

  it('keeps the newest point of each address, follows a relocation, and counts each address once', async () => {
    const old = await file('金水区经八路12号', [113.661, 34.771]);
    await file('金水区经八路12号', [113.668, 34.778]); // newer: its point wins
    expect(await suggest('路12号')).toEqual([expect.objectContaining({ address: '金水区经八路12号', lon: 113.668, lat: 34.778 })]);
    // The older ticket relocated: the newest ticket's point still stands.
    await f.as('operator')('tickets.act', { action: 'relocate', id: old.id, address: '金水区经八路12号', lon: 113.662, lat: 34.772, reason: '坐标有误' });
    expect((await suggest('路12号'))[0]).toMatchObject({ lon: 113.668, lat: 34.778 });
    // A ticket relocated to a new address teaches that address.
    await f.as('operator')('tickets.act', { action: 'relocate', id: old.id, address: '省体育中心西门外', lon: 113.664, lat: 34.773, reason: '地址登记错误' });
    expect((await suggest('中心西门'))[0]).toMatchObject({ address: '省体育中心西门外', lon: 113.664, lat: 34.773, gridId: 'g3' });
    // What the triggers keep is what the tickets say (newest point per address).
    const kept = await f.ctx.store.db.selectFrom('ticket_addresses').select(['address', 'lon', 'lat']).orderBy('address').execute();
    const truth = await all<{ address: string; lon: number; lat: number }>(
      f.ctx.store.raw,
      'SELECT address, lon, lat, max(created_at) AS at FROM tickets WHERE lon IS NOT NULL AND lat IS NOT NULL GROUP BY address ORDER BY address',
      [],
    );
    expect(kept).toEqual(truth.map(({ address, lon, lat }) => ({ address, lon, lat })));
  });

  it('reads 3+ characters through the trigram index and the migration learns the addresses already filed', async () => {
    const q = ticketAddressesContainingQuery(f.ctx.store.db, '路12号', 16).compile();
    const plan = (await all<{ detail: string }>(f.ctx.store.raw, `EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters])).map((p) => p.detail).join(' | ');
    expect(plan).toMatch(/VIRTUAL TABLE INDEX \d+:M/);
    expect(plan).toMatch(/SEARCH ticket_addresses USING INTEGER PRIMARY KEY/);
    expect(plan).not.toMatch(/SCAN ticket_addresses(?!_fts)/);

    await file('金水区经八路12号', [113.668, 34.778]);
    await file('纬五路12号附近', [113.663, 34.771]);
    await file('经八路39号'); // no point: not learnt
    // Back to the store before migration 22, with the tickets already there; reopening migrates.
    await exec(f.ctx.store.raw, `DROP TRIGGER tickets_learn_address; DROP TRIGGER tickets_relearn_address; DROP TABLE ticket_addresses_fts; DROP TABLE ticket_addresses; PRAGMA user_version = 21;`);
    const file0 = f.file;
    await f.close();
    const s = await openStore(file0);
    try {
      const rows = await s.db.selectFrom('ticket_addresses').select(['address', 'lon', 'lat']).orderBy('address').execute();
      expect(rows).toEqual([
        { address: '纬五路12号附近', lon: 113.663, lat: 34.771 },
        { address: '金水区经八路12号', lon: 113.668, lat: 34.778 },
      ]);
      const found = await ticketAddressesContainingQuery(s.db, '路12号', 16).execute();
      expect(found.map((r) => r.address).sort()).toEqual(['纬五路12号附近', '金水区经八路12号']);
    } finally {
      await s.close();
      f = await createFixture(); // afterEach closes a fixture
    }
  });
});

describe('places.import', () => {
  it('imports a CSV gazetteer, proposes its places, updates on re-import and is audited', async () => {
    const r = await f.as('leader')('places.import', { name: '地名.csv', dataBase64: csv(['金水河游园,公园,经八路与金水河交叉口,113.6631,34.7712', '经八路小学,学校,经八路40号,113.6755,34.7765']) });
    expect(r).toEqual({ rows: 2, added: 2, updated: 0, total: 2 });
    const p = await suggest('金水河');
    expect(p[0]).toMatchObject({ kind: 'place', label: '金水河游园', address: '经八路与金水河交叉口', gridId: 'g3' });
    expect((await suggest('40号'))[0]).toMatchObject({ label: '经八路小学', gridId: 'g1' });
    const again = await f.as('leader')('places.import', { name: '地名.csv', dataBase64: csv(['金水河游园,游园,经八路与金水河交叉口,113.6641,34.7713']) });
    expect(again).toEqual({ rows: 1, added: 0, updated: 1, total: 2 });
    expect(await f.as('operator')('places.count', {})).toEqual({ count: 2 });
    const audit = await f.ctx.store.db.selectFrom('audit_log').select(['action', 'target', 'detail']).where('target', '=', 'places').execute();
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.detail as string)).toMatchObject({ file: '地名.csv', added: 2 });
  });

  it('imports an .xlsx gazetteer', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('地名');
    ws.addRow(['名称', '类型', '地址', '经度', '纬度']);
    ws.addRow(['体育场东门', '出入口', '经八路36号', 113.6644, 34.7733]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await f.as('leader')('places.import', { name: '地名.xlsx', dataBase64: b64(buf) })).toMatchObject({ added: 1, total: 1 });
    expect((await suggest('体育场'))[0]).toMatchObject({ kind: 'place', gridId: 'g3' });
  });

  it('rejects a broken file whole, naming every bad row, and imports nothing', async () => {
    const bad = csv([
      '金水河游园,公园,经八路与金水河交叉口,113.6631,34.7712',
      ',公园,经八路1号,113.6631,34.7712',
      '纬五路口,路口,纬五路1号,34.7712,113.6631',
      '远方大厦,楼宇,北京市朝阳区,116.4,39.9',
      '经八路小学,学校,经八路40号,abc,34.77',
      '金水河游园,公园,经八路与金水河交叉口,113.6632,34.7713',
      '坏名字<b>,公园,经八路2号,113.6631,34.7712',
    ]);
    const err = await f.as('leader')('places.import', { name: '坏.csv', dataBase64: bad }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/未作任何改动/);
    expect(msg).toMatch(/共 6 处问题/);
    for (const s of ['第3行：名称', '第4行：经纬度不在中国范围内', '第5行：坐标不在本街道范围内', '第6行：经纬度须为小数']) expect(msg).toContain(s);
    expect(await f.as('operator')('places.count', {})).toEqual({ count: 0 });
    await expect(f.as('leader')('places.import', { name: 'x.csv', dataBase64: b64('名字,地点\n甲,乙') })).rejects.toThrow('表头须包含');
    await expect(f.as('leader')('places.import', { name: 'x.xlsx', dataBase64: b64('PK\u0003\u0004garbage') })).rejects.toThrow('无法读取 Excel');
    await expect(f.as('leader')('places.import', { name: 'x.csv', dataBase64: b64(Buffer.from([0xff, 0xfe, 0x00])) })).rejects.toThrow('UTF-8');
    await expect(f.as('operator')('places.import', { name: 'x.csv', dataBase64: csv(['经八路小学,学校,经八路40号,113.6755,34.7765']) })).rejects.toThrow('无权导入地名');
    expect(await f.as('operator')('places.count', {})).toEqual({ count: 0 });
    expect(await f.ctx.store.db.selectFrom('audit_log').select('seq').where('target', '=', 'places').execute()).toHaveLength(0);
  });
});
