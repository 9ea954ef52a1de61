// The real bge-small-zh ONNX session through onnxruntime-node and tokenizers.js: it loads, its
// output has the documented shape, sentence vectors are unit length and mean something; missing,
// corrupt and wrong-shaped model files are refused with a clear notice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BGE_DIM, dot, Embedder, ModelLoadError } from '../../src/main/ai/embedder';
import { bgeDir } from '../../src/main/ai/paths';
import { tempDir } from '../support/fixture';

const MOBILENET = path.resolve(__dirname, '../../models/mobilenet_v2/mobilenet_v2_1.0_224_int8_per_tensor.onnx');

/** A copy of the bge directory with its ONNX file replaced. */
function brokenCopy(replace: (file: string) => void): string {
  const dir = path.join(tempDir('chengyun-bge-'), 'bge');
  fs.cpSync(bgeDir(), dir, { recursive: true });
  replace(path.join(dir, 'onnx', 'model_quantized.onnx'));
  return dir;
}

describe('bge-small-zh embedder', () => {
  let e: Embedder;
  beforeAll(async () => {
    e = await Embedder.load(bgeDir());
  });
  afterAll(() => e.dispose());

  it('loads from the project models/ folder and embeds to 512-d unit vectors', async () => {
    expect(bgeDir()).toMatch(/models[/\\]bge-small-zh-v1\.5$/);
    expect(e.info.dim).toBe(BGE_DIM);
    const [v] = await e.embed(['小区门口井盖破损，晚上很危险']);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v!.length).toBe(512);
    expect(Math.sqrt(dot(v!, v!))).toBeCloseTo(1, 4);
  });

  it('tokenizes Chinese per character with [CLS]/[SEP] and truncates long texts', () => {
    const ids = e.tokenize('井盖破损');
    expect(ids.length).toBe(6);
    expect(ids[0]).toBe(101);
    expect(ids[5]).toBe(102);
    expect(e.tokenize('很'.repeat(2000)).length).toBe(e.info.maxTokens);
  });

  it('batched and single embeddings agree, and similar complaints are closer than unrelated ones', async () => {
    const texts = ['楼道里的垃圾好几天没人清理了', '小区垃圾堆放多日无人清运', '孩子上小学的入学手续怎么办理', '短'];
    const batch = await e.embed(texts);
    for (let i = 0; i < texts.length; i++) {
      const [one] = await e.embed([texts[i]!]);
      // Not bit-identical: the int8 graph quantizes activations dynamically over the whole batch.
      expect(dot(one!, batch[i]!)).toBeGreaterThan(0.98);
    }
    expect(dot(batch[0]!, batch[1]!)).toBeGreaterThan(dot(batch[0]!, batch[2]!) + 0.1);
  });

  it('refuses a missing model file with a notice naming it', async () => {
    const dir = brokenCopy((f) => fs.rmSync(f));
    const err = await Embedder.load(dir).catch((x) => x);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.notice).toContain('缺失');
    expect(err.message).toContain('model_quantized.onnx');
  });

  it('refuses a corrupt (truncated) model file', async () => {
    const dir = brokenCopy((f) => fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 100_000)));
    const err = await Embedder.load(dir).catch((x) => x);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.notice).toContain('损坏');
  });

  it('refuses a model with the wrong inputs/outputs', async () => {
    const dir = brokenCopy((f) => fs.copyFileSync(MOBILENET, f));
    const err = await Embedder.load(dir).catch((x) => x);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.notice).toContain('格式不符');
    expect(err.message).toMatch(/expected inputs/);
  });
});
