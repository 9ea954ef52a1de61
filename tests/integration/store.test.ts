// The store file: migrations forward from every older version, refusal of newer files, WAL, FKs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, userVersion } from '../../src/main/db/store';
import { LATEST_VERSION, MIGRATIONS } from '../../src/main/db/migrations';
import { all, exec } from '../../src/main/db/sqlite3Dialect';
import { tempDir } from '../support/fixture';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function rawOpen(file: string): Promise<sqlite3.Database> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(file, (e) => (e ? rej(e) : res(db)));
  });
}
const rawClose = (db: sqlite3.Database) => new Promise<void>((res) => db.close(() => res()));

describe('store', () => {
  it('creates an empty file at the latest version with WAL and foreign keys', async () => {
    const file = path.join(tempDir(), 'new.sqlite');
    const s = await openStore(file);
    expect(s.openedAtVersion).toBe(0);
    expect(await userVersion(s.raw)).toBe(LATEST_VERSION);
    expect((await all<{ journal_mode: string }>(s.raw, 'PRAGMA journal_mode'))[0]!.journal_mode).toBe('wal');
    expect((await all<{ foreign_keys: number }>(s.raw, 'PRAGMA foreign_keys'))[0]!.foreign_keys).toBe(1);
    const tables = (await all<{ name: string }>(s.raw, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name);
    for (const t of ['street', 'grids', 'units', 'staff', 'users', 'catalog', 'tickets', 'ticket_events', 'attachments', 'ticket_attachments', 'outbox', 'settings', 'tickets_fts'])
      expect(tables).toContain(t);
    await expect(exec(s.raw, "INSERT INTO grids (id, code, name, level, parent_id) VALUES ('x', 'x', 'x', '3', 'missing')")).rejects.toThrow(/FOREIGN KEY/);
    expect(fs.existsSync(s.attachmentsDir)).toBe(true);
    await s.close();
  });

  it('migrates every older version forward, keeping its data', async () => {
    for (let v = 0; v < MIGRATIONS.length; v++) {
      const file = path.join(tempDir(), `v${v}.sqlite`);
      const old = await openStore(file, { migrations: MIGRATIONS.slice(0, v) });
      // Versions need not be contiguous (parallel branches' migrations are renumbered at merge).
      const at = v === 0 ? 0 : MIGRATIONS[v - 1]!.version;
      expect(await userVersion(old.raw)).toBe(at);
      await exec(old.raw, "CREATE TABLE IF NOT EXISTS keep_me (x TEXT); INSERT INTO keep_me VALUES ('still here')");
      await old.close();
      const s = await openStore(file);
      expect(s.openedAtVersion).toBe(at);
      expect(await userVersion(s.raw)).toBe(LATEST_VERSION);
      expect(await all(s.raw, 'SELECT x FROM keep_me')).toEqual([{ x: 'still here' }]);
      await s.close();
    }
  });

  it('refuses a file from a newer version with a clear message and leaves it untouched', async () => {
    const file = path.join(tempDir(), 'future.sqlite');
    const db = await rawOpen(file);
    await exec(db, `CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = ${LATEST_VERSION + 5};`);
    await rawClose(db);
    const before = sha(file);
    const siblings = fs.readdirSync(path.dirname(file)).sort();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'storeTooNew', message: expect.stringContaining('更新版本') });
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(siblings);
  });

  it('a failing migration rolls back to the previous version', async () => {
    const file = path.join(tempDir(), 'broken.sqlite');
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;' }];
    await expect(openStore(file, { migrations: broken })).rejects.toMatchObject({ code: 'migrationFailed' });
    const s = await openStore(file);
    expect(await userVersion(s.raw)).toBe(LATEST_VERSION);
    expect(await all(s.raw, "SELECT name FROM sqlite_master WHERE name = 'half_done'")).toEqual([]);
    await s.close();
  });
});
