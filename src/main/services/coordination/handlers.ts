// Handlers of the coordination area of the API contract: supervision, whistle sessions, joint
// reviews, run modes.

import type { CoordinationMethod } from '../../../shared/api/coordination';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { runSupervision, superviseByHand, supervisionBoard, supervisionHistory } from './supervision';
import { signInBoard } from './signInBoard';
import { addEntry, addTask, closeWhistle, getWhistle, listWhistles, openWhistle, respondWhistle, summonMore, updateTask } from './whistle';
import { decideReview, getReview, listReviews, openReview, recordPosition } from './review';
import { fileZeroReport, leaderSwitch, patrolCheckIn, runModeStatus, setDuty, runModePreview } from './runModes';
import { requireStreetStaff } from './common';

export function coordinationHandlers(ctx: NodeContext): HandlersFor<CoordinationMethod> {
  return {
    'supervision.board': async ({ input, user }) => supervisionBoard(ctx, user, input),
    'supervision.signIns': async ({ input, user }) => signInBoard(ctx, user, input),
    'supervision.history': async ({ input, user }) => supervisionHistory(ctx, user, input),
    'supervision.supervise': async ({ input, user }) => {
      await superviseByHand(ctx, user, input);
      return supervisionHistory(ctx, user, { ticketId: input.ticketId, limit: 200 });
    },
    'supervision.run': async ({ user }) => {
      requireStreetStaff(user, '执行督办检查');
      return runSupervision(ctx);
    },
    'whistle.list': async ({ input, user }) => listWhistles(ctx, user, input),
    'whistle.get': async ({ input, user }) => getWhistle(ctx, user, input.id),
    'whistle.open': async ({ input, user }) => getWhistle(ctx, user, await openWhistle(ctx, user, input)),
    'whistle.respond': async ({ input, user }) => {
      await respondWhistle(ctx, user, input);
      return getWhistle(ctx, user, input.sessionId);
    },
    'whistle.summon': async ({ input, user }) => {
      await summonMore(ctx, user, input);
      return getWhistle(ctx, user, input.sessionId);
    },
    'whistle.addTask': async ({ input, user }) => {
      await addTask(ctx, user, input);
      return getWhistle(ctx, user, input.sessionId);
    },
    'whistle.updateTask': async ({ input, user }) => getWhistle(ctx, user, await updateTask(ctx, user, input)),
    'whistle.addEntry': async ({ input, user }) => {
      await addEntry(ctx, user, input);
      return getWhistle(ctx, user, input.sessionId);
    },
    'whistle.close': async ({ input, user }) => {
      await closeWhistle(ctx, user, input);
      return getWhistle(ctx, user, input.sessionId);
    },
    'reviews.list': async ({ input, user }) => listReviews(ctx, user, input),
    'reviews.get': async ({ input, user }) => getReview(ctx, user, input.id),
    'reviews.open': async ({ input, user }) => getReview(ctx, user, await openReview(ctx, user, input)),
    'reviews.position': async ({ input, user }) => {
      await recordPosition(ctx, user, input);
      return getReview(ctx, user, input.reviewId);
    },
    'reviews.decide': async ({ input, user }) => {
      await decideReview(ctx, user, input);
      return getReview(ctx, user, input.reviewId);
    },
    'runMode.status': async () => runModeStatus(ctx),
    'runMode.preview': async ({ input, user }) => runModePreview(ctx, user, input),
    'runMode.switch': async ({ input, user }) => {
      await leaderSwitch(ctx, user, input);
      await runSupervision(ctx).catch((err) => ctx.log.error('supervision after mode switch failed', { error: String(err) }));
      return runModeStatus(ctx);
    },
    'runMode.patrol': async ({ input, user }) => {
      await patrolCheckIn(ctx, user, input);
      return runModeStatus(ctx);
    },
    'runMode.zeroReport': async ({ input, user }) => {
      await fileZeroReport(ctx, user, input);
      return runModeStatus(ctx);
    },
    'runMode.setDuty': async ({ input, user }) => {
      await setDuty(ctx, user, input);
      return runModeStatus(ctx);
    },
  };
}
