// Ticket vocabulary shared by the street node, the renderer and the city server.
// Identifiers follow the glossary in DESIGN.md.

export const TICKET_STATUSES = [
  'reported',
  'registered',
  'dispatched',
  'accepted',
  'returned',
  'resolved',
  'verified',
  'closed',
  'reopened',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  reported: '已上报',
  registered: '已登记',
  dispatched: '已派单',
  accepted: '处置中',
  returned: '已退回',
  resolved: '已办结',
  verified: '已核查',
  closed: '已归档',
  reopened: '已重启',
  cancelled: '已作废',
};

/** States in which the ticket still needs work from someone. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'reported',
  'registered',
  'dispatched',
  'accepted',
  'returned',
  'reopened',
];
/** States in which a resolve deadline is running (the problem is not yet fixed). */
export const DEADLINE_STATUSES: readonly TicketStatus[] = OPEN_STATUSES;

export const CHANNELS = [
  'hotline12345',
  'zhenghaopai',
  'gridPatrol',
  'digitalCityMgmt',
  'police110',
  'mayorMailbox',
  'miniProgram',
  'propertyButler',
  'videoAi',
  'iotSensor',
  'petition',
  'walkIn',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  hotline12345: '12345热线',
  zhenghaopai: '郑好拍',
  gridPatrol: '网格巡查',
  digitalCityMgmt: '数字城管',
  police110: '110非警务',
  mayorMailbox: '市长信箱',
  miniProgram: '小程序',
  propertyButler: '物业管家',
  videoAi: '视频AI预警',
  iotSensor: '物联感知',
  petition: '信访',
  walkIn: '来访',
  open311: 'Open311应用',
};
/** Channels only the city's platform files tickets through (not offered in the new-ticket form). */
export const CITY_ONLY_CHANNELS: readonly Channel[] = ['open311'];

export const TICKET_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_TYPE_LABELS: Record<TicketType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', urgent: '紧急', critical: '特急' };

export const SATISFACTIONS = ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
};

export const DISPATCH_MODES = ['oneClick', 'designated', 'negotiated'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];
export const DISPATCH_MODE_LABELS: Record<DispatchMode, string> = {
  oneClick: '一键派',
  designated: '指定派',
  negotiated: '商定派',
};

export const ROLES = ['operator', 'leader', 'unit', 'gridOfficer', 'admin', 'system'] as const;

/** The channel a new ticket starts with, by who files it: grid officers file what they find on patrol. */
export function defaultChannelFor(role: string): 'gridPatrol' | 'hotline12345' {
  return role === 'gridOfficer' ? 'gridPatrol' : 'hotline12345';
}
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  operator: '受理员',
  leader: '街道领导',
  unit: '处置单位',
  gridOfficer: '网格员',
  admin: '系统管理员',
  system: '系统',
};

export const RUN_MODES = ['daily', 'holiday', 'majorEvent', 'emergency'] as const;
export type RunMode = (typeof RUN_MODES)[number];
export const RUN_MODE_LABELS: Record<RunMode, string> = {
  daily: '日常模式',
  holiday: '节假日模式',
  majorEvent: '重大活动模式',
  emergency: '应急模式',
};

export const ATTACHMENT_KINDS = ['before', 'after'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const GRID_LEVELS = ['1', '2', '3', 'micro', 'special'] as const;
export type GridLevel = (typeof GRID_LEVELS)[number];

/** Supervision levels 1–4; 0 means not under supervision. */
export type SupervisionLevel = 0 | 1 | 2 | 3 | 4;
export const SUPERVISION_LABELS: Record<SupervisionLevel, string> = {
  0: '无',
  1: '一级督办',
  2: '二级督办',
  3: '三级督办',
  4: '四级督办',
};

/** Masks a phone number for roles that must not see personal data: 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '****' + phone.slice(-4);
}

/** Masks a name: 张* / 欧阳** . */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return name.slice(0, 1) + '*'.repeat(Math.max(1, name.length - 1));
}
