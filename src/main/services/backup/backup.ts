// Backups of a street's store, and restoring one.
//
// A backup is taken with `VACUUM INTO` on a connection of its own: SQLite writes a consistent
// snapshot of the database (WAL included) into a new file while the node goes on reading and
// writing — never a file copy of a live WAL database. The photos (content-addressed, never changed
// once written) are copied beside it into BACKUP.files/.
//
// Restoring checks the backup (`PRAGMA integrity_check`, schema version) and refuses a store a node
// has open (the node holds FILE.lock with its process id while it runs). The store it replaces is
// kept beside it (FILE.before-restore-TIME), never deleted.

import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { all, exec } from '../../db/sqlite3Dialect';
import { LATEST_VERSION } from '../../db/migrations';
import { AppError } from '../core/errors';

export interface BackupResult {
  file: string;
  tickets: number;
  ms: number;
  bytes: number;
}

export interface BackupInfo {
  file: string;
  name: string;
  bytes: number;
  photosBytes: number;
  at: number;
}

function openConn(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}
const closeConn = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

const pad = (n: number) => String(n).padStart(2, '0');
/** 20261123-103000 in local time. */
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Name prefix of the backups of this store. */
export const backupPrefix = (dbFile: string) => path.basename(dbFile).replace(/\.sqlite$/i, '') + '-';

export function photosDirOf(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), path.basename(dbFile) + '.files');
}

function dirBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return n;
}

/** Copies the photos that the target does not have yet (files are content-addressed). */
function copyPhotos(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) copyPhotos(a, b);
    else if (!fs.existsSync(b)) fs.copyFileSync(a, b);
  }
}

/** Takes an online backup of the store into outDir; safe while a node works on the store. */
export async function backupStore(dbFile: string, outDir: string, opts: { now?: number; label?: string } = {}): Promise<BackupResult> {
  const t0 = performance.now();
  if (!fs.existsSync(dbFile)) throw new AppError('noStore', `数据库文件不存在：${dbFile}`, { detail: `backup: no store at ${dbFile}` });
  fs.mkdirSync(outDir, { recursive: true });
  const now = opts.now ?? Date.now();
  let file = path.join(outDir, `${backupPrefix(dbFile)}${stamp(now)}${opts.label ? '-' + opts.label : ''}.sqlite`);
  for (let i = 2; fs.existsSync(file); i++) file = file.replace(/(-\d+)?\.sqlite$/, `-${i}.sqlite`);
  // A connection of our own: the node's connection is not held while the snapshot is written.
  const src = await openConn(dbFile, sqlite3.OPEN_READWRITE);
  try {
    await exec(src, 'PRAGMA busy_timeout = 10000');
    await all(src, 'VACUUM INTO ?', [file]);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw new AppError('backupFailed', '备份失败：无法读取数据库', { cause: err, detail: `VACUUM INTO ${file} failed: ${(err as Error).message}` });
  } finally {
    await closeConn(src);
  }
  copyPhotos(photosDirOf(dbFile), file + '.files');
  const copy = await openConn(file, sqlite3.OPEN_READONLY);
  let tickets = 0;
  try {
    tickets = (await all<{ n: number }>(copy, 'SELECT count(*) AS n FROM tickets'))[0]?.n ?? 0;
  } finally {
    await closeConn(copy);
  }
  return { file, tickets, ms: Math.round(performance.now() - t0), bytes: fs.statSync(file).size };
}

/** The backups of this store in dir, newest first. */
export function listBackups(dbFile: string, dir: string): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  const prefix = backupPrefix(dbFile);
  return fs
    .readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.sqlite'))
    .map((name) => {
      const file = path.join(dir, name);
      const st = fs.statSync(file);
      return { file, name, bytes: st.size, photosBytes: dirBytes(file + '.files'), at: st.mtimeMs };
    })
    .sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
}

/** Deletes this store's backups in dir older than `keepDays` (the newest one is always kept). */
export function pruneBackups(dbFile: string, dir: string, keepDays: number, now = Date.now()): string[] {
  const all_ = listBackups(dbFile, dir);
  const removed: string[] = [];
  for (const b of all_.slice(1)) {
    if (now - b.at > keepDays * 86_400_000) {
      fs.rmSync(b.file, { force: true });
      fs.rmSync(b.file + '.files', { recursive: true, force: true });
      removed.push(b.file);
    }
  }
  return removed;
}

// ---- the node's lock: a store in use is never overwritten ----

