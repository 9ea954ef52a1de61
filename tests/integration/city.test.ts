// The city center's command line over real HTTPS: init-pki, serve, 12345 dispatch, directives and
// who acknowledged (from the city and from a district), reference data, a ticket as JSON, and errors
// as one line on stderr with a non-zero exit.
// PGlite, or PostgreSQL when CITY_TEST_PG_URL is set.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { freshPgDatabase, PG_URL } from '../support/city';
import { CITY_MIGRATIONS, openCityDb } from '../../src/city/db';

let dir: string;
let proc: ChildProcess;
let dbUrl: string | undefined;

const cli = (...args: string[]) => spawnSync('node_modules/.bin/tsx', ['src/city/cli.ts', ...args, '--data', dir], { encoding: 'utf8' });
const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

beforeAll(async () => {
  dir = tempDir('chengyun-citycli-');
  dbUrl = PG_URL ? await freshPgDatabase(PG_URL) : undefined;
  const init = cli('init-pki', '--streets', '410105001,410105002');
  expect(init.status).toBe(0);
  const out = lines(init.stdout);
  expect(out[0]).toMatchObject({ pki: 'created' });
  expect(out.slice(1).map((o) => o.street)).toEqual(['410105001', '410105002']);
  expect(fs.statSync(path.join(dir, 'pki', 'ca.key')).mode & 0o077).toBe(0);
  proc = spawn('node_modules/.bin/tsx', ['src/city/cli.ts', '--data', dir, '--port', '0', ...(dbUrl ? ['--database-url', dbUrl] : [])], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      if (buf.includes('"listening"')) resolve();
    });
    proc.on('exit', (c) => reject(new Error(`city exited ${c}`)));
  });
});
afterAll(async () => {
  if (proc && proc.exitCode == null) {
    const done = new Promise((r) => proc.once('exit', r));
    process.kill(-proc.pid!, 'SIGTERM');
    await done;
  }
});

