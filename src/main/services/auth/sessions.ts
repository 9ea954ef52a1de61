// Logins and sessions. Sessions live in memory: a restart of the node asks people to log in again.

import crypto from 'node:crypto';
import type { Role } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { verifyPassword } from './passwords';

const SESSION_TTL_MS = 12 * 3600_000;

export interface Session {
  token: string;
  user: User;
  expiresAt: number;
}

export class Sessions {
  private byToken = new Map<string, Session>();
  constructor(private readonly ctx: NodeContext) {}

  async login(username: string, password: string): Promise<Session> {
    const row = await this.ctx.store.db
      .selectFrom('users')
      .leftJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.password_hash', 'users.active', 'units.name as unit_name'])
      .where('users.username', '=', username)
      .executeTakeFirst();
    if (!row || !row.active || !verifyPassword(password, row.password_hash)) {
      this.ctx.log.warn('login failed', { username });
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
      },
      expiresAt: this.ctx.now() + SESSION_TTL_MS,
    };
    this.byToken.set(session.token, session);
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
}
