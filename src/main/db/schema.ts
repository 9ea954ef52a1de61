// Typed tables of the street store (SQLite). Booleans are 0/1, times are epoch ms.

import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface StreetTable {
  id: string;
  code: string;
  name: string;
  district: string;
  city: string;
  center_lon: number;
  center_lat: number;
  area_km2: number | null;
  population: number | null;
}

export interface GridTable {
  id: string;
  code: string;
  name: string;
  level: string;
  parent_id: string | null;
  polygon: string | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  households: number | null;
  population: number | null;
  area_m2: number | null;
  props: string | null;
}

export interface UnitTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
  phone: string | null;
  active: number;
  grid_id: Generated<string | null>;
}

export interface StaffTable {
  id: string;
  name: string;
  phone: string | null;
  role: string;
  unit_id: string | null;
  grid_id: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  staff_id: string | null;
  password_hash: string;
  active: number;
  created_at: number;
  /** 1 while the password is a one-time one (set by `street init` or an administrator's reset). */
  must_change_password: Generated<number>;
  password_changed_at: number | null;
  deactivated_at: number | null;
}

export interface CatalogTable {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  path: string;
  is_leaf: number;
  default_unit_id: string | null;
  accept_within_hours: number;
  resolve_within: number;
  resolve_unit: string;
  is_micro: number;
  is_consultation: number;
  route_to_community: Generated<number>;
  /** JSON [h2, h3, h4]: the category's own supervision thresholds (migration 4). */
  supervision_hours: Generated<string | null>;
  /** JSON array of the local fields the street set itself (migration 15); a city catalog keeps them. */
  local_fields: Generated<string | null>;
  sort: number;
  active: number;
}

export interface TicketTable {
  id: string;
  code: string;
  channel: string;
  external_ref: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  type: string;
  description: string;
  address: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  category_id: string | null;
  ai_category_id: string | null;
  ai_confidence: number | null;
  ai_model_version: string | null;
  category_source: string | null;
  urgency: string;
  is_micro: number;
  is_cross_boundary: number;
  status: string;
  unit_id: string | null;
  dispatch_mode: string | null;
  accept_deadline: number | null;
  resolve_deadline: number | null;
  supervision_level: number;
  satisfaction: string | null;
  result: string | null;
  merged_into: string | null;
  parent_id: string | null;
  reopen_count: number;
  return_count: number;
  /** 1 when the ticket has an extension request (kept by triggers, migration 14). */
  has_extension: Generated<number>;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  dispatched_at: number | null;
  accepted_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
  /** The earliest dispatch event (migration 9, kept by a trigger on ticket_events). */
  first_dispatch_at: Generated<number | null>;
  /** The earliest resolve event and the role of whoever resolved it (migration 9, trigger). */
  first_resolve_at: Generated<number | null>;
  first_resolve_role: Generated<string | null>;
  /** Working minutes from creation to first_resolve_at; filled by the statistics service. */
  resolve_work_min: Generated<number | null>;
}

export interface TicketEventTable {
  id: string;
  ticket_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  unit_id: string | null;
  at: number;
  reason: string | null;
  data: string;
}

export interface NegotiationTable {
  ticket_id: string;
  unit_id: string;
  round: number;
  response: string;
  reason: string | null;
  responded_at: number | null;
}

