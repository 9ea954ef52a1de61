// The city's intake of video-AI and IoT alarms: every message from the broker is checked, located
// (point → street), stored once (a replayed message is recognised by device, kind and time),
// judged by its kind's rule (threshold, duration, quiet hours) and aggregated, so that a device
// repeating itself or a storm of alarms from one place becomes one ticket with a count. The first
// qualifying alarm of a group is dispatched to its street through the feed, on its own channel.
//
// Messages are queued and handled in batches (one insert per batch), so the broker's callback never
// waits on the database; `receive` never throws — a bad message is counted with its reason and
// logged, and nothing valid is lost.

import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  ALARM_CHANNEL,
  ALARM_KINDS,
  ALARM_KIND_LABELS,
  DEFAULT_ALARM_RULES,
  MAX_ALARM_PAYLOAD,
  MAX_ALARM_READINGS,
  alarmPayload,
  snapshotName,
  type AlarmFacts,
  type AlarmReading,
  alarmTicketText,
  inQuietHours,
  type AlarmKind,
  type AlarmOutcome,
  type AlarmPayload,
  type AlarmRejection,
  type AlarmRule,
} from '../../shared/intake/alarms';
import type { CityDatabase } from '../db';
import type { CityService } from '../service';
import type { BlobStore } from '../blobs';
import { StreetLocator } from '../open311/streets';

const TOPIC = /^alarms\/([^/]{1,64})\/([^/]{1,64})$/;
const BATCH = 500;

export interface AlarmGroup {
  id: string;
  kind: AlarmKind;
  street: string;
  device: string;
  lon: number;
  lat: number;
  firstAt: number;
  lastAt: number;
  count: number;
  ticketId: string | null;
  ticketCode: string | null;
  /** Its newest readings, newest first (kept in memory; read from the database once for a group loaded from it). */
  readings?: AlarmReading[];
}

export type AlarmCounters = Record<'received' | AlarmRejection | AlarmOutcome | 'badSnapshot' | 'failed', number>;

export interface AlarmIntakeOptions {
  locator?: StreetLocator;
  rules?: Partial<Record<AlarmKind, AlarmRule>>;
  blobs?: BlobStore;
  now?: () => number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

interface Located {
  a: AlarmPayload;
  street: string;
  receivedAt: number;
  snapshotSha: string | null;
  snapshotMime: 'image/jpeg' | 'image/png' | null;
  snapshotSize: number;
  key: string;
}

/** Metres between two WGS-84 points (equirectangular; exact enough within a street). */
function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = ((lon2 - lon1) * Math.PI) / 180 * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const y = ((lat2 - lat1) * Math.PI) / 180;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

type GroupRow = { id: string; kind: string; street_code: string; device: string; lon: number; lat: number; first_at: string; last_at: string; count: number; ticket_id: string | null; code: string | null };

function groupOf(r: GroupRow): AlarmGroup {
  return {
    id: r.id,
    kind: r.kind as AlarmKind,
    street: r.street_code,
    device: r.device,
    lon: Number(r.lon),
    lat: Number(r.lat),
    firstAt: Number(r.first_at),
    lastAt: Number(r.last_at),
    count: Number(r.count),
    ticketId: r.ticket_id,
    ticketCode: r.code ?? null,
  };
}

/** The newest readings first, at most MAX_ALARM_READINGS (alarms may arrive out of order). */
function newestFirst(rs: AlarmReading[]): AlarmReading[] {
  return rs.sort((a, b) => b.at - a.at).slice(0, MAX_ALARM_READINGS);
}

function readingOf(l: Located): AlarmReading {
  return { at: l.a.time, device: l.a.device, value: l.a.value ?? null, text: l.a.text ?? null };
}

export class AlarmIntake {
  readonly counters: AlarmCounters = Object.fromEntries(
    ['received', 'malformed', 'tooLarge', 'badTopic', 'topicMismatch', 'unknownKind', 'outsideStreets', 'replayed', 'ticket', 'grouped', 'belowThreshold', 'pendingDuration', 'quietHours', 'held', 'badSnapshot', 'failed'].map((k) => [k, 0]),
  ) as AlarmCounters;
  private readonly rules: Record<AlarmKind, AlarmRule>;
  private readonly locator: StreetLocator;
  private readonly now: () => number;
  private readonly log: (msg: string, extra?: Record<string, unknown>) => void;
  private queue: Array<{ topic: string; payload: Buffer; at: number }> = [];
  private running: Promise<void> | null = null;
  private groups: AlarmGroup[] | null = null;
  /** When a device's value first reached its threshold in the current run of alarms. */
  private overSince = new Map<string, number>();
  /** Groups with a ticket that grew since their street was last told, with the newest snapshot that joined. */
  private grown = new Map<AlarmGroup, Located | null>();
  private lastFlush = 0;

