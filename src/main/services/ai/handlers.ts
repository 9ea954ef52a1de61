// Handlers of the assistant's (text) area of the API contract.

import { assertTicketVisible } from '../tickets/visibility';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import type { AiMethod } from '../../../shared/api/ai';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { AppError } from '../core/errors';
import { aiServiceFor } from './registry';
import { acceptanceStats, dispatchShare, duplicateCandidates, suggestionFeedback, unitSuggestions } from './queries';
import { replySuggestions, whistleDepartments } from './suggestions';
import { requireStreetStaff } from '../coordination/common';

const STREET_ROLES = ['operator', 'leader'];
/** Who files or classifies tickets: units never do, and must not see other units' tickets. */
function intake(role: string): void {
  if (role === 'unit' || role === 'system') throw new AppError('forbiddenRole', '处置单位无权使用该功能');
}

export function aiHandlers(ctx: NodeContext): HandlersFor<AiMethod> {
  const ai = () => aiServiceFor(ctx);
  return {
    'ai.status': async () => {
      void ai().start();
      return ai().status();
    },
    'ai.suggest': async ({ input, user }) => {
      intake(user.role);
      return ai().suggest(user, input);
    },
    'ai.duplicates': async ({ input, user }) => {
      intake(user.role);
      return duplicateCandidates(ctx, ai(), user, { ...input, reporterPhone: input.reporterPhone || undefined });
    },
    'ai.unitSuggest': async ({ input, user }) => {
      intake(user.role);
      return unitSuggestions(ctx, user, input.ticketId);
    },
    'ai.feedback': async ({ input }) => {
      await suggestionFeedback(ctx, input);
      return { ok: true as const };
    },
    'ai.stats': async () => acceptanceStats(ctx),
    'ai.whistleDepts': async ({ input, user }) => {
      requireStreetStaff(user, '发起吹哨报到');
      return whistleDepartments(ctx, input);
    },
    'ai.dispatchShare': async () => dispatchShare(ctx),
    'ai.replies': async ({ input, user }) => {
      if (user.role === 'system') throw new AppError('forbiddenRole', '无权使用该功能');
      // Need to know: only for a ticket this user may see, from answers on tickets they may see.
      // (A unit's own-unit check is in replySuggestions, which answers 'not found' for others' tickets.)
      if (user.role !== 'unit') await assertTicketVisible(ctx, user, input.ticketId);
      void ai().start();
      return replySuggestions(ctx, ai(), user, input.ticketId);
    },
    'ai.models': async () => ai().models(),
    'ai.retrain': async ({ user }) => {
      if (!STREET_ROLES.includes(user.role)) throw new AppError('forbiddenRole', '只有街道受理员或领导可以重新训练模型');
      await ai().start();
      return ai().retrain();
    },
    'ai.rollback': async ({ input, user }) => {
      if (user.role !== 'leader') throw new AppError('forbiddenRole', '只有街道领导可以回退模型版本');
      await ai().start();
      const r = await ai().rollback(input.version);
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'model.switch', target: String(input.version), detail: { kind: 'text' } });
      return r;
    },
  };
}
