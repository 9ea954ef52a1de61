// The demo street's grid system: micro-grids of 50–70 households tiling every level-3 grid, the
// whole hierarchy passing the import's validation, tickets filed under the grid the lookup finds,
// members and six-element counts for every grid, roads for the basemap.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/db/store';
import { all } from '../../src/main/db/sqlite3Dialect';
import { seedDemoStreet } from '../../src/main/demo/seed';
import { createContext, type NodeContext } from '../../src/main/services/core/context';
import { silentLogger } from '../../src/main/services/core/log';
import { exportGrids } from '../../src/main/services/grids/export';
import { importGrids } from '../../src/main/services/grids/import';
import { basemap } from '../../src/main/services/grids/queries';
import { gridIndexFor } from '../../src/main/services/grids/lookup';
import { GRID_ELEMENT_KINDS } from '../../src/shared/domain/grid';
import { tempDir } from '../support/fixture';

let store: Store;
let ctx: NodeContext;
const q = <R = Record<string, unknown>>(sql: string) => all<R>(store.raw, sql);

beforeAll(async () => {
  store = await openStore(path.join(tempDir(), 'demo.sqlite'));
  await seedDemoStreet(store, { tickets: 600, now: Date.parse('2026-11-23T10:30:00+08:00') });
  ctx = createContext(store, { log: silentLogger });
});
afterAll(async () => {
  await store.close();
});

describe('demo street grids', () => {
  it('micro-grids of 50–70 households tile every level-3 grid', async () => {
    const grids = await q<{ id: string; level: string; parent_id: string; households: number; population: number; area_m2: number }>('SELECT id, level, parent_id, households, population, area_m2 FROM grids');
    const micro = grids.filter((g) => g.level === 'micro');
    const l3 = grids.filter((g) => g.level === '3');
    expect(micro.length).toBeGreaterThan(400);
    for (const m of micro) {
      expect(m.households).toBeGreaterThanOrEqual(50);
      expect(m.households).toBeLessThanOrEqual(70);
    }
    for (const g of l3) {
      const kids = micro.filter((m) => m.parent_id === g.id);
      expect(kids.length).toBeGreaterThan(0);
      expect(kids.reduce((s, m) => s + m.households, 0)).toBe(g.households);
      expect(kids.reduce((s, m) => s + m.population, 0)).toBe(g.population);
      expect(Math.abs(kids.reduce((s, m) => s + m.area_m2, 0) - g.area_m2) / g.area_m2).toBeLessThan(0.01);
    }
  });

  it('the whole hierarchy passes the import rules (nesting, no overlapping siblings) and round-trips', async () => {
    const { geojson } = await exportGrids(ctx);
    const other = await openStore(path.join(tempDir(), 'copy.sqlite'));
    try {
      const r = await importGrids(createContext(other, { log: silentLogger }), geojson);
      expect(r.errors).toEqual([]);
      expect(r).toMatchObject({ ok: true, inserted: geojson.features.length, datum: { datum: 'wgs84' } });
    } finally {
      await other.close();
    }
  });

  it('files every ticket under the grid the point lookup finds', async () => {
    const index = await gridIndexFor(store.db, store);
    const tickets = await q<{ grid_id: string; lon: number; lat: number }>('SELECT grid_id, lon, lat FROM tickets');
    for (const t of tickets) expect(index.innermost(t.lon, t.lat)?.id).toBe(t.grid_id);
  });

  it('has members for every grid: leaders, officers and the community police nested into grids', async () => {
    const rows = await q<{ level: string; grid_id: string; roles: string }>(
      "SELECT g.level, g.id AS grid_id, group_concat(DISTINCT m.role) AS roles FROM grids g LEFT JOIN grid_members m ON m.grid_id = g.id WHERE g.level IN ('2', '3', 'micro') GROUP BY g.id",
    );
    for (const r of rows) {
      const roles = new Set((r.roles ?? '').split(','));
      if (r.level === '3') for (const role of ['gridLeader', 'fullTimeOfficer', 'partTimeOfficer', 'communityPolice', 'auxiliaryPolice']) expect(roles).toContain(role);
      else if (r.level === '2') for (const role of ['gridLeader', 'communityPolice', 'auxiliaryPolice']) expect(roles).toContain(role);
      else expect(roles).toContain('gridLeader');
    }
    // One community police officer serves every grid of the community.
    const police = await q<{ staff_id: string; n: number }>("SELECT staff_id, count(*) AS n FROM grid_members WHERE role = 'communityPolice' GROUP BY staff_id");
    expect(police).toHaveLength(11);
    for (const p of police) expect(p.n).toBeGreaterThanOrEqual(5);
    // The wangge demo account is a full-time officer of its grid.
    const w = await q("SELECT 1 FROM users u JOIN grid_members m ON m.staff_id = u.staff_id JOIN grids g ON g.id = m.grid_id WHERE u.username = 'wangge' AND m.role = 'fullTimeOfficer' AND g.code = '41010500100301'");
    expect(w).toHaveLength(1);
  });

  it('has six-element counts for every level-3 grid, and roads and labels for the basemap', async () => {
    const el = await q<{ n: number }>("SELECT count(DISTINCT kind) AS n FROM grid_elements e JOIN grids g ON g.id = e.grid_id WHERE g.level = '3' GROUP BY e.grid_id");
    expect(el).toHaveLength(53);
    for (const r of el) expect(r.n).toBe(GRID_ELEMENT_KINDS.length);
    const m = await basemap(ctx);
    expect(m.roads.features.map((r) => r.properties.name)).toContain('经八路');
    expect(m.roads.features).toHaveLength(13);
    expect(m.labels.filter((l) => l.kind === 'community')).toHaveLength(11);
    expect(m.outline?.type).toBe('Polygon');
  });
});
