// Handlers of the grids and map area of the API contract.

import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import type { GridMethod } from '../../../shared/api/grids';
import type { NodeContext } from '../core/context';
import type { HandlersFor } from '../core/handlers';
import { basemap, gridGeojson, gridLookup, gridProfile, setTileService, ticketPoints } from './queries';

export function gridHandlers(ctx: NodeContext): HandlersFor<GridMethod> {
  return {
    'grids.geojson': async ({ input, user }) => gridGeojson(ctx, user, input.levels),
    'grids.profile': async ({ input, user }) => gridProfile(ctx, user, input.id),
    'grids.lookup': async ({ input }) => gridLookup(ctx, input.lon, input.lat),
    'tickets.points': async ({ input, user }) => ticketPoints(ctx, user, input.filter, input.limit),
    'map.basemap': async () => basemap(ctx),
    'map.setTileService': async ({ input, user }) => {
      const r = await setTileService(ctx, user, input.tileService);
      await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: 'map.tileService', detail: { enabled: !!input.tileService } });
      return r;
    },
  };
}
