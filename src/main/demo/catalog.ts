// The demo dispatch catalog (派单目录): top categories and leaves named after the national digital
// city-management standard (数字城管 GB/T 30428) and Zhengzhou 12345 practice, each leaf with its
// default unit, time limits, micro/consultation flags, and what the generator needs to write
// tickets for it: relative frequency, seasonal and daily rhythm, description templates and results.
//
// Template slots: {addr} full address, {loc} a place (compound, landmark, shop front), {road} a
// road, {cross} an intersection, {shop} a kind of shop, {since} how long, {when} when it happens,
// {roadno} a road with a house number, {no} a house number, {n} a small number, {floor} a floor, {bld} a building.

import type { SlaUnit } from '../../shared/domain/deadline';

/** Seasonal profile of a leaf: multiplier by month (1–12) and day of month. */
export type Season =
  | 'flat'
  | 'heating'
  | 'heatingPrep'
  | 'summer'
  | 'rain'
  | 'winter'
  | 'enrol'
  | 'spring'
  | 'preFestival'
  | 'pests';

export function seasonFactor(s: Season, month: number, day: number): number {
  switch (s) {
    case 'flat':
      return 1;
    case 'heating': {
      // Zhengzhou heats from 15 November to 15 March; complaints peak in the first weeks.
      const inSeason = month === 12 || month === 1 || month === 2 || (month === 11 && day >= 15) || (month === 3 && day <= 15);
      if (!inSeason) return 0.01;
      if (month === 11 || (month === 12 && day <= 10)) return 1.7;
      return 1;
    }
    case 'heatingPrep':
      return month === 10 || (month === 11 && day < 20) ? 3 : month === 11 || month === 12 ? 1 : 0.15;
    case 'summer':
      return month >= 6 && month <= 8 ? 1.8 : month === 5 || month === 9 ? 1.3 : month >= 11 || month <= 2 ? 0.5 : 0.9;
    case 'rain':
      return month === 7 || month === 8 ? 4.5 : month === 6 || month === 9 ? 1.2 : 0.25;
    case 'winter':
      return month === 12 || month === 1 || month === 2 ? 2.2 : month === 11 || month === 3 ? 1.4 : 0.55;
    case 'enrol':
      return month === 8 ? 6 : month === 7 ? 4 : month === 9 ? 2.5 : month === 6 ? 2 : 0.2;
    case 'spring':
      return month >= 3 && month <= 5 ? 2 : month === 6 ? 1.2 : 0.6;
    case 'preFestival':
      return month === 1 ? 3 : month === 12 ? 2 : month === 2 ? 1.4 : 0.8;
    case 'pests':
      return month >= 5 && month <= 9 ? 2 : 0.3;
  }
}

export interface LeafDef {
  code: string;
  name: string;
  /** Default unit code, or 'COMMUNITY' for the committee of the ticket's community. */
  unit: string;
  /** Other plausible units (designated dispatch, the right unit after a return). */
  alt?: string[];
  acc: number;
  res: number;
  ru: SlaUnit;
  micro?: boolean;
  cons?: boolean;
  /** Relative frequency (≈ percent of tickets in its peak season). */
  w: number;
  season?: Season;
  /** Weight multiplier between 20:00 and 07:00 (default 0.6). */
  night?: number;
  urgent?: number;
  critical?: number;
  /** Channels this leaf can come from besides the ordinary citizen channels. */
  video?: string;
  sensor?: string;
  t: string[];
  r: string[];
}

export interface TopDef {
  code: string;
  name: string;
  leaves: LeafDef[];
}

const CG = 'JSQ-CGJ';
const ZF = 'JBJD-CGK';

