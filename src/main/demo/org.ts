// Organisations and people of the demo street: the units tickets are dispatched to, the staff who
// act on them, and the demo accounts offered on the login screen.

import type { Role } from '../../shared/domain/ticket';
import type { DemoUser } from '../../shared/api/types';
import type { Rng } from './prng';
import { COMMUNITIES } from './geo';

export type UnitKind = 'community' | 'department' | 'enterprise' | 'street';

export interface UnitDef {
  code: string;
  name: string;
  kind: UnitKind;
  /** Short name used in ticket texts. */
  short: string;
}

/** Community committees: unit code = the community's 12-digit code. */
export const COMMUNITY_UNITS: readonly UnitDef[] = COMMUNITIES.map((c) => ({
  code: c.code,
  name: `${c.name}居委会`,
  kind: 'community' as const,
  short: c.name,
}));

export const OTHER_UNITS: readonly UnitDef[] = [
  // The street's own offices
  { code: 'JBJD-CGK', name: '经八路街道城管科（综合行政执法中队）', kind: 'street', short: '街道执法中队' },
  { code: 'JBJD-PAB', name: '经八路街道平安建设办公室', kind: 'street', short: '街道平安办' },
  { code: 'JBJD-SQB', name: '经八路街道社区建设办公室', kind: 'street', short: '街道社区建设办' },
  { code: 'JBJD-JJB', name: '经八路街道经济发展办公室', kind: 'street', short: '街道经发办' },
  { code: 'JBJD-MSZX', name: '经八路街道便民服务中心', kind: 'street', short: '街道便民服务中心' },
  { code: 'JBJD-YJB', name: '经八路街道应急管理办公室', kind: 'street', short: '街道应急办' },
  // District and city departments
  { code: 'JSQ-CGJ', name: '金水区城市管理局', kind: 'department', short: '区城管局' },
  { code: 'JSQ-ZJJ', name: '金水区住房和城乡建设局', kind: 'department', short: '区住建局' },
  { code: 'JSQ-SJJ', name: '金水区市场监督管理局', kind: 'department', short: '区市场监管局' },
  { code: 'ZZS-STHJ-JS', name: '郑州市生态环境局金水分局', kind: 'department', short: '生态环境分局' },
  { code: 'JSQ-JYJ', name: '金水区教育局', kind: 'department', short: '区教育局' },
  { code: 'JSQ-RSJ', name: '金水区人力资源和社会保障局', kind: 'department', short: '区人社局' },
  { code: 'JSQ-WJW', name: '金水区卫生健康委员会', kind: 'department', short: '区卫健委' },
  { code: 'JSQ-YBJ', name: '金水区医疗保障局', kind: 'department', short: '区医保局' },
  { code: 'JSQ-MZJ', name: '金水区民政局', kind: 'department', short: '区民政局' },
  { code: 'ZZGA-JS-JBL', name: '郑州市公安局金水分局经八路派出所', kind: 'department', short: '经八路派出所' },
  { code: 'ZZJJ-JS', name: '郑州市公安局交通警察支队金水大队', kind: 'department', short: '交警金水大队' },
  { code: 'ZZS-YLJ', name: '郑州市园林局', kind: 'department', short: '市园林局' },
  { code: 'ZZS-SWJ', name: '郑州市水务局', kind: 'department', short: '市水务局' },
  { code: 'ZZS-GJJ', name: '郑州住房公积金管理中心', kind: 'department', short: '公积金中心' },
  // Enterprises (utilities and carriers)
  { code: 'QY-HRRQ', name: '郑州华润燃气股份有限公司', kind: 'enterprise', short: '华润燃气' },
  { code: 'QY-GWGD', name: '国网郑州供电公司', kind: 'enterprise', short: '供电公司' },
  { code: 'QY-RLJT', name: '郑州热力集团有限公司', kind: 'enterprise', short: '热力集团' },
  { code: 'QY-ZLS', name: '郑州水务集团自来水公司', kind: 'enterprise', short: '自来水公司' },
  { code: 'QY-LT', name: '中国联通郑州市分公司', kind: 'enterprise', short: '联通公司' },
  { code: 'QY-YD', name: '中国移动郑州分公司', kind: 'enterprise', short: '移动公司' },
  { code: 'QY-DX', name: '中国电信郑州分公司', kind: 'enterprise', short: '电信公司' },
  { code: 'QY-GJ', name: '郑州市公共交通集团有限公司', kind: 'enterprise', short: '公交集团' },
];

