// Handlers of the sync area of the API contract (status, conflicts, directives, reference data, city settings).

import type { SyncMethod } from '../../shared/api/sync';
import type { NodeContext } from '../services/core/context';
import type { HandlersFor } from '../services/core/handlers';
import { AppError } from '../services/core/errors';
import { syncManager } from './manager';
import { ackDirective, listConflicts, listDirectives, resolveConflict } from './resolve';
import { referenceUpdates } from './reference';
import { maskPersonalFields } from '../services/tickets/visibility';
import { appendAudit } from '../services/audit/auditLog';
import { actorOf } from '../services/auth/accounts';

export function syncHandlers(ctx: NodeContext): HandlersFor<SyncMethod> {
  const m = () => syncManager(ctx);
  return {
    'sync.status': async () => m().status(),
    'sync.now': async () => {
      const c = m().client;
      if (!c) throw new AppError('notConfigured', '尚未配置市级平台，请在“设置 → 同步设置”中填写');
      await c.syncOnce().catch((err) => ctx.log.warn('manual sync failed', { error: String(err) }));
      return m().status();
    },
    'sync.conflicts': async ({ input, user }) => {
      // Street staff settle conflicts; the ops and the city's copy carry personal data, masked here.
      if (user.role !== 'leader' && user.role !== 'operator') throw new AppError('forbiddenRole', '无权查看同步冲突');
      const list = await listConflicts(ctx, input.includeResolved);
      return list.map((c) => ({ ...c, cityState: c.cityState ? maskPersonalFields(c.cityState) : null, payload: c.payload ? maskPersonalFields(c.payload) : null }));
    },
    'sync.resolve': async ({ input, user }) => {
      await resolveConflict(ctx, user, input.opId, input.resolution, input.reason);
      return m().status();
    },
    'sync.directives': async () => listDirectives(ctx),
    'sync.referenceUpdates': async () => referenceUpdates(ctx.store.db),
    'sync.ackDirective': async ({ input, user }) => {
      await ackDirective(ctx, user, input.id, input.note);
      return listDirectives(ctx);
    },
    'sync.settings': async ({ user }) => {
      if (user.role !== 'leader' && user.role !== 'operator' && user.role !== 'admin') throw new AppError('forbiddenRole', '无权查看同步设置');
      return m().config();
    },
    'sync.configure': async ({ input, user }) => {
      if (user.role !== 'leader' && user.role !== 'admin') throw new AppError('forbiddenRole', '只有街道领导和系统管理员可以修改同步设置');
      await m().setConfig('disable' in input ? null : input);
      ctx.log.info('sync settings changed', { by: user.username, disabled: 'disable' in input });
      await appendAudit(ctx.store.db, ctx.now(), {
        actor: actorOf(user),
        action: 'sync.config',
        target: 'disable' in input ? null : input.url,
        detail: 'disable' in input ? { disabled: true } : { url: input.url },
      });
      return m().status();
    },
  };
}
