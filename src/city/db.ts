// The city center's database: PostgreSQL through Kysely — an embedded PGlite database (a directory)
// by default, or a real PostgreSQL server given a connection string. The same migrations and the
// same queries run on both.

import fs from 'node:fs';
import { Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';

export interface StreetsTable {
  code: string;
  name: string;
  last_applied_seq: Generated<string>; // bigint comes back as string from pg
  last_applied_op: string | null;
  last_push_at: string | null;
  last_seen_at: string | null;
  created_at: string;
  /** Operations of this street applied so far (kept by the push, see migration 9). */
  applied_count: Generated<string>;
}
/** Operations applied before city migration 9, kept for de-duplication (no rows are added now). */
export interface AppliedOpsTable {
  op_id: string;
  street_code: string;
  seq: string;
  entity: string;
  entity_id: string;
  op: string;
  at: string;
  applied_at: string;
}
export interface RejectedOpsTable {
  id: Generated<string>;
  op_id: string;
  street_code: string;
  entity: string;
  entity_id: string;
  op: string;
  code: string;
  reason: string;
  received_at: string;
}
export interface CityTicketsTable {
  id: string;
  street_code: string;
  code: string | null;
  status: string;
  version: number;
  unit_code: string | null;
  source: string;
  channel: string | null;
  type: string | null;
  description: string | null;
  address: string | null;
  lon: number | null;
  lat: number | null;
  external_ref: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  result: string | null;
  satisfaction: string | null;
  /** State-machine facts the city keeps (consultation, micro, pending negotiation units, …). */
  facts: unknown;
  created_at: string;
  updated_at: string;
}
export interface CityTicketEventsTable {
  id: Generated<string>;
  ticket_id: string;
  op_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  actor: string | null;
  at: string;
  data: unknown;
}
export interface EntityOpsTable {
  op_id: string;
  street_code: string;
  entity: string;
  entity_id: string;
  op: string;
  at: string;
  payload: unknown;
  received_at: string;
}
export interface FeedTable {
  seq: Generated<string>;
  street_code: string;
  kind: string;
  entity_id: string;
  at: string;
  payload: unknown;
}
export interface DirectivesTable {
  id: string;
  title: string;
  body: string;
  priority: string;
  deadline: string | null;
  issued_at: string;
  issued_by: string;
  /** The district that sent it; null for the city. */
  district_code: string | null;
}
export interface DirectiveRecipientsTable {
  directive_id: string;
  street_code: string;
  delivered_at: string | null;
  acked_at: string | null;
  acked_by: string | null;
}
export interface RevokedCertsTable {
  serial: string;
  cn: string | null;
  role: string | null;
  reason: string | null;
  revoked_at: string;
}
export interface SeenCertsTable {
  serial: string;
  cn: string;
  role: string;
  first_seen: string;
  last_seen: string;
}
export interface DistrictGrantsTable {
  district_code: string;
  run_mode: boolean;
  /** The city delegates 12345 result review of the district's own streets (migration 8). */
  review: Generated<boolean>;
  granted_at: string;
}
/** A report or case from an external intake channel (郑好拍, 数字城管): src/city/intake/cases.ts. */
export interface IntakeCasesTable {
  id: string;
  source: string;
  /** The source's own id (the app's report id, the case number): a second one is a replay. */
  source_ref: string;
  caller: string;
  street_code: string | null;
  category_code: string | null;
  /** The source's class (数字城管: kind:code), kept for the console and a later retry. */
  source_code: string | null;
  /** The dispatch request it becomes (kept while held). */
  dispatch: unknown;
  phone: string | null;
  status: string;
  held_reason: string | null;
  ticket_id: string | null;
  received_at: string;
  dispatched_at: string | null;
  closed_at: string | null;
}
/** Photos that go with a city ticket (the street fetches them by sha256). */
export interface CityTicketPhotosTable {
  ticket_id: string;
  sha256: string;
  mime: string;
  size: number;
  name: string;
}
export interface AlarmsTable {
  id: string;
  device: string;
  kind: string;
  street_code: string;
  at: string;
  value: number | null;
  text: string | null;
  lon: number;
  lat: number;
  snapshot_sha: string | null;
  received_at: string;
  /** What the intake did with it (src/shared/intake/alarms.ts ALARM_OUTCOMES). */
  outcome: string;
  group_id: string | null;
}
export interface AlarmGroupsTable {
  id: string;
  kind: string;
  street_code: string;
  device: string;
  lon: number;
  lat: number;
  first_at: string;
  last_at: string;
  count: number;
  ticket_id: string | null;
}
export interface Police110IncidentsTable {
  incident_no: string;
  ticket_id: string;
  street_code: string;
  transferred_at: string;
  sign_in_deadline: string;
  caller_name: string | null;
  caller_phone: string | null;
  sms_consent: boolean;
  category_code: string | null;
  /** sha256 of the transfer as received (a replay with other content is logged). */
  body_sha: string;
  received_at: string;
}
export interface SmsMessagesTable {
  id: string;
  ticket_id: string;
  kind: string;
  phone: string;
  text: string;
  /** pending (waiting or retrying), sent, failed (gave up after the last attempt). */
  status: string;
  attempts: number;
  last_error: string | null;
  gateway_id: string | null;
  created_at: string;
  next_at: string;
  sent_at: string | null;
}
export interface SmsTemplatesTable {
  kind: string;
  text: string;
  updated_at: string;
  updated_by: string | null;
}
export interface CityDatabase {
  city_intake_cases: IntakeCasesTable;
  city_ticket_photos: CityTicketPhotosTable;
  police110_incidents: Police110IncidentsTable;
  sms_messages: SmsMessagesTable;
  sms_templates: SmsTemplatesTable;
  city_alarms: AlarmsTable;
  city_alarm_groups: AlarmGroupsTable;
  revoked_certs: RevokedCertsTable;
  seen_certs: SeenCertsTable;
  district_grants: DistrictGrantsTable;
  streets: StreetsTable;
  applied_ops: AppliedOpsTable;
  rejected_ops: RejectedOpsTable;
  city_tickets: CityTicketsTable;
  city_ticket_events: CityTicketEventsTable;
  entity_ops: EntityOpsTable;
  feed: FeedTable;
  directives: DirectivesTable;
  directive_recipients: DirectiveRecipientsTable;
  city_recurring_items: CityRecurringItemsTable;
  city_recurring_links: CityRecurringLinksTable;
  city_recurring_notes: CityRecurringNotesTable;
}

/** 专项治理 items as the streets opened them (migration 10; src/city/recurring.ts). */
export interface CityRecurringItemsTable {
  id: string;
  street_code: string;
  code: string;
  title: string;
  category_id: string;
  category_code: string | null;
  place: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  rule: unknown;
  lead_unit_id: string;
  lead_unit_code: string | null;
  helper_unit_ids: unknown;
  deadline: string;
  status: string;
  root_cause: string | null;
  opened_by_name: string;
  opened_at: string;
  closed_by_name: string | null;
  closed_at: string | null;
  updated_at: string;
}
export interface CityRecurringLinksTable {
  item_id: string;
  ticket_id: string;
  street_code: string;
  reason: string;
  auto: boolean;
  linked_at: string;
}
export interface CityRecurringNotesTable {
  id: string;
  item_id: string;
  street_code: string;
  text: string;
  by_name: string;
  at: string;
}

export const CITY_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'sync, tickets, feed, directives',
    sql: `
CREATE TABLE streets (
  code TEXT PRIMARY KEY, name TEXT NOT NULL,
  last_applied_seq BIGINT NOT NULL DEFAULT 0, last_applied_op TEXT,
  last_push_at BIGINT, last_seen_at BIGINT, created_at BIGINT NOT NULL
);
CREATE TABLE applied_ops (
  op_id TEXT PRIMARY KEY, street_code TEXT NOT NULL REFERENCES streets(code), seq BIGINT NOT NULL,
  entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL, at BIGINT NOT NULL, applied_at BIGINT NOT NULL
);
CREATE INDEX applied_ops_street ON applied_ops(street_code, seq);
CREATE TABLE rejected_ops (
  id BIGSERIAL PRIMARY KEY, op_id TEXT NOT NULL, street_code TEXT NOT NULL, entity TEXT NOT NULL,
  entity_id TEXT NOT NULL, op TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL, received_at BIGINT NOT NULL
);
CREATE TABLE city_tickets (
  id TEXT PRIMARY KEY, street_code TEXT NOT NULL REFERENCES streets(code), code TEXT,
  status TEXT NOT NULL, version INTEGER NOT NULL, unit_code TEXT, source TEXT NOT NULL,
  channel TEXT, type TEXT, description TEXT, address TEXT, lon DOUBLE PRECISION, lat DOUBLE PRECISION,
  external_ref TEXT, reporter_name TEXT, reporter_phone TEXT, result TEXT, satisfaction TEXT,
  facts JSONB NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX city_tickets_street ON city_tickets(street_code, updated_at);
CREATE INDEX city_tickets_code ON city_tickets(code);
CREATE TABLE city_ticket_events (
  id BIGSERIAL PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES city_tickets(id), op_id TEXT,
  action TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL, actor TEXT, at BIGINT NOT NULL,
  data JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX city_ticket_events_ticket ON city_ticket_events(ticket_id, id);
CREATE TABLE entity_ops (
  op_id TEXT PRIMARY KEY, street_code TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
  op TEXT NOT NULL, at BIGINT NOT NULL, payload JSONB NOT NULL, received_at BIGINT NOT NULL
);
CREATE INDEX entity_ops_entity ON entity_ops(entity, entity_id);
CREATE TABLE feed (
  seq BIGSERIAL PRIMARY KEY, street_code TEXT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL,
  at BIGINT NOT NULL, payload JSONB NOT NULL
);
CREATE INDEX feed_street ON feed(street_code, seq);
CREATE TABLE directives (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, priority TEXT NOT NULL,
  deadline BIGINT, issued_at BIGINT NOT NULL, issued_by TEXT NOT NULL
);
CREATE TABLE directive_recipients (
  directive_id TEXT NOT NULL REFERENCES directives(id), street_code TEXT NOT NULL REFERENCES streets(code),
  delivered_at BIGINT, acked_at BIGINT, acked_by TEXT, PRIMARY KEY (directive_id, street_code)
);
`,
  },
  {
    version: 2,
    name: 'open311 keys and requests',
    // Tables and types live with the Open311 module (src/city/open311/store.ts).
    sql: `
CREATE TABLE open311_keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, revoked_at BIGINT
);
CREATE TABLE open311_requests (
  token TEXT PRIMARY KEY, external_ref TEXT NOT NULL UNIQUE, service_code TEXT NOT NULL, street_code TEXT NOT NULL,
  key_id TEXT NOT NULL REFERENCES open311_keys(id), description TEXT, attributes JSONB NOT NULL DEFAULT '{}',
  address_string TEXT, address_id TEXT, zipcode TEXT, email TEXT, device_id TEXT, account_id TEXT,
  first_name TEXT, last_name TEXT, phone TEXT, media_url TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
  requested_at BIGINT NOT NULL
);
CREATE INDEX open311_requests_requested ON open311_requests(requested_at);
CREATE INDEX city_tickets_external_ref ON city_tickets(external_ref);
`,
  },
  {
    version: 3,
    name: 'directives from districts; recent dispatches',
    // A district operations center (区城运中心) sends directives to its own streets only.
    sql: `
ALTER TABLE directives ADD COLUMN district_code TEXT;
-- The city console lists the latest 12345 direct dispatches.
CREATE INDEX city_tickets_source_created ON city_tickets(source, created_at);
`,
  },
  {
    version: 4,
    name: 'video-AI and IoT alarms',
    // Every alarm is stored once (a replay of the same device, kind and time is refused by the
    // key); alarms that belong together form a group with one ticket and a count.
    sql: `
CREATE TABLE city_alarms (
  id TEXT PRIMARY KEY, device TEXT NOT NULL, kind TEXT NOT NULL, street_code TEXT NOT NULL, at BIGINT NOT NULL,
  value DOUBLE PRECISION, text TEXT, lon DOUBLE PRECISION NOT NULL, lat DOUBLE PRECISION NOT NULL, snapshot_sha TEXT,
  received_at BIGINT NOT NULL, outcome TEXT NOT NULL, group_id TEXT,
  UNIQUE (device, kind, at)
);
CREATE INDEX city_alarms_group ON city_alarms(group_id);
CREATE TABLE city_alarm_groups (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, street_code TEXT NOT NULL, device TEXT NOT NULL,
  lon DOUBLE PRECISION NOT NULL, lat DOUBLE PRECISION NOT NULL, first_at BIGINT NOT NULL, last_at BIGINT NOT NULL,
  count INTEGER NOT NULL, ticket_id TEXT
);
CREATE INDEX city_alarm_groups_last ON city_alarm_groups(last_at);
`,
  },
  {
    version: 5,
    name: 'certificate deny list, certificates seen, district grants, held Open311 requests',
    sql: `
CREATE TABLE revoked_certs (
  serial TEXT PRIMARY KEY, cn TEXT, role TEXT, reason TEXT, revoked_at BIGINT NOT NULL
);
CREATE TABLE seen_certs (
  serial TEXT PRIMARY KEY, cn TEXT NOT NULL, role TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL
);
CREATE TABLE district_grants (
  district_code TEXT PRIMARY KEY, run_mode BOOLEAN NOT NULL, granted_at BIGINT NOT NULL
);
-- An Open311 request for a street not yet connected is kept with what its dispatch needs (held),
-- and dispatched when the street connects (held becomes null, delivered_at is set).
ALTER TABLE open311_requests ADD COLUMN held JSONB;
ALTER TABLE open311_requests ADD COLUMN delivered_at BIGINT;
CREATE INDEX open311_requests_held ON open311_requests(street_code) WHERE held IS NOT NULL;
`,
  },
  {
    version: 6,
    name: 'push written in bulk: no per-row foreign-key checks on the two append-only push logs',
    // A push writes ~2,000 applied_ops rows and as many ticket events per batch; a foreign key
    // costs a trigger and an index probe per row (about 40% of the insert on PGlite). Both hold by
    // construction: the push locks its street's row (FOR UPDATE) before writing, and writes each
    // event's ticket earlier in the same transaction (src/city/service.ts). The tickets' own
    // street_code key stays.
    sql: `
ALTER TABLE applied_ops DROP CONSTRAINT IF EXISTS applied_ops_street_code_fkey;
ALTER TABLE city_ticket_events DROP CONSTRAINT IF EXISTS city_ticket_events_ticket_id_fkey;
`,
  },
  {
    version: 7,
    name: '110 non-police transfers; SMS to citizens',
    // One row per 110 incident number (the key that makes a replay change nothing); the SMS log
    // (every message with its status and attempts, one per ticket and kind and result) and the
    // templates the console edits (src/city/intake/police110.ts, src/city/sms).
    sql: `
CREATE TABLE police110_incidents (
  incident_no TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, street_code TEXT NOT NULL,
  transferred_at BIGINT NOT NULL, sign_in_deadline BIGINT NOT NULL, caller_name TEXT, caller_phone TEXT,
  sms_consent BOOLEAN NOT NULL DEFAULT false, category_code TEXT, body_sha TEXT NOT NULL, received_at BIGINT NOT NULL
);
CREATE INDEX police110_incidents_ticket ON police110_incidents(ticket_id);
CREATE TABLE sms_messages (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, kind TEXT NOT NULL, phone TEXT NOT NULL, text TEXT NOT NULL,
  status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, gateway_id TEXT,
  created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, sent_at BIGINT
);
CREATE INDEX sms_messages_due ON sms_messages(status, next_at);
CREATE INDEX sms_messages_ticket ON sms_messages(ticket_id, kind);
CREATE TABLE sms_templates (
  kind TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT
);
`,
  },
  {
    // (7 is another branch's; versions are applied by number, each once, so a gap is harmless.)
    version: 8,
    name: 'intake cases (郑好拍, 数字城管), photos of city tickets, district review grants',
    sql: `
CREATE TABLE city_intake_cases (
  id TEXT PRIMARY KEY, source TEXT NOT NULL, source_ref TEXT NOT NULL, caller TEXT NOT NULL,
  street_code TEXT, category_code TEXT, source_code TEXT, dispatch JSONB NOT NULL, phone TEXT,
  status TEXT NOT NULL, held_reason TEXT, ticket_id TEXT, received_at BIGINT NOT NULL,
  dispatched_at BIGINT, closed_at BIGINT,
  UNIQUE (source, source_ref)
);
CREATE INDEX city_intake_cases_ticket ON city_intake_cases(ticket_id);
CREATE INDEX city_intake_cases_held ON city_intake_cases(status) WHERE status = 'held';
CREATE TABLE city_ticket_photos (
  ticket_id TEXT NOT NULL, sha256 TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (ticket_id, sha256)
);
CREATE INDEX city_ticket_photos_sha ON city_ticket_photos(sha256);
ALTER TABLE district_grants ADD COLUMN review BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    version: 9,
    name: 'one row per applied operation: its ticket event or its entity op, no second log',
    // Every applied op already leaves exactly one row carrying its op_id: a ticket op its event in
    // city_ticket_events, any other op its row in entity_ops. applied_ops repeated that row (two
    // more index entries and a heap row per op: about 40% of what a push wrote). The push now
    // de-duplicates against those rows; applied_ops keeps what was applied before this version and
    // receives nothing new; a street's count of applied ops is a column on its row.
    sql: `
CREATE UNIQUE INDEX city_ticket_events_op ON city_ticket_events(op_id) WHERE op_id IS NOT NULL;
ALTER TABLE streets ADD COLUMN applied_count BIGINT NOT NULL DEFAULT 0;
UPDATE streets SET applied_count = (SELECT count(*) FROM applied_ops a WHERE a.street_code = streets.code)
`,
  },
  {
    version: 10,
    name: '专项治理 items from the streets, their linked tickets and progress notes',
    // Kept from the streets' recurringItem ops (src/city/recurring.ts); the ops themselves stay in entity_ops.
    sql: `
CREATE TABLE city_recurring_items (
  id TEXT PRIMARY KEY, street_code TEXT NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL,
  category_id TEXT NOT NULL, category_code TEXT, place TEXT NOT NULL, lon DOUBLE PRECISION, lat DOUBLE PRECISION, grid_id TEXT,
  rule JSONB NOT NULL, lead_unit_id TEXT NOT NULL, lead_unit_code TEXT, helper_unit_ids JSONB NOT NULL,
  deadline BIGINT NOT NULL, status TEXT NOT NULL, root_cause TEXT, opened_by_name TEXT NOT NULL, opened_at BIGINT NOT NULL,
  closed_by_name TEXT, closed_at BIGINT, updated_at BIGINT NOT NULL
);
CREATE INDEX city_recurring_items_street ON city_recurring_items(street_code, status);
CREATE TABLE city_recurring_links (
  item_id TEXT NOT NULL, ticket_id TEXT NOT NULL, street_code TEXT NOT NULL, reason TEXT NOT NULL,
  auto BOOLEAN NOT NULL, linked_at BIGINT NOT NULL,
  PRIMARY KEY (item_id, ticket_id)
);
CREATE INDEX city_recurring_links_ticket ON city_recurring_links(ticket_id);
CREATE TABLE city_recurring_notes (
  id TEXT PRIMARY KEY, item_id TEXT NOT NULL, street_code TEXT NOT NULL, text TEXT NOT NULL, by_name TEXT NOT NULL, at BIGINT NOT NULL
);
CREATE INDEX city_recurring_notes_item ON city_recurring_notes(item_id, at)
`,
  },
  {
    version: 11,
    name: 'push written in bulk: no per-row foreign-key check of a ticket\'s street',
    // A push upserts ~500 tickets a batch, each checked against streets by a trigger with a row
    // lock (about 15 µs a row on PGlite, a tenth of the batch's inserts). The key holds by
    // construction: streets are never deleted or renamed; a push locks its street's row (FOR
    // UPDATE) before writing; a 12345 dispatch checks its street (requireStreet) before it
    // writes. Like migration 6 for the append-only logs.
    sql: `
ALTER TABLE city_tickets DROP CONSTRAINT IF EXISTS city_tickets_street_code_fkey;
`,
  },
];

export interface CityDb {
  db: Kysely<CityDatabase>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Opens (creating if needed) the city database and brings its schema up to date. */
export async function openCityDb(opts: { dataDir?: string; databaseUrl?: string }): Promise<CityDb> {
  let db: Kysely<CityDatabase>;
  let kind: CityDb['kind'];
  let closeExtra = async () => {};
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 8 });
    db = new Kysely<CityDatabase>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    if (!opts.dataDir) throw new Error('openCityDb: dataDir or databaseUrl is required');
    fs.mkdirSync(opts.dataDir, { recursive: true });
    const lite = await PGlite.create(`${opts.dataDir}/pgdata`);
    db = new Kysely<CityDatabase>({ dialect: new PGliteDialect(lite) });
    kind = 'pglite';
    closeExtra = async () => {
      if (!lite.closed) await lite.close();
    };
  }
  await migrate(db);
  return {
    db,
    kind,
    close: async () => {
      await db.destroy();
      await closeExtra();
    },
  };
}

async function migrate(db: Kysely<CityDatabase>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS city_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`.execute(db);
  for (const m of CITY_MIGRATIONS) {
    await db.transaction().execute(async (trx) => {
      // Serialise concurrent starters on a real server.
      await sql`LOCK TABLE city_migrations IN EXCLUSIVE MODE`.execute(trx);
      const done = await sql<{ version: number }>`SELECT version FROM city_migrations WHERE version = ${m.version}`.execute(trx);
      if (done.rows.length) return;
      // One statement at a time: PGlite's parameterised query path takes a single statement.
      for (const stmt of m.sql.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) await sql.raw(stmt).execute(trx);
      await sql`INSERT INTO city_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${Date.now()})`.execute(trx);
    });
  }
}
