// The demo street generator: 经八路街道 (410105001, 金水区, 郑州市) with its real 11 communities, 53
// grids, the units tickets go to, staff and demo accounts, a 12345/数字城管 dispatch catalog, and
// two years of tickets with full, state-machine-legal timelines. Deterministic for a given seed
// and `now` (apart from password salts). Seeded history has no outbox rows: it counts as synced.

import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../db/store';
import { all, exec, run } from '../db/sqlite3Dialect';
import { AppError } from '../services/core/errors';
import { hashPassword } from '../services/auth/passwords';
import { Calendar, cstMidnight } from '../../shared/domain/calendar';
import { CHANNEL_LABELS, type Channel } from '../../shared/domain/ticket';
import { indexText } from '../../shared/text/searchTokens';
import { BulkInserter } from './bulk';
import { deferPerRowSchema, firstFacts, restorePerRowSchema } from './bulkLoad';
import { CATALOG } from './catalog';
import {
  COMMUNITIES,
  OUTLINE_RING,
  SPECIAL_GRIDS,
  STREET,
  ROADS,
  cnOrdinal,
  gridRects,
  microRects,
  nearRoads,
  roadLine,
  polygonJson,
  rectRing,
  ringAreaM2,
  ringBBox,
  uvToLonLat,
} from './geo';
import { TicketGenerator, type GenOrg, type GeneratedTicket, type GridRuntime } from './generate';
import type { ActorRef, LeafRuntime, World } from './lifecycle';
import { DEMO_USERS, UNITS, WANGGE_GRID_CODE, landline, mobile, personName } from './org';
import { Rng } from './prng';
import { seedGridPeople, type GridPeopleSeeder } from './gridPeople';

export { DEMO_USERS, demoUsers, type DemoUserDef } from './org';

export interface SeedOptions {
  /** Number of tickets (default 40,000). */
  tickets?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** The present: tickets cover the two years before it (default Date.now()). */
  now?: number;
  onProgress?: (msg: string) => void;
  /**
   * Bulk load (default true): the per-row roll-up and event triggers and the secondary indexes of
   * tickets and events are set aside while the tickets go in, and the indexes, a recount of the
   * roll-ups and the triggers are put back at the end (./bulkLoad.ts). false keeps them live for
   * every row — the same store, much slower; the reference the bulk path is tested against.
   */
  bulk?: boolean;
}

export interface SeedResult {
  tickets: number;
  events: number;
  ms: number;
}

export const DEFAULT_DEMO_TICKETS = 40_000;
export const MAX_DEMO_TICKETS = 5_000_000;
const BATCH = 20_000;
const DAY = 86_400_000;
export const STREET_CODE_PREFIX = 'JB';

const PLATFORM_ACTORS: Partial<Record<Channel, string>> = {
  hotline12345: '市12345热线平台',
  zhenghaopai: '郑好拍平台',
  digitalCityMgmt: '数字城管平台',
  police110: '110指挥中心',
  mayorMailbox: '市长信箱',
  miniProgram: '城运小程序',
  propertyButler: '物业管家平台',
  videoAi: '视频AI预警平台',
  iotSensor: '物联感知平台',
};

const TICKET_COLUMNS = [
  'rowid', 'id', 'code', 'channel', 'external_ref', 'reporter_name', 'reporter_phone', 'type', 'description',
  'address', 'lon', 'lat', 'grid_id', 'category_id', 'ai_category_id', 'ai_confidence', 'ai_model_version',
  'category_source', 'urgency', 'is_micro', 'is_cross_boundary', 'status', 'unit_id', 'dispatch_mode',
  'accept_deadline', 'resolve_deadline', 'supervision_level', 'satisfaction', 'result', 'merged_into',
  'parent_id', 'reopen_count', 'return_count', 'created_by', 'created_at', 'updated_at', 'dispatched_at',
  'accepted_at', 'resolved_at', 'closed_at', 'version',
] as const;
/** Written by the bulk load with each row (live, the event triggers write them). */
const TICKET_FACT_COLUMNS = ['first_dispatch_at', 'first_resolve_at', 'first_resolve_role', 'has_extension'] as const;
const EVENT_COLUMNS = [
  'id', 'ticket_id', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_name', 'actor_role',
  'unit_id', 'at', 'reason', 'data',
] as const;

