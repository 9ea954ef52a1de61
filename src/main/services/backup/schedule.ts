// The node's backups: a daily automatic backup while the node runs (kept `backup.keepDays` days,
// default 14), a backup on demand from 设置 › 备份与恢复, and a restore an administrator stages
// there, applied the next time the node starts (a store cannot be swapped under a running node).

import fs from 'node:fs';
import path from 'node:path';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { getSetting, setSetting } from '../core/settings';
import { defaultBackupDir } from '../../db/store';
import { appendAudit, type AuditActor } from '../audit/auditLog';
import { backupStore, checkBackup, listBackups, pruneBackups, restoreStore, type BackupResult, type RestoreResult } from './backup';

const DAY = 86_400_000;
export const DEFAULT_KEEP_DAYS = 14;

export async function backupSettings(ctx: NodeContext): Promise<{ dir: string; keepDays: number; lastAt: number | null }> {
  const db = ctx.store.db;
  const dir = ((await getSetting(db, 'backup.dir')) as string | undefined) ?? defaultBackupDir(ctx.store.file);
  const keepDays = ((await getSetting(db, 'backup.keepDays')) as number | undefined) ?? DEFAULT_KEEP_DAYS;
  const lastAt = ((await getSetting(db, 'backup.lastAt')) as number | undefined) ?? null;
  return { dir, keepDays, lastAt };
}

let running: Promise<BackupResult> | null = null;

/** One backup now (one at a time), old ones pruned, audited. */
export async function runBackup(ctx: NodeContext, actor: AuditActor, reason: 'daily' | 'manual'): Promise<BackupResult> {
  if (running) throw new AppError('backupRunning', '正在备份，请稍候', { detail: 'a backup is already running' });
  const job = (async () => {
    const { dir, keepDays } = await backupSettings(ctx);
    const r = await backupStore(ctx.store.file, dir, { now: ctx.now() });
    const removed = pruneBackups(ctx.store.file, dir, keepDays, ctx.now());
    await setSetting(ctx.store.db, 'backup.lastAt', ctx.now());
    await appendAudit(ctx.store.db, ctx.now(), { actor, action: 'backup', target: path.basename(r.file), detail: { reason, tickets: r.tickets, bytes: r.bytes, ms: r.ms, removed: removed.length } });
    ctx.log.info('backup done', { file: r.file, tickets: r.tickets, ms: r.ms, removed: removed.length });
    return r;
  })();
  running = job;
  try {
    return await job;
  } finally {
    running = null;
  }
}

/** Checks every `everyMs` whether a day has passed since the last backup. */
export function startDailyBackups(ctx: NodeContext, opts: { everyMs: number }): { stop(): void } {
  if (!opts.everyMs) return { stop: () => undefined };
  const tick = async () => {
    const { lastAt } = await backupSettings(ctx);
    if (lastAt !== null && ctx.now() - lastAt < DAY) return;
    await runBackup(ctx, { id: null, name: '系统（每日自动备份）', role: 'system' }, 'daily');
  };
  const timer = setInterval(() => void tick().catch((err) => ctx.log.error('daily backup failed', { error: String(err) })), opts.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export function backupList(ctx: NodeContext, dir: string) {
  return listBackups(ctx.store.file, dir);
}

const pendingFile = (dbFile: string) => `${path.resolve(dbFile)}.restore-pending`;

/** Stages a restore from one of the listed backups; the node applies it when it next starts. */
export async function stageRestore(ctx: NodeContext, actor: AuditActor, name: string): Promise<{ tickets: number }> {
  const { dir } = await backupSettings(ctx);
  const b = listBackups(ctx.store.file, dir).find((x) => x.name === name);
  if (!b) throw new AppError('notFound', '备份不存在', { detail: `no backup ${name} in ${dir}` });
  const { tickets } = await checkBackup(b.file);
  fs.writeFileSync(pendingFile(ctx.store.file), JSON.stringify({ from: b.file, by: actor.name, at: ctx.now() }));
  await appendAudit(ctx.store.db, ctx.now(), { actor, action: 'restore', target: name, detail: { staged: true, tickets } });
  return { tickets };
}

export function pendingRestore(dbFile: string): { from: string; by: string; at: number } | null {
  const f = pendingFile(dbFile);
  if (!fs.existsSync(f)) return null;
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as { from: string; by: string; at: number };
  } catch {
    return null;
  }
}

/** Applies a staged restore before the store is opened (the caller holds the store's lock). */
export async function applyPendingRestore(dbFile: string): Promise<RestoreResult | null> {
  const p = pendingRestore(dbFile);
  if (!p) {
    fs.rmSync(pendingFile(dbFile), { force: true });
    return null;
  }
  try {
    return await restoreStore(p.from, dbFile, { lockHeldByCaller: true });
  } finally {
    fs.rmSync(pendingFile(dbFile), { force: true });
  }
}
