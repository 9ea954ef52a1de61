// The street ↔ city sync protocol: message schemas (zod) and types, shared by the street's sync
// client (src/main/sync) and the city center server (src/city). Pure TypeScript.
//
//   POST /sync/v1/push          PushRequest  → PushResponse   (outbox operations, at most once by id)
//   GET  /sync/v1/pull?after=N&limit=M      → PullResponse   (the street's ordered feed, by cursor)
//   GET  /sync/v1/live                      → text/event-stream: `feed` events carrying FeedItems
//   GET  /sync/v1/tickets/:id               → CityTicket     (only the street's own tickets)
// Every route needs the street's client certificate (issued by the city CA); the street pins the CA.

import { z } from 'zod/v4';
import { CHANNELS, RUN_MODES, SATISFACTIONS, type RunMode } from '../domain/ticket';

export const SYNC_PATH = '/sync/v1';
/** Most operations in one push. */
export const MAX_PUSH_OPS = 2000;
/** Most feed items in one pull page. */
export const MAX_PULL_ITEMS = 1000;

/** One outbox operation as it travels: the envelope. Its entity, op and payload are defined in the op catalogue (./ops.ts). */
export const syncOp = z.object({
  id: z.string().min(8).max(64),
  /** The street's outbox sequence (monotonic per street store): lets the city skip the id lookup for new ops. */
  seq: z.number().int().min(0),
  entity: z.string().min(1).max(64),
  entityId: z.string().min(1).max(128),
  op: z.string().min(1).max(64),
  /** When the street made the change (its own clock, epoch ms). */
  at: z.number().int(),
  /**
   * Checked against the op catalogue (./ops.ts) one op at a time, so that a malformed op is
   * refused on its own with its reason; here only its being an object (not copied).
   */
  payload: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'payload must be an object'),
});
export type SyncOp = z.infer<typeof syncOp>;

export const pushRequest = z.object({
  ops: z.array(syncOp).min(1).max(MAX_PUSH_OPS),
});
export type PushRequest = z.infer<typeof pushRequest>;

export const OP_RESULTS = ['applied', 'duplicate', 'rejected', 'deferred'] as const;
export type OpResultStatus = (typeof OP_RESULTS)[number];

export interface OpResult {
  id: string;
  /**
   * applied: done now · duplicate: done before (acknowledged again) · rejected: refused with a
   * reason (becomes a conflict on the street) · deferred: not looked at because an earlier op on the
   * same entity in this batch was rejected (the street keeps it queued behind the conflict).
   */
  status: OpResultStatus;
  code?: string;
  reason?: string;
  /** The city's version of the entity when it refused (for "rebase onto the city's version"). */
  cityState?: CityTicket | null;
}

export interface PushResponse {
  results: OpResult[];
  /** Highest street outbox seq the city has applied for this street. */
  lastAppliedSeq: number;
  serverTime: number;
}

/** The city's view of a ticket (what it returns and what the feed carries). */
export interface CityTicket {
  id: string;
  streetCode: string;
  code: string | null;
  status: string;
  version: number;
  unitCode: string | null;
  source: 'street' | 'city';
  channel: string | null;
  type: string | null;
  description: string | null;
  address: string | null;
  lon: number | null;
  lat: number | null;
  externalRef: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  result: string | null;
  satisfaction: string | null;
  createdAt: number;
  updatedAt: number;
}

export const DIRECTIVE_PRIORITIES = ['normal', 'urgent', 'critical'] as const;
export type DirectivePriority = (typeof DIRECTIVE_PRIORITIES)[number];
export const DIRECTIVE_PRIORITY_LABELS: Record<DirectivePriority, string> = { normal: '一般', urgent: '紧急', critical: '特急' };

export interface Directive {
  id: string;
  title: string;
  body: string;
  priority: DirectivePriority;
  /** Acknowledge (签收回执) before this time, epoch ms. */
  deadline: number | null;
  issuedAt: number;
  issuedBy: string;
  /** A directive may switch the street's run mode (运行模式), until `end` (epoch ms) or until switched back. */
  runMode?: { mode: RunMode; end: number | null } | null;
}

/**
 * Feed item kinds: 12345 direct dispatches, the city's changes to a street's tickets, an alarm
 * ticket's facts after more alarms joined its group (`ticket.alarm`, ../intake/alarms), directives,
 * departments' 吹哨报到 responses, and reference data (`catalog`, `grids`, `calendar`,
 * `modelVersion`, payloads in ./reference).
 */
