// A real street: `street init` (CLI, real process), the node refusing the wrong kind of store,
// accounts and one-time passwords, the password rules, deactivation ending sessions at once.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../support/fixture';
import { openStreetNode, type StreetNode } from '../../src/main/node';
import { silentLogger } from '../../src/main/services/core/log';
import { keptStates } from '../../src/main/services/recurring/miningState';
import { addMonths, dateOf } from '../../src/shared/stats/period';
import { passwordProblem } from '../../src/shared/domain/passwordPolicy';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const cli = (...args: string[]) => run(TSX, ['src/main/cli/street.ts', ...args], { encoding: 'utf8' });
const cliFails = async (...args: string[]) => {
  try {
    await cli(...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, error: JSON.parse(e.stderr.trim().split('\n').at(-1)!) as { code: string; reason: string } };
  }
  throw new Error('expected the command to fail');
};

describe('street init', () => {
  const dir = tempDir();
  const db = path.join(dir, 'huayuan.sqlite');
  let creds: { username: string; password: string };
  let node: StreetNode;

  beforeAll(async () => {
    const r = await cli('init', '--db', db, '--street', '410105002000', '--admin', 'it-admin');
    creds = JSON.parse(r.stdout.trim()) as { username: string; password: string };
    node = await openStreetNode(db, { ai: false, sync: false, log: silentLogger });
  }, 60_000);
  afterAll(async () => node?.close());

  it('prints the administrator and a random one-time password', () => {
    expect(creds.username).toBe('it-admin');
    expect(creds.password).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('makes the street from the division table, with its bundled outline, and nothing else', async () => {
    const db_ = node.ctx.store.db;
    expect(await db_.selectFrom('street').select(['code', 'name', 'district', 'city']).execute()).toEqual([{ code: '410105002', name: '花园路街道', district: '金水区', city: '郑州市' }]);
    const grids = await db_.selectFrom('grids').select(['code', 'level', 'polygon']).execute();
    expect(grids).toHaveLength(1);
    expect(grids[0]).toMatchObject({ code: '410105002', level: '1' });
    for (const t of ['tickets', 'units', 'catalog', 'staff', 'key_places'] as const)
      expect(Number((await db_.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    const users = await db_.selectFrom('users').select(['username', 'role', 'must_change_password']).execute();
    expect(users).toEqual([{ username: 'it-admin', role: 'admin', must_change_password: 1 }]);
    expect(await node.api.handle('session.demoUsers', {}, null)).toEqual([]);
    // No demo password opens it.
    for (const [u, p] of [['leader', 'demo123'], ['it-admin', 'demo123'], ['operator', 'demo123']])
      await expect(node.api.handle('session.login', { username: u, password: p }, null)).rejects.toMatchObject({ code: 'badLogin' });
  });

  it('refuses an existing store, an unknown code and a bad username', async () => {
    const before = fs.statSync(db).mtimeMs;
    expect(await cliFails('init', '--db', db, '--street', '410105002', '--admin', 'x1')).toMatchObject({ code: 1, error: { code: 'storeExists' } });
    expect(fs.statSync(db).mtimeMs).toBe(before);
    const other = path.join(dir, 'other.sqlite');
    expect(await cliFails('init', '--db', other, '--street', '410105999', '--admin', 'admin')).toMatchObject({ code: 1, error: { code: 'unknownStreet', reason: expect.stringContaining('未知的街道编码') } });
    expect(await cliFails('init', '--db', other, '--street', '4101', '--admin', 'admin')).toMatchObject({ error: { code: 'unknownStreet' } });
    expect(await cliFails('init', '--db', other, '--street', '410105002', '--admin', 'a b')).toMatchObject({ error: { code: 'badUsername' } });
    expect(fs.existsSync(other)).toBe(false);
  }, 60_000);

  it('the one-time password opens nothing but changing it; the rules apply', async () => {
    const api = node.api;
    const { token, user } = (await api.handle('session.login', creds, null)) as { token: string; user: { mustChangePassword: boolean } };
    expect(user.mustChangePassword).toBe(true);
    await expect(api.handle('meta.bootstrap', {}, token)).rejects.toMatchObject({ code: 'mustChangePassword' });
    await expect(api.handle('accounts.list', {}, token)).rejects.toMatchObject({ code: 'mustChangePassword' });
    for (const [next, why] of [['short1!', '至少10'], ['it-admin-2026', '用户名'], ['1234567890', '常见'], ['aaaaaaaaaaaa', '简单']] as const)
      await expect(api.handle('session.changePassword', { current: creds.password, next }, token)).rejects.toMatchObject({ code: 'invalidInput', message: expect.stringContaining(why) });
    await expect(api.handle('session.changePassword', { current: 'wrong-password', next: 'Huayuan-Road-2026' }, token)).rejects.toMatchObject({ message: '当前密码不正确' });
    await api.handle('session.changePassword', { current: creds.password, next: 'Huayuan-Road-2026' }, token);
    const boot = (await api.handle('meta.bootstrap', {}, token)) as { street: { name: string }; settings: { setupPending: boolean; demo: boolean } };
    expect(boot.street.name).toBe('花园路街道');
    expect(boot.settings).toMatchObject({ setupPending: true, demo: false });
    await expect(api.handle('session.login', creds, null)).rejects.toMatchObject({ code: 'badLogin' });
  });

  it('the administrator manages accounts; a deactivated account is out at once', async () => {
    const api = node.api;
    const admin = ((await api.handle('session.login', { username: 'it-admin', password: 'Huayuan-Road-2026' }, null)) as { token: string }).token;
    const unit = (await api.handle('units.save', { code: 'JSQ-CGJ', name: '金水区城市管理局', kind: 'department' }, admin)) as { id: string };
    await expect(api.handle('accounts.create', { username: 'cg1', displayName: '城管联络员', role: 'unit' }, admin)).rejects.toMatchObject({ message: expect.stringContaining('所属单位') });
    const { account, password } = (await api.handle('accounts.create', { username: 'cg1', displayName: '城管联络员', role: 'unit', unitId: unit.id }, admin)) as { account: { id: string }; password: string };
    await expect(api.handle('accounts.create', { username: 'cg1', displayName: '重复', role: 'operator' }, admin)).rejects.toMatchObject({ code: 'conflict' });
    const t1 = ((await api.handle('session.login', { username: 'cg1', password }, null)) as { token: string }).token;
    await api.handle('session.changePassword', { current: password, next: 'Chengguan-Liaison-7' }, t1);
    expect(await api.handle('session.me', {}, t1)).toMatchObject({ username: 'cg1', role: 'unit', mustChangePassword: false });
    // Only the administrator manages accounts.
    await expect(api.handle('accounts.create', { username: 'x2', displayName: '某人', role: 'leader' }, t1)).rejects.toMatchObject({ code: 'forbiddenRole' });
    // Reset: a new one-time password, the old sessions end.
    const reset = (await api.handle('accounts.resetPassword', { id: account.id }, admin)) as { password: string };
    await expect(api.handle('session.me', {}, t1)).rejects.toMatchObject({ code: 'unauthorized' });
    const t2 = ((await api.handle('session.login', { username: 'cg1', password: reset.password }, null)) as { token: string; user: { mustChangePassword: boolean } });
    expect(t2.user.mustChangePassword).toBe(true);
    await api.handle('session.changePassword', { current: reset.password, next: 'Chengguan-Liaison-8' }, t2.token);
    // Role change, then deactivation: the session ends at once, and no new one opens.
    await api.handle('accounts.update', { id: account.id, role: 'operator', unitId: null }, admin);
    await expect(api.handle('session.me', {}, t2.token)).rejects.toMatchObject({ code: 'unauthorized' });
    const t3 = ((await api.handle('session.login', { username: 'cg1', password: 'Chengguan-Liaison-8' }, null)) as { token: string }).token;
    await api.handle('accounts.update', { id: account.id, active: false }, admin);
    await expect(api.handle('session.me', {}, t3)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(api.handle('session.login', { username: 'cg1', password: 'Chengguan-Liaison-8' }, null)).rejects.toMatchObject({ code: 'badLogin' });
    // The last administrator cannot be removed.
    const me = ((await api.handle('accounts.list', {}, admin)) as Array<{ id: string; username: string }>).find((a) => a.username === 'it-admin')!;
    await expect(api.handle('accounts.update', { id: me.id, active: false }, admin)).rejects.toMatchObject({ code: 'forbidden' });
    // Every change is in the audit log.
    const actions = (await node.ctx.store.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
    for (const a of ['street.init', 'login.failed', 'login.ok', 'password.change', 'account.create', 'password.reset', 'account.update', 'account.deactivate', 'settings.change'])
      expect(actions).toContain(a);
  });
});

describe('demo and real stores', () => {
  it('a new store without --demo is refused (nothing created); --demo makes the demo', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'street.sqlite');
    await expect(openStreetNode(file, { ai: false, sync: false, log: silentLogger })).rejects.toMatchObject({ code: 'noStore', message: expect.stringContaining('street -- init') });
    expect(fs.existsSync(file)).toBe(false);
    await expect(openStreetNode(file, { demo: true, lan: true, demoTickets: 0, ai: false, sync: false, log: silentLogger })).rejects.toMatchObject({ code: 'demoOnLan' });
    const demo = await openStreetNode(file, { demo: true, demoTickets: 0, ai: false, sync: false, log: silentLogger });
    expect(((await demo.api.handle('session.demoUsers', {}, null)) as unknown[]).length).toBeGreaterThan(0);
    await demo.close();
    await expect(openStreetNode(file, { ai: false, sync: false, log: silentLogger })).rejects.toMatchObject({ code: 'demoStore' });
    await expect(openStreetNode(file, { demo: true, lan: true, ai: false, sync: false, log: silentLogger })).rejects.toMatchObject({ code: 'demoOnLan', message: expect.stringContaining('--lan') });
  }, 120_000);

  it('builds the 一批事 mining in the background after a start, before the first view asks for it', async () => {
    const file = path.join(tempDir(), 'warm.sqlite');
    const said: string[] = [];
    const log = { info: (msg: string) => said.push(msg), warn: (msg: string) => said.push(msg), error: (msg: string) => said.push(msg) };
    const n = await openStreetNode(file, { demo: true, demoTickets: 600, ai: false, sync: false, log });
    try {
      expect(keptStates(n.ctx.store)).toEqual([]);
      await vi.waitFor(() => expect(said).toContain('recurring mining warmed'), { timeout: 60_000, interval: 200 });
      expect(said.indexOf('statistics warmed')).toBeLessThan(said.indexOf('recurring mining warmed'));
      // The live window is kept; last month's report section is then frozen (the demo's history
      // spans it), and its fixed window is not kept.
      await vi.waitFor(() => expect(said).toContain('recurring month frozen'), { timeout: 60_000, interval: 200 });
      expect(said.indexOf('recurring mining warmed')).toBeLessThan(said.indexOf('recurring month frozen'));
      expect(keptStates(n.ctx.store)).toEqual([expect.not.stringContaining('@')]);
      const lastMonth = addMonths(dateOf(Date.now()).slice(0, 7) + '-01', -1).slice(0, 7);
      expect((await n.ctx.store.db.selectFrom('recurring_month_freezes').select('month').execute()).map((r) => r.month)).toEqual([lastMonth]);
      expect(said.filter((m) => /failed/.test(m))).toEqual([]);
    } finally {
      await n.close();
    }
  }, 120_000);

  it('--demo on a real street is refused; --lan is allowed there', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'real.sqlite');
    await cli('init', '--db', file, '--street', '410105001', '--admin', 'admin');
    await expect(openStreetNode(file, { demo: true, ai: false, sync: false, log: silentLogger })).rejects.toMatchObject({ code: 'realStreet', message: expect.stringContaining('--demo') });
    expect(Number((await (await import('../../src/main/db/store')).openStore(file).then(async (s) => { const n = await s.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(); await s.close(); return n; })).n)).toBe(0);
    const n = await openStreetNode(file, { lan: true, ai: false, sync: false, log: silentLogger });
    await n.close();
  }, 60_000);
});

describe('password rules', () => {
  it('length, username, common passwords, repetition', () => {
    expect(passwordProblem('Abcdefgh1', 'u')).toMatch(/至少10/);
    expect(passwordProblem('zhangsan-2026', 'zhangsan')).toMatch(/用户名/);
    expect(passwordProblem('Password123', 'u')).toMatch(/常见/);
    expect(passwordProblem('ababababab', 'u')).toMatch(/简单/);
    expect(passwordProblem('Jingba-Road-77', 'zhangsan')).toBeNull();
  });
});
