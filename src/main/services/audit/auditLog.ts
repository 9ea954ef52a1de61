// The audit log: who did what that matters for trust — logins and failed logins, password and role
// changes, every full view of a citizen's personal data, every export, settings changes, the city
// connection, model switches, backups and restores.
//
// Append-only in the store (triggers refuse UPDATE and DELETE) and tamper-evident: each entry
// carries the sha256 of the previous entry's hash and its own content, so changing, removing or
// inserting a row anywhere breaks the chain from that row on (`verifyAuditChain`). Every entry also
// goes into the outbox in the same transaction and so reaches the city with the other synced data.

import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../../db/schema';
import { appendOutbox } from '../core/outbox';

type Db = Kysely<Database> | Transaction<Database>;

/** What is audited (the Chinese labels are for 设置 › 审计日志). */
export const AUDIT_ACTIONS = {
  'street.init': '创建街道',
  'login.ok': '登录',
  'login.failed': '登录失败',
  'password.change': '修改密码',
  'password.reset': '重置密码',
  'account.create': '新建账号',
  'account.update': '修改账号',
  'account.deactivate': '停用账号',
  'account.activate': '启用账号',
  'personal.view': '查看个人信息',
  'export': '导出',
  'settings.change': '修改设置',
  'performance.score': '绩效刚性评',
  'sync.config': '同步设置',
  'model.switch': '切换模型',
  'backup': '备份',
  'restore': '恢复',
  'audit.verify': '校验审计日志',
  'recurring.open': '开立专项治理',
  'recurring.note': '专项治理进展',
  'recurring.close': '专项治理结项',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  id: string | null;
  name: string;
  role: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  /** What it was about: a ticket id, a username, a setting key, a file … */
  target?: string | null;
  detail?: Record<string, unknown>;
  /** Where the request came from (client address), when known. */
  client?: string | null;
}

/** A stored audit entry: the table's row as read. */
export type AuditRow = Selectable<AuditLogTable>;

/** The entry's hash: sha256 over the previous hash and the entry's fields, in a fixed order. */
export function auditHash(prevHash: string, e: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>): string {
  const body = JSON.stringify([e.id, e.at, e.actor_id, e.actor_name, e.actor_role, e.action, e.target, e.detail, e.client]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

async function appendIn(trx: Transaction<Database>, at: number, input: AuditInput): Promise<AuditRow> {
  const last = await trx.selectFrom('audit_log').select(['hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS_HASH;
  const entry = {
    id: uuidv7(),
    at,
    actor_id: input.actor.id,
    actor_name: input.actor.name,
    actor_role: input.actor.role,
    action: input.action,
    target: input.target ?? null,
    detail: JSON.stringify(input.detail ?? {}),
    client: input.client ?? null,
  };
  const hash = auditHash(prev, entry);
  const r = await trx.insertInto('audit_log').values({ ...entry, prev_hash: prev, hash }).returning('seq').executeTakeFirstOrThrow();
  await appendOutbox(trx, {
    entity: 'audit',
    entityId: entry.id,
    op: 'append',
    at,
    payload: {
      at,
      actor: { id: entry.actor_id, name: entry.actor_name, role: entry.actor_role },
      action: entry.action,
      target: entry.target,
      detail: input.detail ?? {},
      prevHash: prev,
      hash,
    },
  });
  return { seq: Number(r.seq), ...entry, prev_hash: prev, hash };
}

/**
 * Appends an entry. Inside a transaction the entry commits (or not) with the change it records;
 * otherwise it gets a transaction of its own (the store's connection mutex serializes appends, so
 * the chain never forks).
 */
export async function appendAudit(db: Db, at: number, input: AuditInput): Promise<AuditRow> {
  if (db.isTransaction) return appendIn(db as Transaction<Database>, at, input);
  return (db as Kysely<Database>).transaction().execute((trx) => appendIn(trx, at, input));
}

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  /** The first entry whose hash does not follow (seq), when the chain is broken. */
  brokenAt: number | null;
  reason: string | null;
}

/** Walks the whole chain in order and recomputes every hash. */
export async function verifyAuditChain(db: Db): Promise<ChainVerdict> {
  let prev = GENESIS_HASH;
  let entries = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(5000).execute();
    if (!rows.length) break;
    for (const r of rows) {
      entries++;
      if (r.prev_hash !== prev)
        return { ok: false, entries, brokenAt: r.seq, reason: `第 ${r.seq} 条记录的前序哈希与上一条不符（记录被删除、插入或改动）` };
      const want = auditHash(prev, r);
      if (want !== r.hash) return { ok: false, entries, brokenAt: r.seq, reason: `第 ${r.seq} 条记录的内容与其哈希不符（记录被改动）` };
      prev = r.hash;
    }
    after = rows[rows.length - 1]!.seq;
  }
  return { ok: true, entries, brokenAt: null, reason: null };
}
