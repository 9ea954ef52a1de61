// 设置 › 备份与恢复: the backups and their sizes, a backup now, how many days to keep them, and a
// restore (administrators only; applied when the node next starts). Everything is audited.

import path from 'node:path';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { setSetting } from '../core/settings';
import { actorOf } from '../auth/accounts';
import { ADMINS, STREET_MANAGERS, requireRole } from '../auth/roles';
import { appendAudit } from '../audit/auditLog';
import { backupList, backupSettings, pendingRestore, runBackup, stageRestore } from './schedule';

export function backupHandlers(ctx: NodeContext): HandlersFor<'backup.status' | 'backup.run' | 'backup.settings' | 'backup.restore'> {
  return {
    'backup.status': async ({ user }) => {
      requireRole(user, STREET_MANAGERS, '查看备份');
      const s = await backupSettings(ctx);
      const p = pendingRestore(ctx.store.file);
      return {
        dir: s.dir,
        keepDays: s.keepDays,
        lastAt: s.lastAt,
        backups: backupList(ctx, s.dir).map((b) => ({ name: b.name, bytes: b.bytes, photosBytes: b.photosBytes, at: b.at })),
        pendingRestore: p ? { ...p, from: path.basename(p.from) } : null,
      };
    },
    'backup.run': async ({ user }) => {
      requireRole(user, STREET_MANAGERS, '备份');
      const r = await runBackup(ctx, actorOf(user), 'manual');
      return { file: path.basename(r.file), tickets: r.tickets, ms: r.ms, bytes: r.bytes };
    },
    'backup.settings': async ({ input, user }) => {
      requireRole(user, ADMINS, '修改备份设置');
      await setSetting(ctx.store.db, 'backup.keepDays', input.keepDays);
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: 'backup.keepDays', detail: { keepDays: input.keepDays } });
      return { ok: true as const };
    },
    'backup.restore': async ({ input, user }) => {
      requireRole(user, ADMINS, '恢复备份');
      return stageRestore(ctx, actorOf(user), input.name);
    },
  };
}
