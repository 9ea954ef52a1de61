// Ticket texts: addresses on the street's real roads and compounds, and descriptions composed from
// the catalog's templates with a channel-specific opening and a closing that fits the ticket type.

import type { Channel, TicketType } from '../../shared/domain/ticket';
import type { LeafDef } from './catalog';
import type { Rng } from './prng';
import type { UvRect } from './geo';

/** What the generator knows about a level-3 grid's surroundings. */
export interface Place {
  ns: string[];
  ew: string[];
  compounds: string[];
  landmarks: string[];
  rect: UvRect;
}

const SHOPS = [
  '超市', '烟酒店', '饭店', '烩面馆', '胡辣汤店', '水果店', '早餐店', '烧烤店', '便利店', '药店', '理发店',
  '洗车店', '五金店', '快递驿站', '面包店', '火锅店', '小吃店', '奶茶店', '汽修店', '宠物店', '蛋糕店', '干洗店',
];
const SINCE = ['好几天', '一个多星期', '半个多月', '两三天', '一个多月', '三四天', '很长时间'];
const WHEN = ['每天晚上', '每天早上', '晚上十点以后', '每天下午', '周末', '一到晚上', '中午', '每天傍晚'];
const GATES = ['东门', '南门', '西门', '北门'];
const CORNERS = ['东北角', '西北角', '东南角', '西南角', '附近', ''];

function houseNo(rng: Rng, p: Place, road: string): number {
  const ns = p.ns.includes(road);
  const cu = (p.rect.u0 + p.rect.u1) / 2;
  const cv = (p.rect.v0 + p.rect.v1) / 2;
  const base = ns ? Math.round((1 - cv) * 110) : Math.round(cu * 90);
  return Math.max(1, base + rng.int(-8, 8));
}

function road(rng: Rng, p: Place): string {
  return rng.chance(0.5) ? rng.pick(p.ns) : rng.pick(p.ew);
}

function cross(rng: Rng, p: Place): string {
  const a = p.ns[0]!;
  const b = rng.pick(p.ew);
  return rng.chance(0.6) ? `${a}与${b}交叉口` : `${a}${b}路口`;
}

/** A full address inside the place. */
export function address(rng: Rng, p: Place): string {
  const r = rng.next();
  let a: string;
  if (r < 0.42) a = `${rng.pick(p.compounds)}${rng.int(1, 14)}号楼${rng.int(1, 4)}单元`;
  else if (r < 0.55) a = `${rng.pick(p.compounds)}${rng.int(1, 14)}号楼`;
  else if (r < 0.72) {
    const rd = road(rng, p);
    a = `${rd}${houseNo(rng, p, rd)}号`;
  } else if (r < 0.8) {
    const rd = road(rng, p);
    a = `${rd}${houseNo(rng, p, rd)}号${rng.pick(SHOPS)}`;
  } else if (r < 0.9) a = cross(rng, p) + rng.pick(CORNERS);
  else a = `${rng.pick(p.landmarks)}附近`;
  return rng.chance(0.15) ? '金水区' + a : a;
}

function loc(rng: Rng, p: Place): string {
  const r = rng.next();
  if (r < 0.4) return rng.pick(p.compounds);
  if (r < 0.6) return rng.pick(p.compounds) + rng.pick(GATES);
  if (r < 0.8) return rng.pick(p.landmarks);
  const rd = road(rng, p);
  return `${rd}${houseNo(rng, p, rd)}号${rng.pick(SHOPS)}`;
}

/** A street-side address (for cameras and sensors): an intersection or a house number. */
export function streetAddress(rng: Rng, p: Place): string {
  if (rng.chance(0.5)) return cross(rng, p) + rng.pick(CORNERS);
  const rd = road(rng, p);
  return `${rd}${houseNo(rng, p, rd)}号${rng.chance(0.4) ? '门前' : ''}`;
}

/**
 * Fills a template. The first place the text names becomes the ticket's address, so the address
 * field and the description agree; templates without a place use `addr` (the reporter's home).
 */
function fill(rng: Rng, tpl: string, p: Place, addr: string): { text: string; address: string } {
  let primary: string | null = null;
  const text = tpl.replace(/\{(\w+)\}/g, (_m, k: string) => {
    switch (k) {
      case 'addr':
        primary ??= addr;
        return addr;
      case 'loc': {
        const v = loc(rng, p);
        primary ??= v;
        return v;
      }
      case 'roadno': {
        const rd = road(rng, p);
        const v = `${rd}${houseNo(rng, p, rd)}号`;
        primary ??= v;
        return v;
      }
      case 'road': {
        const rd = road(rng, p);
        primary ??= `${rd}${houseNo(rng, p, rd)}号附近`;
        return rd;
      }
      case 'cross': {
        const v = cross(rng, p);
        primary ??= v;
        return v;
      }
      case 'shop':
        return rng.pick(SHOPS);
      case 'since':
        return rng.pick(SINCE);
      case 'when':
        return rng.pick(WHEN);
      case 'no':
        return String(rng.int(1, 120));
      case 'n':
        return String(rng.int(2, 6));
      case 'floor':
        return String(rng.int(2, 18));
      case 'bld':
        return `${rng.int(1, 14)}号楼`;
      default:
        return '';
    }
  });
  return { text, address: primary ?? addr };
}

