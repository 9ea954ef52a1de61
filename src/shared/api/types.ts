// Output types of the API contract. Times are epoch milliseconds (UTC).

import type {
  AttachmentKind,
  Channel,
  DispatchMode,
  GridLevel,
  Role,
  RunMode,
  Satisfaction,
  TicketStatus,
  TicketType,
  Urgency,
} from '../domain/ticket';
import type { TicketAction } from '../domain/stateMachine';
import type { SlaUnit } from '../domain/deadline';
import type { AlarmKind, AlarmReading } from '../intake/alarms';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitName: string | null;
  /** The password is a one-time one: nothing but changing it is allowed until it is changed. */
  mustChangePassword?: boolean;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  unitName: string | null;
  password: string;
}

export interface LoginResult {
  token: string;
  user: User;
}

export interface Street {
  id: string;
  code: string;
  name: string;
  district: string;
  city: string;
  centerLon: number;
  centerLat: number;
}

export interface GridInfo {
  id: string;
  code: string;
  name: string;
  level: GridLevel;
  parentId: string | null;
}

export interface UnitInfo {
  id: string;
  code: string;
  name: string;
  kind: 'community' | 'department' | 'enterprise' | 'street';
  /** For community committees: the community's grid. */
  gridId: string | null;
}

export interface CatalogItem {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  path: string;
  isLeaf: boolean;
  defaultUnitId: string | null;
  acceptWithinHours: number;
  resolveWithin: number;
  resolveUnit: SlaUnit;
  isMicro: boolean;
  isConsultation: boolean;
  /** One-click dispatch goes to the committee of the ticket's community. */
  routeToCommunity: boolean;
}

/** The certificate the node serves the LAN with (`--lan`): LAN clients check its fingerprint. */
export interface HostTlsInfo {
  /** Issued by the city CA (the street is connected to a city), or self-signed by the node. */
  source: 'city' | 'selfSigned';
  /** SHA-256 of the certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  subject: string;
  issuer: string;
  /** ISO 8601. */
  notAfter: string;
}

export interface Bootstrap {
  street: Street;
  grids: GridInfo[];
  units: UnitInfo[];
  catalog: CatalogItem[];
  settings: {
    runMode: RunMode;
    /** A real street whose administrator has not finished the setup wizard (初始化向导). */
    setupPending?: boolean;
    /** The demo street (its accounts are public). */
    demo?: boolean;
    /** Served to the LAN over HTTPS with this certificate (null: only this machine, plain HTTP). */
    tls?: HostTlsInfo | null;
  };
  user: User;
  now: number;
}

export interface DashboardCounts {
  pendingAccept: number;
  inProgress: number;
  dueSoon: number;
  overdue: number;
  newToday: number;
  pendingCallback: number;
}

export interface TicketRow {
  id: string;
  code: string;
  channel: Channel;
  type: TicketType;
  status: TicketStatus;
  description: string;
  address: string;
  gridId: string | null;
  categoryId: string | null;
  unitId: string | null;
  urgency: Urgency;
  createdAt: number;
  updatedAt: number;
  acceptDeadline: number | null;
  resolveDeadline: number | null;
  supervisionLevel: number;
  isMicro: boolean;
}

export interface TicketPage {
  rows: TicketRow[];
  /** Known only when the last page has been reached; -1 otherwise. */
  lastRow: number;
}

export interface TicketEvent {
  id: string;
  seq: number;
  action: TicketAction | 'report' | 'escalate';
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  actorName: string;
  actorRole: Role;
  unitId: string | null;
  at: number;
  reason: string | null;
  data: Record<string, unknown>;
}

export interface AttachmentInfo {
  sha256: string;
  mime: string;
  size: number;
  name: string;
}

export interface TicketAttachment extends AttachmentInfo {
  kind: AttachmentKind;
  addedAt: number;
}

export interface Negotiation {
  unitId: string;
  response: 'pending' | 'accepted' | 'declined';
  reason: string | null;
  respondedAt: number | null;
}

export interface ExtensionRequest {
  id: string;
  unitId: string;
  days: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: number;
  decidedAt: number | null;
  decisionReason: string | null;
}

export interface Ticket extends TicketRow {
  externalRef: string | null;
  /** Masked (张* / 138****1234); tickets.revealPersonal gives them in full to those who need them. */
  reporterName: string | null;
  reporterPhone: string | null;
  /** Whether this user may press 查看 to see the reporter's name and phone in full. */
  revealAllowed: boolean;
  /** The name and phone above are already in full (a unit's own ticket in progress; the view is audited). */
  personalInFull?: boolean;
  lon: number | null;
  lat: number | null;
  isCrossBoundary: boolean;
  /** The ticket has a point but no grid contains it: it lies outside the street (flagged, not guessed). */
  outsideStreet: boolean;
  dispatchMode: DispatchMode | null;
  satisfaction: Satisfaction | null;
  result: string | null;
  mergedInto: string | null;
  parentId: string | null;
  reopenCount: number;
  returnCount: number;
  createdBy: string | null;
  closedAt: number | null;
  resolvedAt: number | null;
  /** When the unit signed for it (签收); with `acceptDeadline`, whether it was late. */
  acceptedAt: number | null;
  version: number;
}

/** 设备报警: an alarm ticket's device and its history (the city's alarm group, kept up to date by the feed). */
export interface TicketAlarm {
  kind: AlarmKind;
  device: string;
  unit: string | null;
  threshold: number | null;
  firstAt: number;
  lastAt: number;
  /** Alarms merged into the ticket so far. */
  count: number;
  /** The newest readings, newest first. */
  readings: AlarmReading[];
  /** The newest snapshot (one of the ticket's photos once fetched). */
  snapshot: AttachmentInfo | null;
}

/** The dashboard's 设备报警 card: alarm tickets the user may see. */
export interface DashboardAlarms {
  /** Alarm tickets whose latest alarm came today (China time). */
  today: number;
  /** The latest alarm tickets, newest alarm first. */
  latest: Array<{ ticketId: string; code: string; status: TicketStatus; kind: AlarmKind; device: string; count: number; lastAt: number; address: string }>;
}

/** A ticket waiting for the user's unit to sign for it (tickets.awaitingSignIn), with its sign-in window. */
export interface AwaitingSignIn {
  id: string;
  code: string;
  description: string;
  channel: string;
  urgency: Urgency;
  /** When it was dispatched (the window's start; null when not known). */
  dispatchedAt: number | null;
  acceptDeadline: number;
}

export interface TicketDetail {
  ticket: Ticket;
  /** Set for a ticket raised by video-AI or IoT alarms. */
  alarm: TicketAlarm | null;
  events: TicketEvent[];
  attachments: TicketAttachment[];
  negotiations: Negotiation[];
  extensions: ExtensionRequest[];
  allowedActions: TicketAction[];
  now: number;
}
