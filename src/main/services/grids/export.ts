// Grid export: the store's grids as the GeoJSON the import reads (one Feature per grid, parents
// before children), so an exported file imports back unchanged; members and six-element counts as
// the CSV files their imports read.

import type { GridLevel } from '../../../shared/domain/ticket';
import { GRID_ELEMENTS, GRID_MEMBER_ROLE_LABELS, type GridMemberRole } from '../../../shared/domain/grid';
import type { NodeContext } from '../core/context';

const LEVEL_ORDER: Record<GridLevel, number> = { '1': 0, '2': 1, '3': 2, special: 3, micro: 4 };

export interface GridExport {
  geojson: { type: 'FeatureCollection'; features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }> };
  /** Grids left out because they have no polygon. */
  skipped: string[];
}

export async function exportGrids(ctx: NodeContext): Promise<GridExport> {
  const rows = await ctx.store.db.selectFrom('grids').selectAll().orderBy('code').execute();
  const codeOf = new Map(rows.map((r) => [r.id, r.code]));
  rows.sort((a, b) => (LEVEL_ORDER[a.level as GridLevel] ?? 9) - (LEVEL_ORDER[b.level as GridLevel] ?? 9) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const features: GridExport['geojson']['features'] = [];
  const skipped: string[] = [];
  for (const r of rows) {
    if (!r.polygon) {
      skipped.push(r.code);
      continue;
    }
    let props: Record<string, unknown> = {};
    try {
      props = r.props ? (JSON.parse(r.props) as Record<string, unknown>) : {};
    } catch {
      props = {};
    }
    const properties: Record<string, unknown> = {
      code: r.code,
      name: r.name,
      level: r.level,
      parent: r.parent_id ? (codeOf.get(r.parent_id) ?? null) : null,
    };
    if (r.households != null) properties.households = r.households;
    if (r.population != null) properties.population = r.population;
    for (const [k, v] of Object.entries(props)) if (!(k in properties) && k !== 'households' && k !== 'population') properties[k] = v;
    features.push({ type: 'Feature', properties, geometry: JSON.parse(r.polygon) as unknown });
  }
  return { geojson: { type: 'FeatureCollection', features }, skipped };
}

/** GeoJSON text with one feature per line: diff-friendly, and still one JSON document. */
export function geojsonText(fc: GridExport['geojson']): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

function csvCell(v: unknown): string {
  const s = v == null ? '' : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',');

/** Members as CSV (UTF-8 with BOM, so Excel opens it as Chinese): 网格编码,姓名,角色,电话,单位. */
export async function exportGridMembersCsv(ctx: NodeContext): Promise<string> {
  const rows = await ctx.store.db
    .selectFrom('grid_members')
    .innerJoin('grids', 'grids.id', 'grid_members.grid_id')
    .innerJoin('staff', 'staff.id', 'grid_members.staff_id')
    .leftJoin('units', 'units.id', 'staff.unit_id')
    .select(['grids.code as grid', 'staff.name', 'staff.phone', 'grid_members.role', 'units.code as unit'])
    .orderBy('grids.code')
    .orderBy('grid_members.sort')
    .orderBy('staff.name')
    .execute();
  const lines = [csvLine(['网格编码', '姓名', '角色', '电话', '单位'])];
  for (const r of rows) lines.push(csvLine([r.grid, r.name, GRID_MEMBER_ROLE_LABELS[r.role as GridMemberRole] ?? r.role, r.phone, r.unit]));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** Six-element counts as CSV: 网格编码 and one column per kind (its Chinese label). */
export async function exportGridElementsCsv(ctx: NodeContext): Promise<string> {
  const rows = await ctx.store.db
    .selectFrom('grid_elements')
    .innerJoin('grids', 'grids.id', 'grid_elements.grid_id')
    .select(['grids.code as grid', 'grid_elements.kind', 'grid_elements.count'])
    .orderBy('grids.code')
    .execute();
  const byGrid = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byGrid.get(r.grid) ?? new Map<string, number>();
    m.set(r.kind, r.count);
    byGrid.set(r.grid, m);
  }
  const lines = [csvLine(['网格编码', ...GRID_ELEMENTS.map((e) => e.label)])];
  for (const [grid, m] of byGrid) lines.push(csvLine([grid, ...GRID_ELEMENTS.map((e) => m.get(e.kind) ?? '')]));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
