// Role checks the services share.

import type { Role } from '../../../shared/domain/ticket';
import type { User } from '../../../shared/api/types';
import { AppError } from '../core/errors';

export function requireRole(user: User, roles: readonly Role[], what: string): void {
  if (!roles.includes(user.role)) throw new AppError('forbiddenRole', `无权${what}`, { detail: `${user.role} ${user.username} may not ${what}` });
}

/** Who sets up and administers the street: accounts, units, key places, the audit log. */
export const ADMINS: readonly Role[] = ['admin'];
/** Who edits the street's working data in 设置 (units, key places, duty roster, catalog). */
export const STREET_MANAGERS: readonly Role[] = ['leader', 'admin'];