const OPENINGS: Record<Channel, string[]> = {
  hotline12345: ['来电人反映：', '市民来电反映：', '来电反映', '市民来电称，', '来电人称：', ''],
  zhenghaopai: ['市民通过郑好拍反映：', '郑好拍随手拍：', '网友通过郑好拍上报：'],
  gridPatrol: ['网格员巡查发现：', '巡查发现', '网格员日常巡查发现，'],
  digitalCityMgmt: ['数字城管监督员上报：', '信息采集员巡查上报：'],
  police110: ['110非警务警情转办：', '110指挥中心转来：'],
  mayorMailbox: ['市长信箱来信：', '网民来信反映：'],
  miniProgram: ['群众通过小程序反映：', '小程序留言：', ''],
  propertyButler: ['物业管家上报：', '物业服务中心反映：'],
  videoAi: ['视频AI识别预警：', '视频智能分析发现：'],
  iotSensor: ['物联感知设备报警：', '传感器监测报警：'],
  petition: ['信访件：来访人反映', '群众来信反映：'],
  walkIn: ['群众来访反映：', '来访人称，'],
  open311: ['群众通过第三方应用（Open311）上报：'],
};

const CONSULT_OPENINGS: Partial<Record<Channel, string[]>> = {
  hotline12345: ['市民来电：', '来电人：', ''],
  walkIn: ['群众来访：', '来访人：'],
  miniProgram: ['群众留言：', '小程序留言：'],
  mayorMailbox: ['网民来信：'],
  propertyButler: ['物业反映业主咨询：'],
};

const CLOSINGS: Record<TicketType, string[]> = {
  complaint: ['希望相关部门尽快处理。', '请尽快解决。', '已多次反映，至今未解决，要求尽快处理。', '严重影响居民生活，请相关部门管一管。', '诉求：尽快处理。'],
  help: ['请帮忙协调解决。', '希望尽快派人查看。', '请相关部门帮忙处理。', '希望尽快解决。'],
  report: ['请相关部门依法查处。', '请核实处理。', '请尽快处置。'],
  suggestion: ['建议相关部门加强日常管理。', '建议增加巡查频次，形成长效机制。', '建议统筹解决。'],
  praise: ['特此表扬。'],
  consultation: ['请予答复。', '希望得到答复。', ''],
};

export interface TextOut {
  description: string;
  address: string;
}

/** Composes a ticket's description and address. */
export function ticketText(
  rng: Rng,
  leaf: LeafDef,
  channel: Channel,
  type: TicketType,
  p: Place,
  unitShort: string,
): TextOut {
  const addr = address(rng, p);
  const open = type === 'consultation' ? rng.pick(CONSULT_OPENINGS[channel] ?? CONSULT_OPENINGS.hotline12345!) : rng.pick(OPENINGS[channel]);
  if (channel === 'iotSensor' && leaf.sensor) {
    const at = streetAddress(rng, p);
    return { address: at, description: `${open}${at}${leaf.sensor}，设备编号JB-${rng.int(1000, 9999)}，请及时核实处置。` };
  }
  if (channel === 'videoAi' && leaf.video) {
    const at = streetAddress(rng, p);
    return {
      address: at,
      description: `${open}${at}摄像头画面${leaf.video}（置信度${(0.7 + rng.next() * 0.29).toFixed(2)}），请网格员核实处置。`,
    };
  }
  if (type === 'praise')
    return {
      address: addr,
      description: `${open}来电表扬${unitShort}工作人员，${addr}的${leaf.name}问题反映后处理及时、态度热情，问题已解决，特此表扬。`,
    };
  const body = fill(rng, rng.pick(leaf.t), p, addr);
  const close = rng.pick(CLOSINGS[type]);
  const sep = open && !/[：，]$/.test(open) ? '，' : '';
  return { address: body.address, description: `${open}${sep}${body.text}${close ? '，' + close : '。'}` };
}

/** A resolution text for the leaf. */
export function resultText(rng: Rng, leaf: LeafDef): string {
  return rng.pick(leaf.r);
}
