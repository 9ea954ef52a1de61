// The grids command line as IT staff run it: a child process on real store files, JSON lines on
// stdout, one JSON line per error on stderr, exit codes 0 / 1 (rejected, nothing changed) / 2 (usage).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { wgs84ToGcj02 } from '../../src/shared/geo/gcj02';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/main/cli/grids.ts');

function grids(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  const lines = (s: string) =>
    s
      .split('\n')
      .filter((l) => l.trim().startsWith('{') || l.trim() === 'null')
      .map((l) => JSON.parse(l) as Record<string, unknown> | null);
  return { code: r.status, out: lines(r.stdout), err: lines(r.stderr), stdout: r.stdout, stderr: r.stderr };
}

type Ring = number[][];
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feat = (code: string, level: string | number, parent: string | null, ring: Ring, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { code, name: `网格${code}`, level, parent, ...extra },
  geometry: { type: 'Polygon', coordinates: [ring] },
});
const STREET = {
  type: 'FeatureCollection',
  features: [
    feat('410105001', 1, null, rect(113.66, 34.77, 113.68, 34.78), { district: '金水区', city: '郑州市' }),
    feat('410105001003', 2, '410105001', rect(113.66, 34.77, 113.67, 34.78)),
    feat('410105001006', 2, '410105001', rect(113.67, 34.77, 113.68, 34.78)),
    feat('41010500100301', 3, '410105001003', rect(113.66, 34.77, 113.67, 34.775), { households: 620 }),
    feat('4101050010030101', 'micro', '41010500100301', rect(113.66, 34.77, 113.665, 34.775), { households: 60 }),
    feat('410105001901', 'special', '410105001', rect(113.668, 34.772, 113.672, 34.776)),
  ],
};

