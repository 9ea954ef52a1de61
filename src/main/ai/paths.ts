// Where the shipped model files live. The app never reads anything outside the project (or the
// packaged app's resources) at run time: models/ sits at the project root, beside dist/ and src/.

import fs from 'node:fs';
import path from 'node:path';

export const BGE_DIR_NAME = 'bge-small-zh-v1.5';

/**
 * The project's models/ folder: CHENGYUN_MODELS_DIR if set, else the first models/ found walking
 * up from this file (dist/main/… or src/main/ai/…), else Electron's resources folder.
 */
export function modelsDir(): string {
  const env = process.env.CHENGYUN_MODELS_DIR;
  if (env) return path.resolve(env);
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'models');
    // Packaged: models/ is unpacked beside app.asar (ONNX Runtime reads real files).
    if (fs.existsSync(path.join(cand, BGE_DIR_NAME))) return cand.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const res = (process as { resourcesPath?: string }).resourcesPath;
  if (res && fs.existsSync(path.join(res, 'models'))) return path.join(res, 'models');
  return path.resolve('models');
}

export function bgeDir(): string {
  return path.join(modelsDir(), BGE_DIR_NAME);
}

/** Where a street store keeps its text model versions: `<store file>.models/text/<version>/`. */
export function textModelsRoot(storeFile: string): string {
  return path.join(path.dirname(path.resolve(storeFile)), path.basename(storeFile) + '.models', 'text');
}
