// Pure parts of the photo AI: the cold-start mapping, ranking with a head, the description, pHash.
import { describe, expect, it } from 'vitest';
import { coldStartScores, draftDescription, problemEvidence, rankCategories } from '../../src/main/ai/photo/classify';
import { CONCEPTS, EXPOSED_GARBAGE } from '../../src/main/ai/photo/concepts';
import { hammingDistance, perceptualHash } from '../../src/main/ai/photo/hash';
import { PhotoHead, l2normalize } from '../../src/main/ai/photo/head';
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

describe('draft description', () => {
  it('names what is seen, the category, and a night photo', () => {
    const d = draftDescription([{ category: EXPOSED_GARBAGE, score: 0.7 }], [{ zh: '塑料袋', p: 0.4 }, { zh: '纸箱', p: 0.2 }], 30);
    expect(d).toBe('照片中可见塑料袋、纸箱（夜间拍摄，画面较暗），现场疑似暴露垃圾，垃圾散落堆放未及时清理，影响市容环境卫生，请安排清运处理。');
    expect(draftDescription([{ category: '街面秩序/非机动车乱停放', score: 0.5 }], [], 120)).toBe('照片为街面现场，疑似非机动车乱停放问题，请核实处理。');
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
