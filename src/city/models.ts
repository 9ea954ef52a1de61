// Model versions the city publishes: a text model directory (model.json, card.json, weights.bin)
// packed as one bundle, stored by content address and announced in the streets' feeds.

import fs from 'node:fs';
import path from 'node:path';
import { MODEL_BUNDLE_FILES, MODEL_BUNDLE_FORMAT, type ModelBundle, type ModelVersionPayload } from '../shared/sync/reference';
import { CityError } from './service';

/** Packs a model directory into a bundle's bytes (the CLI sends these to the city). */
export function packModelDir(dir: string): Buffer {
  const files = {} as ModelBundle['files'];
  for (const f of MODEL_BUNDLE_FILES) {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) throw new Error(`${p}: missing (a model directory holds ${MODEL_BUNDLE_FILES.join(', ')})`);
    files[f] = fs.readFileSync(p).toString('base64');
  }
  const bundle: ModelBundle = { format: MODEL_BUNDLE_FORMAT, files };
  return Buffer.from(JSON.stringify(bundle));
}

/** Checks a bundle and returns the feed payload announcing it (without its address, added once stored). */
export function describeBundle(bytes: Buffer): Omit<ModelVersionPayload, 'sha256' | 'size'> {
  let bundle: ModelBundle;
  try {
    bundle = JSON.parse(bytes.toString('utf8')) as ModelBundle;
  } catch {
    throw new CityError(400, 'badBundle', 'model bundle is not JSON');
  }
  if (bundle?.format !== MODEL_BUNDLE_FORMAT) throw new CityError(400, 'badBundle', `model bundle format must be ${MODEL_BUNDLE_FORMAT}`);
  for (const f of MODEL_BUNDLE_FILES) if (typeof bundle.files?.[f] !== 'string') throw new CityError(400, 'badBundle', `model bundle lacks ${f}`);
  let card: Record<string, unknown>;
  let model: { labels?: unknown; format?: unknown };
  try {
    card = JSON.parse(Buffer.from(bundle.files['card.json'], 'base64').toString('utf8')) as Record<string, unknown>;
    model = JSON.parse(Buffer.from(bundle.files['model.json'], 'base64').toString('utf8')) as { labels?: unknown };
  } catch {
    throw new CityError(400, 'badBundle', 'card.json or model.json is not JSON');
  }
  if (!Array.isArray(model.labels) || !model.labels.length) throw new CityError(400, 'badBundle', 'model.json has no labels');
  const version = String(card.version ?? '').replace(/[^0-9A-Za-z]/g, '');
  if (!version) throw new CityError(400, 'badBundle', 'card.json has no version');
  return { version, kind: 'text', card };
}
