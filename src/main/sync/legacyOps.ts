// Outbox rows written before the op catalogue (src/shared/sync/ops.ts) — by a street node of an
// earlier version, still pending when it was upgraded — carry only the acting user's id (`by`), no
// actor, category facts, unit codes or base state. This module brings such a row up to the
// catalogue at push time, the only place left that looks those facts up again: the user and
// their unit, the category, the dispatch event's unit, and — for a ticket with no `create` op in
// the outbox (one that existed before the street's first sync) — the ticket's state before the op,
// its status from the op or its timeline event and its version from the next op that carries one.
// A row written by this version never comes here.

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { SYSTEM_ACTOR, type OpActor } from '../../shared/sync/ops';
import type { SyncOp } from '../../shared/sync/protocol';
import { CITY_CREATOR_ID } from '../services/core/outbox';

type Db = Kysely<Database>;
type P = Record<string, unknown>;

/** Whether a pending row predates the catalogue: every op of the catalogue but reference receipts and photo checks names its actor. */
export function isLegacy(o: SyncOp): boolean {
  return !('actor' in o.payload) && o.entity !== 'referenceReceipt' && o.entity !== 'aiPhotoCheck';
}

const uniq = <T>(xs: Array<T | null | undefined>): T[] => [...new Set(xs.filter((x): x is T => x != null))];
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

async function byIds<T extends { id: string }>(ids: string[], load: (ids: string[]) => Promise<T[]>): Promise<Map<string, T>> {
  const m = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 500) for (const r of await load(ids.slice(i, i + 500))) m.set(r.id, r);
  return m;
}

