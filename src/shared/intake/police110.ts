// 110 非警务警情分流: what the police dispatch system (110指挥中心) sends the city when it transfers a
// non-police call, what the city answers, and what the police system reads back as feedback. One
// definition, read by the city's intake, its console, the street (the 5-minute sign-in) and tests.
//
// POST /police110/v1/incidents   (mutual TLS: a client certificate with OU=police110 from the city CA)
// {"incidentNo":"110-20261203-000123","time":"2026-12-03T09:15:00+08:00",
//  "caller":{"name":"王先生","phone":"13800000000","smsConsent":true},
//  "address":"经八路街道纬五路12号","point":{"lon":113.6711,"lat":34.7758},
//  "text":"来电反映楼下餐馆油烟直排，已持续一周","category":"油烟污染"}
//   incidentNo  接警单号, [A-Za-z0-9-]{6,40}; the key: a replay changes nothing and returns the same ticket
//   time        when 110 transferred it (epoch ms or ISO 8601); the sign-in deadline counts from it
//   caller      name ≤ 50, phone [0-9+-]{3,20}, smsConsent (the caller agreed to be told by SMS)
//   address     ≤ 300 characters; point WGS-84 — at least one of the two (the point wins)
//   text        the call as 110 took it, 5–2000 characters
//   category    optional hint: a catalog code (e.g. "0502") or name (e.g. "油烟污染")
//
// GET /police110/v1/incidents/:incidentNo → the feedback record (status, sign-in, result).

import { z } from 'zod/v4';
import { chinaPoint, intakeTime } from './fields';

export const POLICE110_PATH = '/police110/v1';
/** The street must sign for (签收) a transferred call within this time of the transfer. */
export const POLICE110_SIGN_IN_MINUTES = 5;
export const MAX_POLICE110_BODY = 16 * 1024;

export const INCIDENT_NO_RE = /^[A-Za-z0-9-]{6,40}$/;

const epochOrIso = intakeTime;

export const police110Transfer = z
  .object({
    incidentNo: z.string().regex(INCIDENT_NO_RE, '接警单号须为6–40位字母、数字或 -'),
    time: epochOrIso,
    caller: z
      .object({
        name: z.string().trim().max(50, '来电人姓名不能超过50个字符').optional(),
        phone: z.string().regex(/^[0-9+-]{3,20}$/, '来电号码格式不正确').optional(),
        smsConsent: z.boolean().default(false),
      })
      .strict()
      .default({ smsConsent: false }),
    address: z.string().trim().min(2, '地址过短').max(300, '地址不能超过300个字符').optional(),
    point: chinaPoint.strict().optional(),
    text: z.string().trim().min(5, '警情内容至少5个字').max(2000, '警情内容不能超过2000个字'),
    category: z.string().trim().min(1).max(50, '分类提示不能超过50个字符').optional(),
  })
  .strict()
  .refine((v) => v.address != null || v.point != null, { message: '须提供地址或坐标', path: ['address'] });
export type Police110Transfer = z.output<typeof police110Transfer>;

/** Why a transfer was refused (each has a counter in the city console). */
export const POLICE110_REJECTIONS = ['malformed', 'tooLarge', 'badTime', 'unlocated', 'streetNotConnected'] as const;
export type Police110Rejection = (typeof POLICE110_REJECTIONS)[number];
export const POLICE110_REJECTION_LABELS: Record<Police110Rejection, string> = {
  malformed: '格式错误',
  tooLarge: '报文过大',
  badTime: '转办时间无效',
  unlocated: '无法确定所属街道',
  streetNotConnected: '所属街道未接入',
};

/** The city's answer to a transfer (201 when new, 200 for a replay of the same incident number). */
export interface Police110Receipt {
  incidentNo: string;
  ticketId: string;
  ticketCode: string;
  street: string;
  streetName: string;
  /** The catalog item the city classified it under (null: no match, the street classifies). */
  category: { code: string; name: string } | null;
  /** The street must sign for it by then (epoch ms). */
  signInDeadline: number;
  replayed: boolean;
}

/** Where a transferred call stands, in the words the police system gets back. */
export const POLICE110_FEEDBACK_STATES = ['transferred', 'signedIn', 'resolved', 'closed', 'returned'] as const;
export type Police110FeedbackState = (typeof POLICE110_FEEDBACK_STATES)[number];
export const POLICE110_FEEDBACK_LABELS: Record<Police110FeedbackState, string> = {
  transferred: '已转街道，待签收',
  signedIn: '街道已签收，处置中',
  resolved: '街道已办结',
  closed: '已结案',
  returned: '退回重办中',
};

/** The feedback record the police system reads (GET /police110/v1/incidents/:incidentNo). */
export interface Police110Feedback {
  incidentNo: string;
  ticketCode: string;
  street: string;
  streetName: string;
  state: Police110FeedbackState;
  stateLabel: string;
  /** The ticket's status at the street, as the city last heard it. */
  ticketStatus: string;
  transferredAt: number;
  signInDeadline: number;
  signedInAt: number | null;
  /** Signed after the deadline, or not signed and the deadline has passed. */
  signInLate: boolean;
  result: string | null;
  resultAt: number | null;
  updatedAt: number;
}

export function feedbackState(status: string, signedIn: boolean): Police110FeedbackState {
  if (status === 'resolved' || status === 'verified') return 'resolved';
  if (status === 'closed' || status === 'cancelled') return 'closed';
  if (status === 'reopened' || status === 'returned') return 'returned';
  return signedIn || status === 'accepted' ? 'signedIn' : 'transferred';
}

/** The street's ticket text for a transferred call. */
export function police110TicketText(t: Police110Transfer, category: { name: string } | null): string {
  return `【110非警务警情转办·接警单号 ${t.incidentNo}】${t.text}${category ? `（分类：${category.name}）` : t.category ? `（110分类提示：${t.category}）` : ''}。请于${POLICE110_SIGN_IN_MINUTES}分钟内签收`;
}
