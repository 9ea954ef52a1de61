// Logins and sessions.
//
// Sessions live in memory, deliberately: a restart of the node ends every session and asks people to
// log in again (nothing to steal from the store, nothing to revoke after a restart). A session ends
// after IDLE_MS without a request, and in any case ABSOLUTE_MS after the login.
//
// Logins are throttled per client address and per username: after MAX_FAILURES failed attempts
// within WINDOW_MS, further attempts are refused (HTTP 429, Retry-After) until the oldest of those
// failures leaves the window. Refused attempts do not count, so the wait always ends.
//
// The WebSocket never carries the session token in its URL: the client asks for a one-time ticket
// (valid TICKET_MS) and opens /ws?ticket=…. Attachment images (<img>, which cannot send a header)
// are read with a separate per-session file key that the LAN host sets as an HttpOnly cookie; that
// key opens /files only, never the API.

import crypto from 'node:crypto';
import type { Role } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { dummyHash, verifyPasswordAsync } from './passwords';
import { appendAudit } from '../audit/auditLog';

export const IDLE_MS = 2 * 3600_000;
export const ABSOLUTE_MS = 12 * 3600_000;
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
export const TICKET_MS = 30_000;
/** Bounds on what the throttle and the ticket table hold (a flood of random names cannot grow them without end). */
const MAX_TRACKED = 50_000;
const MAX_TICKETS = 10_000;

export interface Session {
  token: string;
  /** Opens /files only (a cookie on the LAN host), never the API. */
  fileKey: string;
  user: User;
  createdAt: number;
  /** Idle expiry, moved on by every request, never past createdAt + ABSOLUTE_MS. */
  expiresAt: number;
}

export interface LoginMeta {
  /** The caller's address ('local' for the Electron window). */
  client?: string;
}

const newSecret = () => crypto.randomBytes(24).toString('base64url');

/** Failed-login counters per key (`ip:ADDR`, `user:NAME`), each a list of failure times in the window. */
export class LoginThrottle {
  private failures = new Map<string, number[]>();
  constructor(private readonly now: () => number) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - WINDOW_MS;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before another attempt is allowed for any of `keys`, or 0. */
  waitS(keys: string[]): number {
    let wait = 0;
    for (const k of keys) {
      const list = this.recent(k);
      if (list.length >= MAX_FAILURES) wait = Math.max(wait, Math.ceil((list[list.length - MAX_FAILURES]! + WINDOW_MS - this.now()) / 1000));
    }
    return wait;
  }

  fail(keys: string[]): void {
    if (this.failures.size > MAX_TRACKED) this.prune();
    for (const k of keys) this.failures.set(k, [...this.recent(k), this.now()].slice(-MAX_FAILURES));
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    for (const k of [...this.failures.keys()]) this.recent(k);
    // Still full of live entries: drop the oldest keys (Map keeps insertion order).
    for (const k of this.failures.keys()) {
      if (this.failures.size <= MAX_TRACKED / 2) break;
      this.failures.delete(k);
    }
  }
}

export class Sessions {
  private byToken = new Map<string, Session>();
  private byFileKey = new Map<string, Session>();
  private tickets = new Map<string, { token: string; expiresAt: number }>();
  readonly throttle: LoginThrottle;
  constructor(private readonly ctx: NodeContext) {
    this.throttle = new LoginThrottle(() => ctx.now());
  }