/** Fills an empty street store with the demo street. Refuses a store that has a street or tickets. */
export async function seedDemoStreet(store: Store, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const total = opts.tickets ?? DEFAULT_DEMO_TICKETS;
  if (!Number.isInteger(total) || total < 0 || total > MAX_DEMO_TICKETS)
    throw new AppError('badArgument', `演示工单数量须为 0 到 ${MAX_DEMO_TICKETS} 之间的整数`, { detail: `tickets=${String(total)}` });
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new AppError('badArgument', '随机种子须为整数', { detail: `seed=${String(seed)}` });
  const now = opts.now ?? Date.now();
  if (!Number.isFinite(now)) throw new AppError('badArgument', '当前时间无效', { detail: `now=${String(now)}` });
  const progress = opts.onProgress ?? (() => undefined);
  const raw = store.raw;

  const [counts] = await all<{ streets: number; tickets: number }>(
    raw,
    'SELECT (SELECT count(*) FROM street) AS streets, (SELECT count(*) FROM tickets) AS tickets',
  );
  if (counts && (counts.streets > 0 || counts.tickets > 0))
    throw new AppError('storeNotEmpty', '数据库中已有街道或工单数据，不能再生成演示街道', {
      detail: `${store.file} already has ${counts.streets} street row(s) and ${counts.tickets} ticket(s)`,
    });

  await exec(raw, 'PRAGMA synchronous = OFF');
  try {
    progress('街道、网格、单位、人员和派单目录…');
    // Micro-grids, grid members and six-element counts draw from their own stream, so adding them
    // left the rest of the street (and every ticket) exactly as it was.
    const org = await seedOrganisation(store, new Rng(seed), now, new Rng((seed ^ 0x27d4eb2f) >>> 0));
    const bulk = opts.bulk ?? true;
    const deferred = bulk ? await deferPerRowSchema(raw) : null;
    let r: { tickets: number; events: number };
    try {
      r = await seedTickets(store, org, new Rng((seed ^ 0x5bd1e995) >>> 0), total, now, progress, started, bulk);
    } catch (err) {
      // Whatever went in, the store keeps its schema (and roll-ups that count it).
      if (deferred) await restorePerRowSchema(raw, deferred).catch(() => undefined);
      throw err;
    }
    if (deferred) {
      const t = performance.now();
      await restorePerRowSchema(raw, deferred, progress);
      progress(`索引与统计汇总 ${((performance.now() - t) / 1000).toFixed(1)} 秒`);
    }
    await exec(raw, 'PRAGMA wal_checkpoint(TRUNCATE)');
    return { tickets: r.tickets, events: r.events, ms: Math.round(performance.now() - started) };
  } finally {
    await exec(raw, 'PRAGMA synchronous = FULL').catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Street, grids, units, staff, users, catalog, settings — one transaction.

interface OrgBuild extends GenOrg {
  worldRef: { gen: TicketGenerator | null };
}

async function seedOrganisation(store: Store, rng: Rng, now: number, peopleRng: Rng): Promise<OrgBuild> {
  const raw = store.raw;
  const t0 = cstMidnight(now) - 740 * DAY;
  const bytes = new Uint8Array(16);
  const newId = () => uuidv7({ msecs: t0, random: rng.bytes(bytes) });
  const cal = new Calendar();

  await exec(raw, 'BEGIN IMMEDIATE');
  try {
    const ins = async (table: string, row: Record<string, unknown>) => {
      const cols = Object.keys(row);
      await run(raw, `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`, Object.values(row));
    };

    // Street
    const center = uvToLonLat(0.5, 0.5);
    await ins('street', {
      id: newId(),
      code: STREET.code,
      name: STREET.name,
      district: STREET.district,
      city: STREET.city,
      center_lon: Math.round(center[0] * 1e7) / 1e7,
      center_lat: Math.round(center[1] * 1e7) / 1e7,
      area_km2: STREET.areaKm2,
      population: STREET.population,
    });

    // Units
    const unitIds = new Map<string, string>();
    const unitShort = new Map<string, string>();
    for (const u of UNITS) {
      const id = newId();
      unitIds.set(u.code, id);
      unitShort.set(id, u.short);
      await ins('units', { id, code: u.code, name: u.name, kind: u.kind, parent_id: null, phone: landline(rng), active: 1 });
    }
    const unitId = (code: string) => {
      const id = unitIds.get(code);
      if (!id) throw new Error(`demo catalog names unknown unit ${code}`);
      return id;
    };

    // Households and population of level-3 grids, scaled to the street's official totals.
    const layout = COMMUNITIES.map((c) => ({ c, rects: gridRects(c), hh: [] as number[], pop: [] as number[] }));
    const rawHh = layout.map((l) => l.rects.map(() => rng.range(0.7, 1.3) * (l.c.name === '任砦社区' ? 1.35 : 1)));
    const hhSum = rawHh.flat().reduce((a, b) => a + b, 0);
    layout.forEach((l, i) => {
      l.hh = rawHh[i]!.map((x) => Math.round((x / hhSum) * STREET.households));
      l.pop = l.hh.map((h) => h * rng.range(2.45, 2.85));
    });
    const popSum = layout.flatMap((l) => l.pop).reduce((a, b) => a + b, 0);
    layout.forEach((l) => (l.pop = l.pop.map((p) => Math.round((p / popSum) * STREET.population))));

    // Grids
    const insGrid = async (g: {
      id: string; code: string; name: string; level: string; parent: string | null;
      ring: Array<[number, number]>; households: number | null; population: number | null; props: unknown;
    }) => {
      const bb = ringBBox(g.ring);
      await ins('grids', {
        id: g.id, code: g.code, name: g.name, level: g.level, parent_id: g.parent, polygon: polygonJson(g.ring),
        min_lon: bb.minLon, min_lat: bb.minLat, max_lon: bb.maxLon, max_lat: bb.maxLat,
        households: g.households, population: g.population, area_m2: Math.round(ringAreaM2(g.ring)),
        props: g.props == null ? null : JSON.stringify(g.props),
      });
    };
    const people: GridPeopleSeeder = seedGridPeople({ ins, insGrid, rng: peopleRng, t0 });
    const streetGridId = newId();
    await insGrid({
      id: streetGridId, code: STREET.code, name: STREET.name, level: '1', parent: null, ring: OUTLINE_RING,
      households: STREET.households, population: STREET.population, props: { district: STREET.district, city: STREET.city },
    });

    // Staff (and, for demo accounts, their users). Every actor in a timeline is a staff member;
    // those with an account act under their user id.
    const demoLeft = new Map(DEMO_USERS.map((u) => [u.username, u]));
    const demoFor = (post: string, unitCode: string | null) =>
      DEMO_USERS.find((u) => u.post === post && u.unitCode === unitCode && demoLeft.has(u.username))?.username;
    const userRows: Array<{ def: (typeof DEMO_USERS)[number]; staffId: string; id: string }> = [];
    const addStaff = async (name: string, role: string, unitCode: string | null, gridId: string | null, demoUsername?: string): Promise<ActorRef & { staffId: string }> => {
      const demo = demoUsername ? demoLeft.get(demoUsername) : undefined;
      if (demo) demoLeft.delete(demo.username);
      const staffId = newId();
      const nm = demo?.displayName ?? name;
      await ins('staff', { id: staffId, name: nm, phone: mobile(rng), role, unit_id: unitCode ? unitId(unitCode) : null, grid_id: gridId });
      let actorId = staffId;
      if (demo) {
        actorId = newId();
        userRows.push({ def: demo, staffId, id: actorId });
      }
      const actorRole = role === 'gridOfficer' ? 'gridOfficer' : role === 'operator' ? 'operator' : role === 'leader' ? 'leader' : 'unit';
      return { id: actorId, name: nm, role: actorRole, unitId: unitCode ? unitId(unitCode) : null, staffId };
    };

    const grids: GridRuntime[] = [];
    const unitActors = new Map<string, ActorRef>();
    for (const [ci, l] of layout.entries()) {
      const c = l.c;
      const cRing = rectRing(c.rect);
      const cId = newId();
      await insGrid({
        id: cId, code: c.code, name: c.name, level: '2', parent: streetGridId, ring: cRing,
        households: l.hh.reduce((a, b) => a + b, 0), population: l.pop.reduce((a, b) => a + b, 0),
        props: { committee: `${c.name}居委会` },
      });
      const gl = await addStaff(personName(rng), 'gridLeader', c.code, cId, demoFor('gridLeader', c.code));
      unitActors.set(unitId(c.code), { id: gl.id, name: gl.name, role: 'unit', unitId: unitId(c.code) });
      await addStaff(personName(rng), 'communitySecretary', c.code, cId);
      const police = await addStaff(personName(rng), 'communityPolice', 'ZZGA-JS-JBL', cId);
      const community = await people.community({ gridId: cId, unitId: unitId(c.code), leaderStaffId: gl.staffId, policeStaffId: police.staffId, policeUnitId: unitId('ZZGA-JS-JBL') });
      for (const [gi, r] of l.rects.entries()) {
        const gId = newId();
        const code = `${c.code}${String(gi + 1).padStart(2, '0')}`;
        const roads = nearRoads(r);
        const compounds = [c.compounds[gi % c.compounds.length]!, c.compounds[(gi + 1) % c.compounds.length]!];
        await insGrid({
          id: gId, code, name: `${c.name}第${cnOrdinal(gi)}网格`, level: '3', parent: cId, ring: rectRing(r),
          households: l.hh[gi]!, population: l.pop[gi]!, props: { roads: [...roads.ns, ...roads.ew], compounds },
        });
        const nOfficers = code === WANGGE_GRID_CODE || rng.chance(0.45) ? 2 : 1;
        const officers: ActorRef[] = [];
        const officerStaff: string[] = [];
        for (let k = 0; k < nOfficers; k++) {
          const s = await addStaff(personName(rng), 'gridOfficer', c.code, gId, code === WANGGE_GRID_CODE && k === 0 ? 'wangge' : undefined);
          officers.push({ id: s.id, name: s.name, role: 'gridOfficer', unitId: s.unitId });
          officerStaff.push(s.staffId);
        }
        // Micro-grids of 50–70 households tiling the grid, its members and six-element counts.
        const microRings = await people.grid({
          community, gridId: gId, code, name: `${c.name}第${cnOrdinal(gi)}网格`, households: l.hh[gi]!, population: l.pop[gi]!,
          officerStaffIds: officerStaff, compounds, rects: (n) => microRects(r, n).map(rectRing),
        });
        grids.push({
          cellAt: microRings.cellAt,
          id: gId, code, communityIndex: ci, communityUnitId: unitId(c.code), rect: r, population: l.pop[gi]!, officers,
          place: { ns: roads.ns, ew: roads.ew, compounds: [...compounds, ...c.compounds], landmarks: c.landmarks, rect: r },
        });
      }
    }
    for (const s of SPECIAL_GRIDS) {
      await insGrid({ id: newId(), code: s.code, name: s.name, level: 'special', parent: streetGridId, ring: rectRing(s.rect), households: null, population: null, props: { kind: s.kind } });
    }

    // Street staff and unit liaisons.
    const operators: ActorRef[] = [];
    for (const u of DEMO_USERS.filter((d) => d.role === 'operator')) operators.push(await addStaff(u.displayName, 'operator', null, null, u.username));
    const leader = await addStaff('', 'leader', null, null, demoFor('leader', null));
    await addStaff(personName(rng), 'leader', null, null);
    await addStaff(personName(rng), 'leader', null, null);
    for (const u of UNITS) {
      if (u.kind === 'community') continue;
      const a = await addStaff(personName(rng), 'unitLiaison', u.code, null, demoFor('unitLiaison', u.code));
      unitActors.set(unitId(u.code), { id: a.id, name: a.name, role: 'unit', unitId: a.unitId });
    }
    if (demoLeft.size) throw new Error(`demo users without staff: ${[...demoLeft.keys()].join(', ')}`);

    for (const u of userRows) {
      await ins('users', {
        id: u.id, username: u.def.username, display_name: u.def.displayName, role: u.def.role,
        unit_id: u.def.unitCode ? unitId(u.def.unitCode) : null, staff_id: u.staffId,
        password_hash: hashPassword(u.def.password), active: 1, created_at: t0,
      });
    }

    // Catalog
    const leaves: LeafRuntime[] = [];
    let sort = 0;
    for (const top of CATALOG) {
      const topId = newId();
      await ins('catalog', {
        id: topId, code: top.code, name: top.name, parent_id: null, path: top.name, is_leaf: 0, default_unit_id: null,
        accept_within_hours: 2, resolve_within: 5, resolve_unit: 'workDays', is_micro: 0, is_consultation: 0, sort: sort++, active: 1,
      });
      for (const l of top.leaves) {
        const id = newId();
        const community = l.unit === 'COMMUNITY';
        // Community-level leaves: the street's community office is the catalog default; the
        // operator usually designates the committee of the ticket's community instead.
        const defaultUnitId = unitId(community ? 'JBJD-SQB' : l.unit);
        await ins('catalog', {
          id, code: l.code, name: l.name, parent_id: topId, path: `${top.name}/${l.name}`, is_leaf: 1, default_unit_id: defaultUnitId,
          accept_within_hours: l.acc, resolve_within: l.res, resolve_unit: l.ru, is_micro: l.micro ? 1 : 0,
          is_consultation: l.cons ? 1 : 0, sort: sort++, active: 1, route_to_community: community ? 1 : 0,
        });
        leaves.push({
          def: l, id, defaultUnitId, community,
          sla: { acceptWithinHours: l.acc, resolveWithin: l.res, resolveUnit: l.ru },
          altUnitIds: (l.alt ?? []).filter((a) => a !== 'COMMUNITY').map(unitId),
        });
      }
    }

    for (const road of ROADS) {
      await ins('basemap_features', { kind: 'road', name: road.name, geometry: JSON.stringify({ type: 'LineString', coordinates: roadLine(road) }), props: JSON.stringify({ dir: road.dir }) });
    }
    // Each community committee answers for its community's grid (one-click dispatch uses it).
    await exec(raw, "UPDATE units SET grid_id = (SELECT g.id FROM grids g WHERE g.code = units.code AND g.level = '2') WHERE kind = 'community'");
    await ins('settings', { key: 'runMode', value: JSON.stringify('daily') });
    await ins('settings', { key: 'street.codePrefix', value: JSON.stringify(STREET_CODE_PREFIX) });
    await exec(raw, 'COMMIT');

    const worldRef: { gen: TicketGenerator | null } = { gen: null };
    const system: ActorRef = { id: 'system', name: '系统', role: 'system', unitId: null };
    const world: World = {
      cal,
      now,
      operators,
      leader,
      system,
      unitActor: (id) => {
        const a = unitActors.get(id);
        if (!a) throw new Error(`no actor for unit ${id}`);
        return a;
      },
      newExtensionId: (at) => worldRef.gen!.newId(at),
    };
    const platforms = new Map<Channel, ActorRef>();
    return {
      grids,
      leaves,
      unitShort,
      world,
      worldRef,
      codePrefix: STREET_CODE_PREFIX,
      platform: (ch) => {
        let a = platforms.get(ch);
        if (!a) platforms.set(ch, (a = { id: null, name: PLATFORM_ACTORS[ch] ?? CHANNEL_LABELS[ch], role: 'system', unitId: null }));
        return a;
      },
    };
  } catch (err) {
    await exec(raw, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Tickets, their timelines, negotiations, extensions and full-text rows — in batches.

async function seedTickets(
  store: Store,
  org: OrgBuild,
  rng: Rng,
  total: number,
  now: number,
  progress: (m: string) => void,
  started: number,
  bulk: boolean,
): Promise<{ tickets: number; events: number }> {
  const raw = store.raw;
  const gen = new TicketGenerator(org, rng, total, now);
  org.worldRef.gen = gen;
  const w = {
    tickets: new BulkInserter(raw, 'tickets', bulk ? [...TICKET_COLUMNS, ...TICKET_FACT_COLUMNS] : TICKET_COLUMNS, 40),
    events: new BulkInserter(raw, 'ticket_events', EVENT_COLUMNS, 200),
    fts: new BulkInserter(raw, 'tickets_fts', ['rowid', 'body'], 400),
    neg: new BulkInserter(raw, 'ticket_negotiations', ['ticket_id', 'unit_id', 'round', 'response', 'reason', 'responded_at'], 100),
    ext: new BulkInserter(raw, 'ticket_extensions', ['id', 'ticket_id', 'unit_id', 'requested_by', 'days', 'reason', 'status', 'requested_at', 'decided_by', 'decided_at', 'decision_reason'], 100),
  };
  const writers = Object.values(w);
  let events = 0;
  let done = 0;

  const generate = (): GeneratedTicket[] => {
    const out: GeneratedTicket[] = [];
    for (let t: GeneratedTicket | null; out.length < BATCH && (t = gen.next()); ) out.push(t);
    return out;
  };

  // Tickets (and their full-text rows) go first; the rows that reference them are queued once the
  // tickets are in, so every foreign key is satisfied when its row is written. (Statements of
  // different tables run in any order in the driver; deferring the checks instead makes SQLite
  // scan for children on every parent insert, which is quadratic.)
  const queueTickets = (batch: GeneratedTicket[]) => {
    for (const t of batch) {
      const o = t.outcome;
      const cat = o.categoryKnown ? t.leaf.id : null;
      const row: unknown[] = [
        t.rowid, t.id, t.code, t.channel, t.externalRef, t.reporterName, t.reporterPhone, t.type, t.description,
        t.address, t.lon, t.lat, t.gridId, cat, t.aiCategoryId, t.aiConfidence, t.aiModelVersion,
        t.categorySource, t.urgency, cat && t.leaf.def.micro ? 1 : 0, o.isCrossBoundary ? 1 : 0, o.status, o.unitId, o.dispatchMode,
        o.acceptDeadline, o.resolveDeadline, o.supervisionLevel, o.satisfaction, o.result, o.mergedInto,
        null, o.reopenCount, o.returnCount, o.createdBy, t.createdAt, o.updatedAt, o.dispatchedAt,
        o.acceptedAt, o.resolvedAt, o.closedAt, t.version,
      ];
      if (bulk) {
        const f = firstFacts(o.events);
        row.push(f.firstDispatchAt, f.firstResolveAt, f.firstResolveRole, o.extensions.length > 0 ? 1 : 0);
      }
      w.tickets.add(...row);
      w.fts.add(t.rowid, indexText(t.code, t.description, t.address, t.externalRef));
    }
  };
  const queueRest = (batch: GeneratedTicket[]) => {
    for (const t of batch) {
      const o = t.outcome;
      let seq = 0;
      for (const e of o.events) {
        w.events.add(
          gen.newId(e.at), t.id, ++seq, e.action, e.from, e.to, e.actor.id, e.actor.name, e.actor.role,
          e.unitId, e.at, e.reason, e.data,
        );
      }
      events += seq;
      for (const n of o.negotiations) w.neg.add(t.id, n.unitId, n.round, n.response, n.reason, n.respondedAt);
      for (const x of o.extensions)
        w.ext.add(x.id, t.id, x.unitId, x.requestedBy, x.days, x.reason, x.status, x.at, x.decidedBy, x.decidedAt, x.decisionReason);
    }
  };

  let batch = generate();
  try {
    while (batch.length) {
      await exec(raw, 'BEGIN IMMEDIATE');
      try {
        queueTickets(batch);
        await w.tickets.drain();
        queueRest(batch);
        done += batch.length;
        // Generate the next batch while SQLite writes this one.
        const next = generate();
        for (const x of writers) await x.drain();
        await exec(raw, 'COMMIT');
        batch = next;
      } catch (err) {
        for (const x of writers) await x.drain().catch(() => undefined);
        await exec(raw, 'ROLLBACK').catch(() => undefined);
        throw err;
      }
      const s = ((performance.now() - started) / 1000).toFixed(1);
      progress(`工单 ${done}/${total}（${Math.round((done / Math.max(1, total)) * 100)}%），事件 ${events}，${s} 秒`);
    }
  } finally {
    for (const x of writers) await x.finalize();
  }
  return { tickets: done, events };
}