export const FEED_KINDS = ['ticket.dispatched', 'ticket.updated', 'ticket.alarm', 'directive', 'whistle.response', 'catalog', 'grids', 'calendar', 'modelVersion', 'caseCodeMap'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedItem {
  seq: number;
  kind: FeedKind;
  entityId: string;
  at: number;
  payload: Record<string, unknown>;
}

export interface PullResponse {
  items: FeedItem[];
  /** Pass as `after` next time. */
  cursor: number;
  more: boolean;
  serverTime: number;
}

/** Ticket fields a 12345 direct dispatch carries (feed payload of `ticket.dispatched`). */
export interface DispatchedTicketPayload {
  ticket: CityTicket;
  /** Unit (by code) the city asks the street to route to; null = the street's default receiving unit. */
  unitCode: string | null;
  acceptWithinHours: number;
  resolveWithinDays: number;
  /** A shorter sign-in limit in minutes (a 110 transfer: 5), instead of `acceptWithinHours`. */
  acceptWithinMinutes?: number;
  /** When the sign-in limit starts (a 110 transfer: the transfer's time); absent = the feed item's time. */
  acceptFrom?: number;
  /** The catalog code the city classified it under (the street files it there if it has the code). */
  categoryCode?: string | null;
  /** Photos the citizen or the source sent, fetched by the street from `${SYNC_PATH}/photos/:sha256`. */
  photos?: DispatchedPhoto[];
  /** An alarm group's ticket: the device, the count and the recent readings (../intake/alarms `alarmFacts`). */
  alarm?: unknown;
}

export interface DispatchedPhoto {
  sha256: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  name: string;
}

// ---- City operator (admin) API, same HTTPS server, admin client certificate ----

export const dispatchRequest = z.object({
  street: z.string().min(1).max(32),
  text: z.string().trim().min(5, 'text must be at least 5 characters').max(5000),
  address: z.string().trim().min(2).max(300),
  lon: z.number().min(73).max(136).optional(),
  lat: z.number().min(3).max(54).optional(),
  unit: z.string().max(64).optional(),
  externalRef: z.string().max(64).optional(),
  reporterName: z.string().max(50).optional(),
  reporterPhone: z.string().max(20).optional(),
  type: z.enum(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise']).default('complaint'),
  /** How the citizen reached the city: the hotline, or a 311 app through Open311. */
  channel: z.enum(CHANNELS).default('hotline12345'),
  /** Catalog leaf code the city classified it under (intake channels that carry a class). */
  category: z.string().min(1).max(64).optional(),
  /** Photos already stored at the city (content-addressed) that go with the ticket. */
  photos: z
    .array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), mime: z.enum(['image/jpeg', 'image/png', 'image/webp']), size: z.number().int().positive(), name: z.string().min(1).max(200) }))
    .max(10)
    .optional(),
});
export type DispatchRequest = z.input<typeof dispatchRequest>;

/**
 * A summoned department's answer to a street's 吹哨报到 session that reached the city (the department
 * reported to the city's platform instead of the street's LAN): fed to that street as `whistle.response`.
 */
export const WHISTLE_RESPONSE_STATES = ['acknowledged', 'onSite', 'online', 'done'] as const;
export const whistleResponseRequest = z.object({
  street: z.string().min(1).max(32),
  sessionId: z.string().min(1).max(64),
  unitCode: z.string().min(1).max(64),
  state: z.enum(WHISTLE_RESPONSE_STATES),
  repName: z.string().trim().max(50).nullable().default(null),
  note: z.string().trim().max(1000).nullable().default(null),
});
export type WhistleResponseRequest = z.input<typeof whistleResponseRequest>;
export interface WhistleResponsePayload {
  sessionId: string;
  unitCode: string;
  state: (typeof WHISTLE_RESPONSE_STATES)[number];
  repName: string | null;
  note: string | null;
  at: number;
}

/** Who signs a directive unless told otherwise (a district's directive is signed with its name). */
export const DEFAULT_ISSUER = '市城运中心';
export const directiveRequest = z.object({
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(2).max(5000),
  priority: z.enum(DIRECTIVE_PRIORITIES).default('normal'),
  deadline: z.number().int().nullable().default(null),
  /** Street codes; empty/absent = every street. */
  streets: z.array(z.string().min(1).max(32)).max(1000).optional(),
  issuedBy: z.string().max(100).default(DEFAULT_ISSUER),
  runMode: z
    .object({ mode: z.enum(RUN_MODES), end: z.number().int().nullable().default(null) })
    .nullable()
    .default(null),
});
export type DirectiveRequest = z.input<typeof directiveRequest>;

export interface DirectiveStatus extends Directive {
  recipients: Array<{ street: string; deliveredAt: number | null; ackedAt: number | null; ackedBy: string | null }>;
  acked: number;
  pending: number;
}

/**
 * The 12345 center's review of a street's result on a ticket the city dispatched (the loop closed):
 * 审核通过 (`approve`: resolved → verified), 退回重办 (`return`: resolved or verified → reopened,
 * with the reason), or the citizen's callback result (`callback`: 满意/基本满意 close it, 不满意
 * reopens it). The street receives it as `ticket.updated` with the review in the payload.
 */
export const CITY_REVIEW_DECISIONS = ['approve', 'return', 'callback'] as const;
export const cityReviewRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), note: z.string().trim().max(500).optional() }),
  z.object({ decision: z.literal('return'), reason: z.string().trim().min(2, '退回重办须写明理由').max(500) }),
  z.object({ decision: z.literal('callback'), satisfaction: z.enum(SATISFACTIONS), note: z.string().trim().max(500).optional() }),
]);
export type CityReview = z.output<typeof cityReviewRequest>;