export interface ExtensionTable {
  id: string;
  ticket_id: string;
  unit_id: string;
  requested_by: string;
  days: number;
  reason: string;
  status: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

export interface AttachmentTable {
  sha256: string;
  mime: string;
  size: number;
  name: string;
  created_at: number;
}

export interface TicketAttachmentTable {
  ticket_id: string;
  sha256: string;
  kind: string;
  event_id: string | null;
  added_at: number;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  entity: string;
  entity_id: string;
  op: string;
  payload: string;
  created_at: number;
  acked_at: number | null;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface GridMemberTable {
  grid_id: string;
  staff_id: string;
  /** gridLeader | fullTimeOfficer | partTimeOfficer | communityPolice | auxiliaryPolice */
  role: string;
  sort: number;
}

export interface GridElementTable {
  grid_id: string;
  kind: string;
  count: number;
  updated_at: number;
}

export interface BasemapFeatureTable {
  id: Generated<number>;
  /** road | water | landmark */
  kind: string;
  name: string | null;
  /** GeoJSON geometry (WGS-84). */
  geometry: string;
  props: string | null;
}

export interface GridRevisionTable {
  id: number;
  rev: number;
}

export interface SupervisionRecordTable {
  id: string;
  ticket_id: string;
  /** warning | auto | manual */
  kind: string;
  level: number;
  previous_level: number;
  unit_id: string | null;
  deadline: number | null;
  new_deadline: number | null;
  overdue_minutes: number;
  run_mode: string;
  /** JSON array of who was reminded. */
  notified: string;
  note: string | null;
  by_id: string | null;
  by_name: string;
  at: number;
}

export interface WhistleSessionTable {
  id: string;
  code: string;
  title: string;
  problem: string;
  urgency: string;
  place: string;
  ticket_id: string | null;
  lead_unit_id: string | null;
  report_by: number;
  status: string;
  opened_by: string;
  opened_by_name: string;
  opened_at: number;
  closed_at: number | null;
  summary: string | null;
  updated_at: number;
  version: number;
}

export interface WhistleDepartmentTable {
  session_id: string;
  unit_id: string;
  state: string;
  notified_at: number;
  acknowledged_at: number | null;
  checked_in_at: number | null;
  done_at: number | null;
  rep_name: string | null;
  note: string | null;
  /** local | city (a response that came back from the city) */
  source: string;
}

export interface WhistleTaskTable {
  id: string;
  session_id: string;
  unit_id: string;
  ticket_id: string | null;
  title: string;
  deadline: number;
  status: string;
  result: string | null;
  done_at: number | null;
  done_by_name: string | null;
  created_at: number;
  updated_at: number;
}

export interface WhistleEntryTable {
  id: string;
  session_id: string;
  kind: string;
  text: string;
  by_name: string;
  at: number;
}

export interface ReviewTable {
  id: string;
  ticket_id: string;
  /** JSON array of region | level | department */
  dimensions: string;
  question: string;
  status: string;
  decision: string | null;
  owner_unit_id: string | null;
  /** JSON array of { unitId, duty } */
  shares: string;
  opened_by: string;
  opened_by_name: string;
  opened_at: number;
  decided_by_name: string | null;
  decided_at: number | null;
  updated_at: number;
}

export interface ReviewUnitTable {
  review_id: string;
  unit_id: string;
  position: string;
  note: string | null;
  by_name: string | null;
  at: number | null;
}

export interface RunModePeriodTable {
  id: string;
  mode: string;
  start_at: number;
  end_at: number | null;
  source: string;
  by_name: string;
  by_id: string | null;
  note: string | null;
  created_at: number;
}

export interface KeyPlaceTable {
  id: string;
  name: string;
  address: string;
  kind: string;
  active: number;
  sort: number;
}

export interface PatrolCheckinTable {
  id: string;
  place_id: string;
  at: number;
  by_id: string | null;
  by_name: string;
  ok: number;
  note: string | null;
}

export interface DutyRosterTable {
  id: string;
  date: string;
  shift: string;
  post: string;
  name: string;
  phone: string | null;
}

export interface ZeroReportTable {
  id: string;
  date: string;
  mode: string;
  kind: string;
  text: string;
  incidents: number;
  due_at: number | null;
  late: number;
  by_id: string | null;
  by_name: string;
  at: number;
}

export interface AiPhotoSuggestionTable {
  id: string;
  sha256: string;
  ticket_id: string | null;
  user_id: string | null;
  model_version: string;
  /** JSON: [{categoryId, path, score}] */
  top: string;
  description: string;
  /** The photo's embedding, L2-normalised, as uint8 ×255 (a label for retraining the head). */
  embedding: Buffer | null;
  shown_at: number;
  accepted_category_id: string | null;
  description_accepted: number;
  final_category_id: string | null;
  decided_at: number | null;
}

export interface AiPhotoCheckTable {
  ticket_id: string;
  event_id: string;
  /** passed | failed | unavailable | incomplete */
  status: string;
  same_scene: number | null;
  similarity: number | null;
  reused: number | null;
  problem_visible: number | null;
  /** JSON array of Chinese reasons. */
  reasons: string;
  /** JSON: {pairs, beforePhotos, afterPhotos, category}. */
  detail: string;
  model_version: string | null;
  checked_at: number;
}

export interface Database {
  street: StreetTable;
  grids: GridTable;
  units: UnitTable;
  staff: StaffTable;
  users: UserTable;
  audit_log: AuditLogTable;
  performance_scores: PerformanceScoreTable;
  ranking_freezes: RankingFreezeTable;
  recurring_month_freezes: RecurringMonthFreezeTable;
  ranking_rows: RankingRowTable;
  catalog: CatalogTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  ticket_negotiations: NegotiationTable;
  ticket_extensions: ExtensionTable;
  attachments: AttachmentTable;
  ticket_attachments: TicketAttachmentTable;
  outbox: OutboxTable;
  settings: SettingTable;
  /** FTS5 index over ticket text (contentless; rowid = tickets.rowid). */
  tickets_fts: { rowid: number; body: string };
  grid_members: GridMemberTable;
  grid_elements: GridElementTable;
  basemap_features: BasemapFeatureTable;
  grid_revision: GridRevisionTable;
  supervision_records: SupervisionRecordTable;
  whistle_sessions: WhistleSessionTable;
  whistle_departments: WhistleDepartmentTable;
  whistle_tasks: WhistleTaskTable;
  whistle_entries: WhistleEntryTable;
  reviews: ReviewTable;
  review_units: ReviewUnitTable;
  run_mode_periods: RunModePeriodTable;
  key_places: KeyPlaceTable;
  patrol_checkins: PatrolCheckinTable;
  duty_roster: DutyRosterTable;
  zero_reports: ZeroReportTable;
  ai_photo_suggestions: AiPhotoSuggestionTable;
  ai_photo_checks: AiPhotoCheckTable;
  ai_suggestions: AiSuggestionTable;
  sync_conflicts: SyncConflictTable;
  city_directives: CityDirectiveTable;
  sync_feed_log: SyncFeedLogTable;
  reference_updates: ReferenceUpdateTable;
  calendar_years: CalendarYearTable;
  saved_views: SavedViewTable;
  recurring_items: RecurringItemTable;
  recurring_item_tickets: RecurringItemTicketTable;
  recurring_item_notes: RecurringItemNoteTable;
  ticket_alarms: TicketAlarmTable;
  places: PlaceTable;
  ticket_addresses: TicketAddressTable;
  /** FTS5 trigram index over ticket_addresses.address (external content; rowid = ticket_addresses.id). */
  ticket_addresses_fts: { rowid: number; address: string };
}

/** A distinct past ticket address with the point of its newest ticket (migration 22, kept by triggers). */
export interface TicketAddressTable {
  id: number;
  address: string;
  lon: number;
  lat: number;
  /** created_at of the newest ticket at the address */
  at: number;
}

/** The offline gazetteer (地名, migration 21). */
export interface PlaceTable {
  id: string;
  name: string;
  kind: string;
  address: string;
  lon: number;
  lat: number;
  /** import */
  source: string;
  updated_at: number;
}

/** An alarm ticket's device, count and recent readings (the city's alarm group, kept up to date by the feed). */
export interface TicketAlarmTable {
  ticket_id: string;
  group_id: string;
  kind: string;
  device: string;
  unit: string | null;
  threshold: number | null;
  first_at: number;
  last_at: number;
  count: number;
  /** JSON array of {at, device, value, text}, newest first. */
  readings: string;
  snapshot_sha: string | null;
  updated_at: number;
}

/** 专项治理 items (migration 17). */
export interface RecurringItemTable {
  id: string;
  code: string;
  title: string;
  category_id: string;
  place: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  anchor_text: string;
  place_mode: string;
  radius_m: number;
  min_similarity: number;
  lead_unit_id: string;
  helper_unit_ids: string;
  deadline: number;
  status: string;
  root_cause: string | null;
  opened_by: string | null;
  opened_by_name: string;
  opened_at: number;
  closed_by_name: string | null;
  closed_at: number | null;
  updated_at: number;
}
export interface RecurringItemTicketTable {
  item_id: string;
  ticket_id: string;
  reason: string;
  auto: number;
  linked_at: number;
}
export interface RecurringItemNoteTable {
  id: string;
  item_id: string;
  text: string;
  by_id: string | null;
  by_name: string;
  at: number;
}

/** A user's saved list filters (the list's URL query), pinnable to the dashboard. */
export interface SavedViewTable {
  id: string;
  user_id: string;
  name: string;
  query: string;
  pinned: number;
  created_at: number;
  updated_at: number;
}

export interface AiSuggestionTable {
  id: string;
  kind: 'category' | 'unit' | 'micro' | 'duplicate';
  ticket_id: string | null;
  model_version: string | null;
  /** JSON: the values shown, best first, with scores. */
  shown: string;
  top_value: string | null;
  top_score: number | null;
  accepted: number | null;
  final_value: string | null;
  user_id: string | null;
  created_at: number;
  decided_at: number | null;
}

export interface SyncConflictTable {
  op_id: string;
  entity: string;
  entity_id: string;
  op: string;
  code: string;
  reason: string;
  city_state: string | null;
  created_at: number;
  resolved_at: number | null;
  resolution: string | null;
  resolution_reason: string | null;
  resolved_by: string | null;
}

export interface CityDirectiveTable {
  id: string;
  title: string;
  body: string;
  priority: string;
  deadline: number | null;
  issued_at: number;
  issued_by: string;
  received_at: number;
  acked_at: number | null;
  acked_by: string | null;
  acked_by_name: string | null;
}

export interface SyncFeedLogTable {
  id: Generated<number>;
  /** Which city's feed the seq counts in (setting sync.feedEpoch, migration 8). */
  epoch: number;
  seq: number;
  kind: string;
  entity_id: string;
  at: number;
  payload: string;
  outcome: string;
  received_at: number;
}

export interface ReferenceUpdateTable {
  id: Generated<number>;
  /** Which city's feed the seq counts in (setting sync.feedEpoch). */
  epoch: number;
  seq: number;
  kind: string;
  version: string;
  at: number;
  /** JSON; emptied ('{}') once applied, the summary stays. */
  payload: string;
  status: 'pending' | 'applied' | 'rejected';
  summary: string | null;
  /** JSON string[] of Chinese reasons when refused. */
  errors: string | null;
  received_at: number;
  applied_at: number | null;
}

export interface CalendarYearTable {
  year: number;
  /** JSON Record<date, name> */
  holidays: string;
  /** JSON string[] */
  workdays: string;
  version: string;
  updated_at: number;
}

export type TicketRecord = Selectable<TicketTable>;
export type NewTicket = Insertable<TicketTable>;
export type TicketUpdate = Updateable<TicketTable>;

/** Append-only (triggers refuse UPDATE and DELETE); each row carries the sha256 of the previous one. */
export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  actor_role: string | null;
  action: string;
  target: string | null;
  detail: string;
  client: string | null;
  prev_hash: string;
  hash: string;
}

/** 绩效刚性评 entered per entity and month (migration 13). */
export interface PerformanceScoreTable {
  kind: string;
  entity_id: string;
  month: string;
  score: number;
  reason: string;
  entered_by: string | null;
  entered_by_name: string;
  entered_at: number;
}

/** A month's ranking of one kind, frozen at month end, with the rules it used (JSON). */
/** An ended month's 批量问题 as its 月分析 shows them, mined once; tickets: the window's ticket count; data: JSON. */
export interface RecurringMonthFreezeTable {
  month: string;
  frozen_at: number;
  tickets: number;
  data: string;
}

export interface RankingFreezeTable {
  month: string;
  kind: string;
  frozen_at: number;
  rules_from: string;
  rules: string;
}

/** One entity's frozen scores and rank; counts: the RankingCounts as JSON. */
export interface RankingRowTable {
  month: string;
  kind: string;
  entity_id: string;
  code: string | null;
  name: string;
  system: number | null;
  public: number | null;
  performance: number | null;
  total: number | null;
  rank: number | null;
  counts: string;
}

