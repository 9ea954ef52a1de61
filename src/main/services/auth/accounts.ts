// Accounts: the administrator creates them, deactivates them, resets a password (to a one-time one)
// and changes role and unit; every user changes their own password. Every change is audited, and
// a deactivated account's sessions (or one whose password was reset) end at once.

import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { AccountInfo } from '../../../shared/api/admin';
import { passwordProblem } from '../../../shared/domain/passwordPolicy';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendAudit, type AuditActor } from '../audit/auditLog';
import { hashPassword, verifyPassword } from './passwords';
import { oneTimePassword } from '../street/init';
import type { Sessions } from './sessions';

export const actorOf = (u: User): AuditActor => ({ id: u.id, name: `${u.displayName}（${u.username}）`, role: u.role });

async function accountRow(ctx: NodeContext, id: string): Promise<AccountInfo> {
  const r = await ctx.store.db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.active', 'users.must_change_password', 'users.created_at', 'units.name as unit_name'])
    .where('users.id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('账号', id);
  return toInfo(r);
}

function toInfo(r: { id: string; username: string; display_name: string; role: string; unit_id: string | null; unit_name: string | null; active: number; must_change_password: number; created_at: number }): AccountInfo {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    unitId: r.unit_id,
    unitName: r.unit_name,
    active: !!r.active,
    mustChangePassword: !!r.must_change_password,
    createdAt: r.created_at,
  };
}

export async function listAccounts(ctx: NodeContext): Promise<AccountInfo[]> {
  const rows = await ctx.store.db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.active', 'users.must_change_password', 'users.created_at', 'units.name as unit_name'])
    .where('users.role', '!=', 'system')
    .orderBy('users.active', 'desc')
    .orderBy('users.role')
    .orderBy('users.username')
    .execute();
  return rows.map(toInfo);
}

async function checkUnit(ctx: NodeContext, role: Role, unitId: string | null): Promise<void> {
  if (role === 'unit' && !unitId) throw new AppError('invalidInput', '处置单位账号须选择所属单位', { issues: [{ path: 'unitId', message: '请选择所属单位' }] });
  if (unitId) {
    const u = await ctx.store.db.selectFrom('units').select('id').where('id', '=', unitId).where('active', '=', 1).executeTakeFirst();
    if (!u) throw new AppError('invalidInput', '所选单位不存在或已停用', { issues: [{ path: 'unitId', message: '所选单位不存在或已停用' }], detail: `unit ${unitId} not found` });
  }
}

export async function createAccount(ctx: NodeContext, by: User, input: { username: string; displayName: string; role: Exclude<Role, 'system'>; unitId: string | null }): Promise<{ account: AccountInfo; password: string }> {
  await checkUnit(ctx, input.role, input.unitId);
  const taken = await ctx.store.db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  if (taken) throw new AppError('conflict', `用户名“${input.username}”已被使用`, { issues: [{ path: 'username', message: '用户名已被使用' }] });
  const password = oneTimePassword();
  const id = uuidv7();
  const now = ctx.now();
  const hash = await hashPassword(password);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values({ id, username: input.username, display_name: input.displayName, role: input.role, unit_id: input.unitId, staff_id: null, password_hash: hash, active: 1, created_at: now, must_change_password: 1, password_changed_at: null, deactivated_at: null })
      .execute();
    await appendAudit(trx, now, { actor: actorOf(by), action: 'account.create', target: input.username, detail: { role: input.role, unitId: input.unitId, displayName: input.displayName } });
  });
  ctx.events.publish({ type: 'accounts.changed' });
  return { account: await accountRow(ctx, id), password };
}

