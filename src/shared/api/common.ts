// Schema atoms shared by every area of the API contract.

import { z } from 'zod/v4';

export const id = z.string().min(1, '缺少编号').max(64, '编号过长');
export const reason = z.string().trim().min(2, '请填写理由（至少2个字）').max(1000, '理由不能超过1000字');
export const optionalText = (max: number) => z.string().trim().max(max, `不能超过${max}字`).optional();
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, '附件标识无效');
export const epochMs = z.number().int().min(0).max(4102444800000);

// Zhengzhou sits around 113.6E 34.7N; anything outside China's bounding box is certainly wrong.
export const lon = z.number().min(73, '经度不在中国范围内').max(136, '经度不在中国范围内');
export const lat = z.number().min(3, '纬度不在中国范围内').max(54, '纬度不在中国范围内');

export const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-\s]{5,20}$/, '电话号码格式不正确');

/**
 * The message of a union none of whose options took the input: the first option's own message
 * that is not a mere type mismatch (zod 3 reported that one; zod 4 says "Invalid input"). Passed
 * as a union's `error`, so a field like 电话 (a phone or empty) keeps its Chinese message.
 */
export function unionMessage(iss: { code?: string; errors?: ReadonlyArray<ReadonlyArray<{ code?: string; message: string }>> }): string | undefined {
  if (iss.code !== 'invalid_union' || !iss.errors) return undefined;
  for (const option of iss.errors) for (const i of option) if (i.code !== 'invalid_type' && i.code !== 'invalid_value') return i.message;
  return undefined;
}

/** A phone number, empty, or absent (the forms send '' for a cleared field). */
export const phoneOrEmpty = z.union([z.literal(''), phone], { error: unionMessage }).optional();

export const empty = z.object({}).strict().prefault({});

/** Declares a method: its input schema, its output type, and whether a login is required. */
export function method<I extends z.ZodTypeAny, O>(input: I, auth = true): { input: I; output: O; auth: boolean } {
  return { input, output: null as unknown as O, auth };
}
