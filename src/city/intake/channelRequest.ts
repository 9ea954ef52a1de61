// Reading one intake request (郑好拍, 数字城管): JSON only, at most MAX_INTAKE_BODY bytes, checked
// against the channel's schema — every refusal counted with its reason (src/city/intake/cases.ts).

import type { z } from 'zod/v4';
import { CityError } from '../service';
import { HANDLED, sendJson, type RouteContext } from '../http';
import { MAX_INTAKE_BODY, type IntakeReply, type IntakeSource } from '../../shared/intake/citizenReports';
import type { IntakeCases } from './cases';

export async function readIntake<S extends z.ZodTypeAny>(c: RouteContext, intake: IntakeCases, source: IntakeSource, schema: S): Promise<z.output<S>> {
  const caller = c.caller.cn;
  intake.counters[source].received++;
  const type = c.req.headers['content-type'];
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) throw intake.refuse(source, 'malformed', '请求须为 application/json 格式', `content-type ${String(type).slice(0, 80)}`, caller);
  let raw: Buffer;
  try {
    raw = await c.raw(MAX_INTAKE_BODY);
  } catch (err) {
    if (err instanceof CityError && err.code === 'tooLarge') throw intake.refuse(source, 'tooLarge', `请求过大（不超过${Math.floor(MAX_INTAKE_BODY / 1024 / 1024)}MB）`, err.message, caller);
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw intake.refuse(source, 'malformed', '请求数据不是有效的 JSON', `${raw.length} bytes, not JSON`, caller);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const detail = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    const photo = issues.find((i) => i.path[0] === 'photos');
    const reason = photo ? (photo.code === 'too_big' && photo.path[2] === 'data' ? 'photoTooLarge' : 'badPhoto') : 'malformed';
    throw intake.refuse(source, reason, issues.map((i) => i.message).slice(0, 5).join('；'), detail, caller);
  }
  return parsed.data as z.output<S>;
}

/** 200 for an accepted case (or a replay), 202 for one held at the city. */
export function answer(c: RouteContext, reply: IntakeReply): typeof HANDLED {
  sendJson(c.res, reply.status === 'held' ? 202 : 200, reply);
  return HANDLED;
}
