// The city's side of the operator's SMS platform (短信网关): one documented HTTP call per message.
//
//   POST {baseUrl}/v1/messages
//   content-type: application/json; charset=utf-8
//   x-sms-account:   the city's account on the platform
//   x-sms-timestamp: epoch milliseconds (the platform refuses a skew over 5 minutes)
//   x-sms-signature: hex HMAC-SHA256(key, account + "\n" + timestamp + "\n" + body)
//   body: {"to":"13800000000","text":"【郑州城运】…","ref":"<ticket id>:intake"}
//   200 {"id":"<platform message id>","status":"accepted"}
//   400 a bad number or text (permanent: not retried) · 401 a bad signature · 429/5xx/no answer: retried
//
// The key never leaves the city; the signature covers the body, so a message cannot be altered in
// transit. A stand-in for development and tests: ./standIn.ts.

import crypto from 'node:crypto';

export interface SmsGatewayConfig {
  /** e.g. https://sms.operator.example or http://127.0.0.1:9099 (the stand-in). */
  baseUrl: string;
  account: string;
  key: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

export interface SmsSendResult {
  ok: boolean;
  /** The platform's message id when ok. */
  id?: string;
  /** A refusal that will not change by retrying (bad number, bad text). */
  permanent?: boolean;
  error?: string;
}

export function smsSignature(key: string, account: string, timestamp: string, body: string): string {
  return crypto.createHmac('sha256', key).update(`${account}\n${timestamp}\n${body}`).digest('hex');
}

/** Sends one message; never throws (a failure is a result with its reason). */
export async function sendSms(cfg: SmsGatewayConfig, msg: { to: string; text: string; ref: string }, now = Date.now()): Promise<SmsSendResult> {
  const body = JSON.stringify(msg);
  const ts = String(now);
  try {
    const res = await fetch(new URL('/v1/messages', cfg.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-sms-account': cfg.account, 'x-sms-timestamp': ts, 'x-sms-signature': smsSignature(cfg.key, cfg.account, ts, body) },
      body,
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000),
    });
    const text = (await res.text()).slice(0, 500);
    if (res.ok) {
      let id: string | undefined;
      try {
        id = String((JSON.parse(text) as { id?: unknown }).id ?? '') || undefined;
      } catch {
        // An answer without a readable id is still an acceptance.
      }
      return { ok: true, id };
    }
    return { ok: false, permanent: res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408 && res.status !== 429, error: `HTTP ${res.status}: ${text.slice(0, 200)}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, error: e.cause?.code ?? e.name ?? String(err) };
  }
}
