// The catalog's local settings (设置 › 派单目录), edited by a leader or the administrator: per leaf
// category the street's own default unit, route-to-community, active, and supervision thresholds
// — kept when the city publishes the catalog later (`catalog.local_fields`, read by
// sync/reference.ts) — and the deadlines, only while the catalog is the street's own: once the city
// has published it, its deadlines are the city's. Every change is audited with before and after.

import type { CatalogLeafSaveInput, CatalogLeafSetting, CatalogLocalField, CatalogSettings } from '../../../shared/api/catalogSettings';
import { CATALOG_LOCAL_FIELDS, parseLocalFields } from '../../../shared/api/catalogSettings';
import type { User } from '../../../shared/api/types';
import type { SlaUnit } from '../../../shared/domain/deadline';
import { parseCatalogThresholds } from '../../../shared/domain/supervision';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { CatalogTable, Database } from '../../db/schema';
import type { NodeContext } from '../core/context';
import { AppError, notFound } from '../core/errors';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';

type Db = Kysely<Database> | Transaction<Database>;

/** The version of the city's catalog applied on this street, or null when the catalog is the street's own. */
export async function cityCatalogVersion(db: Db): Promise<string | null> {
  const r = await db.selectFrom('reference_updates').select('version').where('kind', '=', 'catalog').where('status', '=', 'applied').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.version ?? null;
}

type LeafRow = {
  id: string; code: string; path: string; default_unit_id: string | null; route_to_community: number; active: number; supervision_hours: string | null;
  accept_within_hours: number; resolve_within: number; resolve_unit: string; is_micro: number; is_consultation: number; local_fields: string | null; unit_name: string | null;
};

const leafQuery = (db: Db) =>
  db
    .selectFrom('catalog')
    .leftJoin('units', 'units.id', 'catalog.default_unit_id')
    .select([
      'catalog.id', 'catalog.code', 'catalog.path', 'catalog.default_unit_id', 'catalog.route_to_community', 'catalog.active', 'catalog.supervision_hours',
      'catalog.accept_within_hours', 'catalog.resolve_within', 'catalog.resolve_unit', 'catalog.is_micro', 'catalog.is_consultation', 'catalog.local_fields',
      'units.name as unit_name',
    ])
    .where('catalog.is_leaf', '=', 1);

function leafSetting(r: LeafRow): CatalogLeafSetting {
  return {
    id: r.id,
    code: r.code,
    path: r.path,
    defaultUnitId: r.default_unit_id,
    defaultUnitName: r.unit_name,
    routeToCommunity: !!r.route_to_community,
    active: !!r.active,
    supervisionHours: (parseCatalogThresholds(r.supervision_hours) as [number, number, number] | null),
    acceptWithinHours: r.accept_within_hours,
    resolveWithin: r.resolve_within,
    resolveUnit: r.resolve_unit as SlaUnit,
    isMicro: !!r.is_micro,
    isConsultation: !!r.is_consultation,
    localFields: parseLocalFields(r.local_fields),
  };
}

export async function catalogSettings(ctx: NodeContext): Promise<CatalogSettings> {
  const db = ctx.store.db;
  const [version, rows] = await Promise.all([cityCatalogVersion(db), leafQuery(db).orderBy('catalog.sort').orderBy('catalog.code').execute()]);
  return { cityManaged: version != null, cityVersion: version, leaves: rows.map(leafSetting) };
}

type Field = keyof Omit<CatalogLeafSaveInput, 'id'>;
const DEADLINES: ReadonlySet<Field> = new Set(['acceptWithinHours', 'resolveWithin', 'resolveUnit']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Saves what changed on one leaf (fields left out stay as they are), audited in the same transaction. */
export async function saveCatalogLeaf(ctx: NodeContext, user: User, input: CatalogLeafSaveInput, client?: string | null): Promise<CatalogLeafSetting> {
  const out = await ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('catalog').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('派单目录类别', input.id);
    if (!row.is_leaf) throw new AppError('notLeaf', `“${row.path}”是目录的上级分类，只有末级类别可以设置`, { detail: `catalog ${row.code} is not a leaf` });
    const before = leafSetting({ ...row, unit_name: null });
    const changes: Partial<Record<Field, { from: unknown; to: unknown }>> = {};
    for (const k of Object.keys(input) as Array<keyof CatalogLeafSaveInput>) {
      if (k === 'id' || input[k] === undefined) continue;
      if (!same(before[k], input[k])) changes[k] = { from: before[k], to: input[k] };
    }
    const changed = Object.keys(changes) as Field[];
    if (!changed.length) return { changed: false, code: row.code };

    const deadlines = changed.filter((k) => DEADLINES.has(k));
    if (deadlines.length) {
      const version = await cityCatalogVersion(trx);
      if (version != null)
        throw new AppError('cityManaged', `本街道的派单目录由市城运中心发布（${version}），签收和办结时限以市级为准，不能在本街道修改`, {
          detail: `deadline change refused on city catalog ${version}: ${deadlines.join(', ')}`,
          issues: deadlines.map((k) => ({ path: k, message: '时限由市级目录规定' })),
        });
    }
    if (changes.defaultUnitId && input.defaultUnitId) {
      const unit = await trx.selectFrom('units').select(['id', 'active']).where('id', '=', input.defaultUnitId).executeTakeFirst();
      if (!unit || !unit.active) throw new AppError('invalidInput', '所选的默认处置单位不存在或已停用', { detail: `unit ${input.defaultUnitId}`, issues: [{ path: 'defaultUnitId', message: '单位不存在或已停用' }] });
    }

    const set: Updateable<CatalogTable> = {};
    if (changes.defaultUnitId) set.default_unit_id = input.defaultUnitId ?? null;
    if (changes.routeToCommunity) set.route_to_community = input.routeToCommunity ? 1 : 0;
    if (changes.active) set.active = input.active ? 1 : 0;
    if (changes.supervisionHours) set.supervision_hours = input.supervisionHours ? JSON.stringify(input.supervisionHours) : null;
    if (changes.acceptWithinHours) set.accept_within_hours = input.acceptWithinHours;
    if (changes.resolveWithin) set.resolve_within = input.resolveWithin;
    if (changes.resolveUnit) set.resolve_unit = input.resolveUnit;
    const local = new Set(parseLocalFields(row.local_fields));
    for (const k of changed) if ((CATALOG_LOCAL_FIELDS as readonly string[]).includes(k)) local.add(k as CatalogLocalField);
    set.local_fields = JSON.stringify(CATALOG_LOCAL_FIELDS.filter((f) => local.has(f)));
    await trx.updateTable('catalog').set(set).where('id', '=', row.id).execute();
    await appendAudit(trx, ctx.now(), { actor: actorOf(user), action: 'settings.change', target: `catalog:${row.code}`, detail: { path: row.path, changes }, client: client ?? null });
    return { changed: true, code: row.code };
  });
  if (out.changed) ctx.events.publish({ type: 'settings.changed' });
  const r = await leafQuery(ctx.store.db).where('catalog.id', '=', input.id).executeTakeFirstOrThrow();
  return leafSetting(r);
}
