// The photo half of the `ai` command line:
//
//   npm run -s ai -- photo FILE…            one JSON line per file: {file, recognized, top, description, ms}
//                                           (recognized false: no street problem the model knows; top
//                                           lists the nearest categories, description is empty)
//   npm run -s ai -- compare BEFORE AFTER   one JSON line: {similarity, sameScene, reused, ms}
//   npm run -s ai -- photo-head DIR --category PATH [--out FILE]
//                                           rebuilds the nearest-neighbour head from a folder of
//                                           labelled photos (default out: models/mobilenet_v2/photo-head.json);
//                                           such a head has no calibrated threshold, so every photo counts as
//                                           recognized: the shipped head comes from scripts/photoCalibrate.ts
//
// Errors are one JSON line on stderr naming the file: {error, file, reason, detail}. Exit codes:
// 0 done, 1 a file or the model failed (the other files are still reported), 2 wrong usage.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PhotoEngine, comparePhotos } from '../ai/photo/engine';
import { HEAD_FILE, PhotoHead } from '../ai/photo/head';
import { PhotoDecodeError } from '../ai/photo/image';
import { PhotoModelError, defaultModelDir } from '../ai/photo/model';
import { registerAiCommand } from './aiCommands';

export const PHOTO_USAGE = `  ai photo FILE…
  ai compare BEFORE AFTER
  ai photo-head DIR --category PATH [--out FILE]`;

type Print = (line: string) => void;

interface Io {
  out: Print;
  err: Print;
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function fail(io: Io, error: string, file: string | null, reason: string, detail: string): void {
  io.err(JSON.stringify({ error, file, reason, detail }));
}

async function loadEngine(io: Io): Promise<PhotoEngine | null> {
  try {
    return await PhotoEngine.load();
  } catch (e) {
    fail(io, 'model', path.join(defaultModelDir(), ''), '图片模型无法加载', (e as Error).message);
    return null;
  }
}

function fileError(io: Io, file: string, e: unknown): void {
  if (e instanceof PhotoDecodeError) fail(io, 'notImage', file, `文件“${file}”不是可读取的图片`, e.message);
  else fail(io, 'failed', file, `文件“${file}”处理失败`, (e as Error).message);
}

function readable(io: Io, file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
    fs.accessSync(file, fs.constants.R_OK);
    return true;
  } catch (e) {
    fail(io, 'unreadable', file, `无法读取文件“${file}”`, `${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return false;
  }
}

/** `photo` and `compare`; returns the exit code. */
export async function runPhotoCli(argv: string[], io: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'photo') {
    if (rest.length === 0) {
      io.err(`usage:\n${PHOTO_USAGE}`);
      return 2;
    }
    const engine = await loadEngine(io);
    if (!engine) return 1;
    let code = 0;
    for (const file of rest) {
      if (!readable(io, file)) {
        code = 1;
        continue;
      }
      try {
        const a = await engine.analyse(file);
        io.out(JSON.stringify({ file, recognized: a.recognized, top: a.top, description: a.description, proximity: a.proximity, offStreet: a.offStreet, ms: a.ms }));
      } catch (e) {
        fileError(io, file, e);
        code = 1;
      }
    }
    await engine.release();
    return code;
  }
  if (command === 'compare') {
    if (rest.length !== 2) {
      io.err(`usage:\n${PHOTO_USAGE}`);
      return 2;
    }
    const [before, after] = rest as [string, string];
    if (!readable(io, before) || !readable(io, after)) return 1;
    const engine = await loadEngine(io);
    if (!engine) return 1;
    try {
      const t0 = performance.now();
      let a;
      try {
        a = await engine.analyse(before, { zoom: true });
      } catch (e) {
        fileError(io, before, e);
        return 1;
      }
      let b;
      try {
        b = await engine.analyse(after, { zoom: true });
      } catch (e) {
        fileError(io, after, e);
        return 1;
      }
      const c = comparePhotos(a, b);
      io.out(JSON.stringify({ similarity: c.similarity, sameScene: c.sameScene, reused: c.reused, hamming: c.hamming, ms: Math.round((performance.now() - t0) * 10) / 10 }));
      return 0;
    } finally {
      await engine.release();
    }
  }
  if (command === 'photo-head') {
    let category: string | null = null;
    let out = path.join(defaultModelDir(), HEAD_FILE);
    const dirs: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--category') category = rest[++i] ?? null;
      else if (rest[i] === '--out') out = rest[++i] ?? out;
      else dirs.push(rest[i]!);
    }
    if (!category || dirs.length !== 1 || !category.includes('/')) {
      io.err(`usage:\n${PHOTO_USAGE}`);
      return 2;
    }
    const engine = await loadEngine(io);
    if (!engine) return 1;
    const dir = dirs[0]!;
    const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
    const examples = [];
    for (const f of files) {
      try {
        examples.push({ category, v: (await engine.analyse(path.join(dir, f))).embedding });
      } catch (e) {
        fileError(io, path.join(dir, f), e);
        return 1;
      }
    }
    await engine.release();
    const head = new PhotoHead(examples);
    const version = `${path.basename(dir)}-${files.length}`;
    fs.writeFileSync(out, JSON.stringify(head.toFile({ version, source: `${files.length} photos from ${path.basename(dir)}, labelled ${category}` })));
    io.out(JSON.stringify({ out, version, n: files.length, category }));
    return 0;
  }
  io.err(`usage:\n${PHOTO_USAGE}`);
  return 2;
}

export { PhotoModelError };

// The photo subcommands in the `ai` command line's table (see ./aiCommands).
registerAiCommand('photo', { usage: 'photo FILE…', run: (argv) => runPhotoCli(['photo', ...argv]) });
registerAiCommand('compare', { usage: 'compare BEFORE AFTER', run: (argv) => runPhotoCli(['compare', ...argv]) });
registerAiCommand('photo-head', { usage: 'photo-head DIR --category PATH [--out FILE]', run: (argv) => runPhotoCli(['photo-head', ...argv]) });
