// City operator routes (admin client certificate): 12345 direct dispatch, directives, reference data
// and model versions, tickets, streets. Directives may also be sent and followed by a district
// operations center (district certificate), for its own streets only.

import { z } from 'zod/v4';
import { CityError, type CityService } from '../service';
import type { Route, RouteContext } from '../http';
import type { LiveHub } from '../live';
import { MAX_BLOB, type BlobStore } from '../blobs';
import { describeBundle } from '../models';
import { publishReferenceRequest, REFERENCE_KINDS } from '../../shared/sync/reference';

export const ADMIN_PATH = '/admin/v1';

/** A district caller is scoped to its district; the city's operators are not scoped. */
const scopeOf = (c: RouteContext) => (c.caller.role === 'district' ? { district: c.caller.cn! } : {});

export function adminRoutes(svc: CityService, live: LiveHub, blobs: BlobStore): Route[] {
  return [
    { method: 'POST', path: `${ADMIN_PATH}/dispatch`, who: 'admin', handle: async (c) => svc.dispatch((await c.body()) as never) },
    // 12345 审核 of a street's result: { decision: 'approve' | 'return' (reason) | 'callback' (satisfaction) }.
    // A district center reviews its own streets' tickets only, where the city delegated it (grant-review).
    { method: 'POST', path: `${ADMIN_PATH}/tickets/:id/review`, who: 'operator', handle: async (c) => svc.review(c.params.id!, await c.body(), undefined, scopeOf(c)) },
    { method: 'POST', path: `${ADMIN_PATH}/directives`, who: 'operator', handle: async (c) => svc.sendDirective((await c.body()) as never, scopeOf(c)) },
    {
      method: 'POST',
      path: `${ADMIN_PATH}/reference/:kind`,
      who: 'admin',
      handle: async (c) => {
        const kind = z.enum(REFERENCE_KINDS.filter((k) => k !== 'modelVersion') as ['catalog', 'grids', 'calendar', 'caseCodeMap']).parse(c.params.kind);
        const body = publishReferenceRequest.parse(await c.body());
        return svc.publishReference(kind, body.payload, body.streets);
      },
    },
    { method: 'GET', path: `${ADMIN_PATH}/reference`, who: 'admin', handle: async () => svc.referencePublications() },
    {
      // A model bundle (raw bytes); `?streets=A,B` limits who gets it.
      method: 'POST',
      path: `${ADMIN_PATH}/models`,
      who: 'admin',
      handle: async (c) => {
        const bytes = await c.raw(MAX_BLOB);
        const d = describeBundle(bytes);
        const stored = blobs.put(bytes);
        const streets = (c.url.searchParams.get('streets') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        return svc.publishReference('modelVersion', { ...d, ...stored }, streets);
      },
    },
    { method: 'POST', path: `${ADMIN_PATH}/whistle-responses`, who: 'admin', handle: async (c) => svc.sendWhistleResponse((await c.body()) as never) },
    {
      method: 'GET',
      path: `${ADMIN_PATH}/directives`,
      who: 'operator',
      handle: async (c) => svc.directives(z.coerce.number().int().min(1).max(500).default(50).parse(c.url.searchParams.get('limit') ?? undefined), scopeOf(c)),
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
    {
      method: 'GET',
      path: `${ADMIN_PATH}/training-data`,
      who: 'admin',
      handle: async (c) => svc.trainingData(z.coerce.number().int().optional().parse(c.url.searchParams.get('since') ?? undefined)),
    },
    { method: 'GET', path: `${ADMIN_PATH}/streets`, who: 'admin', handle: async () => ({ streets: await svc.streetsStatus(), connected: live.connected() }) },
  ];
}
