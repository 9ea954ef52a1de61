// The street node's API contract: one schema per method, shared by every transport
// (Electron IPC, LAN HTTP/WebSocket, direct calls in tests). Inputs are validated at the boundary
// with these schemas; outputs are typed by the interfaces in ./types.

import { z } from 'zod/v4';
import {
  CHANNELS,
  DISPATCH_MODES,
  SATISFACTIONS,
  TICKET_TYPES,
  URGENCIES,
  RUN_MODES,
} from '../domain/ticket';
import type * as T from './types';
import { empty, id, lat, lon, optionalText, phoneOrEmpty, reason, sha256 } from './common';
import { gridMethods } from './grids';
import { ticketFilter } from './filters';
import { coordinationMethods } from './coordination';
import { aiPhotoMethods, photoSuggestionDecision, PHOTO_DECISIONS_MAX } from './aiPhoto';
import { aiCreateLink, aiMethods } from './ai'
import { syncMethods } from './sync';
import { adminMethods } from './admin';
import { catalogSettingsMethods } from './catalogSettings';
import { statsMethods } from './stats';
import { operatorToolMethods } from './operatorTools';
import { recurringMethods } from './recurring';
import { placeMethods } from './places';

export { lon, lat } from './common';
export { ticketFilter, type TicketFilter } from './filters';

/** Limits checked on every attachment, in the UI and again in the node. */
export const ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPerTicket: 9,
  mimeTypes: ['image/jpeg', 'image/png', 'image/webp'] as const,
};

export const ticketCreateInput = z.object({
  channel: z.enum(CHANNELS, { message: '请选择渠道' }),
  type: z.enum(TICKET_TYPES, { message: '请选择诉求类型' }),
  description: z.string().trim().min(5, '问题描述至少5个字').max(5000, '问题描述不能超过5000字'),
  address: z.string().trim().min(2, '请填写地址').max(300, '地址不能超过300字'),
  lon: lon.optional(),
  lat: lat.optional(),
  gridId: id.optional(),
  reporterName: optionalText(50),
  reporterPhone: phoneOrEmpty,
  externalRef: optionalText(64),
  categoryId: id.optional(),
  urgency: z.enum(URGENCIES).default('normal'),
  isMicro: z.boolean().default(false),
  isCrossBoundary: z.boolean().default(false),
  photos: z.array(sha256).max(ATTACHMENT_LIMITS.maxPerTicket, `最多${ATTACHMENT_LIMITS.maxPerTicket}张照片`).default([]),
  /** The assistant's suggestions on screen when the ticket was filed (acceptance is recorded). */
  ai: aiCreateLink,
  /** The photo suggestions shown for the photos and what the operator took of each (recorded with the ticket). */
  photoDecisions: z.array(photoSuggestionDecision).max(PHOTO_DECISIONS_MAX, `最多记录${PHOTO_DECISIONS_MAX}条照片建议`).default([]),
  /**
   * The open ticket (id or code) this report is merged into at once, as a duplicate the operator
   * recognised: the new ticket is filed and merged in the same transaction, or not filed at all.
   */
  mergeInto: id.optional(),
});
export type TicketCreateInput = z.input<typeof ticketCreateInput>;

const withTicket = { id };

export const ticketActionInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('register'), ...withTicket, categoryId: id.optional() }),
  z.object({
    action: z.literal('classify'),
    ...withTicket,
    categoryId: id,
    isMicro: z.boolean().optional(),
    urgency: z.enum(URGENCIES).optional(),
  }),
  z.object({
    action: z.literal('dispatch'),
    ...withTicket,
    mode: z.enum(DISPATCH_MODES),
    unitId: id.optional(),
    candidateUnitIds: z.array(id).max(10).optional(),
    note: optionalText(1000),
  }),
  z.object({
    action: z.literal('respondNegotiation'),
    ...withTicket,
    accepted: z.boolean(),
    reason: optionalText(1000),
  }),
  z.object({ action: z.literal('accept'), ...withTicket }),
  z.object({ action: z.literal('return'), ...withTicket, reason }),
  z.object({
    action: z.literal('requestExtension'),
    ...withTicket,
    days: z.number().int().min(1, '延期至少1个工作日').max(30, '延期不能超过30个工作日'),
    reason,
  }),
  z.object({ action: z.literal('decideExtension'), ...withTicket, approved: z.boolean(), reason: optionalText(1000) }),
  z.object({ action: z.literal('note'), ...withTicket, text: z.string().trim().min(2, '请填写进展内容').max(2000) }),
  z.object({
    action: z.literal('resolve'),
    ...withTicket,
    result: z.string().trim().min(4, '请填写办理结果（至少4个字）').max(2000),
    photos: z.array(sha256).max(ATTACHMENT_LIMITS.maxPerTicket).default([]),
  }),
  z.object({ action: z.literal('verify'), ...withTicket, passed: z.boolean(), reason: optionalText(1000) }),
  z.object({
    action: z.literal('callback'),
    ...withTicket,
    satisfaction: z.enum(SATISFACTIONS, { message: '请选择满意度' }),
    note: optionalText(1000),
  }),
  z.object({ action: z.literal('close'), ...withTicket, note: optionalText(1000) }),
  z.object({ action: z.literal('reopen'), ...withTicket, reason }),
  z.object({ action: z.literal('cancel'), ...withTicket, reason }),
  z.object({ action: z.literal('merge'), ...withTicket, targetId: id, reason }),
  z.object({
    action: z.literal('relocate'),
    ...withTicket,
    address: z.string().trim().min(2, '请填写地址').max(300, '地址不能超过300字'),
    lon: lon.optional(),
    lat: lat.optional(),
    reason,
  }),
  z.object({
    action: z.literal('supervise'),
    ...withTicket,
    level: z.number().int().min(1).max(4),
    reason,
  }),
]);
export type TicketActionInput = z.input<typeof ticketActionInput>;

