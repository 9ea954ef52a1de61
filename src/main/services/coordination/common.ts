// Shared bits of the coordination services: the run mode, street-staff checks, unit lookups.

import type { Kysely, Transaction } from 'kysely';
import type { User } from '../../../shared/api/types';
import type { RunMode } from '../../../shared/domain/ticket';
import type { Database } from '../../db/schema';
import { AppError } from '../core/errors';
import { getSetting } from '../core/settings';

export type Db = Kysely<Database> | Transaction<Database>;
export type Trx = Transaction<Database>;

export async function currentMode(db: Db): Promise<RunMode> {
  return ((await getSetting(db, 'runMode')) as RunMode | undefined) ?? 'daily';
}

/** When the mode in force came into force (null: never switched — it has always been in force). */
export async function modeSince(db: Db): Promise<number | null> {
  const v = await getSetting(db, 'runModeSince');
  return typeof v === 'number' ? v : null;
}

export function isStreetStaff(user: User): boolean {
  return user.role === 'operator' || user.role === 'leader';
}

export function requireStreetStaff(user: User, what: string): void {
  if (!isStreetStaff(user)) throw new AppError('forbiddenRole', `只有街道工作人员可以${what}`, { detail: `${user.username} (${user.role}) tried: ${what}` });
}

export function requireLeader(user: User, what: string): void {
  if (user.role !== 'leader') throw new AppError('forbiddenRole', `只有街道领导可以${what}`, { detail: `${user.username} (${user.role}) tried: ${what}` });
}

export async function unitNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids)];
  if (!uniq.length) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function requireActiveUnits(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids)];
  const rows = uniq.length ? await db.selectFrom('units').select(['id', 'name', 'active']).where('id', 'in', uniq).execute() : [];
  const found = new Map(rows.filter((r) => r.active).map((r) => [r.id, r.name]));
  const missing = uniq.filter((u) => !found.has(u));
  if (missing.length) throw new AppError('badUnit', '所选单位不存在或已停用', { detail: `units not found/inactive: ${missing.join(',')}` });
  return found;
}

export const SYSTEM_USER: User = { id: 'system', username: 'system', displayName: '系统', role: 'system', unitId: null, unitName: null };
