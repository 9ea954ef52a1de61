// The city center's services: apply a street's push (at most once per op id, one transaction),
// serve its pull feed, 12345 direct dispatch, directives and their acknowledgements.

import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { CityDatabase } from './db';
import { STATUS_LABELS } from '../shared/domain/ticket';
import type {
  CityTicket,
  Directive,
  DirectiveStatus,
  DispatchedTicketPayload,
  FeedItem,
  FeedKind,
  OpResult,
  PullResponse,
  PushResponse,
  SyncOp,
} from '../shared/sync/protocol';
import {
  MAX_PULL_ITEMS,
  dispatchRequest,
  directiveRequest,
  whistleResponseRequest,
  cityReviewRequest,
  type CityReview,
  type DispatchRequest,
  type DirectiveRequest,
  type WhistleResponsePayload,
  type WhistleResponseRequest,
} from '../shared/sync/protocol';
import { checkOp, type OpPayload, type TypedSyncOp } from '../shared/sync/ops';
import { REFERENCE_KINDS, referenceProblems, type ReferenceKind, type ReferencePublication } from '../shared/sync/reference';
import type { AlarmFacts, AlarmUpdatePayload } from '../shared/intake/alarms';
import { districtName, inDistrict, streetName } from './divisions';
import { applyRecurringOps, type RecurringOp } from './recurring';
import { decideAction, decideCreate, toCityTicket, type TicketEventRow, type TicketRow } from './tickets';
import { pgBinaryArray, type PgElementType } from './pgArrays';

type Db = Kysely<CityDatabase>;
type Trx = Transaction<CityDatabase>;

export class CityError extends Error {
  constructor(public status: number, public code: string, message: string, public retryAfterS?: number) {
    super(message);
  }
}

/** Called after a commit with the feed items that were appended (the live channel fans them out). */
export type FeedListener = (items: Array<FeedItem & { street: string }>) => void;

/** A change to a city ticket, told after its commit (SMS to the citizen, 110 feedback …). */
export interface TicketChange {
  ticket: CityTicket;
  action: string;
  from: string | null;
  at: number;
}
export type TicketListener = (changes: TicketChange[]) => void;

export interface CityServiceOptions {
  now?: () => number;
  onFeed?: FeedListener;
}

