// Handlers of setting up and keeping a street: the setup wizard's steps (street details, grid
// import, units, key places, duty roster, default catalog, the catalog's local settings) — each
// also reachable from 设置 — for a leader or the administrator. Every change is audited.

import { v7 as uuidv7 } from 'uuid';
import type { UnitRecord, KeyPlaceRecord, DutyRecord, UnitKind } from '../../../shared/api/admin';
import { UNIT_KINDS, UNIT_KIND_LABELS } from '../../../shared/api/admin';
import type { User } from '../../../shared/api/types';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { setSetting } from '../core/settings';
import type { HandlersFor } from '../core/handlers';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { ADMINS, STREET_MANAGERS, requireRole } from '../auth/roles';
import { decodeBase64 } from '../tickets/attachments';
import { ImportFileError, importGrids, parseGridBytes } from '../grids/import';
import { parseTableBytes } from '../grids/peopleImport';
import { installDefaultCatalog } from './defaultCatalog';
import { catalogSettings, saveCatalogLeaf } from './catalogSettings';

type Methods =
  | 'setup.finish' | 'street.update' | 'grids.import' | 'units.list' | 'units.save' | 'units.import'
  | 'keyPlaces.list' | 'keyPlaces.save' | 'duty.list' | 'duty.save' | 'catalog.installDefault' | 'catalog.settings' | 'catalog.saveLeaf';

const audit = (ctx: NodeContext, user: User, target: string, detail: Record<string, unknown>) =>
  appendAudit(ctx.store.db, ctx.now(), { actor: actorOf(user), action: 'settings.change', target, detail });

function unitRecord(u: { id: string; code: string; name: string; kind: string; phone: string | null; active: number }): UnitRecord {
  return { id: u.id, code: u.code, name: u.name, kind: u.kind as UnitKind, phone: u.phone, active: !!u.active };
}

async function saveUnit(ctx: NodeContext, input: { id?: string; code: string; name: string; kind: UnitKind; phone?: string; active: boolean }): Promise<{ rec: UnitRecord; added: boolean }> {
  const db = ctx.store.db;
  const sameCode = await db.selectFrom('units').select('id').where('code', '=', input.code).executeTakeFirst();
  const id = input.id ?? sameCode?.id ?? uuidv7();
  if (sameCode && sameCode.id !== id) throw new AppError('conflict', `单位编码“${input.code}”已被使用`, { issues: [{ path: 'code', message: '单位编码已被使用' }] });
  const exists = await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst();
  if (input.id && !exists) throw notFound('单位', input.id);
  const values = { code: input.code, name: input.name, kind: input.kind, phone: input.phone || null, active: input.active ? 1 : 0 };
  if (exists) await db.updateTable('units').set(values).where('id', '=', id).execute();
  else {
    // A community committee answers for the community grid of the same code (one-click dispatch).
    const grid = input.kind === 'community' ? await db.selectFrom('grids').select('id').where('code', '=', input.code).where('level', '=', '2').executeTakeFirst() : undefined;
    await db.insertInto('units').values({ id, parent_id: null, ...values, grid_id: grid?.id ?? null }).execute();
  }
  const row = await db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'phone', 'active']).where('id', '=', id).executeTakeFirstOrThrow();
  return { rec: unitRecord(row), added: !exists };
}

const KIND_BY_LABEL = new Map<string, UnitKind>([...UNIT_KINDS.map((k) => [k, k] as const), ...UNIT_KINDS.map((k) => [UNIT_KIND_LABELS[k], k] as const), ['社区居委会', 'community'], ['部门', 'department'], ['街道', 'street']]);

