// The Open311 service list: the city's category catalog (派单目录). The city has no catalog table
// yet, so this is a copy of the default street catalog (src/main/demo/catalog.ts — codes, names,
// groups and resolve time limits; city code must not import the street node's code). A service's
// `service_code` is its leaf code; `group` is its top category. Services that need more than a
// description carry Open311 attributes (GeoReport v2 service definitions).

import { SLA_UNIT_LABELS, type SlaUnit } from '../../shared/domain/deadline';

export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface ServiceAttribute {
  /** false = informational only (no input expected). */
  variable: boolean;
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: Array<{ key: string; name: string }>;
}

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
  /** The city ticket type a request of this service becomes. */
  ticketType: 'consultation' | 'complaint';
  resolveWithin: number;
  resolveUnit: SlaUnit;
  attributes: ServiceAttribute[];
}

type Leaf = [code: string, name: string, res: number, unit: SlaUnit, consultation?: boolean];

const CATALOG: Array<[code: string, name: string, leaves: Leaf[]]> = [
  ['01', '市容环境', [
    ['0101', '暴露垃圾', 4, 'workHours'],
    ['0102', '积存垃圾渣土', 1, 'workDays'],
    ['0103', '道路不洁', 4, 'workHours'],
    ['0104', '垃圾满溢', 4, 'workHours'],
    ['0105', '乱堆物料', 1, 'workDays'],
    ['0106', '违规晾晒', 1, 'workDays'],
    ['0107', '公厕问题', 1, 'workDays'],
  ]],
  ['02', '宣传广告', [
    ['0201', '非法小广告', 4, 'workHours'],
    ['0202', '违规户外广告', 3, 'workDays'],
    ['0203', '条幅标语破损', 1, 'workDays'],
    ['0204', '广告牌匾破损', 1, 'workDays'],
  ]],
  ['03', '街面秩序', [
    ['0301', '占道经营', 1, 'workDays'],
    ['0302', '店外经营', 1, 'workDays'],
    ['0303', '流动摊贩', 1, 'workDays'],
    ['0304', '机动车乱停放', 1, 'workDays'],
    ['0305', '非机动车乱停放', 4, 'workHours'],
    ['0306', '露天烧烤', 1, 'workDays'],
  ]],
  ['04', '施工管理', [
    ['0401', '施工扰民', 2, 'workDays'],
    ['0402', '施工占道', 2, 'workDays'],
    ['0403', '渣土车遗撒', 4, 'workHours'],
    ['0404', '工地扬尘', 2, 'workDays'],
    ['0405', '违法建设', 15, 'workDays'],
  ]],
  ['05', '环境保护', [
    ['0501', '噪声污染', 2, 'workDays'],
    ['0502', '油烟污染', 3, 'workDays'],
    ['0503', '露天焚烧', 4, 'workHours'],
    ['0504', '污水直排', 3, 'workDays'],
    ['0505', '异味扰民', 3, 'workDays'],
  ]],
  ['06', '公共设施', [
    ['0601', '井盖破损(缺失)', 4, 'hours'],
    ['0602', '路灯不亮', 2, 'workDays'],
    ['0603', '消防栓损坏', 2, 'workDays'],
    ['0604', '健身器材损坏', 5, 'workDays'],
    ['0605', '垃圾箱破损', 2, 'workDays'],
    ['0606', '雨水箅子堵塞', 1, 'workDays'],
    ['0607', '公交站亭破损', 3, 'workDays'],
    ['0608', '通信线缆脱落', 2, 'workDays'],
  ]],
  ['07', '道路交通', [
    ['0701', '道路破损', 5, 'workDays'],
    ['0702', '人行道破损', 5, 'workDays'],
    ['0703', '交通信号灯故障', 8, 'hours'],
    ['0704', '道路积水', 6, 'hours'],
    ['0705', '交通设施损坏', 3, 'workDays'],
  ]],
  ['08', '园林绿化', [
    ['0801', '树木倒伏', 6, 'hours'],
    ['0802', '树木修剪', 5, 'workDays'],
    ['0803', '绿地毁坏', 3, 'workDays'],
    ['0804', '病虫害', 5, 'workDays'],
  ]],
  ['09', '供水', [
    ['0901', '停水', 24, 'hours'],
    ['0902', '水压低', 3, 'workDays'],
    ['0903', '水管破裂', 12, 'hours'],
    ['0904', '水质问题', 2, 'workDays'],
  ]],
  ['10', '供电', [
    ['1001', '停电', 8, 'hours'],
    ['1002', '电动车飞线充电', 1, 'workDays'],
  ]],
  ['11', '燃气', [
    ['1101', '燃气泄漏', 2, 'hours'],
    ['1102', '燃气停气', 12, 'hours'],
    ['1103', '燃气安全隐患', 2, 'workDays'],
  ]],
  ['12', '供暖', [
    ['1201', '暖气不热', 3, 'workDays'],
    ['1202', '暖气漏水', 24, 'hours'],
    ['1203', '供暖缴费咨询', 1, 'workDays', true],
  ]],
  ['13', '物业管理', [
    ['1301', '电梯故障', 24, 'hours'],
    ['1302', '物业服务', 5, 'workDays'],
    ['1303', '小区环境卫生', 2, 'workDays'],
    ['1304', '停车管理', 3, 'workDays'],
    ['1305', '二次供水', 2, 'workDays'],
    ['1306', '消防通道堵塞', 1, 'workDays'],
  ]],
  ['14', '房屋管理', [
    ['1401', '房屋漏水', 5, 'workDays'],
    ['1402', '外墙脱落', 2, 'workDays'],
    ['1403', '老旧小区改造', 10, 'workDays'],
    ['1404', '不动产登记咨询', 1, 'workDays', true],
  ]],
  ['15', '市场监管', [
    ['1501', '食品安全', 5, 'workDays'],
    ['1502', '价格问题', 5, 'workDays'],
    ['1503', '无证经营', 5, 'workDays'],
    ['1504', '消费纠纷', 7, 'workDays'],
    ['1505', '特种设备安全', 3, 'workDays'],
  ]],
  ['16', '劳动保障', [
    ['1601', '拖欠工资', 15, 'workDays'],
    ['1602', '劳动合同纠纷', 10, 'workDays'],
    ['1603', '社保缴纳问题', 10, 'workDays'],
  ]],
  ['17', '教育', [
    ['1701', '入学咨询', 1, 'workDays', true],
    ['1702', '校外培训', 5, 'workDays'],
    ['1703', '校园周边安全', 3, 'workDays'],
  ]],
  ['18', '卫生健康', [
    ['1801', '医疗服务', 5, 'workDays'],
    ['1802', '疫苗接种咨询', 1, 'workDays', true],
    ['1803', '病媒生物', 3, 'workDays'],
  ]],
  ['19', '政策咨询', [
    ['1901', '社保咨询', 1, 'workDays', true],
    ['1902', '医保咨询', 1, 'workDays', true],
    ['1903', '户籍咨询', 1, 'workDays', true],
    ['1904', '公积金咨询', 1, 'workDays', true],
    ['1905', '养老服务咨询', 1, 'workDays', true],
    ['1906', '社会救助咨询', 1, 'workDays', true],
  ]],
  ['20', '社会治理', [
    ['2001', '邻里纠纷', 3, 'workDays'],
    ['2002', '宠物扰民', 3, 'workDays'],
    ['2003', '群租房', 5, 'workDays'],
    ['2004', '流浪乞讨', 1, 'workDays'],
  ]],
];

