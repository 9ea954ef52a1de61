// What the text-model experiment scripts (scripts/aiText*.ts) share: their command-line options
// and the mean ± sd they report over seeds, the choosing rows, and embeddings cached by text.

import fs from 'node:fs';
import crypto from 'node:crypto';
import { Embedder } from '../src/main/ai/embedder';
import { bgeDir } from '../src/main/ai/paths';
import { readDataset } from '../src/main/ai/dataset';
import { taxonomyPrior } from '../src/main/ai/prior';

/** The value after `--name` on the command line; `dflt` when absent (required when there is none). */
export function arg(name: string, dflt?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) {
    if (dflt === undefined) throw new Error(`--${name} is required`);
    return dflt;
  }
  return process.argv[i + 1]!;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1); 0 for a single value. */
export const sd = (xs: number[]) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);
export const fmt = (xs: number[]) => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

/** The choosing rows with their labels as indices, and the taxonomy pseudo-rows for those labels. Refuses the held-out file. */
export async function choosingData(data: string) {
  if (/holdout/i.test(data)) throw new Error('experiments never look at the held-out rows');
  const rows = await readDataset(data);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const li = new Map(labels.map((l, i) => [l, i]));
  return { rows, labels, K: labels.length, li, y: rows.map((r) => li.get(r.label)!), prior: taxonomyPrior(labels) };
}

/**
 * [CLS] embeddings (L2-normalised) of `texts`, cached by text in `file` (JSON, sha1 of the text →
 * { cls }), so reruns only embed what is new. Returns the lookup.
 */
export async function cachedEmbeddings(file: string, texts: Iterable<string>, threads: number): Promise<(text: string) => Float32Array> {
  const cache = new Map<string, { cls: number[] }>();
  if (fs.existsSync(file)) for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) cache.set(k, v as { cls: number[] });
  const key = (t: string) => crypto.createHash('sha1').update(t).digest('hex');
  const missing = [...new Set(texts)].filter((t) => !cache.has(key(t)));
  if (missing.length) {
    const e = await Embedder.load(bgeDir(), { threads });
    process.stderr.write(`embedding ${missing.length} texts\n`);
    const got = await e.embedTokens(missing.map((t) => e.tokenize(t)));
    missing.forEach((t, i) => cache.set(key(t), { cls: Array.from(got[i]!.cls) }));
    await e.dispose();
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(cache)));
  }
  return (t: string) => Float32Array.from(cache.get(key(t))!.cls);
}