export const CATALOG: readonly TopDef[] = [
  {
    code: '01',
    name: '市容环境',
    leaves: [
      {
        code: '0101', name: '暴露垃圾', unit: 'COMMUNITY', alt: [CG], acc: 1, res: 4, ru: 'workHours', micro: true, w: 3.2,
        video: '疑似暴露垃圾', t: [
          '{loc}旁边有一堆生活垃圾{since}没人清理，散发臭味，招苍蝇',
          '{addr}路边堆着垃圾袋，被野猫扒得到处都是',
          '{cross}绿化带里有人倾倒生活垃圾，影响市容',
          '{addr}楼下垃圾桶外面散落大量垃圾，没人收拾',
        ], r: ['网格员已联系保洁人员将垃圾清理干净，现场已恢复整洁。', '已协调环卫工人清运暴露垃圾，并提醒周边商户定点投放。', '已清理完毕，已在该处张贴文明投放提示。'],
      },
      {
        code: '0102', name: '积存垃圾渣土', unit: CG, alt: ['COMMUNITY', 'JSQ-ZJJ'], acc: 2, res: 1, ru: 'workDays', w: 1.4,
        video: '疑似积存渣土', t: [
          '{addr}有人装修后把建筑垃圾堆在楼道口，{since}了还没清走',
          '{loc}空地上堆放大量装修渣土，刮风时尘土飞扬',
          '{road}路边有一堆建筑垃圾，占了半条人行道',
        ], r: ['已联系渣土清运车辆将积存渣土全部清运。', '已责令装修户限期清运，现已清理完毕。', '区城管局环卫所已清运，并对现场进行冲洗。'],
      },
      {
        code: '0103', name: '道路不洁', unit: CG, acc: 2, res: 4, ru: 'workHours', w: 1.8, t: [
          '{roadno}附近路面油污很多，走路容易滑倒',
          '{cross}路面泥土很多，下雨后一片泥泞，希望安排清扫',
          '{road}人行道上落叶和纸屑很多，好几天没人清扫',
        ], r: ['环卫作业人员已对该路段进行清扫冲洗。', '已安排洗扫车对路面进行深度保洁。'],
      },
      {
        code: '0104', name: '垃圾满溢', unit: CG, alt: ['COMMUNITY'], acc: 1, res: 4, ru: 'workHours', w: 1.6, season: 'summer',
        sensor: '垃圾桶满溢传感器报警，满溢度超过90%', t: [
          '{loc}的垃圾桶已经满了溢出来，{since}没人清运，气味很大',
          '{addr}小区垃圾站垃圾满溢，夏天味道特别大',
          '{road}路边果皮箱满溢，垃圾掉了一地',
        ], r: ['已通知清运车辆及时清运，并增加该点位清运频次。', '垃圾已清运，已要求保洁公司每日两次清运。'],
      },
      {
        code: '0105', name: '乱堆物料', unit: 'COMMUNITY', alt: [ZF], acc: 1, res: 1, ru: 'workDays', micro: true, w: 2.4,
        video: '疑似乱堆物料', t: [
          '{addr}楼道里堆满杂物和纸箱，存在消防隐患',
          '{loc}门口堆放大量废旧家具，影响通行',
          '{roadno}{shop}把货物堆在人行道上，行人没法走',
        ], r: ['网格员已督促当事人将堆放物清理完毕。', '已清理楼道杂物，并对住户进行消防安全提醒。', '已劝导商户将物料移回店内。'],
      },
      {
        code: '0106', name: '违规晾晒', unit: 'COMMUNITY', acc: 2, res: 1, ru: 'workDays', micro: true, w: 0.5, season: 'summer', t: [
          '{road}沿街有住户在行道树之间拉绳晾晒衣物，影响市容',
          '{loc}有人在绿化带护栏上晾晒被褥',
        ], r: ['网格员已上门劝导，晾晒物已收回。'],
      },
      {
        code: '0107', name: '公厕问题', unit: CG, acc: 2, res: 1, ru: 'workDays', w: 0.4, t: [
          '{loc}附近的公厕卫生很差，{since}没人打扫，味道很大',
          '{road}公厕冲水设备坏了，洗手池也不出水',
          '{cross}附近的公厕晚上很早就锁门了，群众如厕不方便',
        ], r: ['已安排保洁人员加强公厕保洁，冲水设备已维修。', '已与管理单位沟通，开放时间延长至22点。'],
      },
    ],
  },
  {
    code: '02',
    name: '宣传广告',
    leaves: [
      {
        code: '0201', name: '非法小广告', unit: 'COMMUNITY', alt: [ZF], acc: 1, res: 4, ru: 'workHours', micro: true, w: 2.4, t: [
          '{addr}单元门和楼道墙上贴满了开锁、疏通管道的小广告',
          '{loc}附近电线杆上乱贴小广告，刚清理又贴上了',
          '{roadno}附近墙面被喷涂了办证电话，很难看',
        ], r: ['网格员已清除小广告，对喷涂号码已报执法中队停机处理。', '已组织志愿者清理小广告，楼道已恢复整洁。'],
      },
      {
        code: '0202', name: '违规户外广告', unit: ZF, alt: [CG], acc: 2, res: 3, ru: 'workDays', w: 0.6, t: [
          '{roadno}{shop}门头上方私自加装了大型广告牌，没有审批',
          '{cross}有商家在人行道上摆放落地广告牌，影响通行',
          '{loc}楼顶新装的广告牌晚上灯光太亮，照进居民家里',
        ], r: ['执法中队已责令商户拆除违规广告设施。', '已查处，商户已自行拆除落地广告牌。'],
      },
      {
        code: '0203', name: '条幅标语破损', unit: 'COMMUNITY', acc: 2, res: 1, ru: 'workDays', micro: true, w: 0.4, t: [
          '{road}路边挂的宣传条幅已经破损，一半耷拉下来了',
          '{loc}门口的宣传标语褪色破损，建议更换',
        ], r: ['已将破损条幅拆除并更换。'],
      },
      {
        code: '0204', name: '广告牌匾破损', unit: CG, alt: [ZF], acc: 1, res: 1, ru: 'workDays', w: 0.5, season: 'spring', urgent: 0.3, t: [
          '{roadno}{shop}的门头牌匾一角脱落，风一吹晃得厉害，怕砸到人',
          '{loc}附近广告牌的面板破了，随时可能掉下来',
        ], r: ['已拉设警戒线并督促产权人对破损牌匾进行加固。', '破损牌匾已拆除，消除了安全隐患。'],
      },
    ],
  },
  {
    code: '03',
    name: '街面秩序',
    leaves: [
      {
        code: '0301', name: '占道经营', unit: ZF, alt: [CG], acc: 1, res: 1, ru: 'workDays', w: 3.6, night: 1.1,
        video: '疑似占道经营', t: [
          '{cross}{when}有商贩占道摆摊卖水果蔬菜，把人行道堵住了，行人只能走机动车道',
          '{loc}门口{when}都有流动摊点占道经营，垃圾乱扔，通行困难',
          '{roadno}附近早点摊占道经营，桌椅摆满人行道',
          '{roadno}附近有人在路边摆摊卖衣服，{since}了',
        ], r: ['执法中队已到场劝离占道摊贩，并纳入每日巡查点位。', '已对商贩进行教育，引导其进入便民疏导点经营。', '已依法暂扣占道经营物品，现场已恢复畅通。'],
      },
      {
        code: '0302', name: '店外经营', unit: ZF, acc: 1, res: 1, ru: 'workDays', w: 2.8, night: 1.2,
        video: '疑似店外经营', t: [
          '{roadno}{shop}长期出店经营，桌子摆到门外人行道上',
          '{loc}旁边的{shop}把商品摆在店门外售卖，影响行人通行',
          '{road}的几家饭店晚上把桌椅摆到门外，一直到半夜',
        ], r: ['执法中队已约谈店主，商品已收回店内，并签订门前三包责任书。', '已督促整改，店外经营现象已消除。'],
      },
      {
        code: '0303', name: '流动摊贩', unit: ZF, acc: 1, res: 1, ru: 'workDays', w: 1.4, night: 1.3, t: [
          '{cross}{when}有三轮车流动售卖，堵塞路口',
          '{loc}附近放学时间聚集很多流动摊贩，影响学生安全',
          '{road}路边有流动烧饼摊，油烟很大',
        ], r: ['执法中队已加强该时段巡查，流动摊贩已劝离。'],
      },
      {
        code: '0304', name: '机动车乱停放', unit: 'ZZJJ-JS', alt: [ZF], acc: 2, res: 1, ru: 'workDays', w: 2.6,
        video: '疑似机动车违停', t: [
          '{roadno}门口经常有车辆乱停在人行道上，轮椅和婴儿车都过不去',
          '{loc}消防通道被私家车堵住了，{since}一直这样',
          '{cross}路口有车辆长期违停，造成拥堵',
        ], r: ['交警已到场对违停车辆进行处罚，并加强该路段巡查。', '已联系车主将车辆挪走，并在该处设置禁停标识。'],
      },
      {
        code: '0305', name: '非机动车乱停放', unit: 'COMMUNITY', alt: [ZF], acc: 1, res: 4, ru: 'workHours', micro: true, w: 2.2,
        video: '疑似非机动车乱停放', t: [
          '{loc}门口共享单车堆成一片，把路都堵了',
          '{roadno}附近电动车乱停乱放，盲道被占',
          '{cross}公交站旁共享单车乱停放，乘客上下车不方便',
        ], r: ['网格员已协调共享单车运维人员整理车辆。', '已将乱停放电动车摆放整齐，并划定停放区域。'],
      },
      {
        code: '0306', name: '露天烧烤', unit: ZF, alt: ['ZZS-STHJ-JS'], acc: 1, res: 1, ru: 'workDays', w: 0.9, season: 'summer', night: 3, t: [
          '{roadno}附近{when}有露天烧烤，油烟呛人，吵到半夜',
          '{loc}旁边烧烤摊在人行道上烤串，烟熏得居民不敢开窗',
        ], r: ['执法中队已责令商户停止露天烧烤，入室经营并安装油烟净化设备。'],
      },
    ],
  },
  {
    code: '04',
    name: '施工管理',
    leaves: [
      {
        code: '0401', name: '施工扰民', unit: 'JSQ-ZJJ', alt: [ZF, 'ZZS-STHJ-JS'], acc: 2, res: 2, ru: 'workDays', w: 2, season: 'summer', night: 2.5, t: [
          '{loc}附近工地{when}还在施工，噪音很大，影响休息',
          '{roadno}附近的工地夜间施工，电钻声吵得孩子睡不着',
          '{addr}楼上装修{when}电钻声不断，{since}了',
        ], r: ['住建部门已责令施工单位停止夜间施工，如需连续施工须办理夜间施工许可。', '已约谈施工方，调整了施工时间，噪声已减小。'],
      },
      {
        code: '0402', name: '施工占道', unit: CG, alt: ['JSQ-ZJJ'], acc: 2, res: 2, ru: 'workDays', w: 0.6, t: [
          '{road}有施工围挡占了大半条道路，没有审批公示',
          '{cross}管道施工后路面没有恢复，坑坑洼洼',
        ], r: ['已督促施工单位缩小围挡范围并恢复路面。'],
      },
      {
        code: '0403', name: '渣土车遗撒', unit: CG, acc: 1, res: 4, ru: 'workHours', w: 0.6, night: 1.5,
        video: '疑似渣土车遗撒', t: [
          '{road}夜间渣土车经过，路面遗撒很多泥土',
          '{cross}渣土车没有覆盖，沿路遗撒，尘土飞扬',
        ], r: ['已对遗撒路面进行冲洗，对涉事运输企业立案处罚。'],
      },
      {
        code: '0404', name: '工地扬尘', unit: 'JSQ-ZJJ', alt: ['ZZS-STHJ-JS'], acc: 2, res: 2, ru: 'workDays', w: 0.7, season: 'spring', t: [
          '{loc}附近工地裸土没有覆盖，刮风时扬尘很大',
          '{roadno}附近拆迁工地没有洒水降尘，灰尘飘进居民家',
        ], r: ['已责令工地落实覆盖、洒水等扬尘防治措施。'],
      },
      {
        code: '0405', name: '违法建设', unit: ZF, alt: ['JSQ-ZJJ'], acc: 2, res: 15, ru: 'workDays', w: 1, t: [
          '{addr}顶楼住户私自搭建彩钢房',
          '{loc}一楼住户私自扩建院子，占用公共绿地',
          '{addr}有人在楼顶加盖房屋，担心楼体安全',
        ], r: ['执法中队已下达限期拆除通知书，违建已拆除。', '经现场核实，该建筑已于拆违行动中拆除，现场已恢复。'],
      },
    ],
  },
  {
    code: '05',
    name: '环境保护',
    leaves: [
      {
        code: '0501', name: '噪声污染', unit: 'ZZS-STHJ-JS', alt: ['ZZGA-JS-JBL', ZF], acc: 2, res: 2, ru: 'workDays', w: 2.6, season: 'summer', night: 3.5, t: [
          '{loc}附近{when}有人跳广场舞，音响声音开得很大',
          '{roadno}{shop}门口用大喇叭循环播放促销广告，吵得不行',
          '{addr}楼下空调外机噪音很大，晚上没法睡觉',
          '{loc}附近{when}有人聚集喝酒划拳，吵闹到凌晨',
        ], r: ['已协调广场舞团队调低音量并调整活动时间。', '已责令商户停止使用高音喇叭。', '已约谈相关商户，对空调外机加装减震降噪设施。'],
      },
      {
        code: '0502', name: '油烟污染', unit: 'ZZS-STHJ-JS', alt: [ZF], acc: 2, res: 3, ru: 'workDays', w: 1.4, season: 'summer', t: [
          '{roadno}{shop}油烟直排，没有安装净化设备，油烟飘进居民家',
          '{addr}楼下饭店排烟管道对着居民窗户，气味很大',
        ], r: ['已责令餐饮店安装油烟净化设备并定期清洗。', '已监测，商户已整改排烟口位置。'],
      },
      {
        code: '0503', name: '露天焚烧', unit: ZF, acc: 1, res: 4, ru: 'workHours', w: 0.3, season: 'winter', t: [
          '{loc}附近有人焚烧垃圾，烟很大',
          '{road}路边有人焚烧树叶和杂物',
        ], r: ['执法人员已到场扑灭明火，并对当事人进行教育。'],
      },
      {
        code: '0504', name: '污水直排', unit: 'ZZS-SWJ', alt: ['ZZS-STHJ-JS'], acc: 2, res: 3, ru: 'workDays', w: 0.3, t: [
          '{roadno}{shop}把污水直接倒进雨水井',
          '{loc}附近洗车店污水直排到路面',
        ], r: ['已责令商户停止直排，并接入污水管网。'],
      },
      {
        code: '0505', name: '异味扰民', unit: 'ZZS-STHJ-JS', alt: [CG], acc: 2, res: 3, ru: 'workDays', w: 0.5, season: 'summer', t: [
          '{loc}附近下水道返臭，{since}了',
          '{addr}附近垃圾中转站异味很大',
        ], r: ['已对管道进行疏通除臭，异味已消除。'],
      },
    ],
  },
  {
    code: '06',
    name: '公共设施',
    leaves: [
      {
        code: '0601', name: '井盖破损(缺失)', unit: CG, alt: ['ZZS-SWJ', 'QY-LT', 'QY-GWGD'], acc: 0.5, res: 4, ru: 'hours', w: 1.2, urgent: 0.4,
        sensor: '井盖位移传感器报警，疑似井盖缺失或移位', t: [
          '{cross}人行道上有个井盖破损了，中间裂开，很危险',
          '{roadno}门口井盖缺失，晚上看不清容易掉下去',
          '{loc}附近井盖松动，车一压就哐哐响',
        ], r: ['已设置警示围挡，权属单位已更换井盖。', '已确认井盖权属单位并更换为防坠落井盖。'],
      },
      {
        code: '0602', name: '路灯不亮', unit: CG, acc: 2, res: 2, ru: 'workDays', w: 1.5, season: 'winter',
        sensor: '单灯控制器报警，路灯离线不亮', t: [
          '{cross}往北一段路灯都不亮，晚上很黑',
          '{loc}门口的路灯坏了{since}，晚上出行不安全',
          '{roadno}附近路灯白天也亮着，浪费电',
        ], r: ['路灯所已更换灯具，路灯恢复正常照明。', '已检修线路，该路段路灯已全部点亮。'],
      },
      {
        code: '0603', name: '消防栓损坏', unit: 'ZZS-SWJ', alt: ['JBJD-PAB'], acc: 2, res: 2, ru: 'workDays', w: 0.2,
        sensor: '消防栓水压监测异常', t: [
          '{roadno}附近消防栓被撞坏了，一直在漏水',
          '{loc}的消防栓被杂物遮挡，阀门也锈死了',
        ], r: ['已维修消防栓并清理周边杂物。'],
      },
      {
        code: '0604', name: '健身器材损坏', unit: 'JBJD-SQB', alt: ['COMMUNITY'], acc: 2, res: 5, ru: 'workDays', w: 0.4, t: [
          '{loc}的健身器材坏了，转轮掉了一个，老人锻炼不安全',
          '{addr}小区健身广场的单杠松动了',
        ], r: ['已联系厂家对健身器材进行维修。', '损坏器材已拆除，新器材将统一补装。'],
      },
      {
        code: '0605', name: '垃圾箱破损', unit: CG, acc: 2, res: 2, ru: 'workDays', w: 0.4, t: [
          '{road}路边的果皮箱破了个大洞',
          '{cross}的分类垃圾箱盖子坏了',
        ], r: ['已更换新的果皮箱。'],
      },
      {
        code: '0606', name: '雨水箅子堵塞', unit: 'ZZS-SWJ', alt: [CG], acc: 1, res: 1, ru: 'workDays', w: 0.4, season: 'rain', t: [
          '{roadno}附近雨水箅子被树叶和垃圾堵住了，一下雨就积水',
          '{cross}雨水口堵塞，排水不畅',
        ], r: ['已清掏雨水口，排水恢复畅通。'],
      },
      {
        code: '0607', name: '公交站亭破损', unit: 'QY-GJ', acc: 2, res: 3, ru: 'workDays', w: 0.3, t: [
          '{cross}公交站的站亭玻璃碎了，很危险',
          '{road}公交站牌被撞歪了',
        ], r: ['公交集团已更换站亭玻璃。'],
      },
      {
        code: '0608', name: '通信线缆脱落', unit: 'QY-LT', alt: ['QY-YD', 'QY-DX'], acc: 2, res: 2, ru: 'workDays', w: 0.5, t: [
          '{roadno}附近通信线缆垂下来了，快碰到行人头顶',
          '{addr}楼道里的网线和光缆乱搭乱挂，有安全隐患',
        ], r: ['运营商已对脱落线缆进行绑扎规整。', '已对楼道线缆进行整理入槽。'],
      },
    ],
  },
  {
    code: '07',
    name: '道路交通',
    leaves: [
      {
        code: '0701', name: '道路破损', unit: CG, alt: ['JSQ-ZJJ'], acc: 2, res: 5, ru: 'workDays', w: 1.4, t: [
          '{roadno}附近路面有一个大坑，车辆经过很危险',
          '{cross}路面塌陷开裂，电动车骑过去容易摔倒',
          '{road}路面坑洼不平，{since}没人修',
        ], r: ['市政维修队已对破损路面进行修补。', '已对坑槽进行沥青修补，路面恢复平整。'],
      },
      {
        code: '0702', name: '人行道破损', unit: CG, acc: 2, res: 5, ru: 'workDays', w: 0.9, t: [
          '{roadno}附近人行道地砖松动，下雨踩上去溅一身泥水',
          '{loc}门口盲道砖损坏缺失',
        ], r: ['已更换破损地砖，人行道恢复平整。'],
      },
      {
        code: '0703', name: '交通信号灯故障', unit: 'ZZJJ-JS', acc: 0.5, res: 8, ru: 'hours', w: 0.4, urgent: 0.5, t: [
          '{cross}红绿灯坏了，一直闪黄灯，路口很乱',
          '{cross}行人过街信号灯不亮',
        ], r: ['交警已派员现场指挥交通，信号灯已修复。'],
      },
      {
        code: '0704', name: '道路积水', unit: 'ZZS-SWJ', alt: [CG], acc: 0.5, res: 6, ru: 'hours', w: 0.6, season: 'rain', urgent: 0.4,
        sensor: '积水监测点水位超过警戒值', t: [
          '{cross}下雨后积水很深，已经没过车轮',
          '{roadno}附近每次下雨都积水，行人只能蹚水走',
          '{loc}地下车库入口积水，担心车被淹',
        ], r: ['已调派抽排设备抽排积水，疏通排水管网。', '积水已排除，已将该点纳入易涝点台账。'],
      },
      {
        code: '0705', name: '交通设施损坏', unit: 'ZZJJ-JS', alt: [CG], acc: 2, res: 3, ru: 'workDays', w: 0.4, t: [
          '{road}隔离护栏被撞倒了好几节',
          '{cross}的交通标志牌被树枝挡住看不见',
        ], r: ['已修复隔离护栏，交通标志已清障。'],
      },
    ],
  },
  {
    code: '08',
    name: '园林绿化',
    leaves: [
      {
        code: '0801', name: '树木倒伏', unit: 'ZZS-YLJ', alt: [CG], acc: 0.5, res: 6, ru: 'hours', w: 0.3, season: 'rain', urgent: 0.5, t: [
          '{roadno}附近有棵大树被风刮倒了，压在路上',
          '{loc}门口行道树歪斜，随时可能倒下',
        ], r: ['园林部门已清理倒伏树木，恢复道路通行。', '已对倾斜树木进行扶正加固。'],
      },
      {
        code: '0802', name: '树木修剪', unit: 'ZZS-YLJ', alt: ['COMMUNITY'], acc: 2, res: 5, ru: 'workDays', w: 0.8, season: 'spring', t: [
          '{addr}楼前的树长得太高，挡住了{floor}楼的采光',
          '{road}行道树树枝太低，刮到过往车辆',
          '{loc}的树枝碰到电线了，担心漏电',
        ], r: ['园林部门已对树木进行修剪。', '已安排修剪，树枝与电线已保持安全距离。'],
      },
      {
        code: '0803', name: '绿地毁坏', unit: 'ZZS-YLJ', alt: ['COMMUNITY'], acc: 2, res: 3, ru: 'workDays', w: 0.4, t: [
          '{loc}有居民毁绿种菜',
          '{road}绿化带被车辆碾压，草坪都毁了',
        ], r: ['已劝导居民清除种植的蔬菜，绿地已补植。'],
      },
      {
        code: '0804', name: '病虫害', unit: 'ZZS-YLJ', acc: 2, res: 5, ru: 'workDays', w: 0.4, season: 'pests', t: [
          '{road}的国槐上有很多吊死鬼虫子，掉得满地都是',
          '{loc}树上有美国白蛾网幕，希望尽快打药',
        ], r: ['园林部门已对该路段树木喷药防治。'],
      },
    ],
  },
  {
    code: '09',
    name: '供水',
    leaves: [
      {
        code: '0901', name: '停水', unit: 'QY-ZLS', acc: 0.5, res: 24, ru: 'hours', w: 1.4, season: 'summer', urgent: 0.3, t: [
          '{addr}从今天上午开始停水，没有接到任何通知',
          '{loc}整个小区停水了，老人做饭都成问题，希望尽快恢复',
          '{addr}停水{since}了，什么时候能来水',
        ], r: ['因管道抢修临时停水，现已恢复供水。', '自来水公司已修复爆管，供水已恢复。'],
      },
      {
        code: '0902', name: '水压低', unit: 'QY-ZLS', alt: ['JSQ-ZJJ'], acc: 2, res: 3, ru: 'workDays', w: 0.7, season: 'summer', t: [
          '{addr}{floor}楼水压太低，热水器都打不着火',
          '{loc}用水高峰期水压很低，高层住户基本没水',
        ], r: ['已调整管网压力，住户水压已恢复正常。', '经查为二次供水设备故障，已督促物业维修。'],
      },
      {
        code: '0903', name: '水管破裂', unit: 'QY-ZLS', acc: 0.5, res: 12, ru: 'hours', w: 0.5, season: 'winter', urgent: 0.4, t: [
          '{roadno}附近地下水管破了，水冒到路面上',
          '{addr}楼下总水管冻裂了，水流了一地',
        ], r: ['自来水公司已抢修破裂管道，路面已恢复。'],
      },
      {
        code: '0904', name: '水质问题', unit: 'QY-ZLS', alt: ['JSQ-WJW'], acc: 2, res: 2, ru: 'workDays', w: 0.4, t: [
          '{addr}家里自来水发黄，有铁锈味',
          '{loc}自来水有异味，不敢喝',
        ], r: ['已对管网进行冲洗，水质检测合格。'],
      },
    ],
  },
  {
    code: '10',
    name: '供电',
    leaves: [
      {
        code: '1001', name: '停电', unit: 'QY-GWGD', acc: 0.5, res: 8, ru: 'hours', w: 1, season: 'rain', night: 1.2, urgent: 0.3, t: [
          '{addr}突然停电了，家里有老人，天太热受不了',
          '{loc}整栋楼停电{since}，请尽快抢修',
          '{roadno}一带经常停电，冰箱里东西都坏了',
        ], r: ['供电公司已抢修故障线路，恢复供电。', '因用电负荷过高跳闸，已增容改造，供电已恢复。'],
      },
      {
        code: '1002', name: '电动车飞线充电', unit: 'JBJD-PAB', alt: ['COMMUNITY', 'QY-GWGD'], acc: 2, res: 1, ru: 'workDays', w: 0.6, night: 1.4, t: [
          '{addr}有住户从楼上拉电线下来给电动车充电',
          '{loc}楼道里有人给电动车充电，存在火灾隐患',
        ], r: ['已督促住户拆除飞线，引导到集中充电桩充电。'],
      },
    ],
  },
  {
    code: '11',
    name: '燃气',
    leaves: [
      {
        code: '1101', name: '燃气泄漏', unit: 'QY-HRRQ', alt: ['JBJD-YJB'], acc: 0.25, res: 2, ru: 'hours', w: 0.4, season: 'winter', night: 1, urgent: 0.5, critical: 0.3,
        sensor: '可燃气体报警器报警，燃气浓度超标', t: [
          '{addr}楼道里有很大的燃气味，担心泄漏',
          '{loc}附近燃气管道有漏气声，味道很大',
          '{addr}厨房燃气表附近有异味，已关阀门，请尽快派人检查',
        ], r: ['华润燃气抢修人员已到场排查，更换了漏气接头，检测正常。', '经检测为表前阀松动，已紧固处理，无泄漏。'],
      },
      {
        code: '1102', name: '燃气停气', unit: 'QY-HRRQ', acc: 1, res: 12, ru: 'hours', w: 0.4, season: 'winter', t: [
          '{addr}突然没有燃气了，做不了饭',
          '{loc}小区燃气压力不足，灶火很小',
        ], r: ['已恢复供气，原因为调压箱故障已维修。'],
      },
      {
        code: '1103', name: '燃气安全隐患', unit: 'QY-HRRQ', alt: ['JBJD-YJB'], acc: 2, res: 2, ru: 'workDays', w: 0.3, season: 'winter', t: [
          '{roadno}{shop}在店里违规使用液化气罐',
          '{addr}的燃气管道锈蚀严重，担心出问题',
        ], r: ['已联合燃气公司开展安全检查，隐患已整改。'],
      },
    ],
  },
  {
    code: '12',
    name: '供暖',
    leaves: [
      {
        code: '1201', name: '暖气不热', unit: 'QY-RLJT', acc: 2, res: 3, ru: 'workDays', w: 8, season: 'heating', t: [
          '{addr}暖气不热，室内温度只有十四五度，家里有老人孩子',
          '{addr}{floor}楼暖气片上热下凉，放过水了还是不热',
          '{loc}整个小区暖气都不热，{since}了',
          '{addr}交了暖气费，但是暖气一直是温的',
        ], r: ['热力集团已上门排气，暖气温度恢复正常，室温达到18度以上。', '经查为楼内管道堵塞，已清洗疏通，暖气已热。', '已调整换热站运行参数，用户室温已达标。'],
      },
      {
        code: '1202', name: '暖气漏水', unit: 'QY-RLJT', alt: ['JSQ-ZJJ'], acc: 1, res: 24, ru: 'hours', w: 1, season: 'heating', urgent: 0.3, t: [
          '{addr}暖气管道漏水，楼下都渗水了',
          '{loc}楼道里的暖气管接头漏水，地面都是水',
        ], r: ['热力集团已更换漏水阀门。'],
      },
      {
        code: '1203', name: '供暖缴费咨询', unit: 'QY-RLJT', acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.8, season: 'heatingPrep', night: 0.3, t: [
          '咨询今年暖气费在哪里缴纳，有没有线上缴费渠道',
          '{addr}想报停暖气，咨询需要什么手续',
          '咨询今年什么时候开始供暖',
        ], r: ['已告知可通过热力集团公众号或营业厅缴费。', '已告知报停须在规定时间内到营业厅办理。', '已告知按计划11月15日起正式供暖。'],
      },
    ],
  },
  {
    code: '13',
    name: '物业管理',
    leaves: [
      {
        code: '1301', name: '电梯故障', unit: 'JSQ-ZJJ', alt: ['JSQ-SJJ'], acc: 0.5, res: 24, ru: 'hours', w: 1.4, urgent: 0.3, t: [
          '{addr}电梯坏了{since}，物业一直不修，老人上下楼很困难',
          '{addr}电梯经常突然停住，有人被困过',
          '{loc}电梯运行时有异响，担心安全',
        ], r: ['已督促物业联系维保单位维修，电梯已恢复运行。', '市场监管部门已对电梯进行安全检查，已更换故障部件。'],
      },
      {
        code: '1302', name: '物业服务', unit: 'JSQ-ZJJ', alt: ['COMMUNITY'], acc: 2, res: 5, ru: 'workDays', w: 1.8, t: [
          '{loc}物业不作为，垃圾不清、楼道不扫，还要涨物业费',
          '{addr}小区物业擅自把绿地改成停车位收费',
          '{loc}物业公司要撤场，居民担心没人管',
        ], r: ['已约谈物业公司，督促其履行服务合同。', '社区已召开居民协商会，物业已整改。'],
      },
      {
        code: '1303', name: '小区环境卫生', unit: 'COMMUNITY', alt: ['JSQ-ZJJ'], acc: 2, res: 2, ru: 'workDays', w: 0.9, season: 'summer', t: [
          '{loc}是老旧小区，没有物业，垃圾没人清理',
          '{addr}楼后面有人养鸡，卫生很差',
        ], r: ['社区已组织清理，并安排保洁人员定期打扫。'],
      },
      {
        code: '1304', name: '停车管理', unit: 'COMMUNITY', alt: ['JSQ-ZJJ', 'ZZJJ-JS'], acc: 2, res: 3, ru: 'workDays', w: 0.9, t: [
          '{loc}外来车辆随意进出停放，业主没有地方停车',
          '{addr}小区停车费涨价没有公示',
        ], r: ['社区已协调物业规范车辆管理。'],
      },
      {
        code: '1305', name: '二次供水', unit: 'JSQ-ZJJ', alt: ['QY-ZLS'], acc: 2, res: 2, ru: 'workDays', w: 0.4, season: 'summer', t: [
          '{addr}小区水箱好几年没清洗，水里有杂质',
          '{loc}二次供水泵房噪音很大',
        ], r: ['已督促物业清洗水箱并出具水质检测报告。'],
      },
      {
        code: '1306', name: '消防通道堵塞', unit: 'JBJD-PAB', alt: ['COMMUNITY'], acc: 1, res: 1, ru: 'workDays', w: 0.5, t: [
          '{loc}消防通道被杂物和车辆堵死了',
          '{addr}楼道安全出口被锁住了',
        ], r: ['已清理消防通道，安全出口已打开。'],
      },
    ],
  },
  {
    code: '14',
    name: '房屋管理',
    leaves: [
      {
        code: '1401', name: '房屋漏水', unit: 'JSQ-ZJJ', alt: ['COMMUNITY'], acc: 2, res: 5, ru: 'workDays', w: 1.1, season: 'rain', t: [
          '{addr}顶楼下雨就漏水，墙皮都泡掉了',
          '{addr}楼上卫生间漏水到我家，协调不了',
          '{loc}楼顶防水层老化，顶层住户家家漏雨',
        ], r: ['已协调维修资金对楼顶防水进行维修。', '社区已调解，楼上住户已维修防水。'],
      },
      {
        code: '1402', name: '外墙脱落', unit: 'JSQ-ZJJ', alt: ['JBJD-YJB'], acc: 1, res: 2, ru: 'workDays', w: 0.3, urgent: 0.4, t: [
          '{addr}外墙瓷砖掉下来了，差点砸到人',
          '{loc}楼体外墙保温层脱落',
        ], r: ['已拉设警戒区域，外墙脱落部分已清除修复。'],
      },
      {
        code: '1403', name: '老旧小区改造', unit: 'JSQ-ZJJ', alt: ['JBJD-SQB'], acc: 2, res: 10, ru: 'workDays', w: 0.8, t: [
          '{loc}老旧小区改造施工进度太慢，路面挖开好久没恢复',
          '{addr}老旧小区改造后雨水管接错了',
          '建议把{loc}纳入老旧小区改造计划，加装电梯',
        ], r: ['已督促施工单位加快进度，路面已恢复。', '已将居民诉求转交改造项目部，纳入下一步整改。'],
      },
      {
        code: '1404', name: '不动产登记咨询', unit: 'JBJD-MSZX', acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.4, night: 0.3, t: [
          '咨询{loc}的房产证什么时候可以办理',
          '咨询房屋过户需要带哪些材料',
        ], r: ['已告知办理流程和所需材料。'],
      },
    ],
  },
  {
    code: '15',
    name: '市场监管',
    leaves: [
      {
        code: '1501', name: '食品安全', unit: 'JSQ-SJJ', acc: 2, res: 5, ru: 'workDays', w: 1, season: 'summer', t: [
          '{roadno}{shop}卫生条件很差，后厨有老鼠',
          '在{loc}附近的{shop}买的熟食吃了拉肚子',
          '{roadno}{shop}销售过期食品',
        ], r: ['市场监管所已现场检查，责令商户停业整改。', '已对涉事食品抽样送检，依法立案调查。'],
      },
      {
        code: '1502', name: '价格问题', unit: 'JSQ-SJJ', alt: ['JBJD-JJB'], acc: 2, res: 5, ru: 'workDays', w: 0.5, t: [
          '{roadno}{shop}商品没有明码标价',
          '{loc}附近停车场乱收费',
        ], r: ['已责令商户明码标价。'],
      },
      {
        code: '1503', name: '无证经营', unit: 'JSQ-SJJ', alt: [ZF], acc: 2, res: 5, ru: 'workDays', w: 0.4, t: [
          '{addr}居民楼里有人开无证小作坊',
          '{roadno}新开的{shop}没有营业执照',
        ], r: ['已依法取缔无证经营行为。'],
      },
      {
        code: '1504', name: '消费纠纷', unit: 'JSQ-SJJ', acc: 2, res: 7, ru: 'workDays', w: 1, t: [
          '在{roadno}的健身房办卡后店铺关门跑路了，要求退费',
          '{roadno}{shop}拒绝退换有质量问题的商品',
          '在{loc}附近的理发店办了储值卡，现在店家不认账',
        ], r: ['经调解，商家同意退还剩余费用。', '已组织双方调解，消费者与商家达成和解。'],
      },
      {
        code: '1505', name: '特种设备安全', unit: 'JSQ-SJJ', alt: ['JSQ-ZJJ'], acc: 2, res: 3, ru: 'workDays', w: 0.2, t: [
          '{loc}电梯年检合格证过期了',
          '{roadno}商场扶梯运行不平稳',
        ], r: ['已责令使用单位限期完成定期检验。'],
      },
    ],
  },
  {
    code: '16',
    name: '劳动保障',
    leaves: [
      {
        code: '1601', name: '拖欠工资', unit: 'JSQ-RSJ', acc: 2, res: 15, ru: 'workDays', w: 1.1, season: 'preFestival', night: 0.4, t: [
          '在{loc}附近的工地干活，包工头拖欠工资{n}个月',
          '{roadno}一家公司拖欠员工工资，老板联系不上',
          '原在{roadno}{shop}打工，离职后老板不结工资',
        ], r: ['劳动监察已约谈用人单位，拖欠工资已全部支付。', '已立案调查，已督促企业制定支付计划。'],
      },
      {
        code: '1602', name: '劳动合同纠纷', unit: 'JSQ-RSJ', acc: 2, res: 10, ru: 'workDays', w: 0.4, night: 0.4, t: [
          '{roadno}公司不和员工签劳动合同',
          '被{loc}附近的公司无故辞退，不给经济补偿',
        ], r: ['已告知来电人可申请劳动仲裁，并提供法律援助渠道。'],
      },
      {
        code: '1603', name: '社保缴纳问题', unit: 'JSQ-RSJ', acc: 2, res: 10, ru: 'workDays', w: 0.4, night: 0.4, t: [
          '单位不给缴纳社保，在{roadno}上班',
          '单位少报社保缴费基数',
        ], r: ['已责令用人单位补缴社会保险费。'],
      },
    ],
  },
  {
    code: '17',
    name: '教育',
    leaves: [
      {
        code: '1701', name: '入学咨询', unit: 'JSQ-JYJ', acc: 2, res: 1, ru: 'workDays', cons: true, w: 1, season: 'enrol', night: 0.3, t: [
          '咨询{loc}属于哪个小学的划片范围',
          '咨询孩子今年小学入学需要准备哪些材料',
          '非郑州户籍孩子在{loc}附近上小学需要什么条件',
          '咨询经八路小学今年招生登记的时间',
        ], r: ['已告知以区教育局公布的划片范围为准，并提供咨询电话。', '已告知入学登记所需材料及网上报名时间。'],
      },
      {
        code: '1702', name: '校外培训', unit: 'JSQ-JYJ', acc: 2, res: 5, ru: 'workDays', w: 0.4, season: 'enrol', t: [
          '{addr}居民楼里有人违规开办学科培训班',
          '{roadno}培训机构收费后不退费',
        ], r: ['教育局已会同市场监管部门查处违规培训机构。'],
      },
      {
        code: '1703', name: '校园周边安全', unit: 'JSQ-JYJ', alt: ['ZZJJ-JS', 'ZZGA-JS-JBL'], acc: 2, res: 3, ru: 'workDays', w: 0.4, t: [
          '经八路小学门口放学时车辆拥堵，学生过马路很危险',
          '{loc}附近学校门口有人卖三无食品',
        ], r: ['已协调交警在上下学时段安排护学岗。'],
      },
    ],
  },
  {
    code: '18',
    name: '卫生健康',
    leaves: [
      {
        code: '1801', name: '医疗服务', unit: 'JSQ-WJW', acc: 2, res: 5, ru: 'workDays', w: 0.6, t: [
          '在省人民医院看病排队时间太长，挂号难',
          '{loc}附近诊所收费不规范',
          '社区卫生服务中心家庭医生签约后没人联系',
        ], r: ['已将意见转医院，医院已优化挂号流程。', '卫健委已调查处理。'],
      },
      {
        code: '1802', name: '疫苗接种咨询', unit: 'JSQ-WJW', acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.3, night: 0.3, t: [
          '咨询社区卫生服务中心的疫苗接种时间',
          '咨询老人接种流感疫苗需要预约吗',
        ], r: ['已告知接种时间和预约方式。'],
      },
      {
        code: '1803', name: '病媒生物', unit: 'JSQ-WJW', alt: ['COMMUNITY'], acc: 2, res: 3, ru: 'workDays', w: 0.4, season: 'pests', t: [
          '{loc}老鼠很多，晚上到处乱窜',
          '{addr}附近蚊子特别多，希望消杀',
        ], r: ['已组织对该区域开展灭鼠灭蚊消杀。'],
      },
    ],
  },
  {
    code: '19',
    name: '政策咨询',
    leaves: [
      {
        code: '1901', name: '社保咨询', unit: 'JSQ-RSJ', alt: ['JBJD-MSZX'], acc: 2, res: 1, ru: 'workDays', cons: true, w: 1.2, night: 0.3, t: [
          '咨询灵活就业人员怎么缴纳养老保险',
          '咨询退休手续在哪里办理',
          '咨询社保卡丢了怎么补办',
        ], r: ['已告知可通过豫事办或社保经办窗口办理。', '已告知办理地点和所需材料。'],
      },
      {
        code: '1902', name: '医保咨询', unit: 'JSQ-YBJ', alt: ['JBJD-MSZX'], acc: 2, res: 1, ru: 'workDays', cons: true, w: 1, night: 0.3, t: [
          '咨询城乡居民医保今年的缴费标准和截止时间',
          '咨询异地就医备案怎么办理',
          '咨询门诊慢性病怎么申请',
        ], r: ['已告知缴费标准和缴费渠道。', '已告知可通过国家医保服务平台办理备案。'],
      },
      {
        code: '1903', name: '户籍咨询', unit: 'ZZGA-JS-JBL', acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.6, night: 0.3, t: [
          '咨询新生儿落户需要什么材料',
          '咨询身份证到期换证在哪里办理',
        ], r: ['已告知可到经八路派出所户籍窗口办理及所需材料。'],
      },
      {
        code: '1904', name: '公积金咨询', unit: 'ZZS-GJJ', acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.5, night: 0.3, t: [
          '咨询住房公积金提取用于租房需要什么条件',
          '咨询公积金贷款额度怎么计算',
        ], r: ['已告知提取条件和线上办理渠道。'],
      },
      {
        code: '1905', name: '养老服务咨询', unit: 'JSQ-MZJ', alt: ['JBJD-MSZX'], acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.5, night: 0.3, t: [
          '咨询{loc}附近有没有社区养老服务站，老人能不能去吃饭',
          '咨询高龄津贴怎么申请',
        ], r: ['已告知社区老年助餐点地址和申请方式。'],
      },
      {
        code: '1906', name: '社会救助咨询', unit: 'JSQ-MZJ', alt: ['JBJD-MSZX'], acc: 2, res: 1, ru: 'workDays', cons: true, w: 0.4, night: 0.3, t: [
          '咨询低保申请条件和办理流程',
          '咨询残疾人两项补贴怎么申请',
        ], r: ['已告知可到社区便民服务站提交申请。'],
      },
    ],
  },
  {
    code: '20',
    name: '社会治理',
    leaves: [
      {
        code: '2001', name: '邻里纠纷', unit: 'COMMUNITY', alt: ['ZZGA-JS-JBL'], acc: 2, res: 3, ru: 'workDays', w: 1, night: 1.2, t: [
          '{addr}楼上邻居每天晚上跺脚、拖椅子，沟通无果',
          '{addr}对门邻居在楼道里堆放鞋柜，协商不成',
          '{loc}邻居家装修把墙打裂了，要求赔偿',
        ], r: ['社区已组织双方调解，达成谅解。', '网格员和社区民警共同上门调解，问题已解决。'],
      },
      {
        code: '2002', name: '宠物扰民', unit: 'COMMUNITY', alt: ['ZZGA-JS-JBL'], acc: 2, res: 3, ru: 'workDays', w: 0.8, night: 1.5, t: [
          '{addr}邻居家的狗整夜叫，影响休息',
          '{loc}有人遛狗不牵绳，还不清理粪便',
        ], r: ['社区已上门劝导，养犬人已承诺文明养犬。'],
      },
      {
        code: '2003', name: '群租房', unit: 'ZZGA-JS-JBL', alt: ['JBJD-PAB'], acc: 2, res: 5, ru: 'workDays', w: 0.3, t: [
          '{addr}有一套房子被隔成好多小间出租，人员复杂',
          '{loc}有群租房，楼道里堆满电动车',
        ], r: ['派出所会同社区已对群租房进行整治。'],
      },
      {
        code: '2004', name: '流浪乞讨', unit: 'JSQ-MZJ', alt: ['ZZGA-JS-JBL'], acc: 1, res: 1, ru: 'workDays', w: 0.2, season: 'winter', t: [
          '{cross}天桥下有流浪人员露宿，天冷了担心出事',
          '{loc}附近有流浪老人需要救助',
        ], r: ['救助站已将流浪人员接回救助站安置。'],
      },
    ],
  },
];

/** Leaves in catalog order. */
export const LEAVES: readonly LeafDef[] = CATALOG.flatMap((t) => t.leaves);
export const TOP_OF_LEAF: ReadonlyMap<string, TopDef> = new Map(CATALOG.flatMap((t) => t.leaves.map((l) => [l.code, t] as const)));
