// An alarm ticket's facts on the street (设备报警: the device, the count of alarms merged, the recent
// readings, the newest snapshot): checked like any feed input, kept one row per ticket, and only
// ever moved forward — an older copy of the facts (a feed item delivered again) changes nothing.

import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { alarmFacts } from '../../shared/intake/alarms';

type Trx = Transaction<Database>;

export type KeptAlarm =
  | { ok: true; changed: boolean; snapshot: { sha256: string; name: string } | null }
  | { ok: false; reason: string };

/** Stores the facts `raw` for ticket `ticketId` (which must exist); says whether a new snapshot is to be fetched. */
export async function keepAlarmFacts(trx: Trx, ticketId: string, raw: unknown, now: number): Promise<KeptAlarm> {
  const parsed = alarmFacts.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) };
  const a = parsed.data;
  const cur = await trx.selectFrom('ticket_alarms').select(['count', 'last_at', 'snapshot_sha', 'group_id']).where('ticket_id', '=', ticketId).executeTakeFirst();
  if (cur && cur.group_id !== a.groupId) return { ok: false, reason: `ticket ${ticketId} belongs to alarm group ${cur.group_id}, not ${a.groupId}` };
  if (cur && (cur.count > a.count || (cur.count === a.count && cur.last_at >= a.lastAt))) return { ok: true, changed: false, snapshot: null };
  const snapshotSha = a.snapshot?.sha256 ?? cur?.snapshot_sha ?? null;
  const row = {
    group_id: a.groupId,
    kind: a.kind,
    device: a.device,
    unit: a.unit,
    threshold: a.threshold,
    first_at: a.firstAt,
    last_at: a.lastAt,
    count: a.count,
    readings: JSON.stringify(a.readings),
    snapshot_sha: snapshotSha,
    updated_at: now,
  };
  await trx
    .insertInto('ticket_alarms')
    .values({ ticket_id: ticketId, ...row })
    .onConflict((oc) => oc.column('ticket_id').doUpdateSet(row))
    .execute();
  const fresh = a.snapshot && a.snapshot.sha256 !== cur?.snapshot_sha ? { sha256: a.snapshot.sha256, name: a.snapshot.name } : null;
  return { ok: true, changed: true, snapshot: fresh };
}