let dir: string;
const write = (name: string, data: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
beforeAll(() => {
  dir = tempDir('chengyun-cli-');
});

describe('grids CLI', () => {
  it('import into a new store path, lookup inside and outside, export and re-import unchanged', () => {
    const db = path.join(dir, 'a', 'street.sqlite');
    const file = write('street.geojson', STREET);
    const imp = grids('import', file, '--db', db);
    expect(imp.code).toBe(0);
    expect(imp.out).toEqual([expect.objectContaining({ command: 'import', ok: true, features: 6, inserted: 6, errors: 0, streetCreated: true, datum: 'wgs84' })]);

    const look = grids('lookup', '--db', db, '113.662', '34.771');
    expect(look.code).toBe(0);
    expect(look.out).toHaveLength(1);
    const l = look.out[0] as { grid: { code: string }; chain: Array<{ code: string }>; special: unknown[] };
    expect(l.grid.code).toBe('4101050010030101');
    expect(l.chain.map((c) => c.code)).toEqual(['410105001', '410105001003', '41010500100301']);
    const sp = grids('lookup', '--db', db, '113.669', '34.7755').out[0] as { grid: { code: string }; special: Array<{ code: string }> };
    expect(sp).toMatchObject({ grid: { code: '410105001003' }, special: [{ code: '410105001901' }] });
    const outside = grids('lookup', '--db', db, '113.70', '34.79');
    expect(outside.code).toBe(0);
    expect(outside.stdout.trim()).toBe('null');

    const out = path.join(dir, 'export.geojson');
    const exp = grids('export', '--db', db, '--out', out);
    expect(exp.code).toBe(0);
    expect(exp.out).toEqual([expect.objectContaining({ command: 'export', ok: true, features: 6 })]);
    const again = grids('import', out, '--db', db);
    expect(again.out[0]).toMatchObject({ ok: true, inserted: 0, updated: 0, unchanged: 6 });
    // Into another new store, and out again: the same file.
    const db2 = path.join(dir, 'b.sqlite');
    expect(grids('import', out, '--db', db2).code).toBe(0);
    const out2 = path.join(dir, 'export2.geojson');
    expect(grids('export', '--db', db2, '--out', out2).code).toBe(0);
    expect(fs.readFileSync(out2, 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });

  it('an invalid file: one JSON line per error on stderr (file, feature, code, reason), exit 1, nothing changed', () => {
    const db = path.join(dir, 'c.sqlite');
    expect(grids('import', write('ok.geojson', STREET), '--db', db).code).toBe(0);
    const bad = JSON.parse(JSON.stringify(STREET)) as typeof STREET;
    bad.features[4]!.geometry.coordinates = [rect(113.66, 34.77, 113.671, 34.775)]; // outside its parent
    bad.features[2]!.properties.code = '410105001003'; // duplicate
    bad.features.push(feat('41010500100302', 3, '410105001099', rect(113.665, 34.775, 113.67, 34.78)) as never); // unknown parent
    const file = write('bad.geojson', bad);
    const before = fs.readFileSync(db);
    const r = grids('import', file, '--db', db);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([expect.objectContaining({ command: 'import', ok: false, errors: r.err.length })]);
    expect(r.err.map((e) => [e!.code, e!.feature])).toEqual(
      expect.arrayContaining([
        ['duplicateCode', 2],
        ['childOutsideParent', 4],
        ['unknownParent', 6],
      ]),
    );
    for (const e of r.err) expect(e).toMatchObject({ file, code: expect.any(String), reason: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it('GCJ-02 data is refused with a clear line, and imported with --convert-gcj02', () => {
    const db = path.join(dir, 'd.sqlite');
    const shifted = JSON.parse(JSON.stringify(STREET)) as typeof STREET;
    for (const x of shifted.features) x.geometry.coordinates = x.geometry.coordinates.map((r) => r.map(([lon, lat]) => wgs84ToGcj02(lon!, lat!)));
    const file = write('gcj.geojson', shifted);
    const r = grids('import', file, '--db', db);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.objectContaining({ code: 'gcj02Suspected', feature: null, reason: expect.stringContaining('GCJ-02') })]);
    const ok = grids('import', file, '--db', db, '--convert-gcj02');
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatchObject({ ok: true, converted: true, inserted: 6 });
    expect((grids('lookup', '--db', db, '113.662', '34.771').out[0] as { grid: { code: string } }).grid.code).toBe('4101050010030101');
  });

  it('members and six-element counts from CSV; errors name the row', () => {
    const db = path.join(dir, 'e.sqlite');
    expect(grids('import', write('s.geojson', STREET), '--db', db).code).toBe(0);
    const ok = grids('import-members', write('m.csv', '网格编码,姓名,角色,电话\n41010500100301,张网格,网格长,13800000001\n41010500100301,李民警,社区民警,\n'), '--db', db);
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatchObject({ command: 'import-members', ok: true, written: 2, staffCreated: 2 });
    const bad = grids('import-members', write('m2.csv', '网格编码,姓名,角色\n41010500100301,张网格,网格长\n999,王五,网格长\n'), '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toEqual([expect.objectContaining({ row: 3, code: 'unknownGrid' })]);
    const el = grids('import-elements', write('e.csv', '网格编码,重点关爱人员,路灯\n41010500100301,9,30\n'), '--db', db);
    expect(el.out[0]).toMatchObject({ ok: true, written: 2 });
    const out = path.join(dir, 'members.csv');
    expect(grids('export-members', '--db', db, '--out', out).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('41010500100301,张网格,网格长,13800000001');
  });

  it('usage errors exit 2; unreadable files exit 1 with a JSON line', () => {
    expect(grids().code).toBe(2);
    expect(grids('import', 'x.geojson').code).toBe(2); // no --db
    const look = grids('lookup', '--db', path.join(dir, 'f.sqlite'), 'east', '34.7');
    expect(look.code).toBe(2);
    expect(look.err[0]).toMatchObject({ code: 'usage' });
    const notJson = grids('import', write('broken.geojson', '{"type":'), '--db', path.join(dir, 'g.sqlite'));
    expect(notJson.code).toBe(1);
    expect(notJson.err).toEqual([expect.objectContaining({ code: 'invalidJson', feature: null })]);
    const missing = grids('import', path.join(dir, 'nope.geojson'), '--db', path.join(dir, 'g.sqlite'));
    expect(missing.code).toBe(1);
    expect(missing.err).toHaveLength(1);
  });
});
