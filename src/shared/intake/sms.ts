// Citizens told by SMS: the message kinds, their default templates and how a template is filled in,
// and how a phone number is written in text logs. The city's SMS module (src/city/sms) sends them
// through the operator's SMS platform; its console edits the templates.

export const SMS_KINDS = ['intake', 'result'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];
export const SMS_KIND_LABELS: Record<SmsKind, string> = { intake: '受理通知', result: '办结通知' };

/** Placeholders a template may use. */
export const SMS_PLACEHOLDERS = ['code', 'street', 'channel', 'result'] as const;
export type SmsVars = Partial<Record<(typeof SMS_PLACEHOLDERS)[number], string>>;

export const DEFAULT_SMS_TEMPLATES: Record<SmsKind, string> = {
  intake: '【郑州城运】您反映的问题已受理（{channel}），工单号 {code}，由{street}办理。',
  result: '【郑州城运】您反映的问题（工单号 {code}）已办结：{result}',
};

export const MAX_SMS_TEMPLATE = 300;
/** A filled-in message longer than this is cut (the platform splits long messages; keep them few). */
export const MAX_SMS_TEXT = 500;

/** Problems of a template (empty = fine): length, unknown placeholders, a kind's required one. */
export function templateProblems(kind: SmsKind, text: string): string[] {
  const out: string[] = [];
  const t = text.trim();
  if (t.length < 4) out.push('模板内容过短');
  if (t.length > MAX_SMS_TEMPLATE) out.push(`模板不能超过${MAX_SMS_TEMPLATE}个字符`);
  for (const m of t.matchAll(/\{([^{}]*)\}/g)) if (!(SMS_PLACEHOLDERS as readonly string[]).includes(m[1]!)) out.push(`未知的占位符 {${m[1]}}`);
  if (!t.includes('{code}')) out.push('模板须包含工单号 {code}');
  if (kind === 'result' && !t.includes('{result}')) out.push('办结通知须包含处理结果 {result}');
  return out;
}

export function fillTemplate(template: string, vars: SmsVars): string {
  return template.replace(/\{(code|street|channel|result)\}/g, (_, k: keyof SmsVars) => vars[k] ?? '').slice(0, MAX_SMS_TEXT);
}

/** 138****0000: what a text log and the console show of a phone number. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const d = phone.replace(/[^0-9]/g, '');
  if (d.length >= 7) return `${d.slice(0, 3)}****${d.slice(-4)}`;
  return '*'.repeat(Math.max(1, d.length));
}

/** A number an SMS can go to: a mainland mobile (optionally with +86/86). */
export function mobileOf(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const d = phone.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(d) ? d : null;
}
