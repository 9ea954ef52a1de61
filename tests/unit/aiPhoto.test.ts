// Pure parts of the photo AI: the cold-start mapping, ranking with a head, "recognized", the
// threshold choice, the description, pHash.
import { describe, expect, it } from 'vitest';
import { coldStartScores, conceptsFor, draftDescription, offStreetMass, problemEvidence, rankCategories } from '../../src/main/ai/photo/classify';
import { CONCEPTS, EXPOSED_GARBAGE, OFF_STREET_CLASSES, OFF_STREET_MAX } from '../../src/main/ai/photo/concepts';
import { hammingDistance, perceptualHash } from '../../src/main/ai/photo/hash';
import { PhotoHead, chooseThreshold, l2normalize } from '../../src/main/ai/photo/head';
import { greyThumbnail } from '../../src/main/ai/photo/image';

const probsWith = (entries: Array<[number, number]>) => {
  const p = new Float32Array(1000);
  for (const [i, v] of entries) p[i] = v;
  return p;
};
const PLASTIC_BAG = 728;
const MOUNTAIN_BIKE = 671;
const ASHCAN = 412;

describe('cold-start mapping', () => {
  it('every concept spreads weight 1 over full catalog paths', () => {
    for (const c of CONCEPTS) {
      expect(c.leaves.reduce((s, [, w]) => s + w, 0)).toBeCloseTo(1, 6);
      for (const [leaf] of c.leaves) expect(leaf).toMatch(/^[^/]+\/[^/]+$/);
    }
  });

  it('a plastic bag points to 暴露垃圾, a bicycle to 非机动车乱停放', () => {
    const bag = [...coldStartScores(probsWith([[PLASTIC_BAG, 0.8]])).entries()].sort((a, b) => b[1] - a[1]);
    expect(bag[0]![0]).toBe(EXPOSED_GARBAGE);
    const bike = [...coldStartScores(probsWith([[MOUNTAIN_BIKE, 0.8]])).entries()].sort((a, b) => b[1] - a[1]);
    expect(bike[0]![0]).toBe('街面秩序/非机动车乱停放');
  });

  it('a bin alone is no problem evidence; a bag is', () => {
    expect(problemEvidence(probsWith([[ASHCAN, 0.9]]))[EXPOSED_GARBAGE] ?? 0).toBe(0);
    expect(problemEvidence(probsWith([[PLASTIC_BAG, 0.5]]))[EXPOSED_GARBAGE]).toBeGreaterThan(0.3);
  });
});

describe('ranking with a head', () => {
  const v = (seed: number) => l2normalize(Float32Array.from({ length: 1280 }, (_, i) => ((i * seed) % 7) + (i % seed)));
  it('a photo close to labelled photos of a category moves that category up', () => {
    const x = v(3);
    const head = new PhotoHead([1, 2, 3].map(() => ({ category: '街面秩序/占道经营', v: x })));
    const probs = probsWith([[MOUNTAIN_BIKE, 0.6]]);
    expect(rankCategories(probs, x, PhotoHead.empty())[0]!.category).toBe('街面秩序/非机动车乱停放');
    const top = rankCategories(probs, x, head);
    expect(top[0]!.category).toBe('街面秩序/占道经营');
    expect(top).toHaveLength(3);
    expect(top.map((t) => t.score)).toEqual([...top.map((t) => t.score)].sort((a, b) => b - a));
  });
  it('keeps only the leaves the street knows', () => {
    const top = rankCategories(probsWith([[PLASTIC_BAG, 0.6]]), v(5), PhotoHead.empty(), 3, new Set([EXPOSED_GARBAGE]));
    expect(top.map((t) => t.category)).toEqual([EXPOSED_GARBAGE]);
  });
});