export async function updateAccount(ctx: NodeContext, sessions: Sessions, by: User, input: { id: string; displayName?: string; role?: Exclude<Role, 'system'>; unitId?: string | null; active?: boolean }): Promise<AccountInfo> {
  const cur = await accountRow(ctx, input.id);
  if (cur.role === ('system' as Role)) throw notFound('账号', input.id);
  const role = input.role ?? (cur.role as Exclude<Role, 'system'>);
  const unitId = input.unitId !== undefined ? input.unitId : cur.unitId;
  if (input.role !== undefined || input.unitId !== undefined) await checkUnit(ctx, role, unitId);
  if (cur.id === by.id && (input.active === false || (input.role && input.role !== 'admin')))
    throw new AppError('forbidden', '不能停用自己的账号或取消自己的管理员角色', { detail: `${by.username} tried to demote/deactivate self` });
  if (cur.role === 'admin' && (input.active === false || (input.role && input.role !== 'admin'))) {
    const admins = await ctx.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('active', '=', 1).executeTakeFirstOrThrow();
    if (Number(admins.n) <= 1) throw new AppError('forbidden', '至少要保留一个启用的系统管理员账号', { detail: 'last active admin' });
  }
  const now = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    const set: Record<string, unknown> = {};
    if (input.displayName !== undefined) set.display_name = input.displayName;
    if (input.role !== undefined) set.role = input.role;
    if (input.unitId !== undefined || input.role !== undefined) set.unit_id = role === 'admin' ? null : unitId;
    if (input.active !== undefined) {
      set.active = input.active ? 1 : 0;
      set.deactivated_at = input.active ? null : now;
    }
    if (Object.keys(set).length) await trx.updateTable('users').set(set).where('id', '=', input.id).execute();
    const changes: Record<string, unknown> = {};
    if (input.displayName !== undefined && input.displayName !== cur.displayName) changes.displayName = [cur.displayName, input.displayName];
    if (input.role !== undefined && input.role !== cur.role) changes.role = [cur.role, input.role];
    if (set.unit_id !== undefined && set.unit_id !== cur.unitId) changes.unitId = [cur.unitId, set.unit_id];
    const action = input.active === false && cur.active ? 'account.deactivate' : input.active === true && !cur.active ? 'account.activate' : 'account.update';
    if (Object.keys(changes).length || action !== 'account.update')
      await appendAudit(trx, now, { actor: actorOf(by), action, target: cur.username, detail: changes });
  });
  // Ends at once: a deactivated account, or one whose role or unit changed (its session holds the old ones).
  if (input.active === false || input.role !== undefined || input.unitId !== undefined) sessions.endUser(input.id);
  ctx.events.publish({ type: 'accounts.changed' });
  return accountRow(ctx, input.id);
}

export async function resetPassword(ctx: NodeContext, sessions: Sessions, by: User, id: string): Promise<{ password: string }> {
  const cur = await accountRow(ctx, id);
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  const now = ctx.now();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1, password_changed_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, now, { actor: actorOf(by), action: 'password.reset', target: cur.username, detail: {} });
  });
  sessions.endUser(id);
  return { password };
}

export async function changeOwnPassword(ctx: NodeContext, sessions: Sessions, user: User, token: string, current: string, next: string): Promise<void> {
  const row = await ctx.store.db.selectFrom('users').select(['password_hash', 'username']).where('id', '=', user.id).where('active', '=', 1).executeTakeFirst();
  if (!row) throw new AppError('unauthorized', '账号不存在或已停用');
  if (!(await verifyPassword(current, row.password_hash)))
    throw new AppError('invalidInput', '当前密码不正确', { issues: [{ path: 'current', message: '当前密码不正确' }], detail: `${user.username}: wrong current password` });
  const problem = passwordProblem(next, row.username);
  if (problem) throw new AppError('invalidInput', problem, { issues: [{ path: 'next', message: problem }], detail: `${user.username}: weak password refused` });
  if (next === current) throw new AppError('invalidInput', '新密码不能与当前密码相同', { issues: [{ path: 'next', message: '新密码不能与当前密码相同' }] });
  const now = ctx.now();
  const hash = await hashPassword(next);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0, password_changed_at: now }).where('id', '=', user.id).execute();
    await appendAudit(trx, now, { actor: actorOf(user), action: 'password.change', target: user.username, detail: {} });
  });
  // Other sessions of this account end; this one goes on without the one-time restriction.
  sessions.endUser(user.id, token);
  sessions.passwordChanged(token);
}
