// Point → grid lookup at the city's scale: 47,188 synthetic micro-grids (irregular octagons tiling
// Zhengzhou's extent, 112.9–114.3E, 34.2–34.99N), random points, the R-tree index against a linear
// scan over the same grids in the same run. Then, if the 1,000,000-ticket store exists
// (bench/.data/store-1000000.sqlite, built by `npm run bench -- store`), the map page's queries on it.
import fs from 'node:fs';
import path from 'node:path';
import { GridIndex, type IndexedGrid } from '../src/shared/geo/gridIndex';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { gridGeojson, gridProfile, ticketPoints } from '../src/main/services/grids/queries';
import type { User } from '../src/shared/api/types';
import { Rng } from '../src/main/demo/prng';
import { argValue, emit, percentile, progress, summary, timeRuns } from './stats';

export const MICRO_GRIDS = 47_188;
const EXTENT = { minLon: 112.9, maxLon: 114.3, minLat: 34.2, maxLat: 34.99 };
const OPERATOR: User = { id: 'bench', username: 'bench', displayName: '基准', role: 'operator', unitId: null, unitName: null };

/** n cells of a jittered lattice; each cell an octagon (corners + jittered edge midpoints shared with its neighbours). */
export function syntheticMicroGrids(n = MICRO_GRIDS, seed = 7): IndexedGrid[] {
  const rng = new Rng(seed);
  const w = EXTENT.maxLon - EXTENT.minLon;
  const h = EXTENT.maxLat - EXTENT.minLat;
  const rows = Math.round(Math.sqrt((n * h) / w));
  const cols = Math.ceil(n / rows);
  const dx = w / cols;
  const dy = h / rows;
  const j = 0.18;
  const corner: number[][] = [];
  for (let r = 0; r <= rows; r++)
    for (let c = 0; c <= cols; c++) {
      const edge = r === 0 || r === rows || c === 0 || c === cols;
      corner.push([EXTENT.minLon + c * dx + (edge ? 0 : rng.range(-j, j) * dx), EXTENT.minLat + r * dy + (edge ? 0 : rng.range(-j, j) * dy)]);
    }
  const C = (r: number, c: number) => corner[r * (cols + 1) + c]!;
  const mid = (a: number[], b: number[], along: 'h' | 'v', edge: boolean) => [
    (a[0]! + b[0]!) / 2 + (edge || along === 'h' ? 0 : rng.range(-0.12, 0.12) * dx),
    (a[1]! + b[1]!) / 2 + (edge || along === 'v' ? 0 : rng.range(-0.12, 0.12) * dy),
  ];
  // Horizontal edge (r, c)→(r, c+1) midpoints and vertical edge (r, c)→(r+1, c) midpoints, shared.
  const hMid: number[][] = [];
  const vMid: number[][] = [];
  for (let r = 0; r <= rows; r++) for (let c = 0; c < cols; c++) hMid[r * cols + c] = mid(C(r, c), C(r, c + 1), 'v', r === 0 || r === rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c <= cols; c++) vMid[r * (cols + 1) + c] = mid(C(r, c), C(r + 1, c), 'h', c === 0 || c === cols);
  const grids: IndexedGrid[] = [];
  for (let r = 0; r < rows && grids.length < n; r++)
    for (let c = 0; c < cols && grids.length < n; c++) {
      const ring = [C(r, c), hMid[r * cols + c]!, C(r, c + 1), vMid[r * (cols + 1) + c + 1]!, C(r + 1, c + 1), hMid[(r + 1) * cols + c]!, C(r + 1, c), vMid[r * (cols + 1) + c]!];
      ring.push(ring[0]!);
      const k = grids.length;
      grids.push({ id: `m${k}`, code: `4101${String(k).padStart(8, '0')}`, name: `微网格${k}`, level: 'micro', parentId: null, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
  return grids;
}

export async function benchGrids(args: string[]): Promise<void> {
  benchLookup(args);
  // The lookup's 47,188 polygons are garbage by now; collect them so they do not slow what follows.
  (globalThis as { gc?: () => void }).gc?.();
  await benchMapQueries(args);
}

function benchLookup(args: string[]): void {
  const lookups = Number(argValue(args, '--lookups') ?? 300_000);
  progress(`building ${MICRO_GRIDS} synthetic micro-grids at Zhengzhou's extent`);
  const grids = syntheticMicroGrids();
  const t0 = performance.now();
  const index = new GridIndex(grids);
  const buildMs = performance.now() - t0;
  emit({ name: 'grids.index.build', n: grids.length, ms: buildMs });

  const rng = new Rng(11);
  const pts = new Float64Array(lookups * 2);
  for (let i = 0; i < lookups; i++) {
    pts[2 * i] = rng.range(EXTENT.minLon, EXTENT.maxLon);
    pts[2 * i + 1] = rng.range(EXTENT.minLat, EXTENT.maxLat);
  }
  // Warm up, then throughput over all points.
  for (let i = 0; i < 20_000; i++) index.innermost(pts[2 * i]!, pts[2 * i + 1]!);
  let found = 0;
  const s0 = performance.now();
  for (let i = 0; i < lookups; i++) if (index.innermost(pts[2 * i]!, pts[2 * i + 1]!)) found++;
  const indexMs = performance.now() - s0;
  const perS = (lookups / indexMs) * 1000;
  // Latency of single lookups (with the full answer: grid, chain, special grids).
  const lat: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const a = process.hrtime.bigint();
    index.lookup(pts[2 * i]!, pts[2 * i + 1]!);
    lat.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  lat.sort((a, b) => a - b);

  // Linear scan baseline on a sample, same points, answers checked equal.
  const linearN = Math.min(lookups, 3000);
  let mismatches = 0;
  const l0 = performance.now();
  for (let i = 0; i < linearN; i++) {
    const a = index.innermostLinear(pts[2 * i]!, pts[2 * i + 1]!);
    if (a?.id !== index.innermost(pts[2 * i]!, pts[2 * i + 1]!)?.id) mismatches++;
  }
  const linearMs = performance.now() - l0;
  // The loop above also ran one indexed lookup per point: take it out.
  const linearPerS = (linearN / Math.max(1e-9, linearMs - (linearN / perS) * 1000)) * 1000;
  if (mismatches) progress(`WARNING: ${mismatches} of ${linearN} answers differ between index and linear scan`);
  // Written directly: emit() rounds to 0.01, and single lookups take microseconds.
  const us4 = (ms: number) => Math.round(ms * 10_000) / 10_000;
  process.stdout.write(
    JSON.stringify({
      name: 'grids.lookup',
      n: grids.length,
      lookups,
      found_pct: Math.round((found / lookups) * 10_000) / 100,
      per_s: Math.round(perS),
      p50_ms: us4(percentile(lat, 50)),
      p95_ms: us4(percentile(lat, 95)),
      linear_per_s: Math.round(linearPerS),
      ratio_vs_linear: Math.round(perS / linearPerS),
      mismatches,
    }) + '\n',
  );
}

/** The map page's queries on the 1,000,000-ticket store. */
async function benchMapQueries(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 1_000_000);
  const file = path.resolve(__dirname, '.data', `store-${n}.sqlite`);
  if (!fs.existsSync(file)) {
    progress(`skipping tickets.points: ${file} does not exist (npm run bench -- store builds it)`);
    return;
  }
  const store = await openStore(file);
  try {
    const ctx = createContext(store, { log: silentLogger });
    const now = Date.now();
    const month = 30 * 86_400_000;
    let points = 0;
    const monthRuns = await timeRuns(12, async (i) => {
      const to = now - (i % 12) * 2 * month;
      const r = await ticketPoints(ctx, OPERATOR, { from: to - month, to }, 100_000);
      points += r.points.length;
    });
    emit({ name: 'tickets.points.month', n, points_avg: Math.round(points / 14), ...summary(monthRuns) });
    const cat = await store.db.selectFrom('tickets').select('category_id').where('category_id', 'is not', null).limit(1).offset(5000).executeTakeFirst();
    const catRuns = await timeRuns(8, (i) => {
      const to = now - i * 3 * month;
      return ticketPoints(ctx, OPERATOR, { from: to - month, to, categoryId: cat?.category_id ?? undefined }, 100_000);
    });
    emit({ name: 'tickets.points.month_category', n, ...summary(catRuns) });
    const maxRuns = await timeRuns(4, () => ticketPoints(ctx, OPERATOR, {}, 100_000), 1);
    emit({ name: 'tickets.points.max', n, points: 100_000, ...summary(maxRuns) });
    const gj = await timeRuns(6, () => gridGeojson(ctx, OPERATOR), 1);
    emit({ name: 'grids.geojson', n, ...summary(gj) });
    const street = await store.db.selectFrom('grids').select('id').where('level', '=', '1').executeTakeFirst();
    const l3 = await store.db.selectFrom('grids').select('id').where('level', '=', '3').limit(1).executeTakeFirst();
    if (street && l3) {
      const prof = await timeRuns(6, (i) => gridProfile(ctx, OPERATOR, i % 2 ? street.id : l3.id), 1);
      emit({ name: 'grids.profile', n, ...summary(prof) });
    }
  } finally {
    await store.close();
  }
}