  constructor(
    private readonly svc: CityService,
    private readonly db: Kysely<CityDatabase>,
    opts: AlarmIntakeOptions = {},
  ) {
    this.rules = { ...DEFAULT_ALARM_RULES, ...opts.rules };
    this.locator = opts.locator ?? StreetLocator.fromFile();
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.blobs = opts.blobs;
  }
  private readonly blobs: BlobStore | undefined;

  /** One message from the broker. Never throws; handled in the next batch. */
  receive(topic: string, payload: Buffer): void {
    this.counters.received++;
    this.queue.push({ topic, payload, at: this.now() });
    if (!this.running) this.running = this.run();
  }

  /** Resolves once every message received so far is handled (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, BATCH);
        try {
          await this.handle(batch);
          // A storm sends each grown group's facts once a second, and once more when it ends.
          if (this.grown.size && (!this.queue.length || Date.now() - this.lastFlush >= 1000)) await this.flushUpdates();
        } catch (err) {
          // A database failure: the batch is put back in front and retried after a pause.
          this.counters.failed++;
          this.log('alarm batch failed, will retry', { error: err instanceof Error ? err.message : String(err), n: batch.length });
          this.queue.unshift(...batch);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } finally {
      this.running = null;
    }
  }

  private reject(reason: AlarmRejection, topic: string, detail: string) {
    this.counters[reason]++;
    this.log('alarm refused', { reason, topic: topic.slice(0, 140), detail: detail.slice(0, 300) });
  }

  private parse(topic: string, payload: Buffer, at: number): Located | null {
    if (payload.length > MAX_ALARM_PAYLOAD) return this.reject('tooLarge', topic, `${payload.length} bytes`), null;
    const m = TOPIC.exec(topic);
    if (!m) return this.reject('badTopic', topic, 'expected alarms/<kind>/<deviceId>'), null;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return this.reject('malformed', topic, `not JSON: ${(err as Error).message}`), null;
    }
    const parsed = alarmPayload.safeParse(raw);
    if (!parsed.success) {
      const kind = (raw as { kind?: unknown } | null)?.kind;
      const unknownKind = typeof kind === 'string' && !(ALARM_KINDS as readonly string[]).includes(kind);
      return this.reject(unknownKind ? 'unknownKind' : 'malformed', topic, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')), null;
    }
    const a = parsed.data;
    if (m[1] !== a.kind || m[2] !== a.device) return this.reject('topicMismatch', topic, `payload ${a.kind}/${a.device}`), null;
    const street = this.locator.locate(a.point.lon, a.point.lat);
    if (!street) return this.reject('outsideStreets', topic, `${a.point.lon},${a.point.lat}`), null;
    let snapshotSha: string | null = null;
    let snapshotMime: 'image/jpeg' | 'image/png' | null = null;
    let snapshotSize = 0;
    if (a.snapshot && this.blobs) {
      const buf = Buffer.from(a.snapshot, 'base64');
      snapshotMime = sniffImage(buf);
      if (snapshotMime) {
        snapshotSha = crypto.createHash('sha256').update(buf).digest('hex');
        snapshotSize = buf.length;
        this.blobs.append(snapshotSha, 0, buf.length, buf);
      } else {
        this.counters.badSnapshot++;
        this.log('alarm snapshot is not a JPEG or PNG, stored without it', { topic });
      }
    }
    return { a, street: street.code, receivedAt: at, snapshotSha, snapshotMime, snapshotSize, key: `${a.device}|${a.kind}|${a.time}` };
  }

  private async loadGroups(): Promise<AlarmGroup[]> {
    if (this.groups) return this.groups;
    const longest = Math.max(...Object.values(this.rules).map((r) => r.windowMs));
    this.groups = (await this.groupRows().where('last_at', '>=', String(this.now() - longest)).execute()).map(groupOf);
    return this.groups;
  }

  private findGroup(groups: AlarmGroup[], a: AlarmPayload, rule: AlarmRule): AlarmGroup | undefined {
    return groups.find(
      (g) => g.kind === a.kind && a.time >= g.lastAt - rule.windowMs && a.time <= g.lastAt + rule.windowMs && (g.device === a.device || metres(g.lon, g.lat, a.point.lon, a.point.lat) <= rule.nearMetres),
    );
  }

  private async handle(batch: Array<{ topic: string; payload: Buffer; at: number }>): Promise<void> {
    const seen = new Set<string>();
    const located: Located[] = [];
    for (const m of batch) {
      const l = this.parse(m.topic, m.payload, m.at);
      if (!l) continue;
      if (seen.has(l.key)) {
        this.reject('replayed', m.topic, l.key);
        continue;
      }
      seen.add(l.key);
      located.push(l);
    }
    if (!located.length) return;
    // Stored first, exactly once: a message already stored (a replay) is not returned.
    const ids = new Map<string, string>();
    for (const l of located) ids.set(l.key, crypto.randomUUID());
    const inserted = await this.db
      .insertInto('city_alarms')
      .values(
        located.map((l) => ({
          id: ids.get(l.key)!,
          device: l.a.device,
          kind: l.a.kind,
          street_code: l.street,
          at: String(l.a.time),
          value: l.a.value ?? null,
          text: l.a.text ?? null,
          lon: l.a.point.lon,
          lat: l.a.point.lat,
          snapshot_sha: l.snapshotSha,
          received_at: String(l.receivedAt),
          outcome: 'pending',
          group_id: null,
        })),
      )
      .onConflict((oc) => oc.columns(['device', 'kind', 'at']).doNothing())
      .returning('id')
      .execute();
    const fresh = new Set(inserted.map((r) => r.id));
    const streets = new Set(await this.svc.streetCodes());
    const groups = await this.loadGroups();
    const outcomes: Array<{ id: string; outcome: AlarmOutcome; group: string | null }> = [];
    const touched = new Set<AlarmGroup>();
    /** The alarms of this batch each group took, oldest first (for the facts its ticket carries). */
    const joined = new Map<AlarmGroup, Located[]>();
    const newGroups: Array<{ g: AlarmGroup; a: AlarmPayload; rule: AlarmRule }> = [];
    for (const l of located.sort((x, y) => x.a.time - y.a.time)) {
      const id = ids.get(l.key)!;
      if (!fresh.has(id)) {
        this.reject('replayed', `alarms/${l.a.kind}/${l.a.device}`, l.key);
        continue;
      }
      const { a } = l;
      const rule = this.rules[a.kind];
      const devKey = `${a.kind}|${a.device}`;
      let outcome: AlarmOutcome;
      let group: AlarmGroup | undefined;
      const over = rule.threshold == null || (a.value != null && a.value >= rule.threshold);
      if (!over) {
        this.overSince.delete(devKey);
        outcome = 'belowThreshold';
      } else {
        const since = Math.min(this.overSince.get(devKey) ?? a.time, a.time);
        this.overSince.set(devKey, since);
        group = this.findGroup(groups, a, rule);
        if (group) outcome = 'grouped';
        else if (rule.durationMs && a.time - since < rule.durationMs) outcome = 'pendingDuration';
        else if (inQuietHours(rule, a.time)) outcome = 'quietHours';
        else if (!streets.has(l.street)) outcome = 'held';
        else {
          group = { id: crypto.randomUUID(), kind: a.kind, street: l.street, device: a.device, lon: a.point.lon, lat: a.point.lat, firstAt: a.time, lastAt: a.time, count: 0, ticketId: null, ticketCode: null };
          groups.push(group);
          newGroups.push({ g: group, a, rule });
          outcome = 'ticket';
        }
      }
      if (group) {
        group.count++;
        group.lastAt = Math.max(group.lastAt, a.time);
        touched.add(group);
        joined.set(group, [...(joined.get(group) ?? []), l]);
      }
      this.counters[outcome]++;
      outcomes.push({ id, outcome, group: group?.id ?? null });
    }
    // Tickets for new groups go through the same dispatch as a 12345 ticket, on the alarm's channel.
    const dispatchedNow = new Set(newGroups.map((n) => n.g));
    for (const { g, a, rule } of newGroups) {
      const mine = joined.get(g) ?? [];
      g.readings = newestFirst(mine.map(readingOf));
      const facts = this.facts(g, g.readings, mine);
      const t = await this.svc.dispatch({
        street: g.street,
        text: alarmTicketText(a, rule),
        address: `${ALARM_KIND_LABELS[a.kind]}设备 ${a.device} 所在位置`,
        lon: a.point.lon,
        lat: a.point.lat,
        type: rule.ticketType === 'help' ? 'help' : 'report',
        channel: ALARM_CHANNEL[a.kind],
        externalRef: `ALARM-${g.id.slice(0, 8)}`,
        ...(facts.snapshot ? { photos: [facts.snapshot] } : {}),
      }, { alarm: facts });
      g.ticketId = t.id;
      g.ticketCode = t.code;
      this.log('alarm dispatched as a ticket', { kind: a.kind, device: a.device, street: g.street, ticket: t.code });
    }
    await this.db.transaction().execute(async (trx) => {
      if (touched.size)
        await trx
          .insertInto('city_alarm_groups')
          .values(
            [...touched].map((g) => ({
              id: g.id,
              kind: g.kind,
              street_code: g.street,
              device: g.device,
              lon: g.lon,
              lat: g.lat,
              first_at: String(g.firstAt),
              last_at: String(g.lastAt),
              count: g.count,
              ticket_id: g.ticketId,
            })),
          )
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ last_at: eb.ref('excluded.last_at'), count: eb.ref('excluded.count'), ticket_id: eb.ref('excluded.ticket_id') })))
          .execute();
      if (outcomes.length)
        await sql`UPDATE city_alarms SET outcome = v.outcome, group_id = v.group_id
          FROM (VALUES ${sql.join(outcomes.map((o) => sql`(${o.id}, ${o.outcome}, ${o.group})`))}) AS v(id, outcome, group_id)
          WHERE city_alarms.id = v.id`.execute(trx);
    });
    // Tickets dispatched before whose groups grew: their streets get the facts as they now are.
    // (Sent by `flushUpdates`: once a second while a burst lasts, and when it ends.)
    for (const g of [...touched].filter((g) => g.ticketId && !dispatchedNow.has(g))) {
      const mine = joined.get(g) ?? [];
      if (g.readings) g.readings = newestFirst([...mine.map(readingOf), ...g.readings]);
      const shot = [...mine].reverse().find((l) => l.snapshotSha && l.snapshotMime);
      this.grown.set(g, shot ?? this.grown.get(g) ?? null);
    }
    // Groups whose window has passed are dropped from memory (they stay in the database).
    const longest = Math.max(...Object.values(this.rules).map((r) => r.windowMs));
    const cutoff = Math.max(...groups.map((g) => g.lastAt), 0) - 2 * longest;
    this.groups = groups.filter((g) => g.lastAt >= cutoff);
  }

  /**
   * Tickets dispatched before whose groups grew: their streets get the facts as they now are
   * (`ticket.alarm`). A group loaded from the database reads its history once.
   */
  private async flushUpdates(): Promise<void> {
    const grown = [...this.grown];
    this.grown.clear();
    this.lastFlush = Date.now();
    try {
      const unread = grown.filter(([g]) => !g.readings).map(([g]) => g);
      const read = unread.length ? await this.recentReadings(unread.map((g) => g.id)) : new Map<string, AlarmReading[]>();
      for (const g of unread) g.readings = read.get(g.id) ?? [];
      await this.svc.alarmUpdates(grown.map(([g, shot]) => ({ ticketId: g.ticketId!, street: g.street, alarm: this.facts(g, g.readings ?? [], shot ? [shot] : []) })));
    } catch (err) {
      // Sent with the next batch (the facts are the group's, not the batch's: nothing is lost).
      for (const [g, shot] of grown) if (!this.grown.has(g)) this.grown.set(g, shot);
      this.log('alarm ticket updates not sent, will retry', { error: err instanceof Error ? err.message : String(err), n: grown.length });
    }
  }

  /** A group's facts for its ticket: `batch` is what joined it now (its newest snapshot goes along). */
  private facts(g: AlarmGroup, readings: AlarmReading[], batch: Located[]): AlarmFacts {
    const rule = this.rules[g.kind];
    const shot = [...batch].reverse().find((l) => l.snapshotSha && l.snapshotMime);
    return {
      groupId: g.id,
      kind: g.kind,
      device: g.device,
      unit: rule.unit ?? null,
      threshold: rule.threshold ?? null,
      firstAt: g.firstAt,
      lastAt: g.lastAt,
      count: g.count,
      readings,
      ...(shot ? { snapshot: { sha256: shot.snapshotSha!, mime: shot.snapshotMime!, size: shot.snapshotSize, name: snapshotName(g.kind, shot.a.device, shot.a.time, shot.snapshotMime!) } } : {}),
    };
  }

  /** The newest readings of each group, newest first (one query for all). */
  private async recentReadings(groupIds: string[]): Promise<Map<string, AlarmReading[]>> {
    const rows = await sql<{ group_id: string; at: string; device: string; value: number | null; text: string | null }>`
      SELECT group_id, at, device, value, text FROM (
        SELECT group_id, at, device, value, text, row_number() OVER (PARTITION BY group_id ORDER BY at DESC) AS rn
        FROM city_alarms WHERE group_id IN (${sql.join(groupIds)})
      ) x WHERE rn <= ${MAX_ALARM_READINGS} ORDER BY group_id, at DESC`.execute(this.db);
    const out = new Map<string, AlarmReading[]>();
    for (const r of rows.rows) out.set(r.group_id, [...(out.get(r.group_id) ?? []), { at: Number(r.at), device: r.device, value: r.value == null ? null : Number(r.value), text: r.text }]);
    return out;
  }

  private groupRows() {
    return this.db
      .selectFrom('city_alarm_groups')
      .leftJoin('city_tickets', 'city_tickets.id', 'city_alarm_groups.ticket_id')
      .select(['city_alarm_groups.id', 'kind', 'city_alarm_groups.street_code', 'device', 'city_alarm_groups.lon', 'city_alarm_groups.lat', 'first_at', 'last_at', 'count', 'ticket_id', 'city_tickets.code']);
  }

  /** Open and recent alarm groups with their counts, newest first (the console). */
  async recentGroups(limit = 50): Promise<AlarmGroup[]> {
    return (await this.groupRows().orderBy('last_at', 'desc').limit(limit).execute()).map(groupOf);
  }

}
