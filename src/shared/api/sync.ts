// API methods of sync with the city center: status (在线/离线, 待上传, 上次同步), conflicts and
// their resolution, directives (指令) and their acknowledgement, and the city connection settings.

import { z } from 'zod/v4';
import { empty, id, method, unionMessage } from './common';
import type { CityTicket, DirectivePriority } from '../sync/protocol';

export interface SyncStatus {
  configured: boolean;
  cityUrl: string | null;
  online: boolean;
  /** The live channel (directives, 12345 dispatches at once) is open. */
  live: boolean;
  /** Outbox operations not yet acknowledged by the city. */
  pending: number;
  conflicts: number;
  unackedDirectives: number;
  lastSyncAt: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
}

export interface SyncConflict {
  opId: string;
  entity: string;
  entityId: string;
  op: string;
  code: string;
  /** The city's reason (Chinese). */
  reason: string;
  cityState: CityTicket | null;
  createdAt: number;
  opAt: number | null;
  payload: Record<string, unknown> | null;
  ticketCode: string | null;
  localStatus: string | null;
  /** Later operations on the same entity waiting behind this one. */
  waiting: number;
  resolvedAt: number | null;
  resolution: 'retry' | 'rebase' | 'discard' | null;
  resolutionReason: string | null;
  resolvedBy: string | null;
}

export interface StreetDirective {
  id: string;
  title: string;
  body: string;
  priority: DirectivePriority;
  deadline: number | null;
  issuedAt: number;
  issuedBy: string;
  receivedAt: number;
  ackedAt: number | null;
  ackedBy: string | null;
}

/** Reference data the city published (catalog, grids, calendar, model version) and what became of it here. */
export interface ReferenceUpdate {
  id: number;
  /** Its seq in the city's feed. */
  seq: number;
  /** catalog | grids | calendar | modelVersion */
  kind: string;
  version: string;
  /** When the city published it. */
  at: number;
  status: 'pending' | 'applied' | 'rejected';
  /** What changed (Chinese), once applied. */
  summary: string | null;
  /** Why it was refused (Chinese). */
  errors: string[];
  receivedAt: number;
  appliedAt: number | null;
}

export interface CitySettings {
  url: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

const filePath = z.string().trim().min(1, '请填写文件路径').max(1000, '路径过长');

export const syncConflictsInput = z.object({ includeResolved: z.boolean().default(false) }).prefault({});
export const syncResolveInput = z.object({
  opId: id,
  resolution: z.enum(['retry', 'rebase', 'discard'], { message: '请选择处理方式' }),
  reason: z.string().trim().max(1000, '理由不能超过1000字').optional(),
});
export const syncAckInput = z.object({ id, note: z.string().trim().max(500).optional() });
export const syncConfigureInput = z.union([
  z.object({
    url: z
      .string()
      .trim()
      .url('市级平台地址格式不正确')
      .refine((u) => u.startsWith('https://'), '市级平台地址必须以 https:// 开头'),
    caFile: filePath,
    certFile: filePath,
    keyFile: filePath,
  }),
  z.object({ disable: z.literal(true) }),
], { error: unionMessage });

export const syncMethods = {
  'sync.status': method<typeof empty, SyncStatus>(empty),
  'sync.now': method<typeof empty, SyncStatus>(empty),
  'sync.conflicts': method<typeof syncConflictsInput, SyncConflict[]>(syncConflictsInput),
  'sync.resolve': method<typeof syncResolveInput, SyncStatus>(syncResolveInput),
  'sync.directives': method<typeof empty, StreetDirective[]>(empty),
  'sync.ackDirective': method<typeof syncAckInput, StreetDirective[]>(syncAckInput),
  'sync.referenceUpdates': method<typeof empty, ReferenceUpdate[]>(empty),
  'sync.settings': method<typeof empty, CitySettings | null>(empty),
  'sync.configure': method<typeof syncConfigureInput, SyncStatus>(syncConfigureInput),
} as const;

export type SyncMethod = keyof typeof syncMethods;
