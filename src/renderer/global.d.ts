// The preload bridge exposed by the Electron shell (src/main/app/preload.ts) as `window.chengyun`.
// In a plain browser (LAN/host mode) it is absent and the renderer falls back to HTTP/WebSocket.

import type { ApiErrorBody, ApiEvent } from '../shared/api/contract';

export type BridgeResult = { ok: true; data: unknown } | { ok: false; error: ApiErrorBody };

export interface ChengyunBridge {
  invoke(method: string, input: unknown, token: string | null): Promise<BridgeResult>;
  /** Subscribes to node events; returns an unsubscribe function. */
  onEvent(cb: (event: ApiEvent) => void): () => void;
  /** URL of a stored attachment (content-addressed by sha256); no credential in it. */
  fileUrl(sha256: string): string;
  /** Shows a desktop notification with Electron's Notification; resolves whether it was shown. */
  notify?(n: { title: string; body: string; href: string }): Promise<boolean>;
  /** A click on one of those notifications: where it goes. Returns an unsubscribe function. */
  onNotificationClick?(cb: (href: string) => void): () => void;
}

declare global {
  interface Window {
    chengyun?: ChengyunBridge;
  }
}
