// Backups that restore: an online backup (VACUUM INTO) taken while tickets are being written is a
// whole, consistent store; restore checks the file first, refuses a store in use, keeps the old
// one; the command line prints its JSON line; a restore staged in 设置 is applied at the next start.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { openStreetNode } from '../../src/main/node';
import { openStore } from '../../src/main/db/store';
import { silentLogger } from '../../src/main/services/core/log';
import { backupStore, checkBackup, restoreStore } from '../../src/main/services/backup/backup';
import { all } from '../../src/main/db/sqlite3Dialect';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const cli = (...args: string[]) => run(TSX, ['src/main/cli/street.ts', ...args], { encoding: 'utf8' });

async function realStreet(dir: string) {
  const file = path.join(dir, 'street.sqlite');
  const r = await cli('init', '--db', file, '--street', '410105001', '--admin', 'admin');
  const creds = JSON.parse(r.stdout) as { username: string; password: string };
  const node = await openStreetNode(file, { ai: false, sync: false, log: silentLogger });
  const login = (await node.api.handle('session.login', creds, null)) as { token: string };
  await node.api.handle('session.changePassword', { current: creds.password, next: 'Backup-Test-Root-1' }, login.token);
  // An operator who files tickets.
  const op = (await node.api.handle('accounts.create', { username: 'op1', displayName: '受理员', role: 'operator' }, login.token)) as { password: string };
  const t = (await node.api.handle('session.login', { username: 'op1', password: op.password }, null)) as { token: string };
  await node.api.handle('session.changePassword', { current: op.password, next: 'Backup-Test-Op-22' }, t.token);
  return { file, node, admin: login.token, op: t.token };
}

const countTickets = async (file: string) => {
  const db = await new Promise<sqlite3.Database>((res, rej) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (e) => (e ? rej(e) : res(d)));
  });
  const n = (await all<{ n: number }>(db, 'SELECT count(*) AS n FROM tickets'))[0]!.n;
  await new Promise<void>((r) => db.close(() => r()));
  return n;
};

describe('backup and restore', () => {
  it('a backup taken while tickets are written is whole; restore brings it back', async () => {
    const dir = tempDir();
    const { file, node, admin, op } = await realStreet(dir);
    const create = (i: number) =>
      node.api.handle('tickets.create', { channel: 'hotline12345', type: 'complaint', description: `井盖破损第${i}处需要处理`, address: '经八路1号', reporterPhone: '13800001111' }, op);
    for (let i = 0; i < 30; i++) await create(i);
    // Keep writing while the backup runs.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) await create(1000 + written++);
    })();
    const out = path.join(dir, 'out');
    const b = await backupStore(file, out);
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(b.tickets).toBeGreaterThanOrEqual(30);
    expect(b.tickets).toBeLessThanOrEqual(30 + written);
    expect(await checkBackup(b.file)).toMatchObject({ tickets: b.tickets });
    // The events of every ticket in the backup are there too (one consistent snapshot).
    const copy = await openStore(b.file, { backupBeforeMigration: false });
    const orphan = await copy.db.selectFrom('tickets').select('id').where((eb) => eb.not(eb.exists(eb.selectFrom('ticket_events').select('id').whereRef('ticket_events.ticket_id', '=', 'tickets.id')))).execute();
    expect(orphan).toEqual([]);
    await copy.close();

    // Restoring over a store in use is refused, and nothing changes.
    await expect(restoreStore(b.file, file)).rejects.toMatchObject({ code: 'storeInUse' });
    const nowCount = 30 + written;
    expect(await node.api.handle('tickets.list', { startRow: 0, endRow: 1000 }, op)).toMatchObject({ lastRow: nowCount });

    // The node's own backup (设置 › 备份与恢复) is listed with its size and audited.
    const r = (await node.api.handle('backup.run', {}, admin)) as { file: string; tickets: number };
    const st = (await node.api.handle('backup.status', {}, admin)) as { backups: Array<{ name: string; bytes: number }> };
    expect(st.backups.find((x) => x.name === r.file)!.bytes).toBeGreaterThan(0);
    await expect(node.api.handle('backup.restore', { name: r.file }, op)).rejects.toMatchObject({ code: 'forbiddenRole' });
    await node.close();

    const res = await restoreStore(b.file, file);
    expect(res).toMatchObject({ restored: file, tickets: b.tickets });
    expect(fs.existsSync(res.previous!)).toBe(true);
    expect(await countTickets(file)).toBe(b.tickets);
    expect(await countTickets(res.previous!)).toBe(nowCount);
  }, 120_000);

  it('refuses a damaged backup without touching the store', async () => {
    const dir = tempDir();
    const { file, node } = await realStreet(dir);
    await node.close();
    const bad = path.join(dir, 'bad.sqlite');
    fs.writeFileSync(bad, Buffer.alloc(8192, 7));
    await expect(restoreStore(bad, file)).rejects.toMatchObject({ code: 'badBackup' });
    const b = await backupStore(file, path.join(dir, 'b'));
    const buf = fs.readFileSync(b.file);
    buf.fill(0xff, 4096, 4096 + 2048); // a damaged page
    const broken = path.join(dir, 'broken.sqlite');
    fs.writeFileSync(broken, buf);
    await expect(restoreStore(broken, file)).rejects.toMatchObject({ code: 'badBackup' });
    expect(fs.readdirSync(dir).filter((n) => n.includes('before-restore'))).toEqual([]);
  }, 60_000);

  it('the command line: backup prints {file,tickets,ms} while the node runs; restore refuses a store in use', async () => {
    const dir = tempDir();
    const { file, node, op } = await realStreet(dir);
    await node.api.handle('tickets.create', { channel: 'walkIn', type: 'help', description: '路灯不亮晚上很黑', address: '经八路2号' }, op);
    const out = JSON.parse((await cli('backup', '--db', file, '--out', path.join(dir, 'cli'))).stdout) as { file: string; tickets: number; ms: number };
    expect(out).toMatchObject({ tickets: 1 });
    expect(out.ms).toBeGreaterThanOrEqual(0);
    expect(fs.existsSync(out.file)).toBe(true);
    const refused = await cli('restore', '--from', out.file, '--db', file).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(refused?.code).toBe(1);
    expect(JSON.parse(refused!.stderr.trim())).toMatchObject({ code: 'storeInUse' });
    await node.close();
    const ok = JSON.parse((await cli('restore', '--from', out.file, '--db', file)).stdout) as { tickets: number };
    expect(ok.tickets).toBe(1);
  }, 90_000);

  it('a restore staged by the administrator is applied when the node starts next, and audited', async () => {
    const dir = tempDir();
    const { file, node, admin, op } = await realStreet(dir);
    const r = (await node.api.handle('backup.run', {}, admin)) as { file: string; tickets: number };
    await node.api.handle('tickets.create', { channel: 'walkIn', type: 'help', description: '备份之后新建的工单', address: '经八路3号' }, op);
    expect(await node.api.handle('backup.restore', { name: r.file }, admin)).toMatchObject({ tickets: 0 });
    expect(((await node.api.handle('backup.status', {}, admin)) as { pendingRestore: { from: string } | null }).pendingRestore).toMatchObject({ from: r.file });
    await node.close();
    const again = await openStreetNode(file, { ai: false, sync: false, log: silentLogger });
    expect(Number((await again.ctx.store.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    const last = await again.ctx.store.db.selectFrom('audit_log').select(['action', 'target']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'restore', target: r.file });
    await again.close();
  }, 90_000);
});
