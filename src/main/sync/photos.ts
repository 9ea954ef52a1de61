// Photos travel content-addressed: before pushing ops that name photos (a new ticket's, a
// resolution's), the street asks the city how much of each file it has and sends the rest in
// chunks — a cut costs at most one chunk. The city accepts a file only if its bytes hash to its name.

import fs from 'node:fs';
import type { NodeContext } from '../services/core/context';
import { attachmentPath } from '../services/tickets/attachments';
import { SYNC_PATH } from '../../shared/sync/protocol';
import type { TypedSyncOp } from '../../shared/sync/ops';
import type { CityTransport } from './transport';

/** Photos the ops name: a new ticket's and a resolution's. */
export function photosOf(ops: readonly TypedSyncOp[]): string[] {
  const out = new Set<string>();
  for (const o of ops) {
    if (o.entity !== 'ticket') continue;
    const list = o.op === 'create' ? o.payload.ticket.photos : o.op === 'resolve' && o.payload.input.action === 'resolve' ? o.payload.input.photos : [];
    for (const s of list) if (/^[0-9a-f]{64}$/.test(s)) out.add(s);
  }
  return [...out];
}

export async function uploadPhotos(ctx: NodeContext, t: CityTransport, ops: readonly TypedSyncOp[], chunk: number): Promise<number> {
  let sent = 0;
  for (const sha of photosOf(ops)) {
    const file = attachmentPath(ctx, sha);
    if (!fs.existsSync(file)) {
      ctx.log.warn('photo missing locally, not uploaded', { sha256: sha });
      continue;
    }
    const data = fs.readFileSync(file);
    let st = await t.json<{ size: number; complete: boolean }>('GET', `${SYNC_PATH}/blobs/${sha}`);
    while (!st.complete) {
      const part = data.subarray(st.size, Math.min(data.length, st.size + chunk));
      st = await t.bytes(`${SYNC_PATH}/blobs/${sha}?offset=${st.size}&total=${data.length}`, part);
      sent += part.length;
    }
  }
  return sent;
}
