// The demo street's micro-grids (微网格, 50–70 households each, tiling every level-3 grid), the
// people responsible for each grid (网格长, 专职/兼职网格员, and the community's 社区民警 and 辅警,
// who are members of every grid of their community), and six-element counts per level-3 grid.
// Draws from its own random stream so the rest of the demo street does not change with it.

import { v7 as uuidv7 } from 'uuid';
import { INSIDE, ON_BOUNDARY, pointInRing } from '../../shared/geo/geometry';
import type { GridElementKind } from '../../shared/domain/grid';
import { mobile, personName } from './org';
import type { Rng } from './prng';

type Ins = (table: string, row: Record<string, unknown>) => Promise<void>;
type InsGrid = (g: {
  id: string;
  code: string;
  name: string;
  level: string;
  parent: string | null;
  ring: Array<[number, number]>;
  households: number | null;
  population: number | null;
  props: unknown;
}) => Promise<void>;

export const MICRO_HOUSEHOLDS = { min: 50, max: 70, target: 60 } as const;

export interface CommunityPeople {
  gridId: string;
  unitId: string;
  policeStaffId: string;
  auxiliaryStaffIds: string[];
}

export interface GridPeopleSeeder {
  community(c: { gridId: string; unitId: string; leaderStaffId: string; policeStaffId: string; policeUnitId: string }): Promise<CommunityPeople>;
  grid(g: {
    community: CommunityPeople;
    gridId: string;
    code: string;
    name: string;
    households: number;
    population: number;
    officerStaffIds: string[];
    compounds: string[];
    /** Rings of n micro-grid rectangles tiling the grid. */
    rects: (n: number) => Array<Array<[number, number]>>;
  }): Promise<{ cellAt: (lon: number, lat: number) => string }>;
}

/** Splits `total` into `n` integers that differ by at most one. */
function split(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

export function seedGridPeople(o: { ins: Ins; insGrid: InsGrid; rng: Rng; t0: number }): GridPeopleSeeder {
  const { ins, insGrid, rng, t0 } = o;
  const bytes = new Uint8Array(16);
  const newId = () => uuidv7({ msecs: t0, random: rng.bytes(bytes) });
  const staff = async (role: string, unitId: string | null, gridId: string | null): Promise<string> => {
    const id = newId();
    await ins('staff', { id, name: personName(rng), phone: mobile(rng), role, unit_id: unitId, grid_id: gridId });
    return id;
  };
  const member = (gridId: string, staffId: string, role: string, sort: number) => ins('grid_members', { grid_id: gridId, staff_id: staffId, role, sort });

  return {
    async community(c) {
      const aux: string[] = [];
      const nAux = rng.chance(0.5) ? 2 : 1;
      for (let i = 0; i < nAux; i++) aux.push(await staff('auxiliaryPolice', c.policeUnitId, c.gridId));
      let sort = 0;
      await member(c.gridId, c.leaderStaffId, 'gridLeader', sort++);
      await member(c.gridId, c.policeStaffId, 'communityPolice', sort++);
      for (const a of aux) await member(c.gridId, a, 'auxiliaryPolice', sort++);
      return { gridId: c.gridId, unitId: c.unitId, policeStaffId: c.policeStaffId, auxiliaryStaffIds: aux };
    },

    async grid(g) {
      // Members: a grid leader from the community committee, the full-time officers, one or two
      // part-time officers (building leaders, volunteers), the community's police officers.
      let sort = 0;
      await member(g.gridId, await staff('gridLeader', g.community.unitId, g.gridId), 'gridLeader', sort++);
      for (const s of g.officerStaffIds) await member(g.gridId, s, 'fullTimeOfficer', sort++);
      const nPart = rng.chance(0.55) ? 2 : 1;
      for (let i = 0; i < nPart; i++) await member(g.gridId, await staff('partTimeOfficer', g.community.unitId, g.gridId), 'partTimeOfficer', sort++);
      await member(g.gridId, g.community.policeStaffId, 'communityPolice', sort++);
      for (const a of g.community.auxiliaryStaffIds) await member(g.gridId, a, 'auxiliaryPolice', sort++);

      // Six-element counts, scaled by households.
      const hh = g.households;
      const counts: Record<GridElementKind, number> = {
        keyCareResidents: Math.round(hh * rng.range(0.03, 0.06)),
        courtyards: rng.int(2, 6),
        buildings: Math.max(4, Math.round(hh / rng.range(30, 48))),
        manholeCovers: rng.int(24, 70),
        streetLights: rng.int(18, 55),
        fireHydrants: rng.int(2, 8),
        cameras: rng.int(12, 45),
        enterprises: rng.int(2, 22),
        shops: rng.int(10, 65),
        socialOrgs: rng.int(0, 3),
        partyOrgs: rng.int(1, 4),
      };
      for (const [kind, count] of Object.entries(counts)) await ins('grid_elements', { grid_id: g.gridId, kind, count, updated_at: t0 });

      // Micro-grids of 50–70 households.
      const n = Math.max(1, Math.round(hh / MICRO_HOUSEHOLDS.target));
      const hhs = split(hh, n);
      const pops = split(g.population, n);
      const rings = g.rects(n);
      const micro: Array<{ id: string; code: string; ring: Array<[number, number]> }> = [];
      for (let k = 0; k < n; k++) {
        if (hhs[k]! < MICRO_HOUSEHOLDS.min || hhs[k]! > MICRO_HOUSEHOLDS.max)
          throw new Error(`demo micro-grid of ${g.code} would have ${hhs[k]} households`);
        const id = newId();
        const code = `${g.code}${String(k + 1).padStart(2, '0')}`;
        const compound = g.compounds[k % g.compounds.length]!;
        await insGrid({ id, code, name: `${g.name}${k + 1}号微网格`, level: 'micro', parent: g.gridId, ring: rings[k]!, households: hhs[k]!, population: pops[k]!, props: { compound } });
        await member(id, await staff('microGridLeader', g.community.unitId, id), 'gridLeader', 0);
        micro.push({ id, code, ring: rings[k]! });
      }
      return {
        // The same answer as the point → grid lookup: a micro-grid strictly containing the point,
        // else the smallest code among those whose edge it is on, else the level-3 grid itself.
        cellAt(lon, lat) {
          let edge: string | null = null;
          for (const m of micro) {
            const r = pointInRing(lon, lat, m.ring);
            if (r === INSIDE) return m.id;
            if (r === ON_BOUNDARY && edge == null) edge = m.id;
          }
          return edge ?? g.gridId;
        },
      };
    },
  };
}