export const UNITS: readonly UnitDef[] = [...COMMUNITY_UNITS, ...OTHER_UNITS];

export interface DemoUserDef {
  username: string;
  displayName: string;
  role: Role;
  /** The user's unit (units.code), or null for street staff. */
  unitCode: string | null;
  password: string;
  /** What the staff row calls the person's post. */
  post: string;
}

/** Demo accounts (all with password demo123). `wangge` is the grid officer of 体育社区第一网格. */
export const DEMO_USERS: readonly DemoUserDef[] = [
  { username: 'operator', displayName: '李静', role: 'operator', unitCode: null, password: 'demo123', post: 'operator' },
  { username: 'operator2', displayName: '周敏', role: 'operator', unitCode: null, password: 'demo123', post: 'operator' },
  { username: 'leader', displayName: '张建国', role: 'leader', unitCode: null, password: 'demo123', post: 'leader' },
  { username: 'chengguan', displayName: '刘伟', role: 'unit', unitCode: 'JSQ-CGJ', password: 'demo123', post: 'unitLiaison' },
  { username: 'zhifa', displayName: '马超', role: 'unit', unitCode: 'JBJD-CGK', password: 'demo123', post: 'unitLiaison' },
  { username: 'zhujian', displayName: '赵磊', role: 'unit', unitCode: 'JSQ-ZJJ', password: 'demo123', post: 'unitLiaison' },
  { username: 'ranqi', displayName: '陈强', role: 'unit', unitCode: 'QY-HRRQ', password: 'demo123', post: 'unitLiaison' },
  { username: 'gongdian', displayName: '郭宏伟', role: 'unit', unitCode: 'QY-GWGD', password: 'demo123', post: 'unitLiaison' },
  { username: 'reli', displayName: '许文博', role: 'unit', unitCode: 'QY-RLJT', password: 'demo123', post: 'unitLiaison' },
  { username: 'tiyu', displayName: '孙丽', role: 'unit', unitCode: '410105001003', password: 'demo123', post: 'gridLeader' },
  { username: 'wangge', displayName: '王芳', role: 'gridOfficer', unitCode: '410105001003', password: 'demo123', post: 'gridOfficer' },
];
/** The grid the `wangge` account patrols. */
export const WANGGE_GRID_CODE = '41010500100301';

/** The demo accounts as the login screen shows them. */
export function demoUsers(): DemoUser[] {
  const byCode = new Map(UNITS.map((u) => [u.code, u.name]));
  return DEMO_USERS.map((u) => ({
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitName: u.unitCode ? (byCode.get(u.unitCode) ?? null) : null,
    password: u.password,
  }));
}

// ---------------------------------------------------------------------------------------------
// Names and phone numbers.

// Common surnames, roughly by frequency (repeated entries weigh more).
const SURNAMES =
  '王王王王李李李李张张张张刘刘刘陈陈陈杨杨赵赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文牛申翟楚豫'.split(
    '',
  );
const GIVEN_M = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩凯亮建国志军晓东海峰永红卫东振宇俊杰子轩浩然博文一鸣家豪'.split('');
const GIVEN_F = '芳娜敏静丽艳娟霞秀英玲燕丹萍红梅琳雪婷慧颖洁佳怡欣悦晓彤雨涵梓萱诗琪'.split('');

export function personName(rng: Rng, female = rng.chance(0.5)): string {
  const s = rng.pick(SURNAMES);
  const pool = female ? GIVEN_F : GIVEN_M;
  return rng.chance(0.72) ? s + rng.pick(pool) + rng.pick(pool) : s + rng.pick(pool);
}

export function surname(rng: Rng): string {
  return rng.pick(SURNAMES);
}

const MOBILE_PREFIX = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '166', '171', '173', '175', '176', '177', '178', '180', '181', '182', '183',
  '185', '186', '187', '188', '189', '191', '198', '199',
];

export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIX) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

export function landline(rng: Rng): string {
  return `0371-6${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}
