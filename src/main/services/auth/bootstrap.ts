// What every screen needs to start: the street, its grids, units and catalog, the settings.

import type * as T from '../../../shared/api/types';
import type { RunMode } from '../../../shared/domain/ticket';
import type { SlaUnit } from '../../../shared/domain/deadline';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { getSetting } from '../core/settings';

export async function bootstrap(ctx: NodeContext, user: T.User): Promise<T.Bootstrap> {
  const db = ctx.store.db;
  const street = await db.selectFrom('street').selectAll().executeTakeFirst();
  if (!street) throw new AppError('noStreet', '本机数据库还没有街道数据，请先导入或生成演示街道');
  const [grids, units, catalog, runMode, setupPending, demo, tls] = await Promise.all([
    db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id']).where('level', 'in', ['1', '2', '3', 'micro', 'special']).orderBy('code').execute(),
    db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'grid_id']).where('active', '=', 1).orderBy('kind').orderBy('code').execute(),
    db.selectFrom('catalog').selectAll().where('active', '=', 1).orderBy('sort').orderBy('code').execute(),
    getSetting(db, 'runMode'),
    getSetting(db, 'setup.pending'),
    getSetting(db, 'demo'),
    // Written by the host at start (src/main/host/tls.ts): the LAN certificate, for 设置.
    getSetting(db, 'host.tls'),
  ]);
  return {
    street: {
      id: street.id,
      code: street.code,
      name: street.name,
      district: street.district,
      city: street.city,
      centerLon: street.center_lon,
      centerLat: street.center_lat,
    },
    grids: grids.map((g) => ({ id: g.id, code: g.code, name: g.name, level: g.level as T.GridInfo['level'], parentId: g.parent_id })),
    units: units.map((u) => ({ id: u.id, code: u.code, name: u.name, kind: u.kind as T.UnitInfo['kind'], gridId: u.grid_id })),
    catalog: catalog.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      parentId: c.parent_id,
      path: c.path,
      isLeaf: !!c.is_leaf,
      defaultUnitId: c.default_unit_id,
      acceptWithinHours: c.accept_within_hours,
      resolveWithin: c.resolve_within,
      resolveUnit: c.resolve_unit as SlaUnit,
      isMicro: !!c.is_micro,
      isConsultation: !!c.is_consultation,
      routeToCommunity: !!c.route_to_community,
    })),
    settings: { runMode: ((runMode as RunMode | undefined) ?? 'daily'), setupPending: setupPending === true, demo: demo === true, tls: (tls as T.HostTlsInfo | null | undefined) ?? null },
    user,
    now: ctx.now(),
  };
}
