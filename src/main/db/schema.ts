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
  created_by: string | null;
  created_at: number;
  updated_at: number;
  dispatched_at: number | null;
  accepted_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
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

export interface Database {
  street: StreetTable;
  grids: GridTable;
  units: UnitTable;
  staff: StaffTable;
  users: UserTable;
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
  sync_conflicts: SyncConflictTable;
  city_directives: CityDirectiveTable;
  sync_feed_log: SyncFeedLogTable;
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
  seq: number;
  kind: string;
  entity_id: string;
  at: number;
  payload: string;
  outcome: string;
  received_at: number;
}

export type TicketRecord = Selectable<TicketTable>;
export type NewTicket = Insertable<TicketTable>;
export type TicketUpdate = Updateable<TicketTable>;
