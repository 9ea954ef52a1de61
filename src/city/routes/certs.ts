// Certificate revocation and district grants (city operators only): the CLI's `revoke` and
// `grant-run-mode` go through these when a server is running; the console uses the same calls.

import { z } from 'zod/v4';
import { CityError, type CityService } from '../service';
import type { Route } from '../http';
import type { Certificates } from '../certs';
import type { LiveHub } from '../live';
import { ADMIN_PATH } from './admin';

export function certRoutes(svc: CityService, certs: Certificates, live: LiveHub, dataDir: string): Route[] {
  return [
    { method: 'GET', path: `${ADMIN_PATH}/revocations`, who: 'admin', handle: async () => ({ revoked: await certs.revoked(), seen: await certs.seenList() }) },
    {
      // { target: CN or serial, reason? }
      method: 'POST',
      path: `${ADMIN_PATH}/revocations`,
      who: 'admin',
      handle: async (c) => {
        const body = z.object({ target: z.string().trim().min(1).max(200), reason: z.string().max(200).optional() }).parse(await c.body());
        let found;
        try {
          found = await certs.resolve(body.target, dataDir);
        } catch (err) {
          throw new CityError(404, 'unknownCertificate', (err as Error).message);
        }
        const r = await certs.revoke({ ...found, reason: body.reason ?? null });
        if (r.role === 'street' && r.cn) live.disconnect(r.cn);
        return r;
      },
    },
    {
      method: 'POST',
      path: `${ADMIN_PATH}/districts/:code/grants`,
      who: 'admin',
      handle: async (c) => {
        // { runMode?: boolean, review?: boolean }: a field left out keeps its value.
        const body = z
          .object({ runMode: z.boolean().optional(), review: z.boolean().optional() })
          .refine((b) => b.runMode !== undefined || b.review !== undefined, 'runMode or review is required')
          .parse(await c.body());
        return svc.grantDistrict(c.params.code!, body);
      },
    },
  ];
}
