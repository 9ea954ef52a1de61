// Development photos (tests/fixtures/ai/photos-dev) and the same-scene/different-scene
// pairs built from them: a photo against its cropped, darker, or slightly rotated copy is the same
// scene; two different photos are not.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const PHOTOS_DEV = path.resolve(__dirname, '../fixtures/ai/photos-dev');

export function devPhotos(): string[] {
  return fs
    .readdirSync(PHOTOS_DEV)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(PHOTOS_DEV, f));
}

export type VariantKind = 'crop' | 'crop60' | 'darker' | 'rotated' | 'cropDarker';

/** A same-scene copy of a photo: cropped to 80 % at an offset, its centre 60 % (a closer shot), darker, rotated 5°, or cropped and darker. */
export async function variant(file: string, kind: VariantKind, seed: number): Promise<Buffer> {
  const meta = await sharp(file).metadata();
  const w = meta.autoOrient?.width ?? meta.width!;
  const h = meta.autoOrient?.height ?? meta.height!;
  const cw = Math.round(w * 0.8);
  const ch = Math.round(h * 0.8);
  const left = (seed * 37) % (w - cw);
  const top = (seed * 53) % (h - ch);
  const img = sharp(file).rotate();
  switch (kind) {
    case 'crop':
      return img.extract({ left, top, width: cw, height: ch }).jpeg({ quality: 85 }).toBuffer();
    case 'crop60':
      return img.extract({ left: Math.round(w * 0.2), top: Math.round(h * 0.2), width: Math.round(w * 0.6), height: Math.round(h * 0.6) }).jpeg({ quality: 85 }).toBuffer();
    case 'darker':
      return img.modulate({ brightness: 0.6 }).jpeg({ quality: 70 }).toBuffer();
    case 'rotated':
      return img.rotate(seed % 2 ? 5 : -5, { background: '#808080' }).resize(w, h, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
    case 'cropDarker':
      return img.extract({ left: w - cw - left, top: h - ch - top, width: cw, height: ch }).modulate({ brightness: 0.7 }).jpeg({ quality: 80 }).toBuffer();
  }
}

// ---------------------------------------------------------------------------------------------
// Splits for the photo head and its "recognized" threshold (fixed rules, by position in name order):
//   garbage photos: even positions build the shipped head, positions 1 mod 4 calibrate the
//   threshold, positions 3 mod 4 are the test split; negatives: even positions calibrate, odd test.
// Tests that classify photos use only the calibration and test splits: the head never contains them.

export const PHOTOS_NEGATIVE = path.resolve(__dirname, '../fixtures/ai/photos-negative');

export interface GarbageSplits {
  head: string[];
  calibration: string[];
  test: string[];
}

export function garbageSplits(): GarbageSplits {
  const all = devPhotos();
  return {
    head: all.filter((_, i) => i % 2 === 0),
    calibration: all.filter((_, i) => i % 4 === 1),
    test: all.filter((_, i) => i % 4 === 3),
  };
}

export function negativePhotos(): string[] {
  return fs
    .readdirSync(PHOTOS_NEGATIVE)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .map((f) => path.join(PHOTOS_NEGATIVE, f));
}

export function negativeSplits(): { calibration: string[]; test: string[] } {
  const all = negativePhotos();
  return { calibration: all.filter((_, i) => i % 2 === 0), test: all.filter((_, i) => i % 2 === 1) };
}

/** What a negative shows, from its file name (`animal-…`, `document-…`; the four older files by name). */
export function negativeKind(file: string): string {
  const b = path.basename(file);
  const m = /^([a-z]+)-/.exec(b);
  if (m) return m[1]!;
  return ({ 'china.jpg': 'wallpaper', 'flower.jpg': 'flower', 'grace_hopper.jpg': 'portrait' } as Record<string, string>)[b] ?? 'clipart';
}
