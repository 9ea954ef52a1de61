// Coordination demo data for a freshly seeded demo street: key places (重点部位), a duty roster
// around today, and two showcase tickets made through the real services — the "gas water heater
// pipes carry current" case that needs power, heating and gas to come together (吹哨报到), and a
// ticket a few hours overdue for the supervision board. Like the rest of the seeded history, they
// count as synced: the outbox rows the services wrote for them are removed.

import { v7 as uuidv7 } from 'uuid';
import { cstDate } from '../../shared/domain/calendar';
import type { User } from '../../shared/api/types';
import type { Role } from '../../shared/domain/ticket';
import type { NodeContext } from '../services/core/context';
import { actOnTicket, createTicket } from '../services/tickets/commands';
import { runSupervision } from '../services/coordination/supervision';
import { WANGGE_GRID_CODE } from './org';

export const GAS_HEATER_TEXT = '燃气热水器管道带电';
export const OVERDUE_SHOWCASE_TEXT = '经八路32号院南门路灯整排不亮';

const KEY_PLACES: Array<[string, string, string]> = [
  ['河南省体育中心', '经八路与纬五路交叉口西北角', '大型场馆'],
  ['经八路小学校门', '经八路18号', '学校周边'],
  ['纬五路农贸市场', '纬五路36号', '人员密集场所'],
  ['华润燃气经八路调压站', '经八路与纬三路交叉口东南角', '燃气设施'],
  ['经七路纬四路下穿通道', '经七路与纬四路交叉口', '易积水点'],
  ['金水河经八路桥段', '经八路金水河桥', '河道'],
];

const DUTY_LEADERS = ['张建国', '王宏', '刘振华'];
const DUTY_OPERATORS = ['李静', '周敏', '赵海峰', '孙雪'];

async function userByName(ctx: NodeContext, username: string): Promise<User> {
  const u = await ctx.store.db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name'])
    .where('users.username', '=', username)
    .executeTakeFirstOrThrow();
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, unitId: u.unit_id, unitName: u.name };
}

async function leafByPath(ctx: NodeContext, path: string): Promise<string> {
  const c = await ctx.store.db.selectFrom('catalog').select('id').where('path', '=', path).executeTakeFirstOrThrow();
  return c.id;
}

/** Adds the coordination demo data; `now` is the seeding time. */
export async function seedCoordinationDemo(ctx: NodeContext): Promise<void> {
  const now = ctx.now();
  const db = ctx.store.db;
  const outboxBefore = await db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  await db.transaction().execute(async (trx) => {
    let sort = 0;
    for (const [name, address, kind] of KEY_PLACES)
      await trx.insertInto('key_places').values({ id: uuidv7({ msecs: now }), name, address, kind, active: 1, sort: sort++ }).execute();
    for (let d = -7; d <= 13; d++) {
      const date = cstDate(now + d * 86_400_000);
      const k = d + 7;
      const rows = [
        { shift: 'day', post: '带班领导', name: DUTY_LEADERS[k % DUTY_LEADERS.length]!, phone: '0371-65510001' },
        { shift: 'day', post: '值班员', name: DUTY_OPERATORS[k % DUTY_OPERATORS.length]!, phone: '0371-65510002' },
        { shift: 'night', post: '带班领导', name: DUTY_LEADERS[(k + 1) % DUTY_LEADERS.length]!, phone: '0371-65510001' },
        { shift: 'night', post: '值班员', name: DUTY_OPERATORS[(k + 2) % DUTY_OPERATORS.length]!, phone: '0371-65510003' },
      ];
      for (const r of rows) await trx.insertInto('duty_roster').values({ id: uuidv7({ msecs: now }), date, ...r }).execute();
    }
  });

  // Categories that put people at risk escalate on their own, faster thresholds.
  await db.updateTable('catalog').set({ supervision_hours: '[1,2,4]' }).where('path', 'in', ['燃气/燃气泄漏', '燃气/燃气安全隐患']).execute();
  await db.updateTable('catalog').set({ supervision_hours: '[2,4,8]' }).where('path', '=', '公共设施/井盖破损(缺失)').execute();
  const operator = await userByName(ctx, 'operator');
  const at = (ms: number): NodeContext => ({ ...ctx, now: () => ms });

  // The whistle case: registered, classified, waiting for the street to pull departments in.
  const grid = await db.selectFrom('grids').select('id').where('code', '=', WANGGE_GRID_CODE).executeTakeFirst();
  await createTicket(at(now - 40 * 60_000), operator, {
    gridId: grid?.id,
    channel: 'hotline12345',
    type: 'help',
    description: `体育社区纬五路12号院2号楼多户居民反映${GAS_HEATER_TEXT}，洗澡时水管和热水器外壳麻手，暖气片也有漏电感，疑似楼内线路漏电经燃气管道和暖气管道传导，存在触电和燃气安全风险，请尽快组织供电、热力、燃气等单位排查。`,
    address: '纬五路12号院2号楼',
    reporterName: '王先生',
    reporterPhone: '13903712345',
    categoryId: await leafByPath(ctx, '燃气/燃气安全隐患'),
    urgency: 'urgent',
    isMicro: false,
    isCrossBoundary: false,
    photos: [],
  });

  // A ticket about three hours overdue, signed for by the unit and not yet fixed.
  const cg = await userByName(ctx, 'chengguan');
  const created = now - 3 * 86_400_000;
  const id = await createTicket(at(created), operator, {
    channel: 'hotline12345',
    type: 'complaint',
    description: `${OVERDUE_SHOWCASE_TEXT}已有一周，晚上道路漆黑，老人孩子出行不安全，多次反映未解决。`,
    address: '经八路32号院南门',
    reporterName: '陈女士',
    reporterPhone: '13803710086',
    categoryId: await leafByPath(ctx, '公共设施/路灯不亮'),
    urgency: 'normal',
    isMicro: false,
    isCrossBoundary: false,
    photos: [],
  });
  await actOnTicket(at(created + 10 * 60_000), operator, { action: 'dispatch', id, mode: 'designated', unitId: cg.unitId!, note: undefined });
  await actOnTicket(at(created + 50 * 60_000), cg, { action: 'accept', id });
  // Demo history: the deadline ran out three hours ago (whatever day of the week it is now).
  await db.updateTable('tickets').set({ resolve_deadline: now - 3 * 3600_000, accept_deadline: created + 2 * 3600_000 }).where('id', '=', id).execute();
  await runSupervision(ctx);
  await db.deleteFrom('outbox').where('seq', '>', Number(outboxBefore?.seq ?? 0)).execute();
}