export function streetHandlers(ctx: NodeContext): HandlersFor<Methods> {
  const db = ctx.store.db;
  return {
    'setup.finish': async ({ user }) => {
      requireRole(user, ADMINS, '完成初始化');
      await setSetting(db, 'setup.pending', false);
      await audit(ctx, user, 'setup', { finished: true });
      ctx.events.publish({ type: 'settings.changed' });
      return { ok: true as const };
    },
    'street.update': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '修改街道信息');
      if (input.codePrefix !== undefined) await setSetting(db, 'street.codePrefix', input.codePrefix);
      const set: Record<string, unknown> = {};
      if (input.population !== undefined) set.population = input.population;
      if (input.areaKm2 !== undefined) set.area_km2 = input.areaKm2;
      if (Object.keys(set).length) await db.updateTable('street').set(set).execute();
      await audit(ctx, user, 'street', { ...input });
      ctx.events.publish({ type: 'settings.changed' });
      return { ok: true as const };
    },
    'grids.import': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '导入网格');
      let parsed: unknown;
      try {
        parsed = await parseGridBytes(input.name, decodeBase64(input.dataBase64));
      } catch (err) {
        if (err instanceof ImportFileError) throw new AppError('badFile', err.reason, { detail: err.detail });
        throw err;
      }
      const r = await importGrids(ctx, parsed, { convertGcj02: input.convertGcj02 });
      if (!r.ok) {
        const first = r.errors.slice(0, 5).map((e) => (e.feature != null ? `第${typeof e.feature === 'number' ? e.feature + 1 : e.feature}个要素：` : '') + e.reason);
        throw new AppError('importRejected', `网格文件未导入（共 ${r.errors.length} 处问题，未作任何改动）：${first.join('；')}`, { detail: r.errors.slice(0, 20).map((e) => e.detail).join('; ') });
      }
      await audit(ctx, user, 'grids', { file: input.name, features: r.features, inserted: r.inserted, updated: r.updated });
      ctx.events.publish({ type: 'settings.changed' });
      return { grids: r.features, added: r.inserted, updated: r.updated };
    },
    'units.list': async ({ user }) => {
      requireRole(user, [...STREET_MANAGERS, 'operator'], '查看单位');
      const rows = await db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'phone', 'active']).orderBy('active', 'desc').orderBy('kind').orderBy('code').execute();
      return rows.map(unitRecord);
    },
    'units.save': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '修改单位');
      const r = await saveUnit(ctx, input);
      await audit(ctx, user, `unit:${r.rec.code}`, { added: r.added, name: r.rec.name, kind: r.rec.kind, active: r.rec.active });
      ctx.events.publish({ type: 'settings.changed' });
      return r.rec;
    },
    'units.import': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '导入单位');
      const table = await parseTableBytes(input.name, decodeBase64(input.dataBase64));
      const [head, ...rows] = table;
      const col = (names: string[]) => (head ?? []).findIndex((h) => names.includes(h.trim()));
      const ci = { code: col(['编码', '单位编码', 'code']), name: col(['名称', '单位名称', 'name']), kind: col(['类型', '单位类型', 'kind']), phone: col(['电话', '联系电话', 'phone']) };
      if (ci.code < 0 || ci.name < 0 || ci.kind < 0) throw new AppError('badFile', '表头须包含“编码”“名称”“类型”三列（“电话”可选）', { detail: `units import header: ${JSON.stringify(head)}` });
      const problems: string[] = [];
      const ok: Array<{ code: string; name: string; kind: UnitKind; phone?: string }> = [];
      rows.forEach((r, i) => {
        const code = (r[ci.code] ?? '').trim();
        const name = (r[ci.name] ?? '').trim();
        if (!code && !name) return;
        const kind = KIND_BY_LABEL.get((r[ci.kind] ?? '').trim());
        const phone = ci.phone >= 0 ? (r[ci.phone] ?? '').trim() : '';
        if (!code || code.length > 64) problems.push(`第${i + 2}行：编码为空或过长`);
        else if (name.length < 2 || name.length > 100) problems.push(`第${i + 2}行：名称须为2–100字`);
        else if (!kind) problems.push(`第${i + 2}行：类型须为 社区、职能部门、企业 或 街道科室`);
        else if (phone && !/^[0-9+\-\s]{5,20}$/.test(phone)) problems.push(`第${i + 2}行：电话号码格式不正确`);
        else ok.push({ code, name, kind, phone });
      });
      if (problems.length) throw new AppError('importRejected', `单位表未导入（共 ${problems.length} 处问题，未作任何改动）：${problems.slice(0, 5).join('；')}`, { detail: problems.slice(0, 20).join('; ') });
      let added = 0;
      let updated = 0;
      for (const u of ok) {
        const r = await saveUnit(ctx, { ...u, active: true });
        if (r.added) added++;
        else updated++;
      }
      await audit(ctx, user, 'units', { file: input.name, added, updated });
      ctx.events.publish({ type: 'settings.changed' });
      return { added, updated };
    },
    'keyPlaces.list': async ({ user }) => {
      requireRole(user, [...STREET_MANAGERS, 'operator', 'gridOfficer'], '查看重点部位');
      const rows = await db.selectFrom('key_places').selectAll().orderBy('active', 'desc').orderBy('sort').orderBy('name').execute();
      return rows.map((r): KeyPlaceRecord => ({ id: r.id, name: r.name, address: r.address, kind: r.kind, active: !!r.active }));
    },
    'keyPlaces.save': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '修改重点部位');
      const id = input.id ?? uuidv7();
      const values = { name: input.name, address: input.address, kind: input.kind, active: input.active ? 1 : 0 };
      if (input.id) {
        const r = await db.updateTable('key_places').set(values).where('id', '=', input.id).executeTakeFirst();
        if (!Number(r.numUpdatedRows)) throw notFound('重点部位', input.id);
      } else {
        const max = await db.selectFrom('key_places').select((eb) => eb.fn.max<number>('sort').as('m')).executeTakeFirst();
        await db.insertInto('key_places').values({ id, ...values, sort: Number(max?.m ?? 0) + 1 }).execute();
      }
      await audit(ctx, user, `keyPlace:${input.name}`, { added: !input.id, active: input.active });
      return { id, name: input.name, address: input.address, kind: input.kind, active: input.active };
    },
    'duty.list': async ({ user }) => {
      requireRole(user, [...STREET_MANAGERS, 'operator'], '查看值班表');
      const from = new Date(ctx.now() + 8 * 3600_000 - 7 * 86_400_000).toISOString().slice(0, 10);
      const rows = await db.selectFrom('duty_roster').selectAll().where('date', '>=', from).orderBy('date').orderBy('shift').orderBy('post').execute();
      return rows.map((r): DutyRecord => ({ id: r.id, date: r.date, shift: r.shift as 'day' | 'night', post: r.post, name: r.name, phone: r.phone }));
    },
    'duty.save': async ({ input, user }) => {
      requireRole(user, STREET_MANAGERS, '修改值班表');
      const id = input.id ?? uuidv7();
      const values = { date: input.date, shift: input.shift, post: input.post, name: input.name, phone: input.phone || null };
      if (input.id) {
        const r = await db.updateTable('duty_roster').set(values).where('id', '=', input.id).executeTakeFirst();
        if (!Number(r.numUpdatedRows)) throw notFound('值班安排', input.id);
      } else await db.insertInto('duty_roster').values({ id, ...values }).execute();
      await audit(ctx, user, `duty:${input.date}`, { shift: input.shift, post: input.post, added: !input.id });
      return { id, ...values };
    },
    'catalog.installDefault': async ({ user }) => {
      requireRole(user, STREET_MANAGERS, '装入派单目录');
      const r = await installDefaultCatalog(ctx);
      await audit(ctx, user, 'catalog', { installedDefault: true, items: r.added });
      ctx.events.publish({ type: 'settings.changed' });
      return r;
    },
    'catalog.settings': async ({ user }) => {
      requireRole(user, STREET_MANAGERS, '查看派单目录设置');
      return catalogSettings(ctx);
    },
    'catalog.saveLeaf': async ({ input, user, meta }) => {
      requireRole(user, STREET_MANAGERS, '修改派单目录设置');
      return saveCatalogLeaf(ctx, user, input, meta?.client);
    },
  };
}
