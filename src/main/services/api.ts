// The API contract's handlers: validate the input with the contract's schema, resolve the
// session, call the service. Every transport (IPC, HTTP, tests) goes through `handle`.

import { ZodError } from 'zod/v4';
import { API, isApiMethod, type ApiErrorBody, type ApiMethod } from '../../shared/api/contract';
import type { DemoUser, User } from '../../shared/api/types';
import type { NodeContext } from './core/context';
import { AppError } from './core/errors';
import { Sessions, type LoginMeta } from './auth/sessions';
import { createTicket, actOnTicket } from './tickets/commands';
import { countTickets, dashboardCounts, getTicketDetail, listTickets } from './tickets/queries';
import { dashboardAlarms } from './tickets/alarms';
import { awaitingSignIn } from './tickets/signIns';
import { decodeBase64, saveAttachment } from './tickets/attachments';
import { bootstrap } from './auth/bootstrap';
import { gridHandlers } from './grids/handlers';
import { placeHandlers } from './grids/placeHandlers';
import { coordinationHandlers } from './coordination/handlers';
import { leaderSwitch } from './coordination/runModes';
import { runSupervision } from './coordination/supervision';
import { aiPhotoHandlers } from './ai/photoHandlers';
import { aiHandlers } from './ai/handlers';
import { syncHandlers } from '../sync/handlers';
import { statsHandlers } from './stats/handlers';
import { recurringHandlers } from './recurring/handlers';
import type { Call, HandlersFor } from './core/handlers';
import { changeOwnPassword, createAccount, listAccounts, resetPassword, updateAccount, actorOf } from './auth/accounts';
import { ADMINS, requireRole } from './auth/roles';
import { revealPersonal } from './tickets/visibility';
import { streetHandlers } from './street/handlers';
import { auditHandlers } from './audit/handlers';
import { backupHandlers } from './backup/handlers';
import { appendAudit } from './audit/auditLog';
import { operatorToolHandlers } from './views/handlers';

type Handlers = HandlersFor<ApiMethod>;

const ONE_TIME_ALLOWED = new Set<string>(['session.me', 'session.logout', 'session.changePassword']);

export interface ApiOptions {
  /** Demo accounts offered on the login screen (demo streets only). */
  demoUsers?: DemoUser[];
}

