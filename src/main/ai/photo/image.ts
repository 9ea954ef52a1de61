// Photo decoding for the image model: any JPEG/PNG/WebP (a 12-megapixel phone photo included) →
// 224×224 RGB bytes (NHWC, 0–255) plus a small grey thumbnail for the perceptual hash.
//
// sharp (prebuilt libvips) decodes JPEGs with shrink-on-load: libjpeg decodes straight to 1/2, 1/4
// or 1/8 scale, so a 4000×3000 photo never exists at full size in memory, and libvips resizes with
// SIMD. A pure-JS decoder (jpeg-js) needs ~1 s per 12-MP JPEG on this CPU; sharp needs ~30 ms.

import sharp, { type Metadata, type Sharp } from 'sharp';

export const MODEL_SIZE = 224;
/** Side of the grey thumbnail the perceptual hash is computed from. */
export const HASH_SIZE = 32;

export interface DecodedPhoto {
  /** 224×224×3 RGB bytes, row-major (NHWC without the batch axis). */
  rgb: Uint8Array;
  /** HASH_SIZE×HASH_SIZE grey bytes of the model input (7×7 box means), for the perceptual hash. */
  grey: Uint8Array;
  /** Size of the source photo after EXIF orientation. */
  width: number;
  height: number;
}

export class PhotoDecodeError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'PhotoDecodeError';
  }
}

// libvips caches decoded images by file name; photos are content-addressed and read once, so the
// cache only holds memory. One libvips thread per call: the node runs on 2 cores.
sharp.cache(false);
sharp.concurrency(1);

/**
 * Decodes a photo (file path or bytes) into the model input and the hash thumbnail.
 * `label` names the photo in errors.
 */
export async function decodePhoto(input: string | Buffer, label = typeof input === 'string' ? input : 'photo'): Promise<DecodedPhoto> {
  let base: Sharp;
  let meta: Metadata;
  try {
    // failOn 'error': minor warnings in phone JPEGs are tolerated; a truncated or corrupt file is refused.
    base = sharp(input, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
    meta = await base.metadata();
  } catch (e) {
    throw new PhotoDecodeError(label, `${label}: not a readable image (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new PhotoDecodeError(label, `${label}: image has no size`);
  try {
    // One pass: shrink-on-load picks the largest JPEG DCT scale (1/2, 1/4, 1/8) that stays above
    // 224 px on the short side, then libvips crops the centre square and resizes to 224×224.
    const data = await base.resize(MODEL_SIZE, MODEL_SIZE, { fit: 'cover', position: 'centre', fastShrinkOnLoad: true }).removeAlpha().toColourspace('srgb').raw().toBuffer();
    if (data.length !== MODEL_SIZE * MODEL_SIZE * 3) throw new Error(`decoded ${data.length} bytes`);
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    return {
      rgb,
      grey: greyThumbnail(rgb),
      width: meta.autoOrient?.width ?? meta.width,
      height: meta.autoOrient?.height ?? meta.height,
    };
  } catch (e) {
    throw new PhotoDecodeError(label, `${label}: image data is corrupt (${(e as Error).message})`);
  }
}

/** 224×224 RGB → 32×32 grey: the mean luma of each 7×7 block. */
export function greyThumbnail(rgb: Uint8Array): Uint8Array {
  const block = MODEL_SIZE / HASH_SIZE;
  const out = new Uint8Array(HASH_SIZE * HASH_SIZE);
  for (let by = 0; by < HASH_SIZE; by++)
    for (let bx = 0; bx < HASH_SIZE; bx++) {
      let s = 0;
      for (let y = by * block; y < (by + 1) * block; y++)
        for (let x = bx * block; x < (bx + 1) * block; x++) {
          const i = (y * MODEL_SIZE + x) * 3;
          s += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
        }
      out[by * HASH_SIZE + bx] = Math.round(s / (block * block));
    }
  return out;
}

/** Width and height of a stored photo from its header (EXIF orientation applied), or null if unreadable. */
export async function photoSize(file: string): Promise<{ width: number; height: number } | null> {
  try {
    const m = await sharp(file).metadata();
    const width = m.autoOrient?.width ?? m.width;
    const height = m.autoOrient?.height ?? m.height;
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}

/** The centre `frac` of a 224×224 model input, resized back to 224×224 (a closer view of the same scene). */
export async function centreZoom(rgb: Uint8Array, frac = 0.7): Promise<Uint8Array> {
  const side = Math.round(MODEL_SIZE * frac);
  const offset = Math.round((MODEL_SIZE - side) / 2);
  const out = await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), { raw: { width: MODEL_SIZE, height: MODEL_SIZE, channels: 3 } })
    .extract({ left: offset, top: offset, width: side, height: side })
    .resize(MODEL_SIZE, MODEL_SIZE)
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
