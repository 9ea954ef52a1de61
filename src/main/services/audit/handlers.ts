// 设置 › 审计日志: the audit log for leaders and administrators — filtered, exported to Excel (the
// export itself is audited), and the chain checked (校验).

import type { z } from 'zod/v4';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { AuditEntry, auditFilter } from '../../../shared/api/admin';
import type { Database } from '../../db/schema';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { actorOf } from '../auth/accounts';
import { STREET_MANAGERS, requireRole } from '../auth/roles';
import { AUDIT_ACTIONS, appendAudit, verifyAuditChain, type AuditRow } from './auditLog';

type Filter = z.output<typeof auditFilter>;
type EB = ExpressionBuilder<Database, 'audit_log'>;

function where(eb: EB, f: Filter): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  if (f.action) c.push(f.action.endsWith('.') || !f.action.includes('.') ? eb('action', 'like', `${f.action.replace(/\.$/, '')}%`) : eb('action', '=', f.action));
  if (f.actor) c.push(eb('actor_name', 'like', `%${f.actor.replace(/[%_]/g, '')}%`));
  if (f.target) c.push(eb('target', 'like', `%${f.target.replace(/[%_]/g, '')}%`));
  if (f.from != null) c.push(eb('at', '>=', f.from));
  if (f.to != null) c.push(eb('at', '<', f.to));
  return eb.and(c);
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  action: r.action,
  target: r.target,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  client: r.client,
  hash: r.hash,
});

const EXPORT_MAX = 200_000;

export function auditHandlers(ctx: NodeContext): HandlersFor<'audit.list' | 'audit.verify' | 'audit.export'> {
  const db = ctx.store.db;
  return {
    'audit.list': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '查看审计日志');
      const [rows, total] = await Promise.all([
        db.selectFrom('audit_log').selectAll().where((eb) => where(eb, input.filter)).orderBy('seq', 'desc').limit(input.endRow - input.startRow).offset(input.startRow).execute(),
        db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => where(eb, input.filter)).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(toEntry), total: Number(total.n) };
    },
    'audit.verify': async ({ user }) => {
      requireRole(user, STREET_MANAGERS, '校验审计日志');
      const v = await verifyAuditChain(db);
      await appendAudit(db, ctx.now(), { actor: actorOf(user), action: 'audit.verify', target: null, detail: { ok: v.ok, entries: v.entries, brokenAt: v.brokenAt } });
      if (!v.ok) ctx.log.error('audit chain broken', { ...v });
      return v;
    },
    'audit.export': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '导出审计日志');
      const rows = await db.selectFrom('audit_log').selectAll().where((eb) => where(eb, input.filter)).orderBy('seq').limit(EXPORT_MAX).execute();
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('审计日志');
      ws.columns = [
        { header: '序号', key: 'seq', width: 8 },
        { header: '时间', key: 'at', width: 20 },
        { header: '操作人', key: 'actor', width: 24 },
        { header: '角色', key: 'role', width: 12 },
        { header: '操作', key: 'action', width: 16 },
        { header: '对象', key: 'target', width: 24 },
        { header: '详情', key: 'detail', width: 50 },
        { header: '来源', key: 'client', width: 16 },
        { header: '哈希', key: 'hash', width: 66 },
        { header: '前序哈希', key: 'prev', width: 66 },
      ];
      for (const r of rows)
        ws.addRow({
          seq: r.seq,
          at: new Date(r.at + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19),
          actor: r.actor_name,
          role: r.actor_role ?? '',
          action: AUDIT_ACTIONS[r.action as keyof typeof AUDIT_ACTIONS] ?? r.action,
          target: r.target ?? '',
          detail: r.detail,
          client: r.client ?? '',
          hash: r.hash,
          prev: r.prev_hash,
        });
      ws.getRow(1).font = { bold: true };
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      await appendAudit(db, ctx.now(), { actor: actorOf(user), action: 'export', target: '审计日志', detail: { rows: rows.length, filter: input.filter } });
      const day = new Date(ctx.now() + 8 * 3600_000).toISOString().slice(0, 10);
      return { name: `审计日志-${day}.xlsx`, dataBase64: buf.toString('base64'), rows: rows.length };
    },
  };
}