const list = (...names: string[]) => names.map((name, i) => ({ key: String(i + 1), name }));

/** Extra questions of the services that need them (Open311 attributes). */
const ATTRIBUTES: Record<string, ServiceAttribute[]> = {
  '0601': [
    { variable: true, code: 'MANHOLE_STATE', datatype: 'singlevaluelist', required: true, datatype_description: '请选择井盖状况', order: 1, description: '井盖状况', values: list('缺失', '破损', '移位', '下沉或凸起') },
    { variable: true, code: 'ON_ROADWAY', datatype: 'singlevaluelist', required: false, datatype_description: '井盖是否位于车行道', order: 2, description: '是否位于车行道', values: [{ key: 'yes', name: '是' }, { key: 'no', name: '否（人行道或绿地）' }] },
  ],
  '0602': [
    { variable: true, code: 'LAMP_FAULT', datatype: 'singlevaluelist', required: true, datatype_description: '请选择故障现象', order: 1, description: '故障现象', values: list('不亮', '闪烁', '白天常亮', '灯杆倾斜或破损') },
    { variable: true, code: 'LAMP_COUNT', datatype: 'number', required: false, datatype_description: '不亮的路灯大约有几盏（整数）', order: 2, description: '涉及路灯数量' },
    { variable: true, code: 'POLE_NO', datatype: 'string', required: false, datatype_description: '灯杆上喷涂的编号，如 JBL-0123', order: 3, description: '灯杆编号' },
  ],
  '0501': [
    { variable: true, code: 'NOISE_SOURCE', datatype: 'singlevaluelist', required: true, datatype_description: '请选择噪声来源', order: 1, description: '噪声来源', values: list('广场舞或音响', '商铺促销', '施工', '娱乐场所', '其他') },
    { variable: true, code: 'NOISE_TIMES', datatype: 'multivaluelist', required: false, datatype_description: '可多选', order: 2, description: '发生时段', values: list('早晨（6—8时）', '白天', '傍晚', '夜间（22时以后）') },
  ],
  '0701': [
    { variable: true, code: 'DAMAGE_SIZE', datatype: 'singlevaluelist', required: false, datatype_description: '破损面积大致范围', order: 1, description: '破损大小', values: list('小于1平方米', '1—5平方米', '大于5平方米') },
  ],
  '1101': [
    { variable: false, code: 'GAS_NOTICE', datatype: 'text', required: false, datatype_description: '', order: 1, description: '如燃气味很浓，请立即离开并拨打燃气抢修电话，不要开关电器、不要使用明火。' },
  ],
  '1301': [
    { variable: true, code: 'TRAPPED', datatype: 'singlevaluelist', required: true, datatype_description: '电梯内是否有人被困（有人被困请立即拨打电梯内的救援电话或 119）', order: 1, description: '是否有人被困', values: [{ key: 'yes', name: '有人被困' }, { key: 'no', name: '无人被困' }] },
    { variable: true, code: 'SINCE', datatype: 'datetime', required: false, datatype_description: '电梯从何时开始停运（ISO 8601）', order: 2, description: '停运开始时间' },
  ],
};

export const OPEN311_SERVICES: readonly Open311Service[] = CATALOG.flatMap(([, group, leaves]) =>
  leaves.map(([code, name, res, unit, consultation]): Open311Service => {
    const attributes = ATTRIBUTES[code] ?? [];
    return {
      service_code: code,
      service_name: name,
      description: `${group}：${name}。${consultation ? '咨询类诉求' : '问题类诉求'}，由所在街道受理，承诺 ${res} ${SLA_UNIT_LABELS[unit]}内办结。`,
      metadata: attributes.length > 0,
      type: 'realtime',
      keywords: [group, name, ...name.split(/[()（）]/).filter((s) => s && s !== name)].join(','),
      group,
      ticketType: consultation ? 'consultation' : 'complaint',
      resolveWithin: res,
      resolveUnit: unit,
      attributes,
    };
  }),
);

const BY_CODE = new Map(OPEN311_SERVICES.map((s) => [s.service_code, s]));

export function serviceByCode(code: string): Open311Service | undefined {
  return BY_CODE.get(code);
}