export function createApi(ctx: NodeContext, opts: ApiOptions = {}) {
  const sessions = new Sessions(ctx);
  const handlers: Handlers = {
    'session.login': async ({ input, meta }) => {
      const s = await sessions.login(input.username, input.password, meta ?? {});
      return { token: s.token, user: s.user };
    },
    'session.wsTicket': async ({ token }) => sessions.issueTicket(token),
    'session.logout': async ({ token }) => {
      sessions.logout(token);
      return { ok: true as const };
    },
    'session.me': async ({ user }) => user,
    'session.demoUsers': async () => opts.demoUsers ?? [],
    'session.changePassword': async ({ input, user, token }) => {
      await changeOwnPassword(ctx, sessions, user, token, input.current, input.next);
      return { ok: true as const };
    },
    'accounts.list': async ({ user }) => {
      requireRole(user, ['admin', 'leader'], '查看账号');
      return listAccounts(ctx);
    },
    'accounts.create': async ({ input, user }) => {
      requireRole(user, ADMINS, '新建账号');
      return createAccount(ctx, user, input);
    },
    'accounts.update': async ({ input, user }) => {
      requireRole(user, ADMINS, '修改账号');
      return updateAccount(ctx, sessions, user, input);
    },
    'accounts.resetPassword': async ({ input, user }) => {
      requireRole(user, ADMINS, '重置密码');
      return resetPassword(ctx, sessions, user, input.id);
    },
    'tickets.revealPersonal': async ({ input, user }) => revealPersonal(ctx, user, input.id),
    'meta.bootstrap': async ({ user }) => bootstrap(ctx, user),
    'dashboard.counts': async ({ user }) => dashboardCounts(ctx, user),
    'dashboard.alarms': async ({ user }) => dashboardAlarms(ctx, user),
    'tickets.list': async ({ input, user }) => listTickets(ctx, user, input),
    'tickets.awaitingSignIn': async ({ user }) => awaitingSignIn(ctx, user),
    'tickets.count': async ({ input, user }) => ({ count: await countTickets(ctx, user, input.filter) }),
    'tickets.get': async ({ input, user }) => getTicketDetail(ctx, user, input.id),
    'tickets.create': async ({ input, user }) => getTicketDetail(ctx, user, await createTicket(ctx, user, input)),
    'tickets.act': async ({ input, user }) => {
      await actOnTicket(ctx, user, input);
      return getTicketDetail(ctx, user, input.id);
    },
    'attachments.upload': async ({ input, user }) => {
      if (user.role === 'system') throw new AppError('forbiddenRole', '无权上传');
      return saveAttachment(ctx, input.name, decodeBase64(input.dataBase64));
    },
    'settings.update': async ({ input, user }) => {
      if (input.runMode) {
        if (user.role !== 'leader') throw new AppError('forbiddenRole', '只有街道领导可以切换运行模式');
        // Recorded as a run-mode period (who, when) and synced; supervision re-runs under the new rules.
        await leaderSwitch(ctx, user, { mode: input.runMode });
        await appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: 'runMode', detail: { runMode: input.runMode } });
        await runSupervision(ctx).catch((err) => ctx.log.error('supervision after mode switch failed', { error: String(err) }));
      }
      return (await bootstrap(ctx, user)).settings;
    },
    ...gridHandlers(ctx),
    ...placeHandlers(ctx),
    ...coordinationHandlers(ctx),
    ...aiPhotoHandlers(ctx),
    ...aiHandlers(ctx),
    ...syncHandlers(ctx),
    ...streetHandlers(ctx),
    ...auditHandlers(ctx),
    ...backupHandlers(ctx),
    ...statsHandlers(ctx),
    ...recurringHandlers(ctx),
    ...operatorToolHandlers(ctx),
  };

  const anonymous: User = { id: '', username: '', displayName: '', role: 'system', unitId: null, unitName: null };

  /** `meta.client` is the caller's address (login throttling); the Electron window is 'local'. */
  async function handle(method: string, rawInput: unknown, token: string | null, meta: LoginMeta = {}): Promise<unknown> {
    if (!isApiMethod(method)) throw new AppError('unknownMethod', '未知的接口', { detail: `unknown API method ${method}` });
    const spec = API[method];
    const user = spec.auth ? sessions.resolve(token).user : anonymous;
    // A one-time password opens nothing but the way to replace it.
    if (user.mustChangePassword && !ONE_TIME_ALLOWED.has(method))
      throw new AppError('mustChangePassword', '请先修改初始密码', { detail: `${user.username} must change the one-time password before ${method}` });
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw validationError(method, parsed.error);
    const fn = handlers[method] as (c: Call<ApiMethod>) => Promise<unknown>;
    return fn({ input: parsed.data as never, user, token: token ?? '', meta });
  }

  return { handle, sessions };
}
export type NodeApi = ReturnType<typeof createApi>;

function validationError(method: string, err: ZodError): AppError {
  const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return new AppError('invalidInput', first ? `输入有误：${first.message}` : '输入有误', {
    issues,
    detail: `${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
  });
}

const STATUS_BY_CODE: Record<string, number> = {
  unauthorized: 401,
  badLogin: 401,
  tooManyAttempts: 429,
  badRequest: 400,
  badPath: 400,
  tooLarge: 413,
  unsupportedType: 415,
  methodNotAllowed: 405,
  forbiddenHost: 403,
  forbiddenOrigin: 403,
  forbidden: 403,
  forbiddenRole: 403,
  mustChangePassword: 403,
  notYourUnit: 403,
  notFound: 404,
  unknownMethod: 404,
  conflict: 409,
  internal: 500,
};

/** Turns any thrown value into the transport's error body, logging unexpected ones. */
export function toErrorBody(ctx: NodeContext, err: unknown, method: string): { status: number; body: ApiErrorBody } {
  if (err instanceof AppError) {
    ctx.log.warn('request rejected', { method, code: err.code, detail: err.detail });
    return { status: STATUS_BY_CODE[err.code] ?? 400, body: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
  }
  ctx.log.error('request failed', { method, error: err instanceof Error ? err.stack : String(err) });
  return { status: 500, body: { code: 'internal', message: '系统内部错误，操作未完成，请稍后重试' } };
}
