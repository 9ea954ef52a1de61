// The city center's command line over real HTTPS: init-pki, serve, 12345 dispatch, directives and
// who acknowledged, a ticket as JSON, and errors as one line on stderr with a non-zero exit.
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
    if (!dbUrl) return; // PGlite's directory is held by the running server
    const db = await openCityDb({ databaseUrl: dbUrl });
    const m = await db.db.selectFrom('city_migrations' as never).selectAll().execute();
    expect((m as Array<{ version: number }>).map((r) => r.version)).toEqual(CITY_MIGRATIONS.map((x) => x.version));
    await db.close();
  });
});
