// API methods of setting up and running a real street: accounts and passwords, the setup wizard
// (street details, grid import, units, key places, duty roster, default catalog), the audit log,
// backups, and the full view of a ticket's personal data (查看).

import { z } from 'zod/v4';
import { ROLES, type Role } from '../domain/ticket';
import { USERNAME_PATTERN } from '../domain/accounts';
import { PASSWORD_MAX_LENGTH } from '../domain/passwordPolicy';
import { empty, epochMs, id, method, optionalText, phoneOrEmpty } from './common';

export const ACCOUNT_ROLES = ROLES.filter((r): r is Exclude<Role, 'system'> => r !== 'system');
export const UNIT_KINDS = ['community', 'department', 'enterprise', 'street'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = { community: '社区', department: '职能部门', enterprise: '企业', street: '街道科室' };

const username = z.string().trim().regex(USERNAME_PATTERN, '用户名须为 2–32 个字母、数字、点、横线或下划线');
const displayName = z.string().trim().min(1, '请填写姓名').max(50, '姓名不能超过50字');
const accountRole = z.enum(ACCOUNT_ROLES as [Exclude<Role, 'system'>, ...Array<Exclude<Role, 'system'>>], { message: '请选择角色' });
const upload = {
  name: z.string().trim().min(1).max(200),
  dataBase64: z.string().max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 8, '文件不能超过64MB'),
};

export const changePasswordInput = z.object({
  current: z.string().min(1, '请输入当前密码').max(PASSWORD_MAX_LENGTH),
  next: z.string().min(1, '请输入新密码').max(PASSWORD_MAX_LENGTH, `密码不能超过${PASSWORD_MAX_LENGTH}个字符`),
});
export const accountCreateInput = z.object({ username, displayName, role: accountRole, unitId: id.nullable().default(null) });
export const accountUpdateInput = z.object({
  id,
  displayName: displayName.optional(),
  role: accountRole.optional(),
  unitId: id.nullable().optional(),
  active: z.boolean().optional(),
});
export const streetUpdateInput = z.object({
  codePrefix: z.string().trim().regex(/^[A-Z]{1,4}$/, '工单编号前缀须为1–4个大写字母').optional(),
  population: z.number().int().min(0).max(10_000_000).nullable().optional(),
  areaKm2: z.number().min(0).max(10_000).nullable().optional(),
});
export const unitSaveInput = z.object({
  id: id.optional(),
  code: z.string().trim().min(1, '请填写单位编码').max(64),
  name: z.string().trim().min(2, '请填写单位名称').max(100),
  kind: z.enum(UNIT_KINDS, { message: '请选择单位类型' }),
  phone: phoneOrEmpty,
  active: z.boolean().default(true),
});
export const keyPlaceSaveInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(2, '请填写部位名称').max(100),
  address: z.string().trim().min(2, '请填写地址').max(300),
  kind: z.string().trim().min(1, '请填写类型').max(50),
  active: z.boolean().default(true),
});
export const dutySaveInput = z.object({
  id: id.optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-01-31'),
  shift: z.enum(['day', 'night']),
  post: z.string().trim().min(1, '请填写岗位').max(50),
  name: z.string().trim().min(1, '请填写姓名').max(50),
  phone: phoneOrEmpty,
});
export const auditFilter = z.object({
  action: z.string().max(40).optional(),
  actor: optionalText(50),
  target: optionalText(100),
  from: epochMs.optional(),
  to: epochMs.optional(),
});
export const auditListInput = z.object({ startRow: z.number().int().min(0).default(0), endRow: z.number().int().min(1).default(200), filter: auditFilter.prefault({}) })
  .refine((v) => v.endRow > v.startRow && v.endRow - v.startRow <= 1000, '每页最多1000条');

export const adminMethods = {
  'session.changePassword': method<typeof changePasswordInput, { ok: true }>(changePasswordInput),
  'accounts.list': method<typeof empty, AccountInfo[]>(empty),
  'accounts.create': method<typeof accountCreateInput, { account: AccountInfo; password: string }>(accountCreateInput),
  'accounts.update': method<typeof accountUpdateInput, AccountInfo>(accountUpdateInput),
  'accounts.resetPassword': method<z.ZodObject<{ id: typeof id }>, { password: string }>(z.object({ id })),
  'setup.finish': method<typeof empty, { ok: true }>(empty),
  'street.update': method<typeof streetUpdateInput, { ok: true }>(streetUpdateInput),
  'grids.import': method<z.ZodObject<typeof upload & { convertGcj02: z.ZodDefault<z.ZodBoolean> }>, { grids: number; added: number; updated: number }>(
    z.object({ ...upload, convertGcj02: z.boolean().default(false) }),
  ),
  'units.list': method<typeof empty, UnitRecord[]>(empty),
  'units.save': method<typeof unitSaveInput, UnitRecord>(unitSaveInput),
  'units.import': method<z.ZodObject<typeof upload>, { added: number; updated: number }>(z.object(upload)),
  'keyPlaces.list': method<typeof empty, KeyPlaceRecord[]>(empty),
  'keyPlaces.save': method<typeof keyPlaceSaveInput, KeyPlaceRecord>(keyPlaceSaveInput),
  'duty.list': method<typeof empty, DutyRecord[]>(empty),
  'duty.save': method<typeof dutySaveInput, DutyRecord>(dutySaveInput),
  'catalog.installDefault': method<typeof empty, { added: number }>(empty),
  'tickets.revealPersonal': method<z.ZodObject<{ id: typeof id }>, { reporterName: string | null; reporterPhone: string | null }>(z.object({ id })),
  'audit.list': method<typeof auditListInput, { rows: AuditEntry[]; total: number }>(auditListInput),
  'audit.verify': method<typeof empty, AuditVerdict>(empty),
  'audit.export': method<z.ZodObject<{ filter: z.ZodPrefault<typeof auditFilter> }>, { name: string; dataBase64: string; rows: number }>(z.object({ filter: auditFilter.prefault({}) })),
  'backup.status': method<typeof empty, BackupStatus>(empty),
  'backup.run': method<typeof empty, { file: string; tickets: number; ms: number; bytes: number }>(empty),
  'backup.settings': method<z.ZodObject<{ keepDays: z.ZodNumber }>, { ok: true }>(z.object({ keepDays: z.number().int().min(1, '至少保留1天').max(3650) })),
  'backup.restore': method<z.ZodObject<{ name: z.ZodString }>, { tickets: number }>(z.object({ name: z.string().min(1).max(200) })),
} as const;

export interface AccountInfo {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitName: string | null;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: number;
}
export interface UnitRecord {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  phone: string | null;
  active: boolean;
}
export interface KeyPlaceRecord {
  id: string;
  name: string;
  address: string;
  kind: string;
  active: boolean;
}
export interface DutyRecord {
  id: string;
  date: string;
  shift: 'day' | 'night';
  post: string;
  name: string;
  phone: string | null;
}
export interface AuditEntry {
  seq: number;
  at: number;
  actorName: string;
  actorRole: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  client: string | null;
  hash: string;
}
export interface AuditVerdict {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
  reason: string | null;
}
export interface BackupStatus {
  dir: string;
  keepDays: number;
  lastAt: number | null;
  backups: Array<{ name: string; bytes: number; photosBytes: number; at: number }>;
  /** A restore an administrator staged, applied when the node next starts. */
  pendingRestore: { from: string; by: string; at: number } | null;
}
