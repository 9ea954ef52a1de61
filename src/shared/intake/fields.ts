// Fields every external channel's payload shares (alarms, 110 transfers, 郑好拍, 数字城管): one
// definition each, so the channels refuse the same things with the same words.

import { z } from 'zod/v4';
import { unionMessage } from '../api/common';

/** A time as epoch milliseconds or an ISO 8601 string (between 2017 and 2096), read as epoch ms. */
export const intakeTime = z.union([
  z.number().int().min(1_500_000_000_000).max(4_000_000_000_000),
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const t = Date.parse(s);
      if (!Number.isFinite(t)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: '时间格式无效' });
        return z.NEVER;
      }
      return t;
    }),
], { error: unionMessage });

/** A WGS-84 point within China's extent. */
export const chinaPoint = z.object({ lon: z.number().finite().min(73).max(136), lat: z.number().finite().min(3).max(54) });