const CHUNK = 500;
function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function rowFromDb(r: any): TicketRow {
  return {
    ...r,
    version: Number(r.version),
    lon: r.lon == null ? null : Number(r.lon),
    lat: r.lat == null ? null : Number(r.lat),
    facts: typeof r.facts === 'string' ? JSON.parse(r.facts) : (r.facts ?? {}),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

function ticketValues(r: TicketRow) {
  return { ...r, facts: JSON.stringify(r.facts), created_at: String(r.created_at), updated_at: String(r.updated_at) };
}

/**
 * Bulk insert: one array parameter per column, expanded by unnest — a few bind values instead of
 * thousands, and no JSON to parse row by row (jsonb_to_recordset cost about half again as much on
 * PGlite). The arrays travel in PostgreSQL's binary format (src/city/pgArrays.ts); jsonb columns
 * travel as text and are cast per row. The same SQL on PostgreSQL.
 */
async function insertRows(trx: Trx, table: string, cols: Array<[string, ColumnType]>, rows: Array<Record<string, unknown>>, tail = '') {
  if (!rows.length) return;
  const names = cols.map(([c]) => c).join(', ');
  const arrays = cols.map(([c, t]) => {
    const element = t === 'jsonb' ? 'text' : t;
    const values = rows.map((r) => {
      const v = r[c];
      return t === 'jsonb' && v != null && typeof v !== 'string' ? JSON.stringify(v) : v;
    });
    return sql`${pgBinaryArray(element, values)}::${sql.raw(element)}[]`;
  });
  const select = cols.map(([c, t]) => (t === 'jsonb' ? `x.${c}::jsonb` : `x.${c}`)).join(', ');
  await sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)}) SELECT ${sql.raw(select)} FROM unnest(${sql.join(arrays)}) AS x(${sql.raw(names)}) ${sql.raw(tail)}`.execute(trx);
}

type ColumnType = PgElementType | 'jsonb';

const TICKET_COLS: Array<[string, ColumnType]> = [
  ['id', 'text'], ['street_code', 'text'], ['code', 'text'], ['status', 'text'], ['version', 'integer'], ['unit_code', 'text'], ['source', 'text'],
  ['channel', 'text'], ['type', 'text'], ['description', 'text'], ['address', 'text'], ['lon', 'double precision'], ['lat', 'double precision'],
  ['external_ref', 'text'], ['reporter_name', 'text'], ['reporter_phone', 'text'], ['result', 'text'], ['satisfaction', 'text'], ['facts', 'jsonb'],
  ['created_at', 'bigint'], ['updated_at', 'bigint'],
];

/**
 * Which of these op ids the city has applied: each applied op left one row carrying its id — its
 * ticket event or its entity op (applied_ops holds those applied before city migration 9).
 */
async function appliedAmong(trx: Trx, ids: string[]): Promise<string[]> {
  const any = sql<string>`ANY(${pgBinaryArray('text', ids)}::text[])`;
  const rows = await trx
    .selectFrom('city_ticket_events')
    .select('op_id as id')
    .where('op_id', '=', any)
    .union(trx.selectFrom('entity_ops').select('op_id as id').where('op_id', '=', any))
    .union(trx.selectFrom('applied_ops').select('op_id as id').where('op_id', '=', any))
    .execute();
  return rows.map((r) => r.id!);
}

export class CityService {
  readonly now: () => number;
  onFeed: FeedListener | undefined;
  constructor(readonly db: Db, opts: CityServiceOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.onFeed = opts.onFeed;
  }

  // ---- streets ----

  /** Registers a street (its name from the division table unless given); a known street is left as it is. */
  async registerStreet(code: string, name = streetName(code) ?? code): Promise<void> {
    const added = await this.db
      .insertInto('streets')
      .values({ code, name, last_applied_op: null, last_push_at: null, last_seen_at: null, created_at: String(this.now()) })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    // A street that connects for the first time gets what was held for it (Open311 requests).
    if (added) for (const l of this.streetListeners) await l(code);
  }

  private ticketListeners: TicketListener[] = [];
  /** Called (not awaited, never failing the change) after tickets are dispatched or changed. */
  onTicketsChanged(l: TicketListener): void {
    this.ticketListeners.push(l);
  }
  private tellTickets(changes: TicketChange[]): void {
    if (!changes.length) return;
    for (const l of this.ticketListeners) {
      try {
        l(changes);
      } catch {
        // A listener's failure is its own (it logs); the change is committed.
      }
    }
  }

  private streetListeners: Array<(code: string) => Promise<unknown>> = [];
  private referenceListeners: Array<(kind: ReferenceKind) => Promise<unknown>> = [];
  private referenceChecks: Array<(kind: ReferenceKind, payload: Record<string, unknown>) => string[]> = [];
  /** A check of the city's own on reference data before it is published (Chinese problems; none = fine). */
  addReferenceCheck(check: (kind: ReferenceKind, payload: Record<string, unknown>) => string[]): void {
    this.referenceChecks.push(check);
  }
  /** Called (awaited) after reference data is published (a new code mapping table frees held cases). */
  onReferencePublished(l: (kind: ReferenceKind) => Promise<unknown>): void {
    this.referenceListeners.push(l);
  }
  /** Called (awaited) after a street is registered for the first time. */
  onStreetRegistered(l: (code: string) => Promise<unknown>): void {
    this.streetListeners.push(l);
  }

  // ---- district grants ----

  /**
   * What the city lets a district operations center do for its own streets: switch their run mode
   * (`runMode`), review their 12345 results (`review`). A field left out keeps its value.
   */
  async grantDistrict(code: string, grant: { runMode?: boolean; review?: boolean }): Promise<{ district: string; runMode: boolean; review: boolean }> {
    if (!districtName(code)) throw new CityError(400, 'unknownDistrict', `district ${code} is not a district of this city`);
    const at = String(this.now());
    const cur = await this.db.selectFrom('district_grants').select(['run_mode', 'review']).where('district_code', '=', code).executeTakeFirst();
    const next = { runMode: grant.runMode ?? !!cur?.run_mode, review: grant.review ?? !!cur?.review };
    await this.db
      .insertInto('district_grants')
      .values({ district_code: code, run_mode: next.runMode, review: next.review, granted_at: at })
      .onConflict((oc) => oc.column('district_code').doUpdateSet({ run_mode: next.runMode, review: next.review, granted_at: at }))
      .execute();
    return { district: code, ...next };
  }

  /** Every district's delegation as it stands (districts never granted anything are left out). */
  async districtGrants(): Promise<Array<{ district: string; runMode: boolean; review: boolean; grantedAt: number }>> {
    const rows = await this.db.selectFrom('district_grants').select(['district_code', 'run_mode', 'review', 'granted_at']).orderBy('district_code').execute();
    return rows.map((r) => ({ district: r.district_code, runMode: !!r.run_mode, review: !!r.review, grantedAt: Number(r.granted_at) }));
  }

  async districtMaySwitchRunMode(code: string): Promise<boolean> {
    const r = await this.db.selectFrom('district_grants').select('run_mode').where('district_code', '=', code).executeTakeFirst();
    return !!r?.run_mode;
  }

  async districtMayReview(code: string): Promise<boolean> {
    const r = await this.db.selectFrom('district_grants').select('review').where('district_code', '=', code).executeTakeFirst();
    return !!r?.review;
  }

  // ---- closures (a citizen told the result) ----

  private closureListeners: Array<(t: CityTicket) => Promise<unknown>> = [];
  /** Called (awaited, errors logged by the caller's listener) after a city-dispatched ticket is closed. */
  onTicketClosed(l: (t: CityTicket) => Promise<unknown>): void {
    this.closureListeners.push(l);
  }
  private async announceClosed(rows: TicketRow[]): Promise<void> {
    for (const r of rows) for (const l of this.closureListeners) await l(toCityTicket(r)).catch(() => {});
  }

  /** The photo a street may fetch: one that goes with a ticket of that street. */
  async ticketPhoto(street: string, sha256: string): Promise<{ mime: string; size: number } | null> {
    const r = await this.db
      .selectFrom('city_ticket_photos')
      .innerJoin('city_tickets', 'city_tickets.id', 'city_ticket_photos.ticket_id')
      .select(['mime', 'size'])
      .where('city_ticket_photos.sha256', '=', sha256)
      .where('city_tickets.street_code', '=', street)
      .limit(1)
      .executeTakeFirst();
    return r ? { mime: r.mime, size: Number(r.size) } : null;
  }

  private known = new Set<string>();
  async ensureStreet(code: string): Promise<void> {
    if (this.known.has(code)) return;
    await this.registerStreet(code);
    this.known.add(code);
  }

  async streetCodes(): Promise<string[]> {
    return (await this.db.selectFrom('streets').select('code').orderBy('code').execute()).map((r) => r.code);
  }

  async requireStreet(code: string): Promise<void> {
    const s = await this.db.selectFrom('streets').select('code').where('code', '=', code).executeTakeFirst();
    if (!s) throw new CityError(403, 'unknownStreet', `street ${code} is not registered with the city`);
  }

  // ---- push ----

  async push(street: string, ops: SyncOp[]): Promise<PushResponse> {
    const now = this.now();
    const feedOut: Array<FeedItem & { street: string }> = [];
    let closed: TicketRow[] = [];
    let ticketChanges: TicketChange[] = [];
    const res = await this.db.transaction().execute(async (trx) => {
      const s = await trx.selectFrom('streets').selectAll().where('code', '=', street).forUpdate().executeTakeFirst();
      if (!s) throw new CityError(403, 'unknownStreet', `street ${street} is not registered with the city`);
      const lastSeq = Number(s.last_applied_seq);
      // Ops numbered above the last applied one are certainly new; only the others need a lookup.
      const maybeSeen = ops.filter((o) => o.seq <= lastSeq).map((o) => o.id);
      const seen = new Set<string>();
      for (const ids of chunks(maybeSeen, 5000)) for (const id of await appliedAmong(trx, ids)) seen.add(id);
      const ticketIds = [...new Set(ops.filter((o) => o.entity === 'ticket').map((o) => o.entityId))];
      const tickets = new Map<string, TicketRow | null>();
      for (const ids of chunks(ticketIds, 5000)) {
        const rows = await trx.selectFrom('city_tickets').selectAll().where('id', '=', sql<string>`ANY(${pgBinaryArray('text', ids)}::text[])`).execute();
        for (const r of rows) tickets.set(r.id, rowFromDb(r));
      }
      const statusBefore = new Map([...tickets].map(([id, t]) => [id, t?.status ?? null]));
      const changed = new Map<string, TicketRow>();
      const events: TicketEventRow[] = [];
      const applied: SyncOp[] = [];
      const entityOps: TypedSyncOp[] = [];
      const rejected: Array<{ op: SyncOp; code: string; reason: string }> = [];
      const acks: Array<{ directiveId: string; by: string; at: number }> = [];
      const recurringOps: RecurringOp[] = [];
      const blocked = new Set<string>();
      const results: OpResult[] = [];
      let maxSeq = lastSeq;
      let lastOp = s.last_applied_op;
      for (const op of ops) {
        if (seen.has(op.id)) {
          results.push({ id: op.id, status: 'duplicate' });
          continue;
        }
        const key = `${op.entity}\u0000${op.entityId}`;
        if (blocked.has(key)) {
          results.push({ id: op.id, status: 'deferred', code: 'blockedByEarlier', reason: '同一对象的前序操作被拒绝，本操作暂缓' });
          continue;
        }
        let decision: { ok: true } | { ok: false; code: string; reason: string; cityState?: CityTicket | null } = { ok: true };
        // Every op is judged from the catalogue: a malformed one is refused with the reason, nothing of it applied.
        const checked = checkOp(op);
        if (!checked.ok) decision = { ok: false, code: 'malformedOp', reason: `操作格式不符合同步目录：${checked.reason}` };
        else {
          const o = checked.op;
          if (o.entity === 'ticket') {
            const cur = tickets.get(o.entityId);
            const d = o.op === 'create' ? decideCreate(street, cur, o) : decideAction(street, cur, o);
            if (d.ok) {
              tickets.set(d.row.id, d.row);
              changed.set(d.row.id, d.row);
              events.push(d.event);
            } else {
              const own = cur && cur.street_code === street ? toCityTicket(cur) : null;
              decision = { ok: false, code: d.code, reason: d.reason, cityState: own };
            }
          } else if (o.entity === 'directiveAck') {
            const r = await trx
              .selectFrom('directive_recipients')
              .select(['acked_at'])
              .where('directive_id', '=', o.entityId)
              .where('street_code', '=', street)
              .executeTakeFirst();
            if (!r) decision = { ok: false, code: 'notRecipient', reason: '本街道不是该指令的接收方' };
            else {
              acks.push({ directiveId: o.entityId, by: o.payload.actor.name, at: o.at });
              entityOps.push(o);
            }
          } else {
            // Any other entity (coordination sessions, receipts, …) is kept as received, in order;
            // 专项治理 items are also kept as rows (src/city/recurring.ts).
            entityOps.push(o);
            if (o.entity === 'recurringItem') recurringOps.push(o);
          }
        }
        if (decision.ok) {
          applied.push(op);
          seen.add(op.id);
          results.push({ id: op.id, status: 'applied' });
          if (op.seq > maxSeq) maxSeq = op.seq;
          lastOp = op.id;
        } else {
          blocked.add(key);
          rejected.push({ op, code: decision.code, reason: decision.reason });
          results.push({ id: op.id, status: 'rejected', code: decision.code, reason: decision.reason, cityState: decision.cityState ?? null });
        }
      }
      await insertRows(
        trx,
        'city_tickets',
        TICKET_COLS,
        [...changed.values()].map((r) => ({ ...r })),
        `ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, unit_code = excluded.unit_code, result = excluded.result,
           satisfaction = excluded.satisfaction, facts = excluded.facts, updated_at = excluded.updated_at`,
      );
      await insertRows(
        trx,
        'city_ticket_events',
        [['ticket_id', 'text'], ['op_id', 'text'], ['action', 'text'], ['from_status', 'text'], ['to_status', 'text'], ['actor', 'text'], ['at', 'bigint'], ['data', 'jsonb']],
        events as unknown as Array<Record<string, unknown>>,
      );
      await insertRows(
        trx,
        'entity_ops',
        [['op_id', 'text'], ['street_code', 'text'], ['entity', 'text'], ['entity_id', 'text'], ['op', 'text'], ['at', 'bigint'], ['payload', 'jsonb'], ['received_at', 'bigint']],
        entityOps.map((o) => ({ op_id: o.id, street_code: street, entity: o.entity, entity_id: o.entityId, op: o.op, at: o.at, payload: o.payload, received_at: now })),
      );
      await applyRecurringOps(trx, street, recurringOps);
      for (const a of acks)
        await trx
          .updateTable('directive_recipients')
          .set({ acked_at: String(a.at), acked_by: a.by, delivered_at: sql`COALESCE(delivered_at, ${String(now)})` })
          .where('directive_id', '=', a.directiveId)
          .where('street_code', '=', street)
          .where('acked_at', 'is', null)
          .execute();
      for (const part of chunks(rejected, 1000))
        await trx
          .insertInto('rejected_ops')
          .values(part.map((r) => ({ op_id: r.op.id, street_code: street, entity: r.op.entity, entity_id: r.op.entityId, op: r.op.op, code: r.code, reason: r.reason, received_at: String(now) })))
          .execute();
      await trx
        .updateTable('streets')
        .set({ last_applied_seq: String(maxSeq), last_applied_op: lastOp, last_push_at: String(now), last_seen_at: String(now), applied_count: sql`applied_count + ${applied.length}` })
        .where('code', '=', street)
        .execute();
      closed = [...changed.values()].filter((r) => r.source === 'city' && r.status === 'closed' && statusBefore.get(r.id) !== 'closed');
      ticketChanges = events.map((e) => ({ ticket: toCityTicket(changed.get(e.ticket_id)!), action: e.action, from: e.from_status, at: e.at }));
      return { results, lastAppliedSeq: maxSeq, serverTime: now };
    });
    if (feedOut.length) this.onFeed?.(feedOut);
    if (closed.length) await this.announceClosed(closed);
    this.tellTickets(ticketChanges);
    return res;
  }

  // ---- pull ----

  async pull(street: string, after: number, limit = 500): Promise<PullResponse> {
    const n = Math.max(1, Math.min(limit, MAX_PULL_ITEMS));
    const rows = await this.db
      .selectFrom('feed')
      .select(['seq', 'kind', 'entity_id', 'at', 'payload'])
      .where('street_code', '=', street)
      .where('seq', '>', String(after))
      .orderBy('seq')
      .limit(n + 1)
      .execute();
    const more = rows.length > n;
    const items: FeedItem[] = rows.slice(0, n).map((r) => ({
      seq: Number(r.seq),
      kind: r.kind as FeedKind,
      entityId: r.entity_id,
      at: Number(r.at),
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    }));
    const now = this.now();
    const directiveIds = items.filter((i) => i.kind === 'directive').map((i) => i.entityId);
    if (directiveIds.length)
      await this.db
        .updateTable('directive_recipients')
        .set({ delivered_at: String(now) })
        .where('street_code', '=', street)
        .where('directive_id', 'in', directiveIds)
        .where('delivered_at', 'is', null)
        .execute();
    await this.db.updateTable('streets').set({ last_seen_at: String(now) }).where('code', '=', street).execute();
    return { items, cursor: items.length ? items[items.length - 1]!.seq : after, more, serverTime: now };
  }

  async markDelivered(street: string, directiveId: string): Promise<void> {
    await this.db
      .updateTable('directive_recipients')
      .set({ delivered_at: String(this.now()) })
      .where('street_code', '=', street)
      .where('directive_id', '=', directiveId)
      .where('delivered_at', 'is', null)
      .execute();
  }

  private async appendFeed(trx: Trx, rows: Array<{ street: string; kind: FeedKind; entityId: string; at: number; payload: Record<string, unknown> }>) {
    const out: Array<FeedItem & { street: string }> = [];
    for (const part of chunks(rows, 1000)) {
      const inserted = await trx
        .insertInto('feed')
        .values(part.map((r) => ({ street_code: r.street, kind: r.kind, entity_id: r.entityId, at: String(r.at), payload: JSON.stringify(r.payload) })))
        .returning(['seq', 'street_code'])
        .execute();
      inserted.forEach((ins, i) => {
        const r = part[i]!;
        out.push({ seq: Number(ins.seq), kind: r.kind, entityId: r.entityId, at: r.at, payload: r.payload, street: ins.street_code });
      });
    }
    return out;
  }

  /**
   * Appends reference data (catalog, grids, calendar, model version) to streets' feeds, after the
   * same checks the street makes. Grids are one street's own: exactly one street must be named.
   */
  async publishReference(kind: ReferenceKind, payload: Record<string, unknown>, streets?: string[]): Promise<{ kind: ReferenceKind; version: string; streets: string[] }> {
    const problems = referenceProblems(kind, payload);
    if (!problems.length) for (const check of this.referenceChecks) problems.push(...check(kind, payload));
    if (problems.length) throw new CityError(400, 'invalidReference', problems.join('; '));
    const all = await this.streetCodes();
    const targets = streets?.length ? [...new Set(streets)] : all;
    const unknown = targets.filter((s) => !all.includes(s));
    if (unknown.length) throw new CityError(400, 'unknownStreet', `unknown street(s): ${unknown.join(', ')}`);
    if (!targets.length) throw new CityError(400, 'noStreets', 'no streets are registered');
    if (kind === 'grids' && targets.length !== 1) throw new CityError(400, 'oneStreet', 'grids are published to one street at a time (name it)');
    const version = String(payload.version);
    const entityId = `${kind}:${version}`;
    const at = this.now();
    const items = await this.db.transaction().execute((trx) => this.appendFeed(trx, targets.map((s) => ({ street: s, kind, entityId, at, payload }))));
    this.onFeed?.(items);
    for (const l of this.referenceListeners) await l(kind);
    return { kind, version, streets: targets };
  }

  /**
   * Recent reference-data publications and what each street made of them (the receipts streets
   * send back: applied with a summary, or refused with the reasons; no receipt yet = pending).
   */
  async referencePublications(limit = 30): Promise<ReferencePublication[]> {
    const pubs = await this.db
      .selectFrom('feed')
      .select(['entity_id', 'kind', (eb) => eb.fn.min('at').as('at'), (eb) => eb.fn.count<string>('street_code').distinct().as('streets')])
      .where('kind', 'in', [...REFERENCE_KINDS])
      .groupBy(['entity_id', 'kind'])
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    if (!pubs.length) return [];
    const receipts = await this.db
      .selectFrom('entity_ops')
      .select(['street_code', 'entity_id', 'op', 'payload', 'at'])
      .where('entity', '=', 'referenceReceipt')
      .where('entity_id', 'in', pubs.map((p) => p.entity_id))
      .orderBy('at')
      .execute();
    return pubs.map((p) => {
      // Receipts were checked against the op catalogue when they were received.
      const latest = new Map<string, { op: string; payload: OpPayload<'referenceReceipt', 'applied'> }>();
      for (const r of receipts) if (r.entity_id === p.entity_id) latest.set(r.street_code, { op: r.op, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as OpPayload<'referenceReceipt', 'applied'> });
      const streets = Number(p.streets);
      const applied = [...latest].filter(([, r]) => r.op === 'applied').map(([street, r]) => ({ street, summary: r.payload.summary ?? null }));
      const rejected = [...latest].filter(([, r]) => r.op === 'rejected').map(([street, r]) => ({ street, errors: r.payload.errors ?? [] }));
      return { kind: p.kind as ReferenceKind, version: p.entity_id.slice(p.kind.length + 1), publishedAt: Number(p.at), streets, applied, rejected, pending: Math.max(0, streets - applied.length - rejected.length) };
    });
  }

  /** Whether a model bundle was announced to this street (a street fetches only what it was sent). */
  async modelPublishedTo(street: string, sha256: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('feed')
      .select('seq')
      .where('street_code', '=', street)
      .where('kind', '=', 'modelVersion')
      .where(sql<string>`payload->>'sha256'`, '=', sha256)
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }

  // ---- 吹哨报到: a department's response received by the city, passed to the street ----

  async sendWhistleResponse(raw: WhistleResponseRequest): Promise<WhistleResponsePayload & { street: string }> {
    const input = whistleResponseRequest.parse(raw);
    await this.requireStreet(input.street);
    const at = this.now();
    const payload: WhistleResponsePayload = { sessionId: input.sessionId, unitCode: input.unitCode, state: input.state, repName: input.repName, note: input.note, at };
    const items = await this.db.transaction().execute((trx) =>
      this.appendFeed(trx, [{ street: input.street, kind: 'whistle.response', entityId: input.sessionId, at, payload: payload as unknown as Record<string, unknown> }]),
    );
    this.onFeed?.(items);
    return { street: input.street, ...payload };
  }

  // ---- 12345 direct dispatch ----

  /**
   * `sla` overrides the sign-in limit: a 110 transfer must be signed for within minutes of its
   * transfer time, not hours of the dispatch.
   */
  async dispatch(raw: DispatchRequest, sla: { acceptWithinMinutes?: number; acceptFrom?: number; alarm?: AlarmFacts } = {}): Promise<CityTicket> {
    const input = dispatchRequest.parse(raw);
    await this.requireStreet(input.street);
    const at = this.now();
    const id = uuidv7({ msecs: at });
    let feed: Array<FeedItem & { street: string }> = [];
    const row = await this.db.transaction().execute(async (trx) => {
      const day = new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
      const prefix = `12345-${day}-`;
      const last = await trx.selectFrom('city_tickets').select('code').where('code', 'like', `${prefix}%`).orderBy('code', 'desc').limit(1).executeTakeFirst();
      const code = `${prefix}${String(last?.code ? Number(last.code.slice(prefix.length)) + 1 : 1).padStart(5, '0')}`;
      const row: TicketRow = {
        id,
        street_code: input.street,
        code,
        status: 'dispatched',
        version: 1,
        unit_code: input.unit ?? null,
        source: 'city',
        channel: input.channel,
        type: input.type,
        description: input.text,
        address: input.address,
        lon: input.lon ?? null,
        lat: input.lat ?? null,
        external_ref: input.externalRef ?? code,
        reporter_name: input.reporterName ?? null,
        reporter_phone: input.reporterPhone ?? null,
        result: null,
        satisfaction: null,
        facts: { hasCategory: true, ...(input.category ? { categoryCode: input.category } : {}), isConsultation: input.type === 'consultation', callbackPossible: !!input.reporterPhone, pendingNegotiationUnitCodes: [] },
        created_at: at,
        updated_at: at,
      };
      await trx.insertInto('city_tickets').values(ticketValues(row)).execute();
      await trx
        .insertInto('city_ticket_events')
        .values({ ticket_id: id, op_id: null, action: 'dispatch', from_status: null, to_status: 'dispatched', actor: 'city', at: String(at), data: JSON.stringify({ street: input.street, unit: input.unit ?? null }) })
        .execute();
      if (input.photos?.length)
        await trx
          .insertInto('city_ticket_photos')
          .values(input.photos.map((p) => ({ ticket_id: id, sha256: p.sha256, mime: p.mime, size: p.size, name: p.name })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      const payload: DispatchedTicketPayload = {
        ticket: toCityTicket(row),
        unitCode: input.unit ?? null,
        acceptWithinHours: 2,
        resolveWithinDays: 5,
        ...(input.category ? { categoryCode: input.category } : {}),
        ...(input.photos?.length ? { photos: input.photos } : {}),
        ...(sla.acceptWithinMinutes != null ? { acceptWithinMinutes: sla.acceptWithinMinutes } : {}),
        ...(sla.acceptFrom != null ? { acceptFrom: sla.acceptFrom } : {}),
        ...(sla.alarm ? { alarm: sla.alarm } : {}),
      };
      feed = await this.appendFeed(trx, [{ street: input.street, kind: 'ticket.dispatched', entityId: id, at, payload: payload as unknown as Record<string, unknown> }]);
      return row;
    });
    this.onFeed?.(feed);
    const out = toCityTicket(row);
    this.tellTickets([{ ticket: out, action: 'dispatch', from: null, at }]);
    return out;
  }

  /**
   * Alarm tickets whose groups grew at the city: each street gets `ticket.alarm` with the group's
   * facts as they now are; a new snapshot becomes one of the ticket's photos (so its street may fetch it).
   */
  async alarmUpdates(rows: Array<{ ticketId: string; street: string; alarm: AlarmFacts }>): Promise<void> {
    if (!rows.length) return;
    const at = this.now();
    const feed = await this.db.transaction().execute(async (trx) => {
      const photos = rows.flatMap((r) => (r.alarm.snapshot ? [{ ticket_id: r.ticketId, sha256: r.alarm.snapshot.sha256, mime: r.alarm.snapshot.mime, size: r.alarm.snapshot.size, name: r.alarm.snapshot.name }] : []));
      if (photos.length) await trx.insertInto('city_ticket_photos').values(photos).onConflict((oc) => oc.doNothing()).execute();
      const payload = (r: (typeof rows)[number]): AlarmUpdatePayload => ({ ticketId: r.ticketId, alarm: r.alarm });
      return this.appendFeed(trx, rows.map((r) => ({ street: r.street, kind: 'ticket.alarm' as const, entityId: r.ticketId, at, payload: payload(r) as unknown as Record<string, unknown> })));
    });
    this.onFeed?.(feed);
  }

  /**
   * The 12345 center reviews a street's result on a ticket the city dispatched (see
   * `cityReviewRequest`): the city's copy moves on, the event is recorded, and the street gets
   * `ticket.updated` with the review, in one transaction.
   */
  async review(idOrCode: string, raw: unknown, actor = '12345热线中心', from: { district?: string } = {}): Promise<CityTicket> {
    const parsed = cityReviewRequest.safeParse(raw);
    if (!parsed.success) throw new CityError(400, 'invalidReview', parsed.error.issues.map((i) => i.message).join('; '));
    const review = parsed.data;
    if (from.district) {
      // A district reviews only where the city delegated it, and only its own streets' tickets.
      const name = districtName(from.district);
      if (!name) throw new CityError(403, 'unknownDistrict', `district ${from.district} is not a district of this city`);
      if (!(await this.districtMayReview(from.district))) throw new CityError(403, 'reviewNotGranted', `district ${from.district} may not review 12345 results (the city has not delegated it)`);
      actor = `${name}城运中心`;
    }
    const at = this.now();
    let feed: Array<FeedItem & { street: string }> = [];
    const changeOut: { action?: string; from?: string } = {};
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom('city_tickets').selectAll().where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)])).forUpdate().executeTakeFirst();
      if (!r) throw new CityError(404, 'notFound', `no ticket ${idOrCode}`);
      const cur = rowFromDb(r);
      if (from.district && !inDistrict(cur.street_code, from.district))
        throw new CityError(403, 'outsideDistrict', `ticket ${idOrCode} is of street ${cur.street_code}, not in district ${from.district}`);
      if (cur.source !== 'city') throw new CityError(409, 'notCityTicket', '只有市级派发的工单由12345审核');
      const allowed: Record<CityReview['decision'], string[]> = { approve: ['resolved'], return: ['resolved', 'verified'], callback: ['resolved', 'verified'] };
      if (!allowed[review.decision].includes(cur.status))
        throw new CityError(409, 'invalidState', `工单当前状态为“${(STATUS_LABELS as Record<string, string>)[cur.status] ?? cur.status}”，不能${review.decision === 'approve' ? '审核通过' : review.decision === 'return' ? '退回重办' : '登记回访结果'}`);
      const to =
        review.decision === 'approve' ? 'verified' : review.decision === 'return' ? 'reopened' : review.satisfaction === 'unsatisfied' ? 'reopened' : 'closed';
      const next: TicketRow = {
        ...cur,
        status: to,
        version: cur.version + 1,
        satisfaction: review.decision === 'callback' ? review.satisfaction : review.decision === 'return' ? null : cur.satisfaction,
        updated_at: at,
      };
      await trx.updateTable('city_tickets').set({ status: next.status, version: next.version, satisfaction: next.satisfaction, updated_at: String(at) }).where('id', '=', cur.id).execute();
      const action = review.decision === 'approve' ? 'verify' : review.decision === 'return' ? 'reopen' : 'callback';
      await trx
        .insertInto('city_ticket_events')
        .values({ ticket_id: cur.id, op_id: null, action, from_status: cur.status, to_status: to, actor, at: String(at), data: JSON.stringify({ review, ...(from.district ? { district: from.district } : {}) }) })
        .execute();
      feed = await this.appendFeed(trx, [{ street: cur.street_code, kind: 'ticket.updated', entityId: cur.id, at, payload: { ticket: toCityTicket(next), review, reviewer: actor } as unknown as Record<string, unknown> }]);
      Object.assign(changeOut, { action, from: cur.status });
      return next;
    });
    this.onFeed?.(feed);
    if (row.status === 'closed') await this.announceClosed([row]);
    const out = toCityTicket(row);
    if (changeOut.action) this.tellTickets([{ ticket: out, action: changeOut.action, from: changeOut.from ?? null, at }]);
    return out;
  }

  /** A street's ticket as the city has it (own tickets only when `street` is given). */
  async ticket(idOrCode: string, street?: string): Promise<(CityTicket & { events: Array<Record<string, unknown>> }) | null> {
    let q = this.db.selectFrom('city_tickets').selectAll().where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]));
    if (street) q = q.where('street_code', '=', street);
    const r = await q.executeTakeFirst();
    if (!r) return null;
    const events = await this.db.selectFrom('city_ticket_events').selectAll().where('ticket_id', '=', r.id).orderBy('id').execute();
    return {
      ...toCityTicket(rowFromDb(r)),
      events: events.map((e) => ({ action: e.action, from: e.from_status, to: e.to_status, actor: e.actor, at: Number(e.at), opId: e.op_id })),
    };
  }

  /**
   * Labelled tickets from every street (description + the catalog code the street filed or
   * corrected it under): what the city trains the text model it publishes on.
   */
  async trainingData(since?: number): Promise<Array<{ id: string; street: string; text: string; category: string }>> {
    let q = this.db
      .selectFrom('city_tickets')
      .select(['id', 'street_code', 'description', sql<string>`facts->>'categoryCode'`.as('category')])
      .where(sql<string | null>`facts->>'categoryCode'`, 'is not', null)
      .where('status', '!=', 'cancelled')
      .where('description', 'is not', null)
      .orderBy('created_at');
    if (since != null) q = q.where('updated_at', '>=', String(since));
    return (await q.execute()).map((r) => ({ id: r.id, street: r.street_code, text: r.description!, category: r.category }));
  }

  /**
   * Tickets the city dispatched whose street's result awaits 12345 review (办结 or 已核查), newest
   * first; a district sees its own streets' only.
   */
  async awaitingReview(limit = 100, from: { district?: string } = {}): Promise<CityTicket[]> {
    let q = this.db.selectFrom('city_tickets').selectAll().where('source', '=', 'city').where('status', 'in', ['resolved', 'verified']);
    // A district's streets are the codes under its own (inDistrict): a prefix, escaped for LIKE.
    if (from.district) q = q.where('street_code', 'like', `${from.district.replace(/[\\%_]/g, (c) => `\\${c}`)}_%`);
    const rows = await q.orderBy('updated_at', 'desc').limit(limit).execute();
    return rows.map((r) => toCityTicket(rowFromDb(r))).filter((t) => !from.district || inDistrict(t.streetCode, from.district));
  }

  /** The latest 12345 direct dispatches with where each stands now (the city console's list). */
  async recentDispatches(limit = 50): Promise<CityTicket[]> {
    const rows = await this.db.selectFrom('city_tickets').selectAll().where('source', '=', 'city').orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map((r) => toCityTicket(rowFromDb(r)));
  }

  /** Every ticket of a street: id, status, version (for row-by-row comparison). */
  async streetTickets(street: string): Promise<Array<{ id: string; status: string; version: number; unitCode: string | null }>> {
    const rows = await this.db.selectFrom('city_tickets').select(['id', 'status', 'version', 'unit_code']).where('street_code', '=', street).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, status: r.status, version: Number(r.version), unitCode: r.unit_code }));
  }

  async appliedCount(street: string): Promise<number> {
    const r = await this.db.selectFrom('streets').select('applied_count').where('code', '=', street).executeTakeFirst();
    return Number(r?.applied_count ?? 0);
  }

  /** The ids of every operation of a street the city has applied (its ticket events and entity ops). */
  async appliedOpIds(street: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('city_ticket_events as e')
      .innerJoin('city_tickets as t', 't.id', 'e.ticket_id')
      .select('e.op_id as id')
      .where('t.street_code', '=', street)
      .where('e.op_id', 'is not', null)
      .union(this.db.selectFrom('entity_ops').select('op_id as id').where('street_code', '=', street))
      .union(this.db.selectFrom('applied_ops').select('op_id as id').where('street_code', '=', street))
      .execute();
    return rows.map((r) => r.id!);
  }

  // ---- directives ----

  /**
   * Sends a directive to streets. `district` (a district operations center's division code, from its
   * credential) limits it to that district's streets and signs it with the district's name.
   */
  async sendDirective(raw: DirectiveRequest, from: { district?: string } = {}): Promise<Directive & { streets: string[] }> {
    const input = directiveRequest.parse(raw);
    let all = await this.streetCodes();
    let issuedBy = input.issuedBy;
    if (from.district) {
      const name = districtName(from.district);
      if (!name) throw new CityError(403, 'unknownDistrict', `district ${from.district} is not a district of this city`);
      all = all.filter((s) => inDistrict(s, from.district!));
      // A district speaks only as itself, whatever the request says.
      issuedBy = `${name}城运中心`;
      if (input.runMode && !(await this.districtMaySwitchRunMode(from.district)))
        throw new CityError(403, 'runModeNotGranted', `district ${from.district} may not switch run modes (the city has not granted it)`);
      const outside = (input.streets ?? []).filter((s) => !inDistrict(s, from.district!));
      if (outside.length) throw new CityError(403, 'outsideDistrict', `street(s) ${outside.join(', ')} are not in district ${from.district}`);
    }
    const targets = input.streets?.length ? [...new Set(input.streets)] : all;
    const unknown = targets.filter((s) => !all.includes(s));
    if (unknown.length) throw new CityError(400, 'unknownStreet', `unknown street(s): ${unknown.join(', ')}`);
    if (!targets.length) throw new CityError(400, 'noStreets', from.district ? `no streets of district ${from.district} are registered` : 'no streets are registered');
    const at = this.now();
    const d: Directive = { id: uuidv7({ msecs: at }), title: input.title, body: input.body, priority: input.priority, deadline: input.deadline, issuedAt: at, issuedBy, runMode: input.runMode };
    const feed = await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('directives')
        .values({ id: d.id, title: d.title, body: d.body, priority: d.priority, deadline: d.deadline == null ? null : String(d.deadline), issued_at: String(at), issued_by: d.issuedBy, district_code: from.district ?? null })
        .execute();
      for (const part of chunks(targets, 1000))
        await trx.insertInto('directive_recipients').values(part.map((s) => ({ directive_id: d.id, street_code: s, delivered_at: null, acked_at: null, acked_by: null }))).execute();
      return this.appendFeed(trx, targets.map((s) => ({ street: s, kind: 'directive' as const, entityId: d.id, at, payload: d as unknown as Record<string, unknown> })));
    });
    this.onFeed?.(feed);
    return { ...d, streets: targets };
  }

  /** Recent directives with who has and has not acknowledged; a district sees its own only. */
  async directives(limit = 50, from: { district?: string } = {}): Promise<DirectiveStatus[]> {
    let q = this.db.selectFrom('directives').selectAll().orderBy('issued_at', 'desc').limit(limit);
    if (from.district) q = q.where('district_code', '=', from.district);
    const ds = await q.execute();
    if (!ds.length) return [];
    const rs = await this.db.selectFrom('directive_recipients').selectAll().where('directive_id', 'in', ds.map((d) => d.id)).orderBy('street_code').execute();
    return ds.map((d) => {
      const recipients = rs
        .filter((r) => r.directive_id === d.id)
        .map((r) => ({ street: r.street_code, deliveredAt: r.delivered_at == null ? null : Number(r.delivered_at), ackedAt: r.acked_at == null ? null : Number(r.acked_at), ackedBy: r.acked_by }));
      const acked = recipients.filter((r) => r.ackedAt != null).length;
      return {
        id: d.id,
        title: d.title,
        body: d.body,
        priority: d.priority as Directive['priority'],
        deadline: d.deadline == null ? null : Number(d.deadline),
        issuedAt: Number(d.issued_at),
        issuedBy: d.issued_by,
        recipients,
        acked,
        pending: recipients.length - acked,
      };
    });
  }

  async streetsStatus() {
    const rows = await this.db.selectFrom('streets').selectAll().orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, lastAppliedSeq: Number(r.last_applied_seq), lastPushAt: r.last_push_at == null ? null : Number(r.last_push_at), lastSeenAt: r.last_seen_at == null ? null : Number(r.last_seen_at) }));
  }
}
