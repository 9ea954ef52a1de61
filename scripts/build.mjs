// Builds the street node (Node/Electron main, preload) and the renderer with esbuild.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
fs.mkdirSync(path.join(out, 'renderer'), { recursive: true });

// playwright-core prints the monthly report to PDF (loaded on demand from node_modules).
const external = ['sqlite3', 'onnxruntime-node', 'sharp', 'electron', 'bufferutil', 'utf-8-validate', 'playwright-core'];

await Promise.all([
  build({
    entryPoints: {
      start: 'src/main/start.ts',
      electron: 'src/main/app/electron.ts',
      preload: 'src/main/app/preload.ts',
      photoWorker: 'src/main/ai/photo/worker.ts',
      aiWorker: 'src/main/ai/worker.ts',
    },
    outdir: path.join(out, 'main'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external,
    absWorkingDir: root,
    logLevel: 'warning',
  }),
  build({
    entryPoints: { app: 'src/renderer/main.tsx' },
    outdir: path.join(out, 'renderer'),
    bundle: true,
    platform: 'browser',
    target: ['chrome120'],
    format: 'esm',
    sourcemap: true,
    minify: !watch,
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: root,
    logLevel: 'warning',
  }),
]);
fs.copyFileSync(path.join(root, 'src/renderer/index.html'), path.join(out, 'renderer/index.html'));
console.error('build: dist/ ready');
