// Point → street: the city's street outlines (src/shared/data/street-outlines.geojson, WGS-84, copied
// from the project's shared Zhengzhou reference geography) in a Flatbush R-tree, then an exact
// point-in-polygon test. A point on the border of two streets goes to the one strictly containing
// it, else the smaller code, so every point gets at most one street.

import fs from 'node:fs';
import path from 'node:path';
import Flatbush from 'flatbush';
import { BOUNDARY_EPS_DEG, INSIDE, OUTSIDE, geometryBBox, pointInGeometry, type AreaGeometry } from '../../shared/geo/geometry';

export interface StreetOutline {
  code: string;
  name: string;
  geometry: AreaGeometry;
}

export const STREET_OUTLINES_FILE = path.join(__dirname, '..', '..', 'shared', 'data', 'street-outlines.geojson');

export class StreetLocator {
  private readonly tree: Flatbush | null;
  private readonly byCode = new Map<string, StreetOutline>();

  constructor(private readonly streets: readonly StreetOutline[]) {
    this.tree = streets.length ? new Flatbush(streets.length) : null;
    for (const s of streets) {
      const b = geometryBBox(s.geometry);
      this.tree!.add(b[0] - BOUNDARY_EPS_DEG, b[1] - BOUNDARY_EPS_DEG, b[2] + BOUNDARY_EPS_DEG, b[3] + BOUNDARY_EPS_DEG);
      this.byCode.set(s.code, s);
    }
    this.tree?.finish();
  }

  static fromFile(file = STREET_OUTLINES_FILE): StreetLocator {
    const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: Array<{ properties: { code: string; name: string }; geometry: AreaGeometry }> };
    return new StreetLocator(fc.features.map((f) => ({ code: String(f.properties.code), name: String(f.properties.name), geometry: f.geometry })));
  }

  get size(): number {
    return this.streets.length;
  }

  /** The street whose outline contains (lon, lat), or null. */
  locate(lon: number, lat: number): { code: string; name: string } | null {
    if (!this.tree || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    let best: { s: StreetOutline; inside: boolean } | null = null;
    for (const i of this.tree.search(lon, lat, lon, lat)) {
      const s = this.streets[i]!;
      const where = pointInGeometry(lon, lat, s.geometry);
      if (where === OUTSIDE) continue;
      const inside = where === INSIDE;
      if (!best || (inside && !best.inside) || (inside === best.inside && s.code < best.s.code)) best = { s, inside };
    }
    return best ? { code: best.s.code, name: best.s.name } : null;
  }

  /** A street whose full name appears in a free-text address (e.g. “经八路街道…”), longest name first. */
  byAddress(text: string): { code: string; name: string } | null {
    let hit: StreetOutline | null = null;
    for (const s of this.streets) if (s.name.length >= 3 && text.includes(s.name) && (!hit || s.name.length > hit.name.length)) hit = s;
    return hit ? { code: hit.code, name: hit.name } : null;
  }

  name(code: string): string | null {
    return this.byCode.get(code)?.name ?? null;
  }
}