describe(`city command line (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('dispatches a 12345 ticket, sends a directive, and shows both', () => {
    const d = cli('dispatch', '--street', '410105001', '--text', '市民反映路灯不亮已三天', '--address', '经八路3号', '--lon', '113.67', '--lat', '34.775');
    expect(d.status, d.stderr).toBe(0);
    const t = lines(d.stdout)[0];
    expect(t).toMatchObject({ streetCode: '410105001', status: 'dispatched', channel: 'hotline12345', lon: 113.67 });
    expect(t.code).toMatch(/^12345-\d{8}-00001$/);
    const shown = cli('ticket', t.code);
    expect(lines(shown.stdout)[0]).toMatchObject({ id: t.id, status: 'dispatched', events: [{ action: 'dispatch' }] });
    const dir1 = cli('directive', '--title', '防汛部署', '--body', '立即排查低洼易涝点', '--priority', 'urgent', '--streets', '410105002');
    expect(dir1.status, dir1.stderr).toBe(0);
    const all = cli('directive', '--title', '安全生产检查', '--body', '本周内完成燃气安全排查', '--deadline', '2026-12-01T18:00:00+08:00');
    expect(lines(all.stdout)[0].streets).toEqual(['410105001', '410105002']);
    const list = lines(cli('directives').stdout);
    expect(list.map((x) => [x.title, x.pending, x.acked])).toEqual([
      ['安全生产检查', 2, 0],
      ['防汛部署', 1, 0],
    ]);
    expect(list[0].deadline).toBe(Date.parse('2026-12-01T18:00:00+08:00'));
  });

  it('a district operations center sends directives to its own streets with its own credential', () => {
    expect(cli('add-district', '999999').status).toBe(1);
    const add = cli('add-district', '410105');
    expect(add.status, add.stderr).toBe(0);
    expect(lines(add.stdout)[0]).toMatchObject({ district: '410105', name: '金水区' });
    const sent = cli('directive', '--district', '410105', '--title', '金水区燃气安全排查', '--body', '请各街道本周内完成辖区燃气安全排查');
    expect(sent.status, sent.stderr).toBe(0);
    expect(lines(sent.stdout)[0]).toMatchObject({ issuedBy: '金水区城运中心', streets: ['410105001', '410105002'] });
    expect(lines(cli('directives', '--district', '410105').stdout).map((x) => x.title)).toEqual(['金水区燃气安全排查']);
    const noCred = cli('directive', '--district', '410104', '--title', '管城区指令', '--body', '没有证书的区不能发送');
    expect(noCred.status).toBe(1);
    expect(noCred.stderr).toMatch(/add-district 410104/);
  });

  it('publishes a catalog, a calendar year and a street’s grids; refuses a bad file before it reaches any street', () => {
    const file = (name: string, o: unknown) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, JSON.stringify(o));
      return p;
    };
    const catalog = file('catalog.json', {
      version: '2026.12',
      categories: [
        { code: '01', name: '市容环境', parent: null, acceptWithinHours: 2, resolveWithin: 5, resolveUnit: 'workDays' },
        { code: '0101', name: '暴露垃圾', parent: '01', defaultUnit: 'JSQ-CGJ', acceptWithinHours: 1, resolveWithin: 4, resolveUnit: 'workHours', isMicro: true },
      ],
    });
    const c = cli('publish-catalog', catalog);
    expect(c.status, c.stderr).toBe(0);
    expect(lines(c.stdout)[0]).toMatchObject({ kind: 'catalog', version: '2026.12', streets: ['410105001', '410105002'] });
    const cal = cli('publish-calendar', file('cal.json', { version: '2027', year: 2027, holidays: { '2027-01-01': '元旦' }, workdays: [] }), '--streets', '410105002');
    expect(lines(cal.stdout)[0]).toMatchObject({ kind: 'calendar', streets: ['410105002'] });
    const grids = cli('publish-grids', file('g.geojson', { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'x' }, geometry: null }] }), '--street', '410105001', '--version', 'v1');
    expect(lines(grids.stdout)[0]).toMatchObject({ kind: 'grids', version: 'v1', streets: ['410105001'] });
    const orphan = cli('publish-catalog', file('bad.json', { version: '1', categories: [{ code: '02', name: '宣传广告', parent: '09', acceptWithinHours: 2, resolveWithin: 1, resolveUnit: 'workDays' }] }));
    expect(orphan.status).toBe(1);
    expect(orphan.stderr).toMatch(/上级编码 09 不在目录中/);
    const unit = cli('publish-catalog', file('bad2.json', { version: '1', categories: [{ code: '02', name: '宣传广告', acceptWithinHours: 2, resolveWithin: 1, resolveUnit: 'days' }] }));
    expect(unit.stderr).toMatch(/resolveUnit：办结时限单位须为/);
    expect(unit.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses bad input with one line on stderr and a non-zero exit', () => {
    const noStreet = cli('dispatch', '--street', 'NOPE', '--text', '市民反映路灯不亮已三天', '--address', '经八路3号');
    expect(noStreet.status).toBe(1);
    expect(noStreet.stderr.trim().split('\n')).toHaveLength(1);
    expect(noStreet.stderr).toMatch(/NOPE/);
    const short = cli('dispatch', '--street', '410105001', '--text', '短', '--address', '经八路3号');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/text/);
    expect(cli('ticket', 'NO-SUCH').status).toBe(1);
    expect(cli('add-street', 'bad code!').status).toBe(1);
  });

  it('migrations are idempotent (a second open of the same database changes nothing)', async () => {
    // On PostgreSQL the running server's database is opened a second time; on PGlite (whose
    // directory the running server holds) a fresh directory is migrated, closed and opened again.
    const opts = dbUrl ? { databaseUrl: dbUrl } : { dataDir: path.join(dir, 'pglite-twice') };
    if (!dbUrl) await (await openCityDb(opts)).close();
    const db = await openCityDb(opts);
    const m = await db.db.selectFrom('city_migrations' as never).selectAll().execute();
    expect((m as Array<{ version: number }>).map((r) => r.version)).toEqual(CITY_MIGRATIONS.map((x) => x.version));
    await db.close();
  });
});
