// Versioned schema migrations. The schema version lives in PRAGMA user_version; each migration
// runs in its own transaction together with the version bump, so a crash leaves the file at the
// previous version. Append new migrations to the end; never edit a released one.

import { callbackRollupMigrationSql, rollupMigrationSql } from './statsRollup';
import { statsPartsMigrationSql } from './statsParts';
import { bulkTicketInsertsMigrationSql } from './bulkTicketInserts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'street store',
    sql: `
CREATE TABLE street (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, district TEXT NOT NULL,
  city TEXT NOT NULL, center_lon REAL NOT NULL, center_lat REAL NOT NULL, area_km2 REAL, population INTEGER
);
CREATE TABLE grids (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('1','2','3','micro','special')),
  parent_id TEXT REFERENCES grids(id), polygon TEXT,
  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
  households INTEGER, population INTEGER, area_m2 REAL, props TEXT
);
CREATE INDEX grids_parent ON grids(parent_id);
CREATE TABLE units (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('community','department','enterprise','street')),
  parent_id TEXT REFERENCES units(id), phone TEXT, active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE staff (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT, role TEXT NOT NULL,
  unit_id TEXT REFERENCES units(id), grid_id TEXT REFERENCES grids(id)
);
CREATE INDEX staff_grid ON staff(grid_id);
CREATE TABLE users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('operator','leader','unit','gridOfficer','system')),
  unit_id TEXT REFERENCES units(id), staff_id TEXT REFERENCES staff(id),
  password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL
);
CREATE TABLE catalog (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  parent_id TEXT REFERENCES catalog(id), path TEXT NOT NULL, is_leaf INTEGER NOT NULL,
  default_unit_id TEXT REFERENCES units(id),
  accept_within_hours REAL NOT NULL, resolve_within REAL NOT NULL,
  resolve_unit TEXT NOT NULL CHECK (resolve_unit IN ('workHours','workDays','hours')),
  is_micro INTEGER NOT NULL DEFAULT 0, is_consultation INTEGER NOT NULL DEFAULT 0,
  sort INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE tickets (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, external_ref TEXT,
  reporter_name TEXT, reporter_phone TEXT, type TEXT NOT NULL, description TEXT NOT NULL,
  address TEXT NOT NULL, lon REAL, lat REAL, grid_id TEXT REFERENCES grids(id),
  category_id TEXT REFERENCES catalog(id), ai_category_id TEXT, ai_confidence REAL,
  ai_model_version TEXT, category_source TEXT,
  urgency TEXT NOT NULL DEFAULT 'normal', is_micro INTEGER NOT NULL DEFAULT 0,
  is_cross_boundary INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('reported','registered','dispatched','accepted','returned',
    'resolved','verified','closed','reopened','cancelled')),
  unit_id TEXT REFERENCES units(id), dispatch_mode TEXT,
  accept_deadline INTEGER, resolve_deadline INTEGER, supervision_level INTEGER NOT NULL DEFAULT 0,
  satisfaction TEXT, result TEXT, merged_into TEXT REFERENCES tickets(id), parent_id TEXT REFERENCES tickets(id),
  reopen_count INTEGER NOT NULL DEFAULT 0, return_count INTEGER NOT NULL DEFAULT 0,
  created_by TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  dispatched_at INTEGER, accepted_at INTEGER, resolved_at INTEGER, closed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_status_deadline ON tickets(status, resolve_deadline);
CREATE INDEX tickets_category_status ON tickets(category_id, status, resolve_deadline);
CREATE INDEX tickets_grid_status ON tickets(grid_id, status, resolve_deadline);
CREATE INDEX tickets_unit_status ON tickets(unit_id, status, resolve_deadline);
CREATE INDEX tickets_channel_created ON tickets(channel, created_at);
CREATE INDEX tickets_status_created ON tickets(status, created_at);
CREATE TABLE ticket_events (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id), seq INTEGER NOT NULL,
  action TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
  actor_id TEXT, actor_name TEXT NOT NULL, actor_role TEXT NOT NULL, unit_id TEXT,
  at INTEGER NOT NULL, reason TEXT, data TEXT NOT NULL DEFAULT '{}',
  UNIQUE (ticket_id, seq)
);
-- The timeline is append-only.
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
  BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
  BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TABLE ticket_negotiations (
  ticket_id TEXT NOT NULL REFERENCES tickets(id), unit_id TEXT NOT NULL REFERENCES units(id),
  round INTEGER NOT NULL, response TEXT NOT NULL CHECK (response IN ('pending','accepted','declined')),
  reason TEXT, responded_at INTEGER, PRIMARY KEY (ticket_id, round, unit_id)
);
CREATE TABLE ticket_extensions (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id), unit_id TEXT NOT NULL,
  requested_by TEXT NOT NULL, days INTEGER NOT NULL, reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
  requested_at INTEGER NOT NULL, decided_by TEXT, decided_at INTEGER, decision_reason TEXT
);
CREATE INDEX ticket_extensions_ticket ON ticket_extensions(ticket_id);
CREATE TABLE attachments (
  sha256 TEXT PRIMARY KEY, mime TEXT NOT NULL, size INTEGER NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE ticket_attachments (
  ticket_id TEXT NOT NULL REFERENCES tickets(id), sha256 TEXT NOT NULL REFERENCES attachments(sha256),
  kind TEXT NOT NULL CHECK (kind IN ('before','after')), event_id TEXT, added_at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, sha256, kind)
);
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL,
  entity_id TEXT NOT NULL, op TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,
  acked_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(acked_at, seq);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Full-text index over ticket text, pre-tokenized into Chinese bigrams (see shared/text/searchTokens).
-- Contentless: rowid = tickets.rowid; the service keeps it in step in the same transaction.
CREATE VIRTUAL TABLE tickets_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61');
`,
  },
  {
    version: 2,
    name: 'grid members, six elements, basemap, grid revision',
    sql: `
-- Who is responsible for a grid: staff × grid with a role (police are nested into grids, so one
-- officer can be a member of several grids).
CREATE TABLE grid_members (
  grid_id TEXT NOT NULL REFERENCES grids(id) ON DELETE CASCADE,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  role TEXT NOT NULL CHECK (role IN ('gridLeader','fullTimeOfficer','partTimeOfficer','communityPolice','auxiliaryPolice')),
  sort INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grid_id, staff_id, role)
) WITHOUT ROWID;
CREATE INDEX grid_members_staff ON grid_members(staff_id);
-- Six-element counts per grid (key-care residents, courtyards, buildings, facilities, organizations …),
-- one row per grid and kind; the kinds are listed in src/shared/domain/gridElements.ts.
CREATE TABLE grid_elements (
  grid_id TEXT NOT NULL REFERENCES grids(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (grid_id, kind)
) WITHOUT ROWID;
-- The offline basemap's vector features that are not grids (roads, water, landmarks).
CREATE TABLE basemap_features (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('road','water','landmark')),
  name TEXT,
  geometry TEXT NOT NULL,
  props TEXT
);
CREATE INDEX grids_level ON grids(level, code);
-- Bumped by every change to grids, so in-memory spatial indexes (in this process or another one
-- working on the same file, such as the grids command line) know when to rebuild.
CREATE TABLE grid_revision (id INTEGER PRIMARY KEY CHECK (id = 1), rev INTEGER NOT NULL);
INSERT INTO grid_revision (id, rev) VALUES (1, 0);
CREATE TRIGGER grids_rev_insert AFTER INSERT ON grids BEGIN UPDATE grid_revision SET rev = rev + 1 WHERE id = 1; END;
CREATE TRIGGER grids_rev_update AFTER UPDATE ON grids BEGIN UPDATE grid_revision SET rev = rev + 1 WHERE id = 1; END;
CREATE TRIGGER grids_rev_delete AFTER DELETE ON grids BEGIN UPDATE grid_revision SET rev = rev + 1 WHERE id = 1; END;
`,
  },
  {
    version: 3,
    name: 'one-click dispatch to the ticket community',
    sql: `
-- Community-level categories (暴露垃圾, 小广告 …) go to the committee of the ticket's own community:
-- a community unit names its level-2 grid, and such categories are flagged.
ALTER TABLE units ADD COLUMN grid_id TEXT REFERENCES grids(id);
ALTER TABLE catalog ADD COLUMN route_to_community INTEGER NOT NULL DEFAULT 0;
CREATE INDEX units_grid ON units(grid_id);
`,
  },
  {
    version: 4,
    name: 'coordination: supervision records, whistle sessions, joint reviews, run modes',
    sql: `
-- A category's own supervision thresholds: JSON [h2, h3, h4], hours overdue for levels 2–4 on the
-- daily clock of its kind of deadline (NULL: the run mode's rule for its kind of deadline).
ALTER TABLE catalog ADD COLUMN supervision_hours TEXT;
-- 督办 records: every reminder and escalation, kept for accountability (append-only).
CREATE TABLE supervision_records (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL CHECK (kind IN ('warning','auto','manual')),
  level INTEGER NOT NULL, previous_level INTEGER NOT NULL,
  unit_id TEXT REFERENCES units(id), deadline INTEGER, new_deadline INTEGER,
  overdue_minutes INTEGER NOT NULL DEFAULT 0, run_mode TEXT NOT NULL,
  notified TEXT NOT NULL DEFAULT '[]', note TEXT,
  by_id TEXT, by_name TEXT NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX supervision_records_ticket ON supervision_records(ticket_id, at);
CREATE INDEX supervision_records_at ON supervision_records(at);
CREATE TRIGGER supervision_records_no_update BEFORE UPDATE ON supervision_records
  BEGIN SELECT RAISE(ABORT, 'supervision_records is append-only'); END;
CREATE TRIGGER supervision_records_no_delete BEFORE DELETE ON supervision_records
  BEGIN SELECT RAISE(ABORT, 'supervision_records is append-only'); END;

-- 吹哨报到 sessions, the departments summoned, their tasks, decisions and minutes.
CREATE TABLE whistle_sessions (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, problem TEXT NOT NULL,
  urgency TEXT NOT NULL, place TEXT NOT NULL, ticket_id TEXT REFERENCES tickets(id),
  lead_unit_id TEXT REFERENCES units(id), report_by INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','closed')),
  opened_by TEXT NOT NULL, opened_by_name TEXT NOT NULL, opened_at INTEGER NOT NULL,
  closed_at INTEGER, summary TEXT, updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX whistle_sessions_status ON whistle_sessions(status, opened_at);
CREATE INDEX whistle_sessions_ticket ON whistle_sessions(ticket_id);
CREATE TABLE whistle_departments (
  session_id TEXT NOT NULL REFERENCES whistle_sessions(id), unit_id TEXT NOT NULL REFERENCES units(id),
  state TEXT NOT NULL CHECK (state IN ('notified','acknowledged','onSite','online','done')),
  notified_at INTEGER NOT NULL, acknowledged_at INTEGER, checked_in_at INTEGER, done_at INTEGER,
  rep_name TEXT, note TEXT, source TEXT NOT NULL DEFAULT 'local',
  PRIMARY KEY (session_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX whistle_departments_unit ON whistle_departments(unit_id, session_id);
CREATE TABLE whistle_tasks (
  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES whistle_sessions(id),
  unit_id TEXT NOT NULL REFERENCES units(id), ticket_id TEXT REFERENCES tickets(id),
  title TEXT NOT NULL, deadline INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','inProgress','done')),
  result TEXT, done_at INTEGER, done_by_name TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
CREATE INDEX whistle_tasks_session ON whistle_tasks(session_id);
CREATE TABLE whistle_entries (
  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES whistle_sessions(id),
  kind TEXT NOT NULL CHECK (kind IN ('decision','minute')), text TEXT NOT NULL,
  by_name TEXT NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX whistle_entries_session ON whistle_entries(session_id, at);

-- 三跨会商: joint reviews of cross-boundary tickets and each candidate unit's position.
CREATE TABLE reviews (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id), dimensions TEXT NOT NULL,
  question TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('open','decided')),
  decision TEXT, owner_unit_id TEXT REFERENCES units(id), shares TEXT NOT NULL DEFAULT '[]',
  opened_by TEXT NOT NULL, opened_by_name TEXT NOT NULL, opened_at INTEGER NOT NULL,
  decided_by_name TEXT, decided_at INTEGER, updated_at INTEGER NOT NULL
);
CREATE INDEX reviews_status ON reviews(status, opened_at);
CREATE INDEX reviews_ticket ON reviews(ticket_id);
CREATE TABLE review_units (
  review_id TEXT NOT NULL REFERENCES reviews(id), unit_id TEXT NOT NULL REFERENCES units(id),
  position TEXT NOT NULL CHECK (position IN ('pending','lead','assist','decline')),
  note TEXT, by_name TEXT, at INTEGER,
  PRIMARY KEY (review_id, unit_id)
) WITHOUT ROWID;

-- 运行模式: every switch (who, from where, when it starts and ends), key places and patrols,
-- the duty roster and the daily zero reports.
CREATE TABLE run_mode_periods (
  id TEXT PRIMARY KEY, mode TEXT NOT NULL CHECK (mode IN ('daily','holiday','majorEvent','emergency')),
  start_at INTEGER NOT NULL, end_at INTEGER, source TEXT NOT NULL, by_name TEXT NOT NULL, by_id TEXT,
  note TEXT, created_at INTEGER NOT NULL
);
CREATE INDEX run_mode_periods_created ON run_mode_periods(created_at);
CREATE TABLE key_places (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, kind TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1, sort INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE patrol_checkins (
  id TEXT PRIMARY KEY, place_id TEXT NOT NULL REFERENCES key_places(id), at INTEGER NOT NULL,
  by_id TEXT, by_name TEXT NOT NULL, ok INTEGER NOT NULL, note TEXT
);
CREATE INDEX patrol_checkins_place ON patrol_checkins(place_id, at);
CREATE TABLE duty_roster (
  id TEXT PRIMARY KEY, date TEXT NOT NULL, shift TEXT NOT NULL CHECK (shift IN ('day','night')),
  post TEXT NOT NULL, name TEXT NOT NULL, phone TEXT
);
CREATE INDEX duty_roster_date ON duty_roster(date);
CREATE TABLE zero_reports (
  id TEXT PRIMARY KEY, date TEXT NOT NULL UNIQUE, mode TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('nothing','incidents')), text TEXT NOT NULL,
  incidents INTEGER NOT NULL DEFAULT 0, due_at INTEGER, late INTEGER NOT NULL DEFAULT 0,
  by_id TEXT, by_name TEXT NOT NULL, at INTEGER NOT NULL
);
`,
  },
  {
    version: 5,
    name: 'photo AI: suggestions shown and accepted, before/after photo checks',
    sql: `
-- Every photo suggestion shown to an operator, and what became of it (acceptance rates, labels).
CREATE TABLE ai_photo_suggestions (
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL REFERENCES attachments(sha256),
  ticket_id TEXT REFERENCES tickets(id),
  user_id TEXT,
  model_version TEXT NOT NULL,
  top TEXT NOT NULL,
  description TEXT NOT NULL,
  embedding BLOB,
  shown_at INTEGER NOT NULL,
  accepted_category_id TEXT,
  description_accepted INTEGER NOT NULL DEFAULT 0,
  final_category_id TEXT,
  decided_at INTEGER
);
CREATE INDEX ai_photo_suggestions_ticket ON ai_photo_suggestions(ticket_id);
CREATE INDEX ai_photo_suggestions_shown ON ai_photo_suggestions(shown_at);
-- The before/after check of each resolution that came with after-photos.
CREATE TABLE ai_photo_checks (
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  event_id TEXT NOT NULL,
  status TEXT NOT NULL,
  same_scene INTEGER,
  similarity REAL,
  reused INTEGER,
  problem_visible INTEGER,
  reasons TEXT NOT NULL,
  detail TEXT NOT NULL,
  model_version TEXT,
  checked_at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, event_id)
);
`,
  },
  {
    version: 6,
    name: 'ai suggestions shown and their outcome',
    sql: `
-- Every suggestion the assistant showed (category, unit, micro-event flag, duplicate candidates),
-- and what the operator did with it, so acceptance rates can be reported. Local measurement data.
CREATE TABLE ai_suggestions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('category', 'unit', 'micro', 'duplicate')),
  ticket_id TEXT,
  model_version TEXT,
  shown TEXT NOT NULL,
  top_value TEXT,
  top_score REAL,
  -- 1: the operator took a shown suggestion; 0: decided otherwise; NULL: superseded / no decision
  accepted INTEGER,
  final_value TEXT,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX ai_suggestions_kind ON ai_suggestions(kind, created_at);
CREATE INDEX ai_suggestions_ticket ON ai_suggestions(ticket_id);
-- The same citizen reporting again is found by phone.
CREATE INDEX tickets_reporter_phone ON tickets(reporter_phone, created_at);
`,
  },
  {
    version: 7,
    name: 'sync with the city center: conflicts, directives, feed log',
    sql: `
-- An operation the city refused: shown to the operator until resolved (retry, rebase onto the
-- city's version, or discard with a reason). Later ops on the same entity wait behind it.
CREATE TABLE sync_conflicts (
  op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
  code TEXT NOT NULL, reason TEXT NOT NULL, city_state TEXT, created_at INTEGER NOT NULL,
  resolved_at INTEGER, resolution TEXT CHECK (resolution IN ('retry','rebase','discard')),
  resolution_reason TEXT, resolved_by TEXT
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at, entity, entity_id);
-- Directives (指令) received from the city, and their acknowledgement (签收回执).
CREATE TABLE city_directives (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, priority TEXT NOT NULL,
  deadline INTEGER, issued_at INTEGER NOT NULL, issued_by TEXT NOT NULL, received_at INTEGER NOT NULL,
  acked_at INTEGER, acked_by TEXT, acked_by_name TEXT
);
CREATE INDEX city_directives_open ON city_directives(acked_at, issued_at);
-- Feed items the street recorded without applying (reference data not yet applied here, and city
-- updates held back because the row still has unacknowledged local changes).
-- Sync looks up an entity's operations (was it created through the outbox? does it have
-- unacknowledged changes?).
CREATE INDEX outbox_entity ON outbox(entity, entity_id, acked_at);
CREATE TABLE sync_feed_log (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, entity_id TEXT NOT NULL, at INTEGER NOT NULL,
  payload TEXT NOT NULL, outcome TEXT NOT NULL, received_at INTEGER NOT NULL
);
`,
  },
  {
    version: 8,
    name: 'reference data from the city: catalog, grids, calendar, model versions',
    sql: `
-- Reference data the city published, in feed order: held here when the feed page is stored, then
-- applied one by one (each in a transaction of its own); a refused one keeps its Chinese reason.
-- A feed's seq counts in one city's feed: \`epoch\` (setting sync.feedEpoch) goes up when the street
-- is connected to another city, so that city's seq 1 is not taken for one already held.
CREATE TABLE reference_updates (
  id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL,
  kind TEXT NOT NULL, version TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','applied','rejected')),
  summary TEXT, errors TEXT, received_at INTEGER NOT NULL, applied_at INTEGER,
  UNIQUE (epoch, seq)
);
CREATE INDEX reference_updates_pending ON reference_updates(status, id);
-- Items an earlier version only recorded (its cursor went past them) are applied now.
INSERT OR IGNORE INTO reference_updates (epoch, seq, kind, version, at, payload, status, received_at)
  SELECT 0, seq, kind, COALESCE(CAST(json_extract(payload, '$.version') AS TEXT), entity_id), at, payload, 'pending', received_at
  FROM sync_feed_log WHERE outcome = 'recorded' AND kind IN ('catalog', 'grids', 'calendar', 'modelVersion');
DELETE FROM sync_feed_log WHERE outcome = 'recorded' AND kind IN ('catalog', 'grids', 'calendar', 'modelVersion');
-- The feed log is keyed the same way.
CREATE TABLE sync_feed_log_by_epoch (
  id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, kind TEXT NOT NULL,
  entity_id TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL, outcome TEXT NOT NULL,
  received_at INTEGER NOT NULL, UNIQUE (epoch, seq)
);
INSERT INTO sync_feed_log_by_epoch (epoch, seq, kind, entity_id, at, payload, outcome, received_at)
  SELECT 0, seq, kind, entity_id, at, payload, outcome, received_at FROM sync_feed_log ORDER BY seq;
DROP TABLE sync_feed_log;
ALTER TABLE sync_feed_log_by_epoch RENAME TO sync_feed_log;
-- Working-day calendars beyond the built-in years (or corrections to them), by year.
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY, holidays TEXT NOT NULL, workdays TEXT NOT NULL,
  version TEXT NOT NULL, updated_at INTEGER NOT NULL
);
`,
  },
  {
    version: 9,
    name: 'statistics: first dispatch and first resolve of each ticket, indexes for the figures',
    sql: `
-- Facts the statistics are defined on (src/shared/stats/figures.ts), derived from the timeline and
-- kept in step by triggers in the same transaction as the event that changes them, whichever code
-- path writes the event (a ticket action, the sync feed, the demo seeder).
--   first_dispatch_at   the earliest dispatch event
--   first_resolve_at    the earliest resolve event, and the role of whoever resolved it
--   resolve_work_min    working minutes from creation to first_resolve_at on the working-day
--                       calendar; filled in by the statistics service (the calendar lives in
--                       TypeScript), cleared here whenever first_resolve_at changes
ALTER TABLE tickets ADD COLUMN first_dispatch_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_resolve_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_resolve_role TEXT;
ALTER TABLE tickets ADD COLUMN resolve_work_min INTEGER;
UPDATE tickets SET
  first_dispatch_at = (SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.action = 'dispatch'),
  first_resolve_at = (SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.action = 'resolve');
UPDATE tickets SET first_resolve_role = (SELECT e.actor_role FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.action = 'resolve' ORDER BY e.at, e.seq LIMIT 1)
  WHERE first_resolve_at IS NOT NULL;
CREATE TRIGGER ticket_events_first_dispatch AFTER INSERT ON ticket_events WHEN NEW.action = 'dispatch'
BEGIN
  UPDATE tickets SET first_dispatch_at = NEW.at
   WHERE id = NEW.ticket_id AND (first_dispatch_at IS NULL OR first_dispatch_at > NEW.at);
END;
CREATE TRIGGER ticket_events_first_resolve AFTER INSERT ON ticket_events WHEN NEW.action = 'resolve'
BEGIN
  UPDATE tickets SET first_resolve_at = NEW.at, first_resolve_role = NEW.actor_role, resolve_work_min = NULL
   WHERE id = NEW.ticket_id AND (first_resolve_at IS NULL OR first_resolve_at > NEW.at);
END;
-- Period scans of the figures: each index carries the columns its figures read, so a month or a
-- year is counted from the index alone (grouping by unit, grid or category reads the rows).
CREATE INDEX tickets_stats_created ON tickets(created_at, status, merged_into, channel, category_id, first_resolve_at, first_dispatch_at);
CREATE INDEX tickets_stats_resolved ON tickets(first_resolve_at, resolve_deadline, resolve_work_min, is_micro, first_resolve_role);
CREATE INDEX tickets_stats_dispatched ON tickets(first_dispatch_at, accepted_at, accept_deadline, return_count);
-- Callback and supervise events by time, with what the figures read from them (partial: small).
CREATE INDEX ticket_events_callbacks ON ticket_events(at, ticket_id, data) WHERE action = 'callback';
CREATE INDEX ticket_events_supervise ON ticket_events(at, ticket_id, data) WHERE action = 'supervise';
`,
  },
  {
    version: 10,
    name: 'search by caller: phone tail and name indexes',
    sql: `
-- Operators search by the caller's phone more than by anything else: whole, its first digits
-- (tickets_reporter_phone) or its last four or more (this index), and by the caller's name.
CREATE INDEX tickets_phone_tail ON tickets(substr(reporter_phone, -4));
CREATE INDEX tickets_reporter_name ON tickets(reporter_name);
`,
  },
  {
    version: 11,
    name: 'real streets: administrator role, one-time passwords, audit log',
    sql: `
-- The users table gains the administrator role (a CHECK cannot be altered: the table is rebuilt;
-- no table refers to users by foreign key) and one-time passwords.
CREATE TABLE users_v10 (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('operator','leader','unit','gridOfficer','admin','system')),
  unit_id TEXT REFERENCES units(id), staff_id TEXT REFERENCES staff(id),
  password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0, password_changed_at INTEGER, deactivated_at INTEGER
);
INSERT INTO users_v10 (id, username, display_name, role, unit_id, staff_id, password_hash, active, created_at)
  SELECT id, username, display_name, role, unit_id, staff_id, password_hash, active, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v10 RENAME TO users;
-- The audit log: append-only, each entry carries the sha256 of the previous one (a chain).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL,
  actor_id TEXT, actor_name TEXT NOT NULL, actor_role TEXT, action TEXT NOT NULL, target TEXT,
  detail TEXT NOT NULL, client TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
  },
  {
    version: 12,
    name: 'saved views: a user\'s named list filters, pinnable to the dashboard',
    sql: `
-- The list's filters as its URL query; per user (never shared), names unique per user.
CREATE TABLE saved_views (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE (user_id, name)
);
`,
  },
  {
    version: 13,
    name: '三维评价: entered performance scores, monthly rankings frozen at month end',
    sql: `
-- 绩效刚性评: the score a street leader enters per entity and month, with a reason (the latest
-- entry stands; every entry is in the audit log).
CREATE TABLE performance_scores (
  kind TEXT NOT NULL CHECK (kind IN ('unit','community','grid')), entity_id TEXT NOT NULL, month TEXT NOT NULL,
  score REAL NOT NULL CHECK (score >= 0 AND score <= 100), reason TEXT NOT NULL,
  entered_by TEXT, entered_by_name TEXT NOT NULL, entered_at INTEGER NOT NULL,
  PRIMARY KEY (kind, entity_id, month)
);
-- Rankings frozen at month end: one freeze per month and kind (with the rules it used) and a row
-- per entity. A later correction of a ticket changes the recomputed ranking, never these rows.
CREATE TABLE ranking_freezes (
  month TEXT NOT NULL, kind TEXT NOT NULL, frozen_at INTEGER NOT NULL, rules_from TEXT NOT NULL, rules TEXT NOT NULL,
  PRIMARY KEY (month, kind)
);
CREATE TABLE ranking_rows (
  month TEXT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL, code TEXT, name TEXT NOT NULL,
  system REAL, public REAL, performance REAL, total REAL, rank INTEGER, counts TEXT NOT NULL,
  PRIMARY KEY (month, kind, entity_id)
);
-- The 重启 figure reads reopen_count in the first-resolve scan: the index carries it.
DROP INDEX tickets_stats_resolved;
CREATE INDEX tickets_stats_resolved ON tickets(first_resolve_at, resolve_deadline, resolve_work_min, is_micro, first_resolve_role, reopen_count);
`,
  },
  {
    version: 14,
    name: 'statistics: daily roll-ups of the ticket-anchored figures, kept by triggers',
    // Generated from one table of expressions (./statsRollup.ts); the text is fixed once released.
    sql: rollupMigrationSql(),
  },
  {
    version: 15,
    name: 'catalog: the fields a street set itself (kept when the city publishes the catalog)',
    sql: `
-- JSON array of the local fields the street's leader or administrator set in 设置 › 派单目录
-- (defaultUnitId, routeToCommunity, active, supervisionHours); a city catalog keeps them.
ALTER TABLE catalog ADD COLUMN local_fields TEXT;
`,
  },
  {
    version: 16,
    name: 'tickets: the list header\'s status counts under a channel filter read one index',
    sql: `
-- 列表的状态计数: a channel alone (110, 郑好拍 …) is a common filter; its per-status counts are
-- counted from this index instead of a row read per matching ticket.
CREATE INDEX tickets_channel_status ON tickets(channel, status);
`,
  },
  {
    version: 17,
    name: 'statistics: covering indexes for grouped durations and grouped callback/supervision counts',
    sql: `
-- 处置时长 per unit/grid/category/channel/type/urgency over a period (the median does not roll up)
-- read from the index alone, not one table row per resolved ticket.
CREATE INDEX tickets_stats_resolved_by ON tickets(first_resolve_at, resolve_work_min, unit_id, grid_id, category_id, channel, type, urgency);
-- Callback and supervise events take their ticket's group from this index (the join by id reads no table row).
CREATE INDEX tickets_id_groups ON tickets(id, unit_id, grid_id, category_id, channel, type, urgency);
`,
  },
  {
    version: 18,
    name: '专项治理: items opened from recurring-problem groups, their linked tickets and progress notes',
    sql: `
-- An item keeps the rule it links new tickets with (the mining's rule at opening: leaf category,
-- place mode, anchor point/address/grid, radius, text similarity to the anchor's description).
CREATE TABLE recurring_items (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
  category_id TEXT NOT NULL REFERENCES catalog(id), place TEXT NOT NULL, lon REAL, lat REAL, grid_id TEXT,
  anchor_text TEXT NOT NULL, place_mode TEXT NOT NULL CHECK (place_mode IN ('near','grid')),
  radius_m INTEGER NOT NULL, min_similarity REAL NOT NULL,
  lead_unit_id TEXT NOT NULL REFERENCES units(id), helper_unit_ids TEXT NOT NULL DEFAULT '[]',
  deadline INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('open','closed')),
  root_cause TEXT, opened_by TEXT, opened_by_name TEXT NOT NULL, opened_at INTEGER NOT NULL,
  closed_by_name TEXT, closed_at INTEGER, updated_at INTEGER NOT NULL
);
CREATE INDEX recurring_items_open ON recurring_items(status, category_id);
CREATE TABLE recurring_item_tickets (
  item_id TEXT NOT NULL REFERENCES recurring_items(id), ticket_id TEXT NOT NULL REFERENCES tickets(id),
  reason TEXT NOT NULL, auto INTEGER NOT NULL, linked_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, ticket_id)
);
CREATE INDEX recurring_item_tickets_ticket ON recurring_item_tickets(ticket_id);
CREATE TABLE recurring_item_notes (
  id TEXT PRIMARY KEY, item_id TEXT NOT NULL REFERENCES recurring_items(id), text TEXT NOT NULL,
  by_id TEXT, by_name TEXT NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX recurring_item_notes_item ON recurring_item_notes(item_id, at);
`,
  },
  {
    version: 19,
    name: 'sign-ins: the 督办 count of (late) sign-ins per unit and period reads the sign-in events by time',
    sql: `
-- A sign-in (签收) is an accept event, or a respondNegotiation that took the ticket; its data records
-- the accept deadline and whether it was late (services/tickets/actions.ts recordSignIn).
CREATE INDEX ticket_events_sign_ins ON ticket_events(at, unit_id, data) WHERE action IN ('accept', 'respondNegotiation');
`,
  },
  {
    version: 20,
    name: 'alarm tickets: the device, the count and the recent readings of the alarm group (视频AI预警 · 物联感知)',
    sql: `
-- One row per ticket the city dispatched for an alarm group, kept up to date by ticket.alarm feed
-- items. readings: JSON array of {at, device, value, text}, newest first (at most 20).
CREATE TABLE ticket_alarms (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets(id), group_id TEXT NOT NULL, kind TEXT NOT NULL, device TEXT NOT NULL,
  unit TEXT, threshold REAL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, count INTEGER NOT NULL,
  readings TEXT NOT NULL, snapshot_sha TEXT, updated_at INTEGER NOT NULL
);
CREATE INDEX ticket_alarms_last ON ticket_alarms(last_at);
`,
  },
  {
    version: 21,
    name: 'places: the offline gazetteer (地名) for addresses typed in a ticket, and past ticket addresses with a point by prefix',
    sql: `
-- One row per named place with a point (WGS-84): imported from CSV/Excel (source 'import').
-- The same name at the same address is one place; a later import updates its kind and point.
CREATE TABLE places (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, address TEXT NOT NULL,
  lon REAL NOT NULL, lat REAL NOT NULL, source TEXT NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE (name, address)
);
CREATE INDEX places_address ON places(address);
-- Addresses of past tickets with a point, by prefix (places.suggest): covering, so no table row is read.
CREATE INDEX tickets_address_point ON tickets(address, created_at, lon, lat) WHERE lon IS NOT NULL AND lat IS NOT NULL;
`,
  },
  {
    version: 22,
    name: 'places: past ticket addresses by any part (substring), through a trigram index kept by triggers',
    sql: `
-- One row per distinct past ticket address with a point: the point of its newest ticket (at =
-- that ticket's created_at). Kept by triggers on tickets, whatever writes them (intake, actions,
-- sync apply); an address once used stays a known place.
CREATE TABLE ticket_addresses (
  id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE, lon REAL NOT NULL, lat REAL NOT NULL, at INTEGER NOT NULL
);
-- Substrings of three or more characters through the FTS5 trigram tokenizer (places.suggest).
CREATE VIRTUAL TABLE ticket_addresses_fts USING fts5(address, content='ticket_addresses', content_rowid='id', tokenize='trigram case_sensitive 1');
CREATE TRIGGER ticket_addresses_ai AFTER INSERT ON ticket_addresses BEGIN
  INSERT INTO ticket_addresses_fts(rowid, address) VALUES (new.id, new.address);
END;
CREATE TRIGGER ticket_addresses_ad AFTER DELETE ON ticket_addresses BEGIN
  INSERT INTO ticket_addresses_fts(ticket_addresses_fts, rowid, address) VALUES ('delete', old.id, old.address);
END;
CREATE TRIGGER ticket_addresses_au AFTER UPDATE OF address ON ticket_addresses BEGIN
  INSERT INTO ticket_addresses_fts(ticket_addresses_fts, rowid, address) VALUES ('delete', old.id, old.address);
  INSERT INTO ticket_addresses_fts(rowid, address) VALUES (new.id, new.address);
END;
CREATE TRIGGER tickets_learn_address AFTER INSERT ON tickets WHEN new.lon IS NOT NULL AND new.lat IS NOT NULL BEGIN
  INSERT INTO ticket_addresses(address, lon, lat, at) VALUES (new.address, new.lon, new.lat, new.created_at)
    ON CONFLICT(address) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at WHERE excluded.at >= ticket_addresses.at;
END;
-- Only when the place really changed: a writer that rewrites whole rows (sync apply) pays nothing.
CREATE TRIGGER tickets_relearn_address AFTER UPDATE OF address, lon, lat ON tickets
  WHEN new.lon IS NOT NULL AND new.lat IS NOT NULL AND (new.address IS NOT old.address OR new.lon IS NOT old.lon OR new.lat IS NOT old.lat) BEGIN
  INSERT INTO ticket_addresses(address, lon, lat, at) VALUES (new.address, new.lon, new.lat, new.created_at)
    ON CONFLICT(address) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at WHERE excluded.at >= ticket_addresses.at;
END;
INSERT INTO ticket_addresses(address, lon, lat, at)
  SELECT address, lon, lat, max(created_at) FROM tickets WHERE lon IS NOT NULL AND lat IS NOT NULL GROUP BY address;
`,
  },
  {
    version: 23,
    name: 'statistics: daily roll-ups of callbacks and satisfied by the ticket\'s unit and grid, kept by triggers',
    // A year by grid or community on 1,000,000 tickets read ~370,000 callback events, each joined to
    // its ticket for the group. Generated from ./statsRollup.ts; the text is fixed once released.
    sql: callbackRollupMigrationSql(),
  },
  {
    version: 24,
    name: 'recurring mining change log: the tickets whose mined columns changed, for the kept 一批事 mining',
    sql: `
-- Every insert, delete or change of a column the 一批事 mining reads, logged in the writing
-- transaction (src/main/services/recurring/miningState.ts catches up from it and prunes it). One row
-- per ticket (its latest change: the log never outgrows the tickets); seq only grows, past the
-- pruned mark too.
CREATE TABLE recurring_changes (ticket_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE INDEX recurring_changes_seq ON recurring_changes(seq);
CREATE TABLE recurring_mining_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
CREATE TRIGGER tickets_recurring_insert AFTER INSERT ON tickets BEGIN
  INSERT OR REPLACE INTO recurring_changes (ticket_id, seq) VALUES (NEW.id,
    max(coalesce((SELECT max(seq) FROM recurring_changes), 0), coalesce((SELECT v FROM recurring_mining_meta WHERE k = 'pruned'), 0)) + 1);
END;
CREATE TRIGGER tickets_recurring_update AFTER UPDATE OF created_at, category_id, address, lon, lat, grid_id, description, unit_id, status, merged_into ON tickets BEGIN
  INSERT OR REPLACE INTO recurring_changes (ticket_id, seq) VALUES (NEW.id,
    max(coalesce((SELECT max(seq) FROM recurring_changes), 0), coalesce((SELECT v FROM recurring_mining_meta WHERE k = 'pruned'), 0)) + 1);
END;
CREATE TRIGGER tickets_recurring_delete AFTER DELETE ON tickets BEGIN
  INSERT OR REPLACE INTO recurring_changes (ticket_id, seq) VALUES (OLD.id,
    max(coalesce((SELECT max(seq) FROM recurring_changes), 0), coalesce((SELECT v FROM recurring_mining_meta WHERE k = 'pruned'), 0)) + 1);
END;
`,
  },
  {
    version: 25,
    name: 'statistics: versions of each 旬 (third of a month) bumped by triggers, so kept parts of the figures are reused until their 旬 changes',
    // A year by grid on 1,000,000 tickets summed ~190,000 daily grid rows and read ~500,000
    // working-minute entries on every view. Generated from ./statsParts.ts; the text is fixed once released.
    sql: statsPartsMigrationSql(),
  },
  {
    version: 26,
    name: '月分析: the recurring-problem section of an ended month frozen once mined (like the rankings)',
    // Mining the two years to a month's end cost 30-40 s on a 1,000,000-ticket street, and was lost
    // with every restart. `data` is the section's mined part as JSON (src/main/services/recurring/monthly.ts).
    sql: `
CREATE TABLE recurring_month_freezes (
  month TEXT PRIMARY KEY, frozen_at INTEGER NOT NULL, tickets INTEGER NOT NULL, data TEXT NOT NULL
);
`,
  },
  {
    version: 27,
    name: 'ticket triggers: 咨询类 looked up by key, and the insert triggers stand aside for a bulk insert that adds their rows grouped',
    // The roll-up triggers built the set of consultation categories again for every statement: a
    // scan of the catalog six to eighteen times per ticket write. A pulled page of 12345 dispatches
    // paid ~180 µs a ticket in per-row triggers. Generated from ./bulkTicketInserts.ts; the text is
    // fixed once released.
    sql: bulkTicketInsertsMigrationSql(),
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
