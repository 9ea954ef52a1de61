// Photos that come with a city ticket (a 郑好拍 citizen's photo, a 数字城管 case's): the feed item
// names them by sha256, the page leaves them on a pending list (settings, same transaction), and
// here each is fetched from the city, checked (its bytes must hash to its name and be an image),
// stored content-addressed like the street's own photos, and attached to the ticket as a "before"
// photo. A photo that cannot be fetched now stays pending for the next round; one the city refuses
// or that fails the checks is dropped with a log line (the ticket stays as it is).

import crypto from 'node:crypto';
import type { NodeContext } from '../services/core/context';
import { getSetting, setSetting } from '../services/core/settings';
import { saveAttachment } from '../services/tickets/attachments';
import { PENDING_PHOTOS_KEY, type PendingPhoto } from './feedApply';

export class PhotoRefused extends Error {}

/** Fetches pending photos; returns the ids of tickets that got one. */
export async function fetchCityPhotos(ctx: NodeContext, fetch: (sha256: string) => Promise<Buffer>): Promise<string[]> {
  const db = ctx.store.db;
  const pending = ((await getSetting(db, PENDING_PHOTOS_KEY)) as PendingPhoto[] | undefined) ?? [];
  if (!pending.length) return [];
  const left: PendingPhoto[] = [];
  const done = new Set<string>();
  for (const p of pending) {
    try {
      const data = await fetch(p.sha256);
      const hash = crypto.createHash('sha256').update(data).digest('hex');
      if (hash !== p.sha256) throw new PhotoRefused(`bytes hash to ${hash}`);
      await saveAttachment(ctx, p.name, data);
      const report = await db.selectFrom('ticket_events').select('id').where('ticket_id', '=', p.ticketId).where('action', '=', 'report').orderBy('seq').limit(1).executeTakeFirst();
      await db
        .insertInto('ticket_attachments')
        .values({ ticket_id: p.ticketId, sha256: p.sha256, kind: 'before', event_id: report?.id ?? null, added_at: ctx.now() })
        .onConflict((oc) => oc.doNothing())
        .execute();
      done.add(p.ticketId);
    } catch (err) {
      const status = (err as { status?: number }).status;
      const permanent = err instanceof PhotoRefused || (err as { code?: string }).code === 'notImage' || (status != null && status >= 400 && status < 500);
      if (permanent) ctx.log.warn('city photo dropped', { ticket: p.ticketId, sha256: p.sha256, error: err instanceof Error ? err.message : String(err) });
      else {
        ctx.log.warn('city photo not fetched yet', { ticket: p.ticketId, sha256: p.sha256, error: err instanceof Error ? err.message : String(err) });
        left.push(p);
      }
    }
  }
  // Entries added while fetching (another page) are kept.
  const now = ((await getSetting(db, PENDING_PHOTOS_KEY)) as PendingPhoto[] | undefined) ?? [];
  const handled = new Set(pending.map((p) => `${p.ticketId}|${p.sha256}`));
  await setSetting(db, PENDING_PHOTOS_KEY, [...left, ...now.filter((p) => !handled.has(`${p.ticketId}|${p.sha256}`))]);
  return [...done];
}