describe('recognized: near the labelled photos, and not mostly an off-street ImageNet class', () => {
  const axis = (i: number) => {
    const v = new Float32Array(1280);
    v[i] = 1;
    return v;
  };
  const mix = (a: number, b: number, t: number) => l2normalize(Float32Array.from({ length: 1280 }, (_, i) => (i === a ? t : i === b ? 1 - t : 0)));
  const examples = [0, 1, 2, 3, 4].map(() => ({ category: EXPOSED_GARBAGE, v: axis(0) }));

  it('proximity is the mean similarity to the k nearest labelled photos; at or above min is recognized', () => {
    const head = new PhotoHead(examples, 5, 0.42, 0.6, 't', { k: 5, min: 0.5 });
    expect(head.recognizes(axis(0))).toEqual({ recognized: true, proximity: 1 });
    expect(head.recognizes(axis(7))).toEqual({ recognized: false, proximity: 0 });
    const near = head.recognizes(mix(0, 7, 0.6));
    expect(near.proximity).toBeCloseTo(0.832, 3);
    expect(near.recognized).toBe(true);
  });

  it('without labelled photos or a calibrated threshold every photo counts as recognized (cold start)', () => {
    expect(PhotoHead.empty().recognizes(axis(3))).toEqual({ recognized: true, proximity: null });
    expect(new PhotoHead(examples).recognizes(axis(7)).recognized).toBe(true);
  });

  it('the threshold and figures survive the file format, and street labels keep them', () => {
    const evaluation = { date: '2026-01-01', builtFrom: 'x', calibration: { garbage: 1, garbageRecognized: 1, garbageTop3: 1, negatives: 2, negativesRefused: 2, negativesFalseGarbage: 0 }, test: { garbage: 1, garbageRecognized: 1, garbageTop3: 1, negatives: 2, negativesRefused: 1, negativesFalseGarbage: 1 } };
    const head = PhotoHead.fromFile(new PhotoHead(examples, 5, 0.42, 0.6, 't', { k: 3, min: 0.55 }, evaluation).toFile({ version: 't', source: 's' }));
    expect(head.recognize).toEqual({ k: 3, min: 0.55 });
    expect(head.evaluation).toEqual(evaluation);
    const more = head.withExamples([{ category: '街面秩序/占道经营', v: axis(9) }]);
    expect(more.recognize).toEqual({ k: 3, min: 0.55 });
    // A photo like the street's own labelled photo of another category is recognized too.
    expect(more.recognizes(axis(9)).recognized).toBe(false); // k = 3: one close photo is not enough
    expect(more.withExamples([1, 2].map(() => ({ category: '街面秩序/占道经营', v: axis(9) }))).recognizes(axis(9)).recognized).toBe(true);
  });

  it('chooses the threshold with the best balanced accuracy, in the middle of the best run', () => {
    expect(chooseThreshold([0.6, 0.7, 0.8], [0.3, 0.4, 0.5])).toBeCloseTo(0.55, 6);
    // One negative above the positives: it stays wrong rather than losing positives.
    expect(chooseThreshold([0.6, 0.7], [0.3, 0.4, 0.9])).toBeCloseTo(0.5, 6);
  });

  it('animals, food and drink, documents, scenery and plants are off-street; bins and bags are not', () => {
    const GOLDEN_RETRIEVER = 207;
    const ESPRESSO = 967;
    const MENU = 922;
    const DAISY = 985;
    for (const i of [GOLDEN_RETRIEVER, ESPRESSO, MENU, DAISY]) expect(offStreetMass(probsWith([[i, 0.7]]))).toBeCloseTo(0.7, 6);
    expect(offStreetMass(probsWith([[ASHCAN, 0.6], [PLASTIC_BAG, 0.3]]))).toBe(0);
    expect(OFF_STREET_MAX).toBe(0.5);
    // A class some concept names as street evidence is not off-street (a fly is 病媒生物).
    const FLY = 308;
    expect(OFF_STREET_CLASSES.some((g) => g.from[0] <= FLY && FLY <= g.to[0])).toBe(true);
    expect(offStreetMass(probsWith([[FLY, 0.9]]))).toBe(0);
  });
});

describe('draft description', () => {
  it('names what is seen, the category, and a night photo', () => {
    const d = draftDescription([{ category: EXPOSED_GARBAGE, score: 0.7 }], [{ zh: '塑料袋', p: 0.4 }, { zh: '纸箱', p: 0.2 }], 30);
    expect(d).toBe('照片中可见塑料袋、纸箱（夜间拍摄，画面较暗），现场疑似暴露垃圾，垃圾散落堆放未及时清理，影响市容环境卫生，请安排清运处理。');
    expect(draftDescription([{ category: '街面秩序/非机动车乱停放', score: 0.5 }], [], 120)).toBe('照片为街面现场，疑似非机动车乱停放问题，请核实处理。');
  });

  it('names only what speaks for the category: a crane it thinks it sees is left out of a garbage draft', () => {
    const hits = [{ zh: '施工机械', p: 0.3 }, { zh: '塑料袋', p: 0.2 }, { zh: '垃圾桶', p: 0.04 }];
    expect(draftDescription([{ category: EXPOSED_GARBAGE, score: 0.6 }], hits, 120)).toMatch(/^照片中可见塑料袋，现场疑似暴露垃圾/);
    expect(conceptsFor(hits, [EXPOSED_GARBAGE])).toEqual(['塑料袋']);
    expect(conceptsFor(hits, [EXPOSED_GARBAGE, '施工管理/施工占道'])).toEqual(['施工机械', '塑料袋']);
    // Nothing that speaks for it: the plain opening.
    expect(draftDescription([{ category: EXPOSED_GARBAGE, score: 0.6 }], [{ zh: '施工机械', p: 0.5 }], 120)).toMatch(/^照片为街面现场，现场疑似暴露垃圾/);
  });
});

describe('perceptual hash', () => {
  const rgb = (f: (x: number, y: number) => number) => {
    const a = new Uint8Array(224 * 224 * 3);
    for (let y = 0; y < 224; y++) for (let x = 0; x < 224; x++) a.fill(f(x, y), (y * 224 + x) * 3, (y * 224 + x) * 3 + 3);
    return a;
  };
  const scene = (x: number, y: number) => (((x >> 5) * 37 + (y >> 5) * 91 + ((x >> 4) ^ (y >> 4)) * 13) % 200) + 30;
  it('ignores brightness, sees a different picture', () => {
    const a = perceptualHash(greyThumbnail(rgb(scene)));
    const darker = perceptualHash(greyThumbnail(rgb((x, y) => Math.round(scene(x, y) * 0.6))));
    const other = perceptualHash(greyThumbnail(rgb((x, y) => (Math.cos(x / 9) * 80 + Math.sin((x + y) / 13) * 40 + 128) | 0)));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(a, darker)).toBeLessThanOrEqual(4);
    expect(hammingDistance(a, other)).toBeGreaterThan(16);
  });
});
