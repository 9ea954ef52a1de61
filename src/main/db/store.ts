// Opens a street's SQLite store: refuses files from a newer version untouched, sets WAL and
// foreign keys, and migrates older files forward, one transaction per migration.

import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { Kysely } from 'kysely';
import { Sqlite3Dialect, all, exec } from './sqlite3Dialect';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import type { Database } from './schema';
import { AppError } from '../services/core/errors';

export interface Store {
  db: Kysely<Database>;
  raw: sqlite3.Database;
  file: string;
  /** Content-addressed attachment files live beside the database. */
  attachmentsDir: string;
  /** Schema version the file had before this open migrated it. */
  openedAtVersion: number;
  close(): Promise<void>;
}

function openRaw(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) =>
      err ? reject(err) : resolve(db),
    );
  });
}

function closeRaw(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

export async function userVersion(db: sqlite3.Database): Promise<number> {
  const rows = await all<{ user_version: number }>(db, 'PRAGMA user_version');
  return rows[0]?.user_version ?? 0;
}

async function applyMigration(db: sqlite3.Database, m: Migration): Promise<void> {
  await exec(db, 'BEGIN IMMEDIATE');
  try {
    await exec(db, m.sql);
    await exec(db, `PRAGMA user_version = ${m.version}`);
    await exec(db, 'COMMIT');
  } catch (err) {
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw new AppError('migrationFailed', `数据库升级失败（第${m.version}版：${m.name}）`, {
      cause: err,
      detail: `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`,
    });
  }
}

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to build older versions). */
  migrations?: readonly Migration[];
  /** Take a backup (backups/NAME-before-vN-TIME.sqlite beside the store) before migrating (default true). */
  backupBeforeMigration?: boolean;
}

/** Where the store's backups go unless the settings say otherwise: backups/ beside the store. */
export const defaultBackupDir = (file: string) => path.join(path.dirname(path.resolve(file)), 'backups');

/** A consistent copy of the store before a migration changes it (VACUUM INTO, this connection). */
async function backupBeforeMigration(raw: sqlite3.Database, file: string, from: number, to: number): Promise<void> {
  const dir = defaultBackupDir(file);
  fs.mkdirSync(dir, { recursive: true });
  const name = `${path.basename(file).replace(/\.sqlite$/i, '')}-before-v${to}-from-v${from}-${Date.now()}.sqlite`;
  try {
    await all(raw, 'VACUUM INTO ?', [path.join(dir, name)]);
  } catch (err) {
    throw new AppError('backupFailed', `升级数据库前的备份失败，数据库未作改动：${(err as Error).message}`, {
      cause: err,
      detail: `backup before migration ${from}->${to} of ${file} failed: ${(err as Error).message}`,
    });
  }
}

export async function openStore(file: string, opts: OpenOptions = {}): Promise<Store> {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = await openRaw(file);
  let version: number;
  try {
    // Read the version before any statement that could write to the file.
    version = await userVersion(raw);
    if (version > Math.max(latest, LATEST_VERSION)) {
      throw new AppError(
        'storeTooNew',
        `数据库文件来自更新版本的城运台（数据版本 ${version}，本程序最高支持 ${LATEST_VERSION}），请升级程序后再打开。文件未作任何改动。`,
        { detail: `store ${file} has user_version ${version} > supported ${LATEST_VERSION}` },
      );
    }
    const mode = await all<{ journal_mode: string }>(raw, 'PRAGMA journal_mode = WAL');
    if (mode[0]?.journal_mode !== 'wal') throw new Error(`could not enable WAL on ${file}`);
    await exec(
      raw,
      `PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
       PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456;`,
    );
    const pending = migrations.filter((m) => m.version > version);
    if (version > 0 && pending.length && opts.backupBeforeMigration !== false) await backupBeforeMigration(raw, file, version, pending[pending.length - 1]!.version);
    for (const m of pending) await applyMigration(raw, m);
  } catch (err) {
    await closeRaw(raw).catch(() => undefined);
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new Sqlite3Dialect(raw) });
  const attachmentsDir = path.join(path.dirname(path.resolve(file)), path.basename(file) + '.files');
  fs.mkdirSync(attachmentsDir, { recursive: true });
  return {
    db,
    raw,
    file,
    attachmentsDir,
    openedAtVersion: version,
    close: () => db.destroy(),
  };
}
