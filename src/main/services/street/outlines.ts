// The bundled street outlines (src/shared/data/street-outlines.geojson, WGS-84): where a new real
// street's store gets its outline from. Read from the source tree, so only the command line
// (`npm run street -- init`, run by tsx) uses it; the node itself never reads it.

import fs from 'node:fs';
import path from 'node:path';
import type { AreaGeometry } from '../../../shared/geo/geometry';

export const STREET_OUTLINES_FILE = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'street-outlines.geojson');

/** The outline of the street with this 9-digit code, or null where the bundled file has none. */
export function bundledOutline(code: string, file = STREET_OUTLINES_FILE): AreaGeometry | null {
  if (!fs.existsSync(file)) return null;
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features?: Array<{ properties?: { code?: unknown }; geometry?: AreaGeometry }> };
  const f = (fc.features ?? []).find((x) => String(x.properties?.code ?? '') === code);
  const g = f?.geometry;
  return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null;
}
