// City operator routes (admin client certificate): 12345 direct dispatch, directives, tickets, streets.

import { z } from 'zod';
import { CityError, type CityService } from '../service';
import type { Route } from '../http';
import type { LiveHub } from '../live';

export const ADMIN_PATH = '/admin/v1';

export function adminRoutes(svc: CityService, live: LiveHub): Route[] {
  return [
    { method: 'POST', path: `${ADMIN_PATH}/dispatch`, who: 'admin', handle: async (c) => svc.dispatch((await c.body()) as never) },
    { method: 'POST', path: `${ADMIN_PATH}/directives`, who: 'admin', handle: async (c) => svc.sendDirective((await c.body()) as never) },
    { method: 'POST', path: `${ADMIN_PATH}/whistle-responses`, who: 'admin', handle: async (c) => svc.sendWhistleResponse((await c.body()) as never) },
    {
      method: 'GET',
      path: `${ADMIN_PATH}/directives`,
      who: 'admin',
      handle: async (c) => svc.directives(z.coerce.number().int().min(1).max(500).default(50).parse(c.url.searchParams.get('limit') ?? undefined)),
    },
    {
      method: 'GET',
      path: `${ADMIN_PATH}/tickets/:id`,
      who: 'admin',
      handle: async (c) => {
        const t = await svc.ticket(c.params.id!);
        if (!t) throw new CityError(404, 'notFound', `no ticket ${c.params.id}`);
        return t;
      },
    },
    { method: 'GET', path: `${ADMIN_PATH}/streets`, who: 'admin', handle: async () => ({ streets: await svc.streetsStatus(), connected: live.connected() }) },
  ];
}
