// Address hint for a point picked on the map, from the basemap's named roads:
// "经七路与纬四路交叉口附近" near a crossing, "经七路（近纬四路）" along a road.

import type { BasemapRoad } from '../../shared/api/grids';

const M_PER_DEG_LAT = 110_574;

/** Distance in metres from (lon, lat) to a polyline, on a local equirectangular projection. */
function distanceToLine(lon: number, lat: number, line: number[][]): number {
  const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) {
    const ax = (line[i]![0]! - lon) * kx;
    const ay = (line[i]![1]! - lat) * M_PER_DEG_LAT;
    const bx = (line[i + 1]![0]! - lon) * kx;
    const by = (line[i + 1]![1]! - lat) * M_PER_DEG_LAT;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    const px = ax + t * dx;
    const py = ay + t * dy;
    best = Math.min(best, Math.hypot(px, py));
  }
  return best;
}

export function addressHint(lon: number, lat: number, roads: readonly BasemapRoad[]): string | null {
  const byName = new Map<string, number>();
  for (const r of roads) {
    const name = r.properties.name?.trim();
    if (!name || r.geometry.type !== 'LineString') continue;
    const d = distanceToLine(lon, lat, r.geometry.coordinates);
    if (d < (byName.get(name) ?? Infinity)) byName.set(name, d);
  }
  const near = [...byName].sort((a, b) => a[1] - b[1]);
  const [first, second] = near;
  if (!first || first[1] > 250) return null;
  if (second && second[1] < 45) return `${first[0]}与${second[0]}交叉口附近`;
  if (second && second[1] < 200) return `${first[0]}（近${second[0]}）`;
  return `${first[0]}附近`;
}
