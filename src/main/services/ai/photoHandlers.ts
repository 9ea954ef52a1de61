// Handlers of the photo AI area of the API contract.

import type { AiPhotoMethod } from '../../../shared/api/aiPhoto';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { getPhotoCheck, photoAi, photoAiStats, photoAiStatus, recordPhotoSuggestions, suggestForPhoto } from './photo';

export function aiPhotoHandlers(ctx: NodeContext): HandlersFor<AiPhotoMethod> {
  // Subscribes to resolutions now, so every resolution with after-photos gets checked; the model loads on first use.
  photoAi(ctx);
  return {
    'aiPhoto.status': async () => photoAiStatus(ctx),
    'aiPhoto.suggest': async ({ input, user }) => suggestForPhoto(ctx, user, input.sha256),
    'aiPhoto.record': async ({ input, user }) => recordPhotoSuggestions(ctx, user, input),
    'aiPhoto.check': async ({ input, user }) => getPhotoCheck(ctx, user, input.ticketId),
    'aiPhoto.stats': async ({ input, user }) => photoAiStats(ctx, user, input),
  };
}
