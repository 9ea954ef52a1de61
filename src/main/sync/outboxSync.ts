// The push half of sync on the street: read pending outbox operations in order (holding back
// any whose entity has an open conflict), check each against the op catalogue, and record the
// city's answer in one transaction. The ops already carry what the city needs to judge them.

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { OpResult, PushResponse, SyncOp } from '../../shared/sync/protocol';
import { checkOp, type TypedSyncOp } from '../../shared/sync/ops';
import { isLegacy, upgradeLegacyOps } from './legacyOps';

type Db = Kysely<Database>;

export async function pendingCount(db: Db): Promise<number> {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('acked_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * The next pending operations after `afterSeq`, oldest first, each checked against the op catalogue. Rows written
 * before the catalogue are brought up to it first (./legacyOps). A row that still fails the check
 * is not sent: it becomes a local conflict with the reason (holding back later ops on its entity),
 * as if the city had refused it.
 */
export async function readPending(db: Db, limit: number, now = Date.now(), afterSeq = 0): Promise<TypedSyncOp[]> {
  {
    const rows = await db
      .selectFrom('outbox as o')
      .select(['o.id', 'o.seq', 'o.entity', 'o.entity_id', 'o.op', 'o.created_at', 'o.payload'])
      .where('o.acked_at', 'is', null)
      .where('o.seq', '>', afterSeq)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sync_conflicts as c')
              .select('c.op_id')
              .where('c.resolved_at', 'is', null)
              .whereRef('c.entity', '=', 'o.entity')
              .whereRef('c.entity_id', '=', 'o.entity_id'),
          ),
        ),
      )
      .orderBy('o.seq')
      .limit(limit)
      .execute();
    const raw: SyncOp[] = rows.map((r) => ({ id: r.id, seq: r.seq, entity: r.entity, entityId: r.entity_id, op: r.op, at: r.created_at, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    await upgradeLegacyOps(db, raw.filter(isLegacy));
    const ops: TypedSyncOp[] = [];
    const bad: Array<{ op: SyncOp; reason: string }> = [];
    const badEntities = new Set<string>();
    for (const o of raw) {
      const key = `${o.entity}\u0000${o.entityId}`;
      if (badEntities.has(key)) continue; // waits behind the malformed op
      const c = checkOp(o);
      if (c.ok) ops.push(c.op);
      else {
        bad.push({ op: o, reason: c.reason });
        badEntities.add(key);
      }
    }
    if (!bad.length) return ops;
    await db.transaction().execute(async (trx) => {
      for (const b of bad) await trx.insertInto('sync_conflicts').values(conflictRow(b.op, 'malformedOp', `本地操作格式不符合同步目录，未上传：${b.reason}`, null, now)).onConflict((oc) => oc.column('op_id').doNothing()).execute();
    });
    // The ops before a malformed one on its entity travel; those after it wait with it.
    return ops;
  }
}

function conflictRow(o: { id: string; entity: string; entityId: string; op: string }, code: string, reason: string, cityState: string | null, now: number) {
  return { op_id: o.id, entity: o.entity, entity_id: o.entityId, op: o.op, code, reason, city_state: cityState, created_at: now, resolved_at: null, resolution: null, resolution_reason: null, resolved_by: null };
}

/** Records the city's answer: acknowledged ops are marked, refused ones become conflicts. */
export async function recordPushResults(db: Db, ops: ReadonlyArray<{ id: string; seq: number; entity: string; entityId: string; op: string }>, resp: PushResponse, now: number): Promise<{ acked: number; rejected: number; deferred: number }> {
  const byId = new Map(ops.map((o) => [o.id, o]));
  // Marked by seq (the outbox's integer key): a third of the time of a lookup by the text id.
  const acked: number[] = [];
  const rejected: OpResult[] = [];
  let deferred = 0;
  for (const r of resp.results) {
    if (!byId.has(r.id)) continue;
    if (r.status === 'applied' || r.status === 'duplicate') acked.push(byId.get(r.id)!.seq);
    else if (r.status === 'rejected') rejected.push(r);
    else deferred++;
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < acked.length; i += 500)
      await trx.updateTable('outbox').set({ acked_at: now }).where('seq', 'in', acked.slice(i, i + 500)).where('acked_at', 'is', null).execute();
    for (const r of rejected) {
      const o = byId.get(r.id)!;
      const row = conflictRow(o, r.code ?? 'rejected', r.reason ?? '市级拒绝了该操作', r.cityState ? JSON.stringify(r.cityState) : null, now);
      await trx.insertInto('sync_conflicts').values(row).onConflict((oc) => oc.column('op_id').doUpdateSet({ code: row.code, reason: row.reason, city_state: row.city_state, created_at: now, resolved_at: null, resolution: null, resolution_reason: null, resolved_by: null })).execute();
    }
  });
  return { acked: acked.length, rejected: rejected.length, deferred };
}
