// The renderer's only way to the street node: one `call` over two transports.
//  - Electron: the preload bridge `window.chengyun` (IPC).
//  - Browser (LAN/host): POST /api/<method> with a bearer token, events over WebSocket /ws opened
//    with a one-time ticket (session.wsTicket); images through an HttpOnly cookie the node sets at
//    login. The token itself never goes in a URL.

import { API, type ApiErrorBody, type ApiEvent, type ApiInput, type ApiMethod, type ApiOutput } from '../../shared/api/contract';

const TOKEN_KEY = 'chengyun.token';

/** Error from the node (or the transport) with a Chinese message for the user. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues: Array<{ path: string; message: string }>;
  constructor(body: ApiErrorBody, status = 0) {
    super(body.message || '操作失败');
    this.name = 'ApiError';
    this.code = body.code || 'error';
    this.status = status;
    this.issues = Array.isArray(body.issues) ? body.issues : [];
  }
}

const AUTH_CODES = new Set(['unauthorized', 'unauthenticated', 'sessionExpired', 'invalidToken', 'auth']);

export function isAuthError(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || AUTH_CODES.has(e.code));
}

/** A readable Chinese message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return `操作失败：${e.message}`;
  return '操作失败，请稍后重试';
}

// ---------------------------------------------------------------------------------------------
// Token

let token: string | null = readToken();
function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}
export function getToken(): string | null {
  return token;
}
export function setToken(t: string | null): void {
  token = t;
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: keep the token in memory only */
  }
  restartEvents();
}

/**
 * Logs out: the token is dropped here first, so no call started from now on carries it (a screen
 * refreshing itself at that moment would be answered 401), then the node is told to end it.
 */
export async function endSession(): Promise<void> {
  const t = token;
  setToken(null);
  if (!t) return;
  try {
    if (isElectron()) await window.chengyun!.invoke('session.logout', {}, t);
    else await fetch('/api/session.logout', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t}` }, body: '{}' });
  } catch {
    /* the token is gone here anyway; the node ends idle sessions by itself */
  }
}

let unauthorizedHandler: (() => void) | null = null;
/** Called when an authenticated call is refused with 401 (expired or revoked token). */
export function onUnauthorized(cb: (() => void) | null): void {
  unauthorizedHandler = cb;
}

// ---------------------------------------------------------------------------------------------
// Calls

export function isElectron(): boolean {
  return typeof window !== 'undefined' && !!window.chengyun;
}

export async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  // Logged out: an authenticated call is refused here, not sent to be refused (a 401 on the console).
  if (API[method].auth && !token) throw new ApiError({ code: 'unauthorized', message: '登录已失效，请重新登录' }, 401);
  try {
    return await (isElectron() ? callBridge(method, input) : callHttp(method, input));
  } catch (e) {
    if (API[method].auth && isAuthError(e) && unauthorizedHandler) unauthorizedHandler();
    throw e;
  }
}

async function callBridge<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const res = await window.chengyun!.invoke(method, input ?? {}, token);
  if (res.ok) return res.data as ApiOutput<M>;
  throw new ApiError(res.error, AUTH_CODES.has(res.error.code) ? 401 : 0);
}

async function callHttp<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
  } catch {
    throw new ApiError({ code: 'network', message: '无法连接到本街道节点，请检查网络或服务是否运行' });
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
  }
  if (res.ok) return body as ApiOutput<M>;
  const err = (body as { error?: ApiErrorBody } | undefined)?.error;
  if (err && typeof err.message === 'string') throw new ApiError(err, res.status);
  throw new ApiError(
    { code: res.status === 401 ? 'unauthorized' : 'http', message: res.status === 401 ? '登录已失效，请重新登录' : `服务返回错误（HTTP ${res.status}）` },
    res.status,
  );
}

/** URL of a stored attachment image. */
export function fileUrl(sha256: string): string {
  // No credential in the URL: Electron's main process answers for the window's session; in a browser
  // the node set an HttpOnly cookie (path /files) at login.
  if (isElectron()) return window.chengyun!.fileUrl(sha256);
  return `/files/${encodeURIComponent(sha256)}`;
}

// ---------------------------------------------------------------------------------------------
// Events: one shared subscription, fanned out to listeners.

export type ConnectionState = 'connecting' | 'open' | 'closed';
/** Node events plus a local 'reconnected' signal (changes may have been missed while offline). */
export type ClientEvent = ApiEvent | { type: 'reconnected' };
type Listener = (e: ClientEvent) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(s: ConnectionState) => void>();
let connState: ConnectionState = 'closed';
let stopEvents: (() => void) | null = null;

function setConnState(s: ConnectionState) {
  if (s === connState) return;
  connState = s;
  for (const l of stateListeners) l(s);
}

export function getConnectionState(): ConnectionState {
  return connState;
}

export function onConnectionState(cb: (s: ConnectionState) => void): () => void {
  stateListeners.add(cb);
  return () => stateListeners.delete(cb);
}

/** Subscribes to node events (ticket.changed, settings.changed); returns an unsubscribe function. */
export function subscribe(cb: Listener): () => void {
  listeners.add(cb);
  ensureEvents();
  return () => {
    listeners.delete(cb);
  };
}

function emit(e: ClientEvent) {
  for (const l of [...listeners]) {
    try {
      l(e);
    } catch (err) {
      console.error('event listener failed', err);
    }
  }
}

function ensureEvents() {
  if (stopEvents || !token) return;
  stopEvents = isElectron() ? startBridgeEvents() : startSocket();
}

function restartEvents() {
  stopEvents?.();
  stopEvents = null;
  setConnState('closed');
  if (token && listeners.size > 0) ensureEvents();
}

function startBridgeEvents(): () => void {
  setConnState('open');
  const off = window.chengyun!.onEvent((e) => emit(e));
  return () => off();
}

function startSocket(): () => void {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wasOpen = false;

  const connect = async () => {
    if (stopped) return;
    setConnState('connecting');
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    try {
      // The session token never goes in a URL: a one-time ticket opens the socket.
      const { ticket } = await callHttp('session.wsTicket', {});
      if (stopped) return;
      ws = new WebSocket(`${proto}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
    } catch (e) {
      if (isAuthError(e) && unauthorizedHandler) unauthorizedHandler();
      schedule();
      return;
    }
    ws.onopen = () => {
      // After a reconnect — or a first open that took retries (a screen subscribed while the
      // socket was still failing) — screens may have missed changes: tell them to refresh.
      if (wasOpen || attempt > 0) emit({ type: 'reconnected' });
      attempt = 0;
      setConnState('open');
      wasOpen = true;
    };
    ws.onmessage = (m) => {
      try {
        const e = JSON.parse(String(m.data)) as ApiEvent;
        if (e && typeof e.type === 'string') emit(e);
      } catch {
        /* ignore malformed frames */
      }
    };
    ws.onclose = () => {
      ws = null;
      schedule();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  };
  const schedule = () => {
    if (stopped) return;
    setConnState('connecting');
    const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt = Math.min(attempt + 1, 6);
    timer = setTimeout(() => void connect(), delay);
  };
  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  };
}