  async login(username: string, password: string, meta: LoginMeta = {}): Promise<Session> {
    const keys = [`ip:${meta.client ?? 'local'}`, `user:${username.toLowerCase()}`];
    const wait = this.throttle.waitS(keys);
    if (wait > 0) {
      this.ctx.log.warn('login throttled', { username, client: meta.client, retryAfterS: wait });
      throw new AppError('tooManyAttempts', `登录失败次数过多，请${Math.ceil(wait / 60)}分钟后再试`, { retryAfterS: wait, detail: `login throttled for ${wait}s` });
    }
    const row = await this.ctx.store.db
      .selectFrom('users')
      .leftJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.password_hash', 'users.active', 'users.must_change_password', 'units.name as unit_name'])
      .where('users.username', '=', username)
      .executeTakeFirst();
    // An unknown user costs one scrypt, as a known one does.
    const ok = await verifyPasswordAsync(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !row.active || !ok) {
      this.throttle.fail(keys);
      this.ctx.log.warn('login failed', { username, client: meta.client });
      await appendAudit(this.ctx.store.db, this.ctx.now(), {
        actor: { id: row?.id ?? null, name: username.slice(0, 50), role: row?.role ?? null },
        action: 'login.failed',
        target: username.slice(0, 50),
        detail: { reason: !row ? 'unknownUser' : !row.active ? 'inactive' : 'badPassword' },
        client: meta.client ?? null,
      });
      throw new AppError('badLogin', '用户名或密码错误');
    }
    this.throttle.clear(keys[1]!);
    const now = this.ctx.now();
    const session: Session = {
      token: newSecret(),
      fileKey: newSecret(),
      user: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role as Role,
        unitId: row.unit_id,
        unitName: row.unit_name,
        mustChangePassword: !!row.must_change_password,
      },
      createdAt: now,
      expiresAt: Math.min(now + IDLE_MS, now + ABSOLUTE_MS),
    };
    this.byToken.set(session.token, session);
    this.byFileKey.set(session.fileKey, session);
    await appendAudit(this.ctx.store.db, this.ctx.now(), {
      actor: { id: row.id, name: `${row.display_name}（${row.username}）`, role: row.role },
      action: 'login.ok',
      target: row.username,
      detail: row.must_change_password ? { oneTimePassword: true } : {},
      client: meta.client ?? null,
    });
    return session;
  }

  private live(s: Session | undefined): Session {
    const now = this.ctx.now();
    if (!s || s.expiresAt < now || now - s.createdAt > ABSOLUTE_MS) {
      if (s) this.end(s);
      throw new AppError('unauthorized', '登录已过期，请重新登录');
    }
    s.expiresAt = Math.min(now + IDLE_MS, s.createdAt + ABSOLUTE_MS);
    return s;
  }

  resolve(token: string | undefined | null): Session {
    return this.live(typeof token === 'string' && token ? this.byToken.get(token) : undefined);
  }

  /** The session a /files cookie belongs to. */
  resolveFileKey(key: string | undefined | null): Session {
    return this.live(typeof key === 'string' && key ? this.byFileKey.get(key) : undefined);
  }

  /** A one-time ticket for opening the WebSocket (valid TICKET_MS). */
  issueTicket(token: string): { ticket: string; expiresInS: number } {
    const s = this.resolve(token);
    const now = this.ctx.now();
    if (this.tickets.size >= MAX_TICKETS) for (const [k, v] of this.tickets) if (v.expiresAt < now) this.tickets.delete(k);
    if (this.tickets.size >= MAX_TICKETS) throw new AppError('tooManyAttempts', '请求过于频繁，请稍后再试', { retryAfterS: Math.ceil(TICKET_MS / 1000) });
    const ticket = newSecret();
    this.tickets.set(ticket, { token: s.token, expiresAt: now + TICKET_MS });
    return { ticket, expiresInS: TICKET_MS / 1000 };
  }

  /** Uses up a WebSocket ticket; its session, or an unauthorized error. */
  redeemTicket(ticket: string | undefined | null): Session {
    const t = typeof ticket === 'string' && ticket ? this.tickets.get(ticket) : undefined;
    if (t) this.tickets.delete(ticket!);
    if (!t || t.expiresAt < this.ctx.now()) throw new AppError('unauthorized', '登录已过期，请重新登录');
    return this.resolve(t.token);
  }

  private end(s: Session): void {
    this.byToken.delete(s.token);
    this.byFileKey.delete(s.fileKey);
  }

  logout(token: string): void {
    const s = this.byToken.get(token);
    if (s) this.end(s);
  }

  /** Ends every session of the account (deactivated, password reset, role changed), but `keep`. */
  endUser(userId: string, keep?: string): number {
    let n = 0;
    for (const [t, s] of [...this.byToken])
      if (s.user.id === userId && t !== keep) {
        this.end(s);
        n++;
      }
    return n;
  }

  /** The session's one-time password was replaced: it may do everything again. */
  passwordChanged(token: string): void {
    const s = this.byToken.get(token);
    if (s) s.user = { ...s.user, mustChangePassword: false };
  }
}
