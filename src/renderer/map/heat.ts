// Ticket density as an image for ol/source/ImageCanvas: points are binned on a coarse grid (one cell
// per CELL screen pixels), smoothed with a separable Gaussian, scaled to the densest cell and coloured
// through a palette, then drawn up to the map's size with smoothing.
//
// Why not ol/layer/Heatmap: it renders with WebGL and builds its buffers in a Web Worker started
// from a blob: URL, which the app's CSP (script-src 'self', in index.html and in the Electron
// window's header) forbids, and WebGL is missing or software-only on many office workstations.
// This is plain Canvas 2D, a few milliseconds for 100,000 points, and needs neither.

import type { Extent } from 'ol/extent';

const CELL = 4; // CSS pixels per density cell
const SIGMA = 11; // CSS pixels

export const HEAT_COLORS = ['#6baed6', '#41ab5d', '#fee08b', '#fd8d3c', '#e31a1c', '#a50f15'];

let palette: Uint8ClampedArray | null = null;
function getPalette(): Uint8ClampedArray {
  if (palette) return palette;
  const c = document.createElement('canvas');
  c.width = 256;
  c.height = 1;
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, 256, 0);
  HEAT_COLORS.forEach((col, i) => g.addColorStop(i / (HEAT_COLORS.length - 1), col));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 256, 1);
  palette = ctx.getImageData(0, 0, 256, 1).data;
  return palette;
}

function gaussianKernel(sigmaCells: number): Float32Array {
  const r = Math.max(1, Math.ceil(sigmaCells * 2.5));
  const k = new Float32Array(r * 2 + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigmaCells * sigmaCells));
    k[i + r] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/**
 * Renders `xy` (interleaved x, y in map units) over `extent` at `resolution` into a canvas of
 * `size` device pixels.
 */
export function renderHeat(xy: Float64Array, count: number, extent: Extent, resolution: number, pixelRatio: number, size: number[]): HTMLCanvasElement {
  const W = Math.max(1, Math.round(size[0]!));
  const H = Math.max(1, Math.round(size[1]!));
  const out = document.createElement('canvas');
  out.width = W;
  out.height = H;
  if (count === 0) return out;

  const cellUnits = CELL * resolution;
  const gw = Math.ceil(W / pixelRatio / CELL) + 1;
  const gh = Math.ceil(H / pixelRatio / CELL) + 1;
  const sigma = SIGMA / CELL;
  const kernel = gaussianKernel(sigma);
  const kr = (kernel.length - 1) / 2;
  const x0 = extent[0]!;
  const y1 = extent[3]!;

  // Bin on a grid padded by the kernel radius, so points just outside the view still warm its edge.
  const pw = gw + 2 * kr;
  const ph = gh + 2 * kr;
  const grid = new Float32Array(pw * ph);
  for (let i = 0; i < count; i++) {
    const cx = Math.floor((xy[2 * i]! - x0) / cellUnits) + kr;
    const cy = Math.floor((y1 - xy[2 * i + 1]!) / cellUnits) + kr;
    if (cx < 0 || cy < 0 || cx >= pw || cy >= ph) continue;
    grid[cy * pw + cx]! += 1;
  }

  // Separable blur: rows (whole padded grid), then columns (inner part only).
  const tmp = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const row = y * pw;
    for (let x = kr; x < kr + gw; x++) {
      let s = 0;
      for (let k = -kr; k <= kr; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < pw) s += grid[row + xx]! * kernel[k + kr]!;
      }
      tmp[row + x] = s;
    }
  }
  const dens = new Float32Array(gw * gh);
  let max = 0;
  for (let x = 0; x < gw; x++) {
    for (let y = 0; y < gh; y++) {
      let s = 0;
      for (let k = -kr; k <= kr; k++) {
        const yy = y + kr + k;
        if (yy >= 0 && yy < ph) s += tmp[yy * pw + x + kr]! * kernel[k + kr]!;
      }
      dens[y * gw + x] = s;
      if (s > max) max = s;
    }
  }
  // A lone ticket shows as a faint spot, not a red one: the scale never drops below a few
  // tickets' peak.
  const peak = kernel[kr]! * kernel[kr]!;
  const scale = Math.max(max, peak * 4);

  const pal = getPalette();
  const small = document.createElement('canvas');
  small.width = gw;
  small.height = gh;
  const sctx = small.getContext('2d')!;
  const img = sctx.createImageData(gw, gh);
  const d = img.data;
  for (let i = 0; i < dens.length; i++) {
    const t = Math.sqrt(dens[i]! / scale); // sqrt: sparse areas stay visible next to hot spots
    if (t < 0.04) continue;
    const p = Math.min(255, Math.round(t * 255)) * 4;
    d[i * 4] = pal[p]!;
    d[i * 4 + 1] = pal[p + 1]!;
    d[i * 4 + 2] = pal[p + 2]!;
    d[i * 4 + 3] = Math.round(Math.min(1, 0.25 + t * 1.1) * 215 * Math.min(1, t * 6));
  }
  sctx.putImageData(img, 0, 0);
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const cellPx = CELL * pixelRatio;
  ctx.drawImage(small, 0, 0, gw, gh, 0, 0, gw * cellPx, gh * cellPx);
  return out;
}
