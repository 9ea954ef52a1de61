// The photo engine: one loaded MobileNetV2 session + the head, answering "what does this photo
// show" and "are these two photos the same scene / the same photo". Used directly by the CLI and
// tests, and inside the worker thread by the app.

import { performance } from 'node:perf_hooks';
import { conceptHits, draftDescription, meanBrightness, offStreetMass, problemEvidence, rankCategories, type CategoryScore, type ConceptHit } from './classify';
import { OFF_STREET_MAX, checkConceptLabels } from './concepts';
import { perceptualHash } from './hash';
import { PhotoHead, l2normalize } from './head';
import { centreZoom, decodePhoto } from './image';
import { PHOTO_MODEL_VERSION, PhotoModel, PhotoModelError, defaultModelDir } from './model';

export interface PhotoAnalysis {
  /**
   * The photo shows a street problem the head knows (close enough to its labelled photos). When
   * false, `top` still lists the nearest categories but `description` is empty: nothing is drafted.
   */
  recognized: boolean;
  /** Mean similarity to the nearest labelled photos (what `recognized` is decided on); null without a head. */
  proximity: number | null;
  /** ImageNet probability on classes that are no street problem (≥ OFF_STREET_MAX: not recognized). */
  offStreet: number;
  top: CategoryScore[];
  description: string;
  concepts: ConceptHit[];
  /** Leaf → how much of that problem the photo shows (bins and other fixtures left out). */
  evidence: Record<string, number>;
  /** L2-normalised 1280-wide embedding. */
  embedding: Float32Array;
  /** Embedding of the centre 70 % (a closer shot of the same place), when asked for (comparisons). */
  zoomEmbedding?: Float32Array;
  /** 64-bit pHash, hex. */
  hash: string;
  brightness: number;
  width: number;
  height: number;
  ms: number;
}

export { comparePhotos, SAME_SCENE_THRESHOLD, REUSED_MAX_HAMMING, type PhotoComparison } from './compare';

export class PhotoEngine {
  private constructor(
    readonly model: PhotoModel,
    public head: PhotoHead,
  ) {}

  static async load(dir = defaultModelDir()): Promise<PhotoEngine> {
    const model = await PhotoModel.load(dir);
    try {
      checkConceptLabels(model.labels);
    } catch (e) {
      throw new PhotoModelError(`label file does not match the model (${(e as Error).message})`);
    }
    let head: PhotoHead;
    try {
      head = PhotoHead.load(dir);
    } catch (e) {
      throw new PhotoModelError(`photo head file is unreadable (${(e as Error).message})`);
    }
    return new PhotoEngine(model, head);
  }

  get version(): string {
    return `${PHOTO_MODEL_VERSION}+head-${this.head.version}`;
  }

  /** Decodes and classifies one photo (path or bytes). `known` limits suggestions to the catalog's leaves. */
  async analyse(input: string | Buffer, opts: { label?: string; known?: Set<string>; k?: number; zoom?: boolean } = {}): Promise<PhotoAnalysis> {
    const t0 = performance.now();
    const img = await decodePhoto(input, opts.label);
    const batch = opts.zoom ? [img.rgb, await centreZoom(img.rgb)] : [img.rgb];
    const [out, zoomed] = await this.model.run(batch);
    const embedding = l2normalize(out!.features);
    const top = rankCategories(out!.probs, embedding, this.head, opts.k ?? 3, opts.known);
    const concepts = conceptHits(out!.probs).slice(0, 5);
    const brightness = meanBrightness(img.rgb);
    // Near the labelled street photos, and not mostly an animal, a dish, a document, scenery or a plant.
    const near = this.head.recognizes(embedding);
    const offStreet = offStreetMass(out!.probs);
    const recognized = near.recognized && offStreet < OFF_STREET_MAX;
    const proximity = near.proximity;
    return {
      recognized,
      proximity,
      offStreet: Math.round(offStreet * 1000) / 1000,
      top,
      description: recognized ? draftDescription(top, concepts, brightness) : '',
      concepts,
      evidence: problemEvidence(out!.probs),
      embedding,
      ...(zoomed ? { zoomEmbedding: l2normalize(zoomed.features) } : {}),
      hash: perceptualHash(img.grey),
      brightness: Math.round(brightness),
      width: img.width,
      height: img.height,
      ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
