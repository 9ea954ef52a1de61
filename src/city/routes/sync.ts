// Street sync routes: push, pull, live channel, own ticket. Caller = a street (client certificate).

import { z } from 'zod/v4';
import { pushRequest, SYNC_PATH } from '../../shared/sync/protocol';
import { CityError, type CityService } from '../service';
import { HANDLED, type Route, type RouteContext } from '../http';
import type { LiveHub } from '../live';
import { MAX_BLOB, type BlobStore } from '../blobs';

/** The certificate names the street; a street node also says which street it is (header), and the two must agree. */
async function streetOf(c: RouteContext, svc: CityService): Promise<string> {
  const street = c.caller.cn!;
  const claimed = c.req.headers['x-street-code'];
  if (typeof claimed === 'string' && claimed !== street)
    throw new CityError(403, 'credentialMismatch', `credential of street ${street} used by a node claiming ${claimed}`);
  // A certificate from the city CA is the street's registration: first contact records it.
  await svc.ensureStreet(street);
  return street;
}

export function syncRoutes(svc: CityService, live: LiveHub, blobs: BlobStore): Route[] {
  return [
    {
      method: 'GET',
      path: `${SYNC_PATH}/blobs/:sha`,
      who: 'street',
      handle: async (c) => {
        await streetOf(c, svc);
        return blobs.status(c.params.sha!);
      },
    },
    {
      method: 'POST',
      path: `${SYNC_PATH}/blobs/:sha`,
      who: 'street',
      handle: async (c) => {
        await streetOf(c, svc);
        const q = z.object({ offset: z.coerce.number().int().min(0), total: z.coerce.number().int().min(1).max(MAX_BLOB) }).parse(Object.fromEntries(c.url.searchParams));
        return blobs.append(c.params.sha!, q.offset, q.total, await c.raw(MAX_BLOB));
      },
    },
    {
      // A model version the city published (its bundle, by content address).
      method: 'GET',
      path: `${SYNC_PATH}/models/:sha`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        if (!(await svc.modelPublishedTo(street, c.params.sha!))) throw new CityError(404, 'notFound', 'no such model for this street');
        const bytes = blobs.read(c.params.sha!);
        c.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        c.res.end(bytes);
        return HANDLED;
      },
    },
    {
      // A photo that came with one of the street's city tickets (郑好拍, 数字城管), by content address.
      method: 'GET',
      path: `${SYNC_PATH}/photos/:sha`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        const p = /^[0-9a-f]{64}$/.test(c.params.sha!) ? await svc.ticketPhoto(street, c.params.sha!) : null;
        if (!p) throw new CityError(404, 'notFound', 'no such photo for this street');
        const bytes = blobs.read(c.params.sha!);
        c.res.writeHead(200, { 'content-type': p.mime, 'content-length': bytes.length, 'cache-control': 'no-store' });
        c.res.end(bytes);
        return HANDLED;
      },
    },
    {
      method: 'POST',
      path: `${SYNC_PATH}/push`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        const body = pushRequest.parse(await c.body());
        return svc.push(street, body.ops);
      },
    },
    {
      method: 'GET',
      path: `${SYNC_PATH}/pull`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        const q = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(500) }).parse(Object.fromEntries(c.url.searchParams));
        return svc.pull(street, q.after, q.limit);
      },
    },
    {
      method: 'GET',
      path: `${SYNC_PATH}/live`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        if (!live.hasRoom(street)) throw new CityError(429, 'tooManyStreams', `street ${street} already holds ${live.maxPerStreet} live streams`, 30);
        const last = await svc.db.selectFrom('feed').select((eb) => eb.fn.max('seq').as('m')).where('street_code', '=', street).executeTakeFirst();
        live.attach(street, c.req, c.res, Number(last?.m ?? 0));
        return HANDLED;
      },
    },
    {
      method: 'GET',
      path: `${SYNC_PATH}/tickets/:id`,
      who: 'street',
      handle: async (c) => {
        const street = await streetOf(c, svc);
        const t = await svc.ticket(c.params.id!, street);
        if (!t) throw new CityError(404, 'notFound', 'no such ticket for this street');
        return t;
      },
    },
  ];
}
