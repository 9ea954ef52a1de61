// The text method's figure on held-out real complaints, through the command line as the acceptance
// check runs it: `ai train --data` on the 74 choosing rows (tests/fixtures/ai/complaints-choose.csv),
// `ai eval --model --data` on the 19 held-out rows (complaints-holdout.csv) that no experiment of
// this round looked at. The figure must stay above a floor and be the one models/text-evaluation.json
// records (and 设置 › 智能助手 shows). Also: `ai cv` prints each variant as the README says.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixture';
import { readDataset } from '../../src/main/ai/dataset';
import { readTextEvaluation } from '../../src/main/ai/textEvaluation';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'src/main/cli/ai.ts');
const FIX = path.join(ROOT, 'tests/fixtures/ai');
const CHOOSE = path.join(FIX, 'complaints-choose.csv');
const HOLDOUT = path.join(FIX, 'complaints-holdout.csv');
/** Top-1 floor on the 19 held-out rows (one row is 0.053). */
const FLOOR = 0.84;

/** Runs the ai command line without blocking the test worker (a CV run takes minutes). */
function ai(args: string[]): Promise<{ code: number | null; out: Array<Record<string, any>>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    p.on('error', reject);
    p.on('close', (code) => {
      const out = stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
      resolve({ code, out, stderr });
    });
  });
}

describe('text classification on the held-out real complaints', () => {
  const dir = tempDir('chengyun-ai-holdout-');
  const model = path.join(dir, 'model');
  let train: Awaited<ReturnType<typeof ai>>;
  beforeAll(async () => {
    train = await ai(['train', '--data', CHOOSE, '--out', model, '--folds', '0']);
  }, 600_000);

  it('the held-out rows are none of the choosing rows, and together they are the 93 development rows', async () => {
    const choose = await readDataset(CHOOSE);
    const held = await readDataset(HOLDOUT);
    const dev = await readDataset(path.join(FIX, 'complaints-dev.csv'));
    expect(held).toHaveLength(19);
    expect(choose).toHaveLength(74);
    const ids = new Set(choose.map((r) => r.id));
    expect(held.filter((r) => ids.has(r.id))).toEqual([]);
    expect(new Set(held.map((r) => r.text)).size).toBe(19);
    expect(held.some((r) => choose.some((c) => c.text === r.text))).toBe(false);
    expect([...ids, ...held.map((r) => r.id)].sort()).toEqual(dev.map((r) => r.id).sort());
    // Every label of the held-out rows was seen in training.
    for (const r of held) expect(choose.some((c) => c.label === r.label)).toBe(true);
  });

  it('ai train on the choosing rows, ai eval on the held-out rows: top-1 above the floor, and what the shipped evaluation file records', async () => {
    expect(train.code, train.stderr).toBe(0);
    expect(train.out[0]).toMatchObject({ n: 74, labels: 7, parts: 'embedding+ngram', cv: null });
    const card = JSON.parse(fs.readFileSync(path.join(model, 'card.json'), 'utf8'));
    expect(card.data).toMatchObject({ source: 'complaints-choose.csv', rows: 74 });
    const r = await ai(['eval', '--model', model, '--data', HOLDOUT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toHaveLength(1);
    const m = r.out[0]!;
    expect(m).toMatchObject({ n: 19, parts: 'embedding+ngram' });
    expect(m.accuracy, `held-out top-1 ${m.accuracy}`).toBeGreaterThanOrEqual(FLOOR);
    expect(m.top3).toBeGreaterThanOrEqual(0.94);
    const { evaluation, problem } = readTextEvaluation();
    expect(problem).toBeNull();
    expect(evaluation!.heldOut).toMatchObject({ n: 19, trainRows: 74 });
    // The recorded figure is this measurement (ONNX int8 on another CPU may move one row at most).
    expect(Math.abs(m.accuracy - evaluation!.heldOut.accuracy)).toBeLessThanOrEqual(1 / 19 + 1e-6);
    expect(Math.abs(m.top3 - evaluation!.heldOut.top3)).toBeLessThanOrEqual(1 / 19 + 1e-6);
    expect(evaluation!.choosing.n).toBe(74);
  }, 600_000);

  it('ai cv prints one JSON line per variant: name, n, folds, seeds, each figure with its spread over seeds', async () => {
    const r = await ai(['cv', '--data', CHOOSE, '--folds', '2', '--seeds', '2', '--only', 'prior-vote,embedding+ngram+prior+vote+knn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out.map((l) => l.name)).toEqual(['cv.prior-vote', 'cv.embedding+ngram+prior+vote+knn']);
    for (const l of r.out) {
      expect(l).toMatchObject({ n: 74, folds: 2, seeds: 2 });
      for (const k of ['accuracy', 'accuracySd', 'macroF1', 'macroF1Sd', 'top3', 'top3Sd']) expect(typeof l[k]).toBe('number');
      expect(l.accuracy).toBeGreaterThan(0.7);
    }
    // The zero-shot vote uses no training row: the same on every seed.
    expect(r.out[0]!.accuracySd).toBe(0);
  }, 600_000);
});
