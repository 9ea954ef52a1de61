// Photo AI latency (`npm run bench -- aiPhoto`): a 12-megapixel JPEG (4000×3000, made in a temp dir
// from a development photo upscaled with camera-like noise, or from noise alone when the photos
// are not beside the project) through decode + resize + MobileNetV2 + hash, on the main thread and
// through the app's worker thread. The pure-JS decoder (jpeg-js) is the naive baseline for decoding,
// measured in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import jpeg from 'jpeg-js';
import { PhotoEngine, comparePhotos } from '../src/main/ai/photo/engine';
import { decodePhoto } from '../src/main/ai/photo/image';
import { PhotoWorkerClient } from '../src/main/ai/photo/client';
import { argValue, emit, percentile, progress, summary, timeRuns } from './stats';

/**
 * Wall time and CPU time (all threads of this process) per run. On a shared machine the CPU time
 * is the steadier figure: with one libvips and one ONNX Runtime thread it is what the wall time is
 * on an idle machine.
 */
async function timeWithCpu(runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 2; i++) await fn(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn(i);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { ...summary(wall), cpu_p50_ms: percentile(cpu, 50), cpu_p95_ms: percentile(cpu, 95) };
}

const DEV = path.resolve(__dirname, '../tests/fixtures/ai/photos-dev');

async function make12mp(dir: string, i: number, noisy = true): Promise<string> {
  const file = path.join(dir, `photo-${i}${noisy ? '' : '-smooth'}.jpg`);
  const W = 4000;
  const H = 3000;
  const noise = await sharp({ create: { width: W, height: H, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 24 } } }).raw().toBuffer();
  const devFiles = fs.existsSync(DEV) ? fs.readdirSync(DEV).filter((f) => f.endsWith('.jpg')).sort() : [];
  let base: Sharp;
  if (devFiles.length) base = sharp(path.join(DEV, devFiles[(i * 7) % devFiles.length]!)).rotate().resize(W, H, { fit: 'cover' });
  else base = sharp({ create: { width: W, height: H, channels: 3, background: { r: 90 + i * 10, g: 110, b: 100 } } });
  await base
    .composite(noisy ? [{ input: noise, raw: { width: W, height: H, channels: 3 }, blend: 'soft-light' }] : [])
    .jpeg({ quality: 92 })
    .toFile(file);
  await sharp(file).resize(640, 480).jpeg({ quality: 85 }).toFile(file.replace(/\.jpg$/, '-small.jpg'));
  return file;
}

export async function benchAiPhoto(args: string[]): Promise<void> {
  const runs = Number(argValue(args, '--runs') ?? 30);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-bench-photo-'));
  try {
    const rss0 = process.memoryUsage().rss;
    const engine = await PhotoEngine.load();
    const rss1 = process.memoryUsage().rss;
    emit({ name: 'ai.photo.memory', rss_mb: (rss1 - rss0) / 1048576 });
    progress('aiPhoto: making 12-megapixel JPEGs');
    const files: string[] = [];
    for (const i of [0, 1, 2, 3]) files.push(await make12mp(dir, i));
    const bytes = files.map((f) => fs.statSync(f).size);

    progress('aiPhoto: decode + resize');
    const decode = await timeWithCpu(runs, (i) => decodePhoto(files[i % files.length]!));
    emit({ name: 'ai.photo.decode', megapixels: 12, avg_bytes: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length), ...decode });

    progress('aiPhoto: full analysis (decode + resize + model + hash)');
    const full = await timeWithCpu(runs, (i) => engine.analyse(files[i % files.length]!));
    emit({ name: 'ai.photo', megapixels: 12, avg_bytes: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length), ...full, target_ms: 60 });
    const smooth: string[] = [];
    for (const i of [0, 1]) smooth.push(await make12mp(dir, i, false));
    const smoothBytes = smooth.map((f) => fs.statSync(f).size);
    const soft = await timeWithCpu(runs, (i) => engine.analyse(smooth[i % smooth.length]!));
    emit({ name: 'ai.photo.smooth', megapixels: 12, avg_bytes: Math.round((smoothBytes[0]! + smoothBytes[1]!) / 2), note: 'upscaled without sensor noise', ...soft });
    const small = await timeWithCpu(runs, (i) => engine.analyse(files[i % files.length]!.replace(/\.jpg$/, '-small.jpg')));
    emit({ name: 'ai.photo.small', note: '640×480 phone upload', ...small });

    progress('aiPhoto: compare two 12-megapixel photos');
    const cmp = await timeRuns(Math.max(5, runs >> 2), async (i) => {
      const [a, b] = await Promise.all([engine.analyse(files[i % 4]!, { zoom: true }), engine.analyse(files[(i + 1) % 4]!, { zoom: true })]);
      return comparePhotos(a, b);
    });
    emit({ name: 'ai.photo.compare', ...summary(cmp) });
    await engine.release();

    progress('aiPhoto: through the worker thread (as the app asks)');
    const client = new PhotoWorkerClient();
    await client.start();
    const viaWorker = await timeRuns(runs, (i) => client.analyse(files[i % files.length]!, 'bench', 3));
    emit({ name: 'ai.photo.worker', ...summary(viaWorker) });
    await client.close();

    progress('aiPhoto: pure-JS decoder baseline (jpeg-js, full-size decode)');
    const buf = fs.readFileSync(files[0]!);
    const js = await timeWithCpu(3, async () => jpeg.decode(buf, { useTArray: true, maxMemoryUsageInMB: 1024 }));
    emit({ name: 'ai.photo.decode.jpegjs', ...js, ratio_vs_sharp: js.p50_ms / decode.p50_ms, cpu_ratio_vs_sharp: js.cpu_p50_ms / decode.cpu_p50_ms });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
