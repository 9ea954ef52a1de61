// The text method's dated quality figures on real complaints (models/text-evaluation.json), shown in
// 设置 › 智能助手 beside the street's own held-out scores. The file keeps the figures used to choose
// settings (cross-validation on the choosing rows) apart from the figure measured once on held-out
// rows; tests/integration/aiTextHoldout.test.ts re-measures the held-out figure and checks the file.

import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v4';
import type { TextRealEvaluation } from '../../shared/api/ai';
import { modelsDir } from './paths';

export const TEXT_EVALUATION_FILE = 'text-evaluation.json';

const share = z.number().min(0).max(1);
const figure = { accuracy: share, top3: share, n: z.number().int().positive() };
const schema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().min(1),
  choosing: z.object({ ...figure, accuracySd: z.number().min(0).optional(), folds: z.number().int().min(2), seeds: z.number().int().min(1) }),
  heldOut: z.object({ ...figure, trainRows: z.number().int().positive() }),
  caveat: z.string().min(1),
});

/** The shipped evaluation, or null (with the reason) when the file is missing or malformed. */
export function readTextEvaluation(file = path.join(modelsDir(), TEXT_EVALUATION_FILE)): { evaluation: TextRealEvaluation | null; problem: string | null } {
  if (!fs.existsSync(file)) return { evaluation: null, problem: `${file}: missing` };
  try {
    const r = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!r.success) return { evaluation: null, problem: `${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    return { evaluation: r.data, problem: null };
  } catch (e) {
    return { evaluation: null, problem: `${file}: ${(e as Error).message}` };
  }
}
