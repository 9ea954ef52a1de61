// Logins and sessions. Sessions live in memory: a restart of the node asks people to log in again.

import crypto from 'node:crypto';
import type { Role } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { verifyPassword } from './passwords';
import { appendAudit } from '../audit/auditLog';

const SESSION_TTL_MS = 12 * 3600_000;

export interface Session {
  token: string;
  user: User;
  expiresAt: number;
}

export class Sessions {
  private byToken = new Map<string, Session>();
  constructor(private readonly ctx: NodeContext) {}

  async login(username: string, password: string, client: string | null = null): Promise<Session> {
    const row = await this.ctx.store.db
      .selectFrom('users')
      .leftJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.password_hash', 'users.active', 'users.must_change_password', 'units.name as unit_name'])
      .where('users.username', '=', username)
      .executeTakeFirst();
    if (!row || !row.active || !(await verifyPassword(password, row.password_hash))) {
      this.ctx.log.warn('login failed', { username });
      await appendAudit(this.ctx.store.db, this.ctx.now(), {
        actor: { id: row?.id ?? null, name: username.slice(0, 50), role: row?.role ?? null },
        action: 'login.failed',
        target: username.slice(0, 50),
        detail: { reason: !row ? 'unknownUser' : !row.active ? 'inactive' : 'badPassword' },
        client,
      });
      throw new AppError('badLogin', '用户名或密码错误');
    }
    const session: Session = {
      token: crypto.randomBytes(24).toString('base64url'),
      user: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role as Role,
        unitId: row.unit_id,
        unitName: row.unit_name,
        mustChangePassword: !!row.must_change_password,
      },
      expiresAt: this.ctx.now() + SESSION_TTL_MS,
    };
    this.byToken.set(session.token, session);
    await appendAudit(this.ctx.store.db, this.ctx.now(), {
      actor: { id: row.id, name: `${row.display_name}（${row.username}）`, role: row.role },
      action: 'login.ok',
      target: row.username,
      detail: row.must_change_password ? { oneTimePassword: true } : {},
      client,
    });
    return session;
  }

  resolve(token: string | undefined | null): Session {
    const s = token ? this.byToken.get(token) : undefined;
    if (!s || s.expiresAt < this.ctx.now()) {
      if (s) this.byToken.delete(s.token);
      throw new AppError('unauthorized', '登录已过期，请重新登录');
    }
    s.expiresAt = this.ctx.now() + SESSION_TTL_MS;
    return s;
  }

  logout(token: string): void {
    this.byToken.delete(token);
  }

  /** Ends every session of the account (deactivated, password reset, role changed), but `keep`. */
  endUser(userId: string, keep?: string): number {
    let n = 0;
    for (const [t, s] of this.byToken)
      if (s.user.id === userId && t !== keep) {
        this.byToken.delete(t);
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