/** Rewrites legacy ops in place into the catalogue's shape (the caller validates the result). */
export async function upgradeLegacyOps(db: Db, ops: SyncOp[]): Promise<void> {
  if (!ops.length) return;
  const inputOf = (o: SyncOp) => (o.payload.input ?? {}) as P;
  const recordBy = (o: SyncOp) => {
    const p = o.payload;
    const row = (p.record ?? p.period ?? p.checkin ?? p.report) as P | undefined;
    return str(p.by) ?? str(row?.by_id);
  };
  const users = await byIds(uniq(ops.map(recordBy)), (ids) => db.selectFrom('users').select(['id', 'role', 'unit_id', 'display_name']).where('id', 'in', ids).execute());
  const ticketOps = ops.filter((o) => o.entity === 'ticket');
  const events = await byIds(uniq(ticketOps.map((o) => str(o.payload.eventId))), (ids) => db.selectFrom('ticket_events').select(['id', 'unit_id', 'to_status']).where('id', 'in', ids).execute());
  const categoryIds = uniq(ticketOps.flatMap((o) => [str(inputOf(o).categoryId), str((o.payload.ticket as P | undefined)?.categoryId)]));
  const cats = await byIds(categoryIds, (ids) => db.selectFrom('catalog').select(['id', 'code', 'is_consultation', 'is_micro']).where('id', 'in', ids).execute());
  const ticketIds = uniq(ticketOps.filter((o) => o.op !== 'create').map((o) => o.entityId));
  const created = new Set<string>();
  for (let i = 0; i < ticketIds.length; i += 500) {
    const r = await db.selectFrom('outbox').select('entity_id').where('entity', '=', 'ticket').where('op', '=', 'create').where('entity_id', 'in', ticketIds.slice(i, i + 500)).execute();
    for (const x of r) created.add(x.entity_id);
  }
  const tickets = await byIds(ticketIds, (ids) => db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute());
  const baseCats = await byIds(uniq([...tickets.values()].map((t) => t.category_id)), (ids) => db.selectFrom('catalog').select(['id', 'code', 'is_consultation', 'is_micro']).where('id', 'in', ids).execute());
  const units = await byIds(
    uniq([
      ...[...users.values()].map((u) => u.unit_id),
      ...[...events.values()].map((e) => e.unit_id),
      ...[...tickets.values()].map((t) => t.unit_id),
      ...ticketOps.flatMap((o) => (inputOf(o).candidateUnitIds as string[] | undefined) ?? []),
    ]),
    (ids) => db.selectFrom('units').select(['id', 'code']).where('id', 'in', ids).execute(),
  );
  const code = (id: string | null | undefined) => (id ? (units.get(id)?.code ?? null) : null);
  const actorOf = (o: SyncOp): OpActor => {
    const by = recordBy(o);
    const u = by ? users.get(by) : undefined;
    if (u) return { userId: u.id, name: u.display_name, role: u.role as OpActor['role'], unitCode: code(u.unit_id) };
    const row = (o.payload.record ?? o.payload.period) as P | undefined;
    return { ...SYSTEM_ACTOR, userId: by ?? 'system', name: str(o.payload.byName) ?? str(row?.by_name) ?? SYSTEM_ACTOR.name };
  };
  const categoryFacts = (catId: string | null, isMicro?: unknown) => {
    const c = catId ? cats.get(catId) : undefined;
    return c ? { hasCategory: true, isConsultation: !!c.is_consultation, isMicro: isMicro !== undefined ? !!isMicro : !!c.is_micro, categoryCode: c.code } : undefined;
  };

  for (const o of ops) {
    const p = o.payload;
    const actor = actorOf(o);
    delete p.by;
    delete p.byName;
    p.actor = actor;
    if (o.entity !== 'ticket') continue;
    if (o.op === 'create') {
      const t = (p.ticket ?? {}) as P;
      const facts = categoryFacts(str(t.categoryId), t.isMicro);
      p.ticket = {
        id: o.entityId, code: t.code, status: t.status, channel: t.channel, type: t.type, description: t.description, address: t.address,
        lon: t.lon ?? null, lat: t.lat ?? null, gridId: t.gridId ?? null, categoryId: t.categoryId ?? null, urgency: t.urgency ?? 'normal',
        isMicro: !!t.isMicro, isCrossBoundary: !!t.isCrossBoundary, externalRef: str(t.externalRef), reporterName: str(t.reporterName),
        reporterPhone: str(t.reporterPhone), photos: Array.isArray(t.photos) ? t.photos : [], outsideStreet: !!t.outsideStreet,
      };
      p.facts = facts ?? { hasCategory: false, isConsultation: t.type === 'consultation', isMicro: !!t.isMicro, categoryCode: null };
      continue;
    }
    if (o.op === 'route') continue;
    const input = p.input as P | undefined;
    const ev = events.get(str(p.eventId) ?? '');
    if (input) {
      const f = categoryFacts(str(input.categoryId), input.isMicro);
      if (f && (o.op === 'register' || o.op === 'classify')) p.facts = f;
      if (o.op === 'dispatch') {
        p.unitCode = code(ev?.unit_id);
        p.candidateUnitCodes = ((input.candidateUnitIds as string[] | undefined) ?? []).map((id) => code(id)).filter(Boolean);
      }
    } else if (o.op === 'note') {
      // A coordination note: now its own op, `annotate`, with the ticket's status and version.
      o.op = 'annotate';
      const t = tickets.get(o.entityId);
      const at = t ? await stateBefore(db, o, t, ev?.to_status) : { status: ev?.to_status ?? 'registered', version: 1 };
      const data = { ...((p.data as P | undefined) ?? {}), ...(p.isCrossBoundary ? { isCrossBoundary: true } : {}), ...(p.mergedFrom ? { mergedFrom: p.mergedFrom } : {}) };
      for (const k of ['data', 'isCrossBoundary', 'mergedFrom', 'action']) delete p[k];
      Object.assign(p, { status: at.status, version: at.version, reason: str(p.reason), data });
    }
    const t = tickets.get(o.entityId);
    if (t && !created.has(t.id) && t.created_by !== CITY_CREATOR_ID) {
      const bc = t.category_id ? baseCats.get(t.category_id) : undefined;
      const at = typeof p.from === 'string' ? { status: p.from, version: typeof p.version === 'number' ? p.version - 1 : t.version } : await stateBefore(db, o, t, ev?.to_status);
      p.base = {
        status: at.status, version: at.version, code: t.code, unitCode: code(t.unit_id), channel: t.channel, type: t.type, description: t.description,
        address: t.address, lon: t.lon, lat: t.lat, externalRef: t.external_ref, reporterName: t.reporter_name, reporterPhone: t.reporter_phone,
        result: t.result, satisfaction: t.satisfaction, createdAt: t.created_at,
        facts: { hasCategory: !!t.category_id, isConsultation: !!bc?.is_consultation || t.type === 'consultation', isMicro: !!t.is_micro, callbackPossible: !!t.reporter_phone, reportedBy: t.created_by, categoryCode: bc?.code ?? null },
      };
    }
  }
}

/**
 * The ticket's status and version just before a legacy op that does not carry them (a note): the
 * status from its timeline event, the version from the next op on the ticket that carries one (or
 * the ticket's version if none does).
 */
async function stateBefore(db: Db, o: SyncOp, t: { status: string; version: number }, eventStatus: string | undefined): Promise<{ status: string; version: number }> {
  const later = await db.selectFrom('outbox').select('payload').where('entity', '=', 'ticket').where('entity_id', '=', o.entityId).where('seq', '>', o.seq).orderBy('seq').execute();
  for (const r of later) {
    const q = JSON.parse(r.payload) as { version?: unknown; from?: unknown };
    if (typeof q.version === 'number') return { status: eventStatus ?? (typeof q.from === 'string' ? q.from : t.status), version: q.version - 1 };
  }
  return { status: eventStatus ?? t.status, version: t.version };
}
