// Text classification quality on rows the model did not train on, with the real bge-small-zh model:
// (a) the acceptance protocol itself — 5 folds of the real complaints, each trained through
// trainFromFile (what `ai train --data` runs) and scored through evalOnFile (`ai eval`) on its
// held-out fifth; (b) the nearest-taxonomy-names vote lifts cross-validated top-1 above a floor
// that the previous pipeline (same heads, no vote) does not reach on the same folds.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { Embedder } from '../../src/main/ai/embedder';
import { bgeDir } from '../../src/main/ai/paths';
import { readDataset, type DatasetRow } from '../../src/main/ai/dataset';
import { taxonomyPrior } from '../../src/main/ai/prior';
import { crossValidate, embedRows } from '../../src/main/ai/crossValidate';
import { stratifiedFolds } from '../../src/main/ai/metrics';
import { evalOnFile, trainFromFile } from '../../src/main/ai/textOps';

const DEV = path.resolve(__dirname, '../fixtures/ai/complaints-dev.csv');
const FLOOR = 0.88;
/**
 * The single-split protocol run (fold seed 1, 93 rows): 81/93 = 0.871 for what `train` builds since
 * 2026-12-03 (with the nearest-rows vote), 82/93 = 0.882 without it — one row apart, within the
 * spread over seeds; the vote was chosen on the 74 choosing rows only (models/…/MODEL_CARD.md A2).
 */
const PROTOCOL_FLOOR = 0.86;

function toCsv(rows: readonly DatasetRow[]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['id,title,text,category', ...rows.map((r) => [r.id, r.title, r.text, r.label].map(q).join(','))].join('\n') + '\n';
}

describe('text classification on held-out complaints', () => {
  let embedder: Embedder;
  let rows: DatasetRow[];
  beforeAll(async () => {
    embedder = await Embedder.load(bgeDir(), { threads: 2 });
    rows = await readDataset(DEV);
  }, 60_000);
  afterAll(() => embedder.dispose());

  it('train --data / eval --model on 5 held-out folds: top-1 and top-3 above the acceptance floors', async () => {
    const dir = tempDir('chengyun-ai-cv-');
    const fold = stratifiedFolds(rows.map((r) => r.label), 5, 1);
    let hits = 0;
    let hits3 = 0;
    for (let f = 0; f < 5; f++) {
      const train = path.join(dir, `train${f}.csv`);
      const test = path.join(dir, `test${f}.csv`);
      fs.writeFileSync(train, toCsv(rows.filter((_, i) => fold[i] !== f)));
      fs.writeFileSync(test, toCsv(rows.filter((_, i) => fold[i] === f)));
      await trainFromFile(train, path.join(dir, `m${f}`), { folds: 0, embedder });
      const m = await evalOnFile(path.join(dir, `m${f}`), test, embedder);
      expect(m.parts).toBe('embedding+ngram');
      hits += m.accuracy * m.n;
      hits3 += m.top3 * m.n;
    }
    const top1 = hits / rows.length;
    const top3 = hits3 / rows.length;
    expect(top1, `top-1 ${top1.toFixed(3)}`).toBeGreaterThanOrEqual(PROTOCOL_FLOOR);
    expect(top3, `top-3 ${top3.toFixed(3)}`).toBeGreaterThanOrEqual(0.97);
  }, 1_200_000); // minutes when the two shared cores are saturated (a run at load ~20 took 620 s)

  it('the nearest-taxonomy-names vote: above the floor on two seeds of 5-fold CV, where the previous pipeline is not', async () => {
    const emb = await embedRows((t) => embedder.embed(t), rows);
    const prior = taxonomyPrior([...new Set(rows.map((r) => r.label))]);
    const priorEmb = await embedRows((t) => embedder.embed(t), prior);
    const p = { samples: prior, emb: priorEmb };
    for (const seed of [1, 2]) {
      const now = crossValidate(rows, emb, {}, 5, seed, p);
      const before = crossValidate(rows, emb, { priorKnnWeight: 0, rowKnnWeight: 0 }, 5, seed, p);
      expect(now.accuracy, `seed ${seed}: ${now.accuracy} vs previous ${before.accuracy}`).toBeGreaterThanOrEqual(FLOOR);
      expect(before.accuracy).toBeLessThan(FLOOR);
      expect(now.top3).toBeGreaterThanOrEqual(0.97);
    }
  }, 1_200_000); // minutes when the two shared cores are saturated (a run at load ~20 took 620 s)
});
