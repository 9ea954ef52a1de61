// The default dispatch catalog (派单目录) for a street that has none (./defaultCatalog.json): the
// categories and time limits of the national digital city-management standard and Zhengzhou 12345
// practice (the tree the demo street uses too), without default units — the street's own units are
// chosen when dispatching, or set later. Community-level leaves go to the ticket's community.

import { v7 as uuidv7 } from 'uuid';
import type { SlaUnit } from '../../../shared/domain/deadline';
import data from './defaultCatalog.json';

interface LeafDef {
  code: string;
  name: string;
  acceptWithinHours: number;
  resolveWithin: number;
  resolveUnit: SlaUnit;
  micro?: boolean;
  consultation?: boolean;
  community?: boolean;
}
const CATALOG = (data as { tops: Array<{ code: string; name: string; leaves: LeafDef[] }> }).tops;
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';

export async function installDefaultCatalog(ctx: NodeContext): Promise<{ added: number }> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const has = await trx.selectFrom('catalog').select('id').limit(1).executeTakeFirst();
    if (has) throw new AppError('conflict', '本街道已有派单目录，不能再装入默认目录', { detail: 'catalog not empty' });
    let sort = 0;
    let added = 0;
    for (const top of CATALOG) {
      const topId = uuidv7();
      await trx
        .insertInto('catalog')
        .values({ id: topId, code: top.code, name: top.name, parent_id: null, path: top.name, is_leaf: 0, default_unit_id: null, accept_within_hours: 2, resolve_within: 5, resolve_unit: 'workDays', is_micro: 0, is_consultation: 0, sort: sort++, active: 1 })
        .execute();
      added++;
      for (const l of top.leaves) {
        await trx
          .insertInto('catalog')
          .values({
            id: uuidv7(), code: l.code, name: l.name, parent_id: topId, path: `${top.name}/${l.name}`, is_leaf: 1, default_unit_id: null,
            accept_within_hours: l.acceptWithinHours, resolve_within: l.resolveWithin, resolve_unit: l.resolveUnit, is_micro: l.micro ? 1 : 0,
            is_consultation: l.consultation ? 1 : 0, sort: sort++, active: 1, route_to_community: l.community ? 1 : 0,
          })
          .execute();
        added++;
      }
    }
    return { added };
  });
}
