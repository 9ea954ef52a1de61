// The Open311 route group, mounted on the city server beside sync and admin. Public routes (311
// apps have no client certificate; POST needs an api_key), plus one operator route (admin
// certificate) that issues API keys for `npm run -s city -- open311-key NAME`.

import { z } from 'zod/v4';
import type { CityService } from '../service';
import { HANDLED, type Route } from '../http';
import { Open311Api, OPEN311_PATH } from './api';
import { createApiKey } from './store';
import type { StreetLocator } from './streets';

export const OPEN311_ADMIN_PATH = '/admin/v1/open311';

export function open311Routes(
  svc: CityService,
  opts: { locator?: StreetLocator; log?: (msg: string, extra?: Record<string, unknown>) => void; perMinute?: number } = {},
): Route[] {
  const api = new Open311Api(svc, opts.locator, opts.log, { perMinute: opts.perMinute });
  const serve: Route['handle'] = async (c) => {
    await api.serve(c.req, c.res, c.url);
    return HANDLED;
  };
  const paths = [`${OPEN311_PATH}/:a`, `${OPEN311_PATH}/:a/:b`, `${OPEN311_PATH}/:a/:b/:c`];
  return [
    ...paths.flatMap((path) => [
      { method: 'GET' as const, path, who: 'public' as const, handle: serve },
      { method: 'POST' as const, path, who: 'public' as const, handle: serve },
    ]),
    {
      method: 'POST',
      path: `${OPEN311_ADMIN_PATH}/keys`,
      who: 'admin',
      handle: async (c) => {
        const { name } = z.object({ name: z.string().trim().min(1).max(100) }).parse(await c.body());
        return createApiKey(svc.db, name, svc.now());
      },
    },
  ];
}
