// The pull half of sync on the street: apply one page of the city's feed in one SQLite
// transaction together with the new cursor. A city change is never applied over a row that still
// has unacknowledged local changes: it is held as a conflict for the operator instead.

import type { Insertable, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema';
import { insertTicketsInBulk } from '../db/bulkTicketInserts';
import { cityReviewRequest, type CityReview, type CityTicket, type Directive, type DispatchedTicketPayload, type FeedItem, type WhistleResponsePayload } from '../../shared/sync/protocol';
import { indexText } from '../../shared/text/searchTokens';
import { computeDeadlines, extendDeadline } from '../../shared/domain/deadline';
import { runMode, slaOf } from '../services/tickets/ledger';
import { CHANNEL_LABELS, RUN_MODES, SATISFACTION_LABELS, STATUS_LABELS } from '../../shared/domain/ticket';
import { recordRunModePeriod } from '../services/coordination/runModes';
import type { Calendar } from '../../shared/domain/calendar';
import { appendOutbox, CITY_CREATOR_ID } from '../services/core/outbox';
import { SYSTEM_ACTOR } from '../../shared/sync/ops';
import { getSetting, setSetting } from '../services/core/settings';
import { holdReference } from './reference';
import { keepAlarmFacts } from './ticketAlarms';
import { gridAt } from '../services/grids/lookup';

type Trx = Transaction<Database>;

export const CURSOR_KEY = 'sync.cursor';
/** Which city's feed the cursor and feed seqs count in: goes up when the street is connected to another city. */
export const FEED_EPOCH_KEY = 'sync.feedEpoch';

/** The key of a feed item in the street's logs: its seq, within the current city's feed. */
export async function feedEpoch(db: Kysely<Database> | Trx): Promise<number> {
  const v = await db.selectFrom('settings').select('value').where('key', '=', FEED_EPOCH_KEY).executeTakeFirst();
  return v ? Number(JSON.parse(v.value)) || 0 : 0;
}

export interface ApplyOutcome {
  tickets: string[];
  directives: string[];
  /** A directive switched the run mode: the caller brings the setting in line (applyEffectiveMode). */
  runModeSwitched: boolean;
  /** Departments' 吹哨报到 responses received by the city, applied by the caller (they notify screens). */
  whistleResponses: WhistleResponsePayload[];
  held: number;
  /** Reference data held for applyPendingReference. */
  reference: number;
  recorded: number;
}

const CITY_ACTOR = { id: CITY_CREATOR_ID, name: '市12345热线平台', role: 'system' };

type EventActor = { id: string; name: string; role: string };

async function appendEvent(trx: Trx, ticketId: string, at: number, action: string, from: string | null, to: string, unitId: string | null, reason: string | null, data: Record<string, unknown>, seq?: number, actor: EventActor = CITY_ACTOR) {
  const last = seq == null ? await trx.selectFrom('ticket_events').select((eb) => eb.fn.max('seq').as('seq')).where('ticket_id', '=', ticketId).executeTakeFirst() : null;
  await trx
    .insertInto('ticket_events')
    .values({ id: uuidv7(), ticket_id: ticketId, seq: seq ?? Number(last?.seq ?? 0) + 1, action, from_status: from, to_status: to, actor_id: actor.id, actor_name: actor.name, actor_role: actor.role, unit_id: unitId, at, reason, data: JSON.stringify(data) })
    .execute();
}

/** The unit a city dispatch lands on: the named one if the street has it, else the receiving unit. */
async function receivingUnit(trx: Trx, unitCode: string | null, cache: Map<string, { id: string; code: string } | null>): Promise<{ id: string; code: string } | null> {
  const key = unitCode ?? '';
  if (cache.has(key)) return cache.get(key)!;
  const u = await findReceivingUnit(trx, unitCode);
  cache.set(key, u);
  return u;
}

async function findReceivingUnit(trx: Trx, unitCode: string | null): Promise<{ id: string; code: string } | null> {
  if (unitCode) {
    const u = await trx.selectFrom('units').select(['id', 'code']).where('code', '=', unitCode).where('active', '=', 1).executeTakeFirst();
    if (u) return u;
  }
  const setting = await trx.selectFrom('settings').select('value').where('key', '=', 'sync.receivingUnitCode').executeTakeFirst();
  if (setting) {
    const u = await trx.selectFrom('units').select(['id', 'code']).where('code', '=', JSON.parse(setting.value) as string).where('active', '=', 1).executeTakeFirst();
    if (u) return u;
  }
  return (await trx.selectFrom('units').select(['id', 'code']).where('kind', '=', 'street').where('active', '=', 1).orderBy('code').limit(1).executeTakeFirst()) ?? null;
}

/** When the street must sign for a city dispatch: minutes from the transfer (110), else hours from the feed item. */
function signInDeadline(p: DispatchedTicketPayload, at: number): number {
  if (typeof p.acceptWithinMinutes === 'number' && p.acceptWithinMinutes > 0) return (typeof p.acceptFrom === 'number' ? p.acceptFrom : at) + p.acceptWithinMinutes * 60_000;
  return at + p.acceptWithinHours * 3600_000;
}

const chunked = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * A run of 12345 direct dispatches from one feed page, written with a handful of multi-row
 * statements instead of several per ticket (a backlog of thousands arrives after a night offline).
 * Returns the ids of the tickets that are new here; the others were delivered before (the feed is
 * at-least-once; this is its idempotence).
 */
async function applyDispatched(trx: Trx, cal: Calendar, items: FeedItem[], now: number, units: Map<string, { id: string; code: string } | null>, gridKey: object): Promise<string[]> {
  const all = items.map((item) => ({ item, p: item.payload as unknown as DispatchedTicketPayload }));
  const have = new Set<string>();
  for (const part of chunked(all.map((a) => a.p.ticket.id), 500)) for (const r of await trx.selectFrom('tickets').select('id').where('id', 'in', part).execute()) have.add(r.id);
  const fresh: typeof all = [];
  for (const a of all) {
    if (have.has(a.p.ticket.id)) continue; // here already, or twice in this run
    have.add(a.p.ticket.id);
    fresh.push(a);
  }
  if (!fresh.length) return [];
  // Ticket codes are unique in the street. A city whose numbering started again (a rebuilt city
  // database, another city) may reuse one: the ticket keeps the city's code with its id's tail, and
  // the city's code stays searchable as its external reference.
  const taken = new Set<string>();
  for (const part of chunked(fresh.map((a) => a.p.ticket.code ?? a.p.ticket.id), 500))
    for (const r of await trx.selectFrom('tickets').select('code').where('code', 'in', part).execute()) taken.add(r.code);
  const rows: Array<Insertable<Database['tickets']>> = [];
  const events: Array<Insertable<Database['ticket_events']>> = [];
  const texts = new Map<string, string>();
  const reroutes: Array<{ id: string; unitCode: string }> = [];
  // The city's class (an intake channel's catalog code), where the street has that leaf.
  const codes = [...new Set(fresh.map((a) => a.p.categoryCode).filter((c): c is string => typeof c === 'string'))];
  const leafByCode = new Map<string, string>();
  const unitOfLeaf = new Map<string, string | null>();
  const slaOfLeaf = new Map<string, ReturnType<typeof slaOf>>();
  for (const part of chunked(codes, 500))
    for (const r of await trx
      .selectFrom('catalog')
      .select(['id', 'code', 'default_unit_id', 'accept_within_hours', 'resolve_within', 'resolve_unit'])
      .where('code', 'in', part)
      .where('is_leaf', '=', 1)
      .where('active', '=', 1)
      .execute()) {
      leafByCode.set(r.code, r.id);
      unitOfLeaf.set(r.code, r.default_unit_id);
      slaOfLeaf.set(r.code, slaOf(r));
    }
  const mode = slaOfLeaf.size ? await runMode(trx) : 'daily';
  const photos: PendingPhoto[] = [];
  for (const { item, p } of fresh) {
    const t = p.ticket;
    // A classified ticket without a named unit goes where its category goes by default — except one
    // with a minutes-long sign-in (a 110 transfer): the receiving unit signs for it, as it watches for them.
    const leafUnit = !p.unitCode && p.categoryCode && !p.acceptWithinMinutes ? unitOfLeaf.get(p.categoryCode) : null;
    const byCategory = leafUnit ? await trx.selectFrom('units').select(['id', 'code']).where('id', '=', leafUnit).where('active', '=', 1).executeTakeFirst() : undefined;
    const unit = byCategory ?? (await receivingUnit(trx, p.unitCode, units));
    const at = item.at;
    let code = t.code ?? t.id;
    if (taken.has(code)) code = `${code}-${t.id.slice(-6)}`;
    taken.add(code);
    const status = unit ? 'dispatched' : 'registered';
    // Classified by the city (an intake channel): the category's own time limits, as for the street's own tickets.
    const sla = p.categoryCode ? slaOfLeaf.get(p.categoryCode) : undefined;
    const dl = sla ? computeDeadlines(cal, at, sla, mode) : null;
    rows.push({
      id: t.id, code, channel: t.channel ?? 'hotline12345', external_ref: t.externalRef, reporter_name: t.reporterName, reporter_phone: t.reporterPhone,
      type: t.type ?? 'complaint', description: t.description ?? '', address: t.address ?? '', lon: t.lon, lat: t.lat,
      // A point the city located (an alarm's device, a 郑好拍 photo, a 110 scene) falls in one of the street's grids.
      grid_id: t.lon != null && t.lat != null ? ((await gridAt(trx, gridKey, t.lon, t.lat))?.id ?? null) : null,
      category_id: (p.categoryCode && leafByCode.get(p.categoryCode)) || null, ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: p.categoryCode && leafByCode.has(p.categoryCode) ? 'city' : null,
      urgency: 'normal', is_micro: 0, is_cross_boundary: 0, status, unit_id: unit?.id ?? null, dispatch_mode: unit ? 'designated' : null,
      // A 110 transfer's minutes-long sign-in limit wins; otherwise the city's category's own limits, else the payload's.
      accept_deadline: unit ? (p.acceptWithinMinutes ? signInDeadline(p, at) : (dl?.acceptDeadline ?? signInDeadline(p, at))) : null, resolve_deadline: dl?.resolveDeadline ?? extendDeadline(cal, at, p.resolveWithinDays),
      supervision_level: 0, satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: 0, return_count: 0,
      created_by: CITY_ACTOR.id, created_at: at, updated_at: now, dispatched_at: unit ? at : null,
      // What the dispatch event's trigger would set (migration 9): written with the row, so the trigger
      // finds nothing to change and the roll-ups (migration 14) are not unwound and redone per ticket.
      first_dispatch_at: at, accepted_at: null, resolved_at: null, closed_at: null, version: t.version,
    });
    // A ticket from another of the city's channels (郑好拍, 数字城管, alarms …) comes from the city's platform, not the hotline.
    const actorName = !t.channel || t.channel === 'hotline12345' ? CITY_ACTOR.name : '市城运中心平台';
    const ev = (seq: number, action: string, from: string | null, to: string, unitId: string | null, reason: string | null, data: Record<string, unknown>) =>
      events.push({ id: uuidv7(), ticket_id: t.id, seq, action, from_status: from, to_status: to, actor_id: CITY_ACTOR.id, actor_name: actorName, actor_role: CITY_ACTOR.role, unit_id: unitId, at, reason, data: JSON.stringify(data) });
    ev(1, 'report', null, 'reported', null, null, { channel: t.channel });
    const via = !t.channel || t.channel === 'hotline12345' ? '市12345热线直派' : `市级平台直派（${(CHANNEL_LABELS as Record<string, string>)[t.channel] ?? t.channel}）`;
    ev(2, 'dispatch', 'registered', status, unit?.id ?? null, via, { mode: 'designated', unitId: unit?.id ?? null });
    texts.set(t.id, indexText(code, t.description ?? '', t.address ?? '', t.externalRef));
    for (const ph of Array.isArray(p.photos) ? p.photos : []) if (/^[0-9a-f]{64}$/.test(ph.sha256)) photos.push({ ticketId: t.id, sha256: ph.sha256, name: String(ph.name).slice(0, 200) });
    // The city did not name a unit the street has: tell it where the ticket went.
    if (unit && unit.code !== p.unitCode) reroutes.push({ id: t.id, unitCode: unit.code });
  }
  // ~45 columns a row: 200 rows stay well under SQLite's bound-parameter limit. The roll-ups, 旬
  // versions and mining log of the run are added grouped (src/main/db/bulkTicketInserts.ts).
  await insertTicketsInBulk(trx, async () => {
    for (const part of chunked(rows, 200)) {
      const ins = await trx.insertInto('tickets').values(part).returning(['id', sql<number>`rowid`.as('rowid')]).execute();
      await sql`INSERT INTO tickets_fts(rowid, body) VALUES ${sql.join(ins.map((r) => sql`(${r.rowid}, ${texts.get(r.id)!})`))}`.execute(trx);
    }
  });
  for (const part of chunked(events, 500)) await trx.insertInto('ticket_events').values(part).execute();
  // An alarm group's ticket: its device, count and readings (its snapshot came as one of its photos).
  for (const { p } of fresh)
    if (p.alarm !== undefined) {
      const kept = await keepAlarmFacts(trx, p.ticket.id, p.alarm, now);
      if (!kept.ok) await trx.insertInto('ticket_events').values({ id: uuidv7(), ticket_id: p.ticket.id, seq: 3, action: 'note', from_status: null, to_status: rows.find((r) => r.id === p.ticket.id)!.status as string, actor_id: CITY_ACTOR.id, actor_name: '市城运中心平台', actor_role: CITY_ACTOR.role, unit_id: null, at: now, reason: '报警设备信息无法识别，未保存', data: JSON.stringify({ alarm: kept.reason }) }).execute();
    }
  for (const r of reroutes) await appendOutbox(trx, { entity: 'ticket', entityId: r.id, op: 'route', at: now, payload: { actor: SYSTEM_ACTOR, unitCode: r.unitCode } });
  // Photos are fetched after the page (src/main/sync/cityPhotos.ts); the list survives a restart.
  if (photos.length) await setSetting(trx, PENDING_PHOTOS_KEY, [...(((await getSetting(trx, PENDING_PHOTOS_KEY)) as PendingPhoto[] | undefined) ?? []), ...photos]);
  return fresh.map((a) => a.p.ticket.id);
}

/** Photos of city tickets the street has yet to fetch (settings, JSON list). */
export const PENDING_PHOTOS_KEY = 'sync.pendingPhotos';
export interface PendingPhoto {
  ticketId: string;
  sha256: string;
  name: string;
}

/**
 * More alarms joined an alarm ticket's group at the city: the facts as they now are. Not a change
 * of the ticket itself (no version, no conflict with local edits); a new snapshot is fetched after
 * the page like a city ticket's photos. A ticket the street does not have, or facts that do not
 * parse, stay in the feed log with the outcome.
 */
async function applyAlarmUpdate(trx: Trx, item: FeedItem, now: number): Promise<'applied' | 'duplicate' | 'unknown' | 'invalid'> {
  const ticketId = typeof item.payload.ticketId === 'string' ? item.payload.ticketId : item.entityId;
  const t = await trx.selectFrom('tickets').select('id').where('id', '=', ticketId).executeTakeFirst();
  if (!t) return 'unknown';
  const kept = await keepAlarmFacts(trx, ticketId, item.payload.alarm, now);
  if (!kept.ok) return 'invalid';
  if (kept.snapshot) {
    const pending = ((await getSetting(trx, PENDING_PHOTOS_KEY)) as PendingPhoto[] | undefined) ?? [];
    await setSetting(trx, PENDING_PHOTOS_KEY, [...pending, { ticketId, sha256: kept.snapshot.sha256, name: kept.snapshot.name.slice(0, 200) }]);
  }
  return kept.changed ? 'applied' : 'duplicate';
}

/** A city-side change to a ticket the street has: applied unless local changes are unacknowledged. */
async function applyTicketUpdate(trx: Trx, item: FeedItem, now: number, epoch: number): Promise<'applied' | 'held' | 'unknown'> {
  const c = item.payload.ticket as CityTicket;
  const local = await trx.selectFrom('tickets').select(['id', 'status', 'version']).where('id', '=', c.id).executeTakeFirst();
  if (!local) return 'unknown';
  const pending = await trx.selectFrom('outbox').select('id').where('entity', '=', 'ticket').where('entity_id', '=', c.id).where('acked_at', 'is', null).limit(1).executeTakeFirst();
  if (pending) {
    await trx
      .insertInto('sync_conflicts')
      .values({ op_id: epoch ? `feed:e${epoch}:${item.seq}` : `feed:${item.seq}`, entity: 'ticket', entity_id: c.id, op: 'cityUpdate', code: 'localPending', reason: '市级更新了该工单，但本地仍有未上传的修改；请选择以市级版本为准或保留本地修改', city_state: JSON.stringify(c), created_at: now, resolved_at: null, resolution: null, resolution_reason: null, resolved_by: null })
      .onConflict((oc) => oc.column('op_id').doNothing())
      .execute();
    return 'held';
  }
  // A 12345 review of the street's result (审核通过, 退回重办, the citizen's callback) carries its
  // own timeline entry; an unreadable review is applied as a plain city update.
  const review = cityReviewRequest.safeParse(item.payload.review);
  const reviewer = typeof item.payload.reviewer === 'string' && item.payload.reviewer.length <= 50 ? item.payload.reviewer : undefined;
  if (review.success) await adoptReview(trx, c, review.data, now, reviewer);
  else await adoptCityVersion(trx, c, now, '市级更新');
  return 'applied';
}

/** The city's version after a 12345 review, with the review in the timeline as its own action. */
async function adoptReview(trx: Trx, c: CityTicket, review: CityReview, now: number, reviewer = '12345热线中心'): Promise<void> {
  const local = await trx.selectFrom('tickets').selectAll().where('id', '=', c.id).executeTakeFirst();
  if (!local) return;
  const reopened = c.status === 'reopened';
  await trx
    .updateTable('tickets')
    .set({
      status: c.status,
      version: c.version,
      satisfaction: c.satisfaction,
      updated_at: now,
      ...(reopened ? { reopen_count: local.reopen_count + 1, resolved_at: null } : {}),
      ...(c.status === 'closed' ? { closed_at: now } : {}),
    })
    .where('id', '=', c.id)
    .execute();
  // The 12345 center, or a district center the city delegated the review to.
  const actor = { id: 'city', name: reviewer, role: 'system' };
  if (review.decision === 'approve')
    await appendEvent(trx, c.id, now, 'verify', local.status, c.status, null, review.note ?? '12345审核通过', { passed: true, source: '12345' }, undefined, actor);
  else if (review.decision === 'return')
    await appendEvent(trx, c.id, now, 'reopen', local.status, c.status, null, `12345退回重办：${review.reason}`, { source: '12345' }, undefined, actor);
  else
    await appendEvent(trx, c.id, now, 'callback', local.status, c.status, null, review.note ?? `12345回访：${SATISFACTION_LABELS[review.satisfaction]}`, { satisfaction: review.satisfaction, source: '12345' }, undefined, actor);
}

/** Puts the city's version of a ticket in place locally (status, version, result), with a timeline entry. */
export async function adoptCityVersion(trx: Trx, c: CityTicket, now: number, why: string, actor: EventActor = CITY_ACTOR): Promise<void> {
  const local = await trx.selectFrom('tickets').selectAll().where('id', '=', c.id).executeTakeFirst();
  if (!local) return;
  const unit = c.unitCode ? await trx.selectFrom('units').select('id').where('code', '=', c.unitCode).executeTakeFirst() : undefined;
  await trx
    .updateTable('tickets')
    .set({ status: c.status, version: c.version, unit_id: c.unitCode ? (unit?.id ?? local.unit_id) : null, result: c.result, satisfaction: c.satisfaction, updated_at: now })
    .where('id', '=', c.id)
    .execute();
  const label = (STATUS_LABELS as Record<string, string>)[c.status] ?? c.status;
  await appendEvent(trx, c.id, now, 'note', local.status, c.status, null, `${why}：采用市级版本（${label}，版本 ${c.version}）`, {}, undefined, actor);
}

export async function applyFeedPage(db: Kysely<Database>, cal: Calendar, items: FeedItem[], cursor: number, now: number): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { tickets: [], directives: [], runModeSwitched: false, whistleResponses: [], held: 0, reference: 0, recorded: 0 };
  await db.transaction().execute(async (trx) => {
    const units = new Map<string, { id: string; code: string } | null>();
    const epoch = await feedEpoch(trx);
    let dispatches: FeedItem[] = [];
    const flushDispatches = async () => {
      if (dispatches.length) out.tickets.push(...(await applyDispatched(trx, cal, dispatches, now, units, db)));
      dispatches = [];
    };
    for (const item of items) {
      if (item.kind !== 'ticket.dispatched') await flushDispatches();
      let outcome = 'applied';
      switch (item.kind) {
        case 'ticket.dispatched':
          // Gathered into a run, written together before the next item of another kind.
          dispatches.push(item);
          continue;
        case 'ticket.updated': {
          outcome = await applyTicketUpdate(trx, item, now, epoch);
          if (outcome === 'held') out.held++;
          else if (outcome === 'applied') out.tickets.push(item.entityId);
          break;
        }
        case 'ticket.alarm': {
          const r = await applyAlarmUpdate(trx, item, now);
          outcome = r;
          if (r === 'applied') out.tickets.push(item.entityId);
          break;
        }
        case 'directive': {
          const d = item.payload as unknown as Directive;
          const r = await trx
            .insertInto('city_directives')
            .values({ id: d.id, title: d.title, body: d.body, priority: d.priority, deadline: d.deadline, issued_at: d.issuedAt, issued_by: d.issuedBy, received_at: now, acked_at: null, acked_by: null, acked_by_name: null })
            .onConflict((oc) => oc.column('id').doNothing())
            .executeTakeFirst();
          if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) {
            out.directives.push(d.id);
            const rm = d.runMode;
            if (rm && (RUN_MODES as readonly string[]).includes(rm.mode) && (rm.end == null || rm.end > now)) {
              await recordRunModePeriod(trx, rm.mode, { by: d.issuedBy, source: 'city', end: rm.end, note: `市级指令“${d.title}”` }, now);
              out.runModeSwitched = true;
            }
          }
          break;
        }
        case 'whistle.response':
          // Kept in the feed log (so a crash before it is applied leaves a trace), applied after the page.
          out.whistleResponses.push(item.payload as unknown as WhistleResponsePayload);
          outcome = 'received';
          break;
        case 'catalog':
        case 'grids':
        case 'calendar':
        case 'modelVersion':
        case 'caseCodeMap':
          // Reference data: held with the cursor, applied after the page (applyPendingReference).
          await holdReference(trx, item, now, epoch);
          out.reference++;
          outcome = 'reference'; // reference_updates is its log
          break;
        default:
          // A kind this version does not know (a newer city): kept in the log, never dropped silently.
          outcome = 'recorded';
          out.recorded++;
      }
      if (outcome !== 'applied' && outcome !== 'duplicate' && outcome !== 'reference')
        await trx
          .insertInto('sync_feed_log')
          .values({ epoch, seq: item.seq, kind: item.kind, entity_id: item.entityId, at: item.at, payload: JSON.stringify(item.payload), outcome, received_at: now })
          .onConflict((oc) => oc.columns(['epoch', 'seq']).doNothing())
          .execute();
    }
    await flushDispatches();
    await setSetting(trx, CURSOR_KEY, cursor);
  });
  return out;
}
