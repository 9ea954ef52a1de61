// Saved views (保存的视图): a user's named list filters, kept as the list's own URL query so the
// list opens them exactly, optionally pinned to the dashboard (where the renderer counts them with
// tickets.count). Per user: nobody sees, changes or deletes another user's views.

import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod/v4';
import { VIEWS_PER_USER_MAX, type SavedView, type viewSaveInput } from '../../../shared/api/operatorTools';
import type { User } from '../../../shared/api/types';
import type { SavedViewTable } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';

type SaveInput = z.output<typeof viewSaveInput>;

const toView = (r: SavedViewTable): SavedView => ({ id: r.id, name: r.name, query: r.query, pinned: !!r.pinned, createdAt: r.created_at });

function mayHaveViews(user: User): void {
  if (user.role === 'admin' || user.role === 'system') throw new AppError('forbiddenRole', '管理员不处理工单，没有工单视图', { detail: `${user.role} ${user.username} asked for saved views` });
}

export async function listViews(ctx: NodeContext, user: User): Promise<SavedView[]> {
  mayHaveViews(user);
  const rows = await ctx.store.db.selectFrom('saved_views').selectAll().where('user_id', '=', user.id).orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

export async function saveView(ctx: NodeContext, user: User, input: SaveInput): Promise<SavedView> {
  mayHaveViews(user);
  const db = ctx.store.db;
  const now = ctx.now();
  return db.transaction().execute(async (trx) => {
    const clash = await trx.selectFrom('saved_views').select('id').where('user_id', '=', user.id).where('name', '=', input.name).executeTakeFirst();
    if (clash && clash.id !== input.id) throw new AppError('conflict', `已有名为“${input.name}”的视图，请换一个名称`, { detail: `view name ${input.name} taken for ${user.username}` });
    if (input.id) {
      const cur = await trx.selectFrom('saved_views').selectAll().where('id', '=', input.id).where('user_id', '=', user.id).executeTakeFirst();
      if (!cur) throw new AppError('notFound', '视图不存在（或不是您的视图）', { detail: `view ${input.id} not found for ${user.username}` });
      await trx.updateTable('saved_views').set({ name: input.name, query: input.query, pinned: input.pinned ? 1 : 0, updated_at: now }).where('id', '=', input.id).execute();
      return toView({ ...cur, name: input.name, query: input.query, pinned: input.pinned ? 1 : 0, updated_at: now });
    }
    const n = await trx.selectFrom('saved_views').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    if (Number(n.n) >= VIEWS_PER_USER_MAX) throw new AppError('tooMany', `每人最多保存${VIEWS_PER_USER_MAX}个视图，请先删除不用的视图`, { detail: `${user.username} has ${n.n} views` });
    const row: SavedViewTable = { id: uuidv7(), user_id: user.id, name: input.name, query: input.query, pinned: input.pinned ? 1 : 0, created_at: now, updated_at: now };
    await trx.insertInto('saved_views').values(row).execute();
    return toView(row);
  });
}

export async function deleteView(ctx: NodeContext, user: User, id: string): Promise<{ ok: true }> {
  mayHaveViews(user);
  const r = await ctx.store.db.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw new AppError('notFound', '视图不存在（或不是您的视图）', { detail: `view ${id} not found for ${user.username}` });
  return { ok: true };
}