export const sortModel = z
  .array(z.object({ colId: z.enum(['createdAt', 'resolveDeadline', 'code', 'status', 'updatedAt']), sort: z.enum(['asc', 'desc']) }))
  .max(1)
  .default([]);


export const ticketListInput = z.object({
  startRow: z.number().int().min(0),
  endRow: z.number().int().min(1),
  sort: sortModel,
  filter: ticketFilter.prefault({}),
}).refine((v) => v.endRow > v.startRow && v.endRow - v.startRow <= 1000, '每页最多1000条');
export type TicketListInput = z.input<typeof ticketListInput>;

export const attachmentUploadInput = z.object({
  name: z.string().trim().min(1).max(200),
  mime: z.string().max(100),
  /** Base64 of the file bytes. */
  dataBase64: z.string().max(Math.ceil((ATTACHMENT_LIMITS.maxBytes * 4) / 3) + 8, '照片不能超过10MB'),
});

export const loginInput = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(50),
  password: z.string().min(1, '请输入密码').max(200),
});

export const settingsUpdateInput = z.object({
  runMode: z.enum(RUN_MODES).optional(),
});

/** The methods, their input schemas and output types, and whether a login is required. */
export const API = {
  'session.login': { input: loginInput, output: null as unknown as T.LoginResult, auth: false },
  'session.logout': { input: empty, output: null as unknown as { ok: true }, auth: true },
  'session.me': { input: empty, output: null as unknown as T.User, auth: true },
  /** A one-time ticket for opening the WebSocket (/ws?ticket=…): the session token never goes in a URL. */
  'session.wsTicket': { input: empty, output: null as unknown as { ticket: string; expiresInS: number }, auth: true },
  'session.demoUsers': { input: empty, output: null as unknown as T.DemoUser[], auth: false },
  'meta.bootstrap': { input: empty, output: null as unknown as T.Bootstrap, auth: true },
  'dashboard.counts': { input: empty, output: null as unknown as T.DashboardCounts, auth: true },
  /** Today's alarm tickets and the latest ones (视频AI预警 · 物联感知). */
  'dashboard.alarms': { input: empty, output: null as unknown as T.DashboardAlarms, auth: true },
  'tickets.list': { input: ticketListInput, output: null as unknown as T.TicketPage, auth: true },
  /** The exact number of tickets a filter selects (the list behind a statistics figure shows it). */
  'tickets.count': { input: z.object({ filter: ticketFilter.prefault({}) }), output: null as unknown as { count: number }, auth: true },
  'tickets.get': { input: z.object({ id }), output: null as unknown as T.TicketDetail, auth: true },
  /** Tickets waiting for the user's unit to sign for them, soonest deadline first (a unit user; others: none). */
  'tickets.awaitingSignIn': { input: empty, output: null as unknown as T.AwaitingSignIn[], auth: true },
  'tickets.create': { input: ticketCreateInput, output: null as unknown as T.TicketDetail, auth: true },
  'tickets.act': { input: ticketActionInput, output: null as unknown as T.TicketDetail, auth: true },
  'attachments.upload': { input: attachmentUploadInput, output: null as unknown as T.AttachmentInfo, auth: true },
  'settings.update': { input: settingsUpdateInput, output: null as unknown as T.Bootstrap['settings'], auth: true },
  ...gridMethods,
  ...coordinationMethods,
  ...aiPhotoMethods,
  ...aiMethods,
  ...syncMethods,
  ...adminMethods,
  ...catalogSettingsMethods,
  ...statsMethods,
  ...operatorToolMethods,
  ...recurringMethods,
  ...placeMethods,
} as const;

export type ApiMethod = keyof typeof API;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API)[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof API)[M]['input']>;
export type ApiOutput<M extends ApiMethod> = (typeof API)[M]['output'];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API, name);
}

/** Events the node pushes to connected screens (WebSocket / IPC). */
export type ApiEvent =
  | { type: 'ticket.changed'; id: string; status: string; action: string }
  | { type: 'settings.changed' }
  | { type: 'whistle.changed'; id: string; what: string }
  | { type: 'review.changed'; id: string }
  | { type: 'supervision.changed'; ticketIds: string[] }
  | { type: 'runMode.changed'; mode: string }
  | { type: 'aiPhoto.checked'; ticketId: string; status: string }
  | { type: 'sync.changed' }
  | { type: 'sync.wake' }
  | { type: 'directive.received'; id: string }
  | { type: 'accounts.changed' }
  | { type: 'recurring.changed'; id: string };

/** Error shape carried by every transport. `message` is Chinese for the user. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues?: Array<{ path: string; message: string }>;
}