export const lockFileOf = (dbFile: string) => `${path.resolve(dbFile)}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id of the node that has this store open, or null. */
export function storeHolder(dbFile: string): number | null {
  const lock = lockFileOf(dbFile);
  if (!fs.existsSync(lock)) return null;
  const pid = Number(fs.readFileSync(lock, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/** Marks the store as open by this process; returns the release function. */
export function holdStore(dbFile: string): () => void {
  const holder = storeHolder(dbFile);
  if (holder && holder !== process.pid)
    throw new AppError('storeInUse', `数据库正被另一个城运台进程（进程号 ${holder}）使用：${dbFile}`, { detail: `${dbFile} is held by pid ${holder}` });
  const lock = lockFileOf(dbFile);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  fs.writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lock, 'utf8').trim() === String(process.pid)) fs.rmSync(lock, { force: true });
    } catch {
      // already gone
    }
  };
}

/** Checks a backup file: readable SQLite, `integrity_check` ok, a schema this program knows. */
export async function checkBackup(from: string): Promise<{ tickets: number; version: number }> {
  if (!fs.existsSync(from)) throw new AppError('noBackup', `备份文件不存在：${from}`, { detail: `no backup at ${from}` });
  let conn: sqlite3.Database;
  try {
    // Read-write: FTS5's part of integrity_check needs it; nothing is written to the file.
    conn = await openConn(from, sqlite3.OPEN_READWRITE);
  } catch (err) {
    throw new AppError('badBackup', '备份文件无法打开，不是城运台的数据库备份', { cause: err, detail: `open ${from}: ${(err as Error).message}` });
  }
  try {
    const ic = await all<{ integrity_check: string }>(conn, 'PRAGMA integrity_check').catch((err: Error) => [{ integrity_check: err.message }]);
    const verdict = ic.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') throw new AppError('badBackup', '备份文件已损坏（完整性检查未通过），未恢复', { detail: `integrity_check ${from}: ${verdict}` });
    const version = (await all<{ user_version: number }>(conn, 'PRAGMA user_version'))[0]?.user_version ?? 0;
    if (version < 1 || version > LATEST_VERSION)
      throw new AppError('badBackup', `备份文件的数据版本（${version}）本程序不支持`, { detail: `backup ${from} has user_version ${version}, supported 1..${LATEST_VERSION}` });
    const tickets = (await all<{ n: number }>(conn, 'SELECT count(*) AS n FROM tickets'))[0]?.n ?? 0;
    return { tickets, version };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('badBackup', '备份文件不是城运台的数据库备份', { cause: err, detail: `check ${from}: ${(err as Error).message}` });
  } finally {
    await closeConn(conn);
  }
}

export interface RestoreResult {
  restored: string;
  from: string;
  tickets: number;
  /** The store that was replaced, kept beside it (null when there was none). */
  previous: string | null;
}

/** Puts a checked backup in place of the store; refuses a store that a node has open. */
export async function restoreStore(from: string, dbFile: string, opts: { now?: number; lockHeldByCaller?: boolean } = {}): Promise<RestoreResult> {
  const now = opts.now ?? Date.now();
  const holder = storeHolder(dbFile);
  // Only the node itself, applying a restore staged in the UI before it opens the store, holds the lock here.
  if (holder && !(opts.lockHeldByCaller && holder === process.pid))
    throw new AppError('storeInUse', `数据库正在使用中（城运台进程 ${holder}），请先停止城运台再恢复；或在“设置 › 备份与恢复”中由管理员恢复（重启后生效）`, {
      detail: `restore refused: ${dbFile} is held by pid ${holder}`,
    });
  if (path.resolve(from) === path.resolve(dbFile)) throw new AppError('badBackup', '备份文件与数据库是同一个文件', { detail: 'restore from the store itself' });
  const { tickets } = await checkBackup(from);
  let previous: string | null = null;
  if (fs.existsSync(dbFile)) {
    previous = `${dbFile}.before-restore-${stamp(now)}`;
    // Fold the WAL into the old file first so the kept copy is whole.
    const old = await openConn(dbFile, sqlite3.OPEN_READWRITE);
    await exec(old, 'PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
    await closeConn(old);
    fs.renameSync(dbFile, previous);
    for (const ext of ['-wal', '-shm']) if (fs.existsSync(dbFile + ext)) fs.renameSync(dbFile + ext, previous + ext);
  }
  const tmp = `${dbFile}.restoring`;
  fs.copyFileSync(from, tmp); // the backup is a closed, checked file: a plain copy is right here
  fs.renameSync(tmp, dbFile);
  copyPhotos(from + '.files', photosDirOf(dbFile));
  return { restored: dbFile, from, tickets, previous };
}
