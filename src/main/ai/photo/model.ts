// MobileNetV2 (ImageNet-1k, int8) through onnxruntime-node: class scores and the 1280-wide
// global-average-pool features that serve as the photo embedding.
//
// The shipped graph only outputs the 1000 scores. The pooled tensor exists inside it, so at load
// time the model bytes are decoded (onnx-proto), that tensor is declared as a second graph output,
// and the session is created from the edited bytes — the file on disk stays the published one,
// its sha256 checkable against the model card.

import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { MODEL_SIZE } from './image';
import { FEATURE_DIM } from './head';

export { FEATURE_DIM };

export const MODEL_FILE = 'mobilenet_v2_1.0_224_int8_per_tensor.onnx';
export const LABELS_FILE = 'labels_imagenet_2012.txt';
export const INPUT_NAME = 'serving_default_input_1:0';
export const SCORES_NAME = 'StatefulPartitionedCall:0';
export const FEATURES_NAME = 'model_1/global_average_pooling2d/Mean_dequant';
export const NUM_CLASSES = 1000;
/** Version string recorded with every suggestion. */
export const PHOTO_MODEL_VERSION = 'mobilenet_v2-int8+coldstart-1';

/** The model files are missing, unreadable, corrupt or not the expected graph. */
export class PhotoModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoModelError';
  }
}

/** Finds models/mobilenet_v2 above this module (src/main/ai/photo in dev, dist/main when built). */
export function defaultModelDir(): string {
  const env = process.env.CHENGYUN_PHOTO_MODEL_DIR;
  if (env) return path.resolve(env);
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'models', 'mobilenet_v2');
    if (fs.existsSync(candidate)) return candidate;
    // Packaged Electron app: models/ is unpacked next to app.asar.
    const unpacked = path.join(dir, 'app.asar.unpacked', 'models', 'mobilenet_v2');
    if (fs.existsSync(unpacked)) return unpacked;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.resolve('models', 'mobilenet_v2');
}

/** Adds the pooled features as a second graph output; checks the graph is the one we expect. */
export function withFeatureOutput(bytes: Uint8Array): Uint8Array {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new PhotoModelError(`model file is not a valid ONNX protobuf (${(e as Error).message})`);
  }
  const g = model.graph;
  if (!g || !g.input || !g.output || !g.node) throw new PhotoModelError('model file has no graph');
  const outputs = g.output;
  const input = g.input.find((i) => i.name === INPUT_NAME);
  const dims = input?.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue ? Number(d.dimValue) : -1)) ?? [];
  if (!input || input.type?.tensorType?.elemType !== onnx.TensorProto.DataType.UINT8 || dims.length !== 4 || dims[1] !== MODEL_SIZE || dims[2] !== MODEL_SIZE || dims[3] !== 3)
    throw new PhotoModelError(`model input must be uint8 [N,${MODEL_SIZE},${MODEL_SIZE},3] named ${INPUT_NAME}; found ${input ? `[${dims.join(',')}]` : g.input.map((i) => i.name).join(', ')}`);
  const out = outputs.find((o) => o.name === SCORES_NAME);
  const outDims = out?.type?.tensorType?.shape?.dim?.map((d) => (d.dimValue ? Number(d.dimValue) : -1)) ?? [];
  if (!out || outDims.length !== 2 || outDims[1] !== NUM_CLASSES)
    throw new PhotoModelError(`model output must be [N,${NUM_CLASSES}] named ${SCORES_NAME}; found ${out ? `[${outDims.join(',')}]` : outputs.map((o) => o.name).join(', ')}`);
  if (!g.node.some((n) => (n.output ?? []).includes(FEATURES_NAME)))
    throw new PhotoModelError(`model has no pooled-feature tensor ${FEATURES_NAME}`);
  if (!outputs.some((o) => o.name === FEATURES_NAME)) {
    outputs.push(
      onnx.ValueInfoProto.create({
        name: FEATURES_NAME,
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{ dimParam: 'N' }, { dimValue: FEATURE_DIM }] },
          },
        },
      }),
    );
  }
  return onnx.ModelProto.encode(model).finish();
}

export interface PhotoModelOutput {
  /** ImageNet class probabilities (softmax), one per label. */
  probs: Float32Array;
  /** The 1280-wide pooled features (not normalised). */
  features: Float32Array;
}

export class PhotoModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly labels: string[],
    readonly dir: string,
  ) {}

  static async load(dir = defaultModelDir()): Promise<PhotoModel> {
    const file = path.join(dir, MODEL_FILE);
    const labelsFile = path.join(dir, LABELS_FILE);
    let bytes: Buffer;
    let labelsText: string;
    try {
      bytes = fs.readFileSync(file);
      labelsText = fs.readFileSync(labelsFile, 'utf8');
    } catch (e) {
      throw new PhotoModelError(`cannot read model files in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const labels = labelsText.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    if (labels.length !== NUM_CLASSES) throw new PhotoModelError(`${LABELS_FILE} has ${labels.length} labels, expected ${NUM_CLASSES}`);
    const edited = withFeatureOutput(bytes);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(edited, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
      });
    } catch (e) {
      throw new PhotoModelError(`ONNX Runtime rejected ${MODEL_FILE} (${(e as Error).message.split('\n')[0]})`);
    }
    const model = new PhotoModel(session, labels, dir);
    // One warm-up run: checks the output shapes and takes the first-run cost out of the first photo.
    const check = await model.run([new Uint8Array(MODEL_SIZE * MODEL_SIZE * 3)]);
    if (check[0]!.probs.length !== NUM_CLASSES || check[0]!.features.length !== FEATURE_DIM)
      throw new PhotoModelError('model outputs have unexpected shapes');
    return model;
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs a batch of 224×224×3 RGB images. */
  async run(images: Uint8Array[]): Promise<PhotoModelOutput[]> {
    const n = images.length;
    const size = MODEL_SIZE * MODEL_SIZE * 3;
    const data = new Uint8Array(n * size);
    images.forEach((img, i) => {
      if (img.length !== size) throw new Error(`image ${i} has ${img.length} bytes, expected ${size}`);
      data.set(img, i * size);
    });
    const input = new ort.Tensor('uint8', data, [n, MODEL_SIZE, MODEL_SIZE, 3]);
    const res = await this.session.run({ [INPUT_NAME]: input });
    const scores = res[SCORES_NAME];
    const feats = res[FEATURES_NAME];
    if (!scores || !feats) throw new PhotoModelError('model did not return scores and features');
    if (scores.dims.join(',') !== `${n},${NUM_CLASSES}` || feats.dims.join(',') !== `${n},${FEATURE_DIM}`)
      throw new PhotoModelError(`model outputs have shapes [${scores.dims.join(',')}] and [${feats.dims.join(',')}]`);
    const s = scores.data as Float32Array;
    const f = feats.data as Float32Array;
    const out: PhotoModelOutput[] = [];
    for (let i = 0; i < n; i++) {
      out.push({
        probs: s.slice(i * NUM_CLASSES, (i + 1) * NUM_CLASSES),
        features: f.slice(i * FEATURE_DIM, (i + 1) * FEATURE_DIM),
      });
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
