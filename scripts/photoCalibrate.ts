// Builds the shipped photo head and calibrates its "recognized" threshold, honestly split
// (`npx tsx scripts/photoCalibrate.ts [--out FILE]`; default out: models/mobilenet_v2/photo-head.json).
//
//   head         garbage photos at even positions (tests/support/photos.ts garbageSplits)
//   calibration  garbage photos at positions 1 mod 4 + negatives at even positions: the threshold
//                on proximity (mean cosine similarity to the 5 nearest head photos) is the one with
//                the best balanced accuracy here (the middle of the best run of candidates); the
//                off-street ImageNet veto (concepts.ts OFF_STREET_MAX) is fixed, not fitted
//   test         garbage photos at positions 3 mod 4 + negatives at odd positions: measured once with
//                the chosen threshold, never used for choosing
//
// Prints one JSON line per split (and the test negatives by kind) and writes the figures, dated, into
// the head file, from where Settings › 智能助手 shows them.

import fs from 'node:fs';
import path from 'node:path';
import { PhotoEngine, type PhotoAnalysis } from '../src/main/ai/photo/engine';
import { HEAD_FILE, PhotoHead, chooseThreshold, type HeadRecognize, type SplitFigures } from '../src/main/ai/photo/head';
import { OFF_STREET_MAX } from '../src/main/ai/photo/concepts';
import { defaultModelDir } from '../src/main/ai/photo/model';
import { garbageSplits, negativeKind, negativeSplits } from '../tests/support/photos';

const CATEGORY = '市容环境/暴露垃圾';
const K = 5;

function figures(garbage: PhotoAnalysis[], negatives: PhotoAnalysis[]): SplitFigures {
  const isGarbage = (c: string) => c.includes('垃圾');
  return {
    garbage: garbage.length,
    garbageRecognized: garbage.filter((a) => a.recognized).length,
    garbageTop3: garbage.filter((a) => a.recognized && a.top.some((t) => isGarbage(t.category))).length,
    negatives: negatives.length,
    negativesRefused: negatives.filter((a) => !a.recognized).length,
    negativesFalseGarbage: negatives.filter((a) => a.recognized && isGarbage(a.top[0]?.category ?? '')).length,
  };
}

async function main(): Promise<void> {
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx > 0 ? process.argv[outIdx + 1]! : path.join(defaultModelDir(), HEAD_FILE);
  const engine = await PhotoEngine.load();
  const g = garbageSplits();
  const n = negativeSplits();
  const headPhotos: Array<{ category: string; v: Float32Array }> = [];
  for (const f of g.head) headPhotos.push({ category: CATEGORY, v: (await engine.analyse(f)).embedding });
  // Through the file format (uint8 vectors), exactly as the app will read it.
  const version = `photos-dev-head-${g.head.length}`;
  const source = `${g.head.length} garbage photos of tests/fixtures/ai/photos-dev (even positions in name order), labelled ${CATEGORY}`;
  let head = PhotoHead.fromFile(new PhotoHead(headPhotos).toFile({ version, source }));
  engine.head = head.withRecognize({ k: K, min: 0 });
  const run = async (files: string[]) => Promise.all(files.map((f) => engine.analyse(f)));
  const calG = await run(g.calibration);
  const calN = await run(n.calibration);
  const min = Math.round(chooseThreshold(calG.map((a) => a.proximity!), calN.map((a) => a.proximity!)) * 1000) / 1000;
  const recognize: HeadRecognize = { k: K, min };
  engine.head = head.withRecognize(recognize);
  const calibration = figures(await run(g.calibration), await run(n.calibration));
  const testG = await run(g.test);
  const testN = await run(n.test);
  const test = figures(testG, testN);
  const date = new Date().toISOString().slice(0, 10);
  head = head.withRecognize(recognize, {
    date,
    builtFrom: `head: ${g.head.length} garbage photos (even positions); threshold chosen on ${g.calibration.length} garbage (positions 1 mod 4) + ${n.calibration.length} negatives (even positions); test: ${g.test.length} garbage (3 mod 4) + ${n.test.length} negatives (odd positions), measured once`,
    calibration,
    test,
  });
  fs.writeFileSync(out, JSON.stringify(head.toFile({ version, source })));
  const byKind: Record<string, { n: number; refused: number }> = {};
  testN.forEach((a, i) => {
    const k = (byKind[negativeKind(n.test[i]!)] ??= { n: 0, refused: 0 });
    k.n++;
    if (!a.recognized) k.refused++;
  });
  const wrong = testN.map((a, i) => (a.recognized ? `${path.basename(n.test[i]!)} ${a.proximity}` : null)).filter(Boolean);
  const missed = testG.map((a, i) => (a.recognized ? null : `${path.basename(g.test[i]!)} ${a.proximity}`)).filter(Boolean);
  console.log(JSON.stringify({ out, recognize, date }));
  console.log(JSON.stringify({ split: 'calibration', ...calibration }));
  const byRule = {
    farFromStreetPhotos: testN.filter((a) => a.proximity! < min).length,
    offStreetClasses: testN.filter((a) => a.offStreet >= OFF_STREET_MAX).length,
    both: testN.filter((a) => a.proximity! < min && a.offStreet >= OFF_STREET_MAX).length,
  };
  console.log(JSON.stringify({ split: 'test', ...test, negativesRefusedBy: byRule, negativesByKind: byKind, negativesRecognized: wrong, garbageMissed: missed }));
  await engine.release();
}

void main();
