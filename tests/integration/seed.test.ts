// The demo street generator against a real SQLite file: geography, catalog, channels, legal
// timelines, full-text search, seasonal rhythm, demo logins, determinism and the CLI.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/main/db/store';
import { all } from '../../src/main/db/sqlite3Dialect';
import { DEMO_USERS, demoUsers, seedDemoStreet, type SeedResult } from '../../src/main/demo/seed';
import { verifyPassword } from '../../src/main/services/auth/passwords';
import { getSetting } from '../../src/main/services/core/settings';
import { Calendar, CST_OFFSET_MS } from '../../src/shared/domain/calendar';
import { escalationLevel } from '../../src/shared/domain/deadline';
import {
  checkTransition,
  type ActionDetails,
  type Actor,
  type TicketAction,
  type TicketSnapshot,
} from '../../src/shared/domain/stateMachine';
import { CHANNELS, CITY_ONLY_CHANNELS, OPEN_STATUSES, type Role, type TicketStatus } from '../../src/shared/domain/ticket';
import { matchExpression } from '../../src/shared/text/searchTokens';

const NOW = Date.parse('2026-11-23T10:30:00+08:00');
const N = 3000;
// The street outline's bounding rectangle (feature 410105001 of the reference outlines).
const BOX = { minLon: 113.6641, maxLon: 113.6758, minLat: 34.7703, maxLat: 34.7796 };
const COMMUNITY_NAMES = ['体育社区', '科技社区', '教育社区', '省委社区', '广电社区', '商务社区', '省建社区', '军区社区', '文联社区', '建文社区', '任砦社区'];

let dir: string;
let store: Store;
let result: SeedResult;

interface TicketRow {
  rowid: number;
  id: string;
  code: string;
  status: TicketStatus;
  type: string;
  channel: string;
  category_id: string | null;
  is_micro: number;
  created_by: string | null;
  reporter_phone: string | null;
  created_at: number;
  resolve_deadline: number | null;
  supervision_level: number;
  satisfaction: string | null;
  grid_id: string;
  lon: number;
  lat: number;
  unit_id: string | null;
  version: number;
}
interface EventRow {
  id: string;
  ticket_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  unit_id: string | null;
  at: number;
  data: string;
}

const q = <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => all<R>(store.raw, sql, params);
const one = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await q<R>(sql, params))[0]!;

function pointInRing(lon: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-seed-'));
  store = await openStore(path.join(dir, 'street.sqlite'));
  result = await seedDemoStreet(store, { tickets: N, seed: 7, now: NOW });
}, 120_000);

afterAll(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('demo street seed', () => {
  it('reports what it wrote', async () => {
    expect(result.tickets).toBe(N);
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM tickets')).n).toBe(N);
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM ticket_events')).n).toBe(result.events);
    expect(result.events).toBeGreaterThan(N * 4);
    expect(result.ms).toBeGreaterThan(0);
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM outbox')).n).toBe(0);
    const street = await one<{ code: string; name: string; district: string; city: string }>('SELECT * FROM street');
    expect(street).toMatchObject({ code: '410105001', name: '经八路街道', district: '金水区', city: '郑州市' });
    const settings = Object.fromEntries((await q<{ key: string; value: string }>('SELECT key, value FROM settings')).map((r) => [r.key, JSON.parse(r.value)]));
    expect(settings).toMatchObject({ runMode: 'daily', 'street.codePrefix': 'JB' });
  });

  it('tiles the street with 11 real communities and 53 grids inside its outline', async () => {
    const grids = await q<{ id: string; code: string; name: string; level: string; parent_id: string | null; polygon: string; min_lon: number; max_lon: number; min_lat: number; max_lat: number; area_m2: number; population: number | null; households: number | null }>(
      'SELECT * FROM grids',
    );
    const byLevel = (l: string) => grids.filter((g) => g.level === l);
    expect(byLevel('1')).toHaveLength(1);
    const communities = byLevel('2');
    expect(communities.map((c) => c.name).sort()).toEqual([...COMMUNITY_NAMES].sort());
    for (const c of communities) expect(c.code).toMatch(/^410105001\d{3}$/);
    const l3 = byLevel('3');
    expect(l3.length).toBeGreaterThanOrEqual(50);
    expect(l3.length).toBeLessThanOrEqual(56);
    expect(byLevel('special').length).toBeGreaterThanOrEqual(3);
    const byId = new Map(grids.map((g) => [g.id, g]));
    for (const g of grids) {
      const poly = JSON.parse(g.polygon) as { type: string; coordinates: number[][][] };
      expect(poly.type).toBe('Polygon');
      const ring = poly.coordinates[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThanOrEqual(BOX.minLon);
        expect(lon).toBeLessThanOrEqual(BOX.maxLon);
        expect(lat).toBeGreaterThanOrEqual(BOX.minLat);
        expect(lat).toBeLessThanOrEqual(BOX.maxLat);
      }
      expect(g.min_lon).toBeLessThan(g.max_lon);
      expect(g.min_lat).toBeLessThan(g.max_lat);
      expect(g.area_m2).toBeGreaterThan(0);
    }
    for (const g of l3) {
      const parent = byId.get(g.parent_id!)!;
      expect(parent.level).toBe('2');
      expect(g.code.startsWith(parent.code)).toBe(true);
      expect(g.name.startsWith(parent.name)).toBe(true);
    }
    // A tiling: the parts add up to the whole.
    const sum = (gs: typeof grids) => gs.reduce((s, g) => s + g.area_m2, 0);
    const street = byLevel('1')[0]!;
    expect(Math.abs(sum(communities) - street.area_m2) / street.area_m2).toBeLessThan(0.01);
    expect(Math.abs(sum(l3) - street.area_m2) / street.area_m2).toBeLessThan(0.01);
    const pop = l3.reduce((s, g) => s + (g.population ?? 0), 0);
    expect(pop).toBeGreaterThan(80_000);
    expect(pop).toBeLessThan(92_000);
  });

  it('places every ticket inside its grid: a micro-grid of a level-3 grid', async () => {
    const grids = await q<{ id: string; level: string; parent_id: string | null; polygon: string }>("SELECT id, level, parent_id, polygon FROM grids WHERE level IN ('3', 'micro')");
    const byId = new Map(grids.map((g) => [g.id, g]));
    const ringOf = (id: string) => (JSON.parse(byId.get(id)!.polygon) as { coordinates: number[][][] }).coordinates[0]!;
    const tickets = await q<{ grid_id: string; lon: number; lat: number }>('SELECT grid_id, lon, lat FROM tickets');
    for (const t of tickets) {
      const g = byId.get(t.grid_id);
      expect(g).toBeDefined();
      // The innermost grid (a micro-grid) unless the point sits in a sliver the micro-grids leave.
      if (g!.level === 'micro') expect(byId.get(g!.parent_id!)!.level).toBe('3');
      expect(pointInRing(t.lon, t.lat, ringOf(t.grid_id)) || pointInRing(t.lon, t.lat, ringOf(g!.parent_id ?? t.grid_id))).toBe(true);
    }
    expect(tickets.filter((t) => byId.get(t.grid_id)!.level === 'micro').length).toBeGreaterThan(tickets.length * 0.99);
  });

  it('has a catalog of ≥ 60 leaves under ≥ 10 top categories, each with a default unit', async () => {
    const cat = await q<{ id: string; parent_id: string | null; is_leaf: number; default_unit_id: string | null; path: string; resolve_unit: string; is_consultation: number; is_micro: number }>(
      'SELECT * FROM catalog',
    );
    const units = new Set((await q<{ id: string }>('SELECT id FROM units')).map((u) => u.id));
    const tops = cat.filter((c) => c.parent_id == null);
    const leaves = cat.filter((c) => c.is_leaf === 1);
    expect(tops.length).toBeGreaterThanOrEqual(10);
    expect(tops.every((t) => t.is_leaf === 0)).toBe(true);
    expect(leaves.length).toBeGreaterThanOrEqual(60);
    const topIds = new Set(tops.map((t) => t.id));
    for (const l of leaves) {
      expect(topIds.has(l.parent_id!)).toBe(true);
      expect(l.default_unit_id && units.has(l.default_unit_id)).toBe(true);
      expect(l.path).toMatch(/^[^/]+\/[^/]+$/);
    }
    const paths = new Set(leaves.map((l) => l.path));
    for (const p of ['市容环境/暴露垃圾', '宣传广告/非法小广告', '街面秩序/占道经营', '公共设施/井盖破损(缺失)', '供暖/暖气不热', '燃气/燃气泄漏', '物业管理/电梯故障', '教育/入学咨询'])
      expect(paths.has(p)).toBe(true);
    expect(leaves.find((l) => l.path === '燃气/燃气泄漏')!.resolve_unit).toBe('hours');
    expect(leaves.filter((l) => l.is_consultation).length).toBeGreaterThanOrEqual(5);
    expect(leaves.filter((l) => l.is_micro).length).toBeGreaterThanOrEqual(4);
    const kinds = await q<{ kind: string; n: number }>('SELECT kind, count(*) AS n FROM units GROUP BY kind');
    expect(kinds.map((k) => k.kind).sort()).toEqual(['community', 'department', 'enterprise', 'street']);
    expect(kinds.find((k) => k.kind === 'community')!.n).toBe(11);
    const nUnits = kinds.reduce((s, k) => s + k.n, 0);
    expect(nUnits).toBeGreaterThanOrEqual(30);
    expect(nUnits).toBeLessThanOrEqual(45);
  });

  it('uses every channel a street takes in by itself, 12345 the most', async () => {
    const rows = await q<{ channel: string; n: number }>('SELECT channel, count(*) AS n FROM tickets GROUP BY channel ORDER BY n DESC');
    // Open311 requests reach a street only through the city.
    expect(rows.map((r) => r.channel).sort()).toEqual(CHANNELS.filter((c) => !CITY_ONLY_CHANNELS.includes(c)).sort());
    expect(rows[0]!.channel).toBe('hotline12345');
  });

  it('gives tickets and events unique ids and codes, rowid in time order', async () => {
    const t = await one<{ n: number; ids: number; codes: number }>('SELECT count(*) AS n, count(DISTINCT id) AS ids, count(DISTINCT code) AS codes FROM tickets');
    expect(t.ids).toBe(t.n);
    expect(t.codes).toBe(t.n);
    const e = await one<{ n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ticket_events');
    expect(e.ids).toBe(e.n);
    const disorder = await one<{ n: number }>(
      'SELECT count(*) AS n FROM (SELECT created_at, lag(created_at) OVER (ORDER BY rowid) AS prev FROM tickets) WHERE created_at < prev',
    );
    expect(disorder.n).toBe(0);
    const codes = await q<{ code: string }>('SELECT code FROM tickets LIMIT 5');
    for (const c of codes) expect(c.code).toMatch(/^JB-\d{8}-\d{4}$/);
    // UUIDv7 ids sort by time.
    const first = await one<{ id: string; created_at: number }>('SELECT id, created_at FROM tickets ORDER BY rowid LIMIT 1');
    expect(first.id[14]).toBe('7');
    expect(parseInt(first.id.replace(/-/g, '').slice(0, 12), 16)).toBe(first.created_at);
  });

  it('replays every timeline legally through the state machine to the ticket status', async () => {
    const tickets = await q<TicketRow>('SELECT rowid, * FROM tickets');
    const events = await q<EventRow>('SELECT * FROM ticket_events ORDER BY ticket_id, seq');
    const cons = new Map((await q<{ id: string; is_consultation: number }>('SELECT id, is_consultation FROM catalog')).map((c) => [c.id, !!c.is_consultation]));
    // Who each actor is: users act under their user id, staff without an account under the staff id.
    const actorUnit = new Map<string, string | null>();
    for (const r of await q<{ id: string; unit_id: string | null }>('SELECT id, unit_id FROM staff UNION ALL SELECT id, unit_id FROM users'))
      actorUnit.set(r.id, r.unit_id);
    const byTicket = new Map<string, EventRow[]>();
    for (const e of events) {
      let list = byTicket.get(e.ticket_id);
      if (!list) byTicket.set(e.ticket_id, (list = []));
      list.push(e);
    }
    const failures: string[] = [];
    const seen = new Map<string, number>();
    for (const t of tickets) {
      const evs = byTicket.get(t.id) ?? [];
      const fail = (msg: string) => failures.push(`${t.code}: ${msg}`);
      if (!evs.length) {
        fail('no events');
        continue;
      }
      if (evs[0]!.action !== 'report' || evs[0]!.from_status !== null || evs[0]!.to_status !== 'reported') fail('does not start with report');
      if (evs[0]!.at !== t.created_at) fail('report time is not the creation time');
      const snap: TicketSnapshot = {
        status: 'reported',
        unitId: null,
        pendingNegotiationUnitIds: [],
        isConsultation: t.type === 'consultation' || (t.category_id ? !!cons.get(t.category_id) : false),
        isMicro: !!t.is_micro,
        hasCategory: !!t.category_id,
        reportedByUserId: t.created_by,
        hasPendingExtension: false,
        callbackDone: false,
        callbackPossible: !!t.reporter_phone,
      };
      for (let i = 0; i < evs.length; i++) {
        const e = evs[i]!;
        if (e.seq !== i + 1) fail(`seq ${e.seq} at position ${i + 1}`);
        if (i > 0 && e.at < evs[i - 1]!.at) fail(`event ${e.seq} goes back in time`);
        if (e.at > NOW) fail(`event ${e.seq} is in the future`);
        if (i === 0) continue;
        if (e.from_status !== snap.status) fail(`event ${e.seq} from ${e.from_status}, ticket was ${snap.status}`);
        const data = JSON.parse(e.data) as Record<string, unknown>;
        if (e.actor_role !== 'system' && !actorUnit.has(e.actor_id ?? '')) fail(`event ${e.seq} by unknown actor ${e.actor_id}`);
        const unitOfActor = actorUnit.get(e.actor_id ?? '') ?? null;
        if (e.actor_role === 'unit' && e.unit_id !== unitOfActor) fail(`event ${e.seq} unit_id differs from the actor's unit`);
        const actor: Actor = { userId: e.actor_id ?? '', role: e.actor_role as Role, unitId: unitOfActor };
        const details: ActionDetails = {
          verifyPassed: data.passed as boolean | undefined,
          satisfaction: data.satisfaction as ActionDetails['satisfaction'],
          negotiationAccepted: data.accepted as boolean | undefined,
          mergeTargetId: data.targetId as string | undefined,
        };
        const r = checkTransition(snap, e.action as TicketAction, actor, details);
        if (!r.ok) {
          fail(`event ${e.seq} ${e.action} by ${e.actor_role} rejected: ${r.code}`);
          break;
        }
        if (r.to !== e.to_status) fail(`event ${e.seq} ${e.action} leads to ${r.to}, recorded ${e.to_status}`);
        switch (e.action) {
          case 'dispatch':
            snap.unitId = (data.unitId as string | null) ?? null;
            snap.pendingNegotiationUnitIds = (data.candidateUnitIds as string[] | undefined) ?? [];
            break;
          case 'respondNegotiation':
            if (data.accepted) {
              snap.unitId = e.unit_id;
              snap.pendingNegotiationUnitIds = [];
            } else snap.pendingNegotiationUnitIds = r.to === 'returned' ? [] : snap.pendingNegotiationUnitIds.filter((u) => u !== e.unit_id);
            break;
          case 'return':
            snap.unitId = null;
            break;
          case 'requestExtension':
            snap.hasPendingExtension = true;
            break;
          case 'decideExtension':
            snap.hasPendingExtension = false;
            break;
          case 'callback':
            snap.callbackDone = true;
            break;
          case 'reopen':
            snap.callbackDone = false;
            break;
        }
        snap.status = r.to;
      }
      if (snap.status !== t.status) fail(`timeline ends at ${snap.status}, ticket is ${t.status}`);
      if (t.status === 'accepted' || t.status === 'dispatched') {
        if (snap.unitId !== t.unit_id && !(t.status === 'dispatched' && snap.pendingNegotiationUnitIds.length)) fail('unit differs from timeline');
      }
      seen.set(t.status, (seen.get(t.status) ?? 0) + 1);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(seen.get('closed')! / tickets.length).toBeGreaterThan(0.85);
    expect(seen.get('cancelled') ?? 0).toBeGreaterThan(0);
  });

  it('shows the life cycle variety: returns, reopens, negotiations, extensions, micro and consultations', async () => {
    const actions = new Map((await q<{ action: string; n: number }>('SELECT action, count(*) AS n FROM ticket_events GROUP BY action')).map((r) => [r.action, r.n]));
    for (const a of ['register', 'dispatch', 'accept', 'resolve', 'verify', 'callback', 'close', 'return', 'respondNegotiation', 'requestExtension', 'decideExtension', 'supervise', 'note', 'cancel'])
      expect(actions.get(a) ?? 0, a).toBeGreaterThan(0);
    const microByOfficer = await one<{ n: number }>(
      "SELECT count(*) AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.action = 'resolve' AND e.actor_role = 'gridOfficer' AND t.is_micro = 1",
    );
    expect(microByOfficer.n).toBeGreaterThan(0);
    const reopened = await one<{ n: number }>('SELECT count(*) AS n FROM tickets WHERE reopen_count > 0');
    expect(reopened.n).toBeGreaterThan(0);
    const sat = await q<{ satisfaction: string; n: number }>('SELECT satisfaction, count(*) AS n FROM tickets WHERE satisfaction IS NOT NULL GROUP BY satisfaction');
    const total = sat.reduce((s, r) => s + r.n, 0);
    const good = sat.filter((r) => r.satisfaction !== 'unsatisfied').reduce((s, r) => s + r.n, 0);
    expect(good / total).toBeGreaterThan(0.88);
    expect(good / total).toBeLessThan(0.98);
  });

  it('leaves recent tickets open and escalates overdue ones like the escalation job', async () => {
    const cal = new Calendar();
    const open = await q<TicketRow>(`SELECT * FROM tickets WHERE status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`);
    expect(open.length).toBeGreaterThan(0);
    for (const t of open) {
      if (t.resolve_deadline == null) continue;
      expect(t.supervision_level).toBe(escalationLevel(cal, t.resolve_deadline, NOW));
    }
    const old = await one<{ n: number; closed: number }>(
      "SELECT count(*) AS n, sum(status IN ('closed', 'cancelled')) AS closed FROM tickets WHERE created_at < ?",
      [NOW - 60 * 86_400_000],
    );
    expect(old.closed / old.n).toBeGreaterThan(0.97);
  });

  it('indexes every ticket for full-text search', async () => {
    const fts = await one<{ n: number }>('SELECT count(*) AS n FROM tickets_fts');
    expect(fts.n).toBe(N);
    const expr = matchExpression('暖气')!;
    const hits = await one<{ n: number }>('SELECT count(*) AS n FROM tickets_fts WHERE tickets_fts MATCH ?', [expr]);
    const like = await one<{ n: number }>("SELECT count(*) AS n FROM tickets WHERE description LIKE '%暖气%' OR address LIKE '%暖气%'");
    expect(hits.n).toBeGreaterThan(0);
    expect(hits.n).toBe(like.n);
    const byCode = await one<{ code: string; rowid: number }>('SELECT code, rowid FROM tickets ORDER BY random() LIMIT 1');
    const found = await q<{ rowid: number }>('SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?', [matchExpression(byCode.code)!]);
    expect(found.map((r) => r.rowid)).toContain(byCode.rowid);
  });

  it('follows the seasons and the working day', async () => {
    const monthShare = async (month: string) => {
      const r = await one<{ n: number; heat: number }>(
        `SELECT count(*) AS n, sum(c.path LIKE '供暖/%') AS heat FROM tickets t JOIN catalog c ON c.id = t.category_id
         WHERE strftime('%m', (t.created_at + ?) / 1000, 'unixepoch') = ?`,
        [CST_OFFSET_MS, month],
      );
      return r.heat / r.n;
    };
    const jan = await monthShare('01');
    const jul = await monthShare('07');
    expect(jan).toBeGreaterThan(0.05);
    expect(jan).toBeGreaterThan(jul * 5);
    const hours = await q<{ h: string; n: number }>(
      "SELECT strftime('%H', (created_at + ?) / 1000, 'unixepoch') AS h, count(*) AS n FROM tickets GROUP BY h",
      [CST_OFFSET_MS],
    );
    const at = (h: string) => hours.find((r) => r.h === h)?.n ?? 0;
    expect(at('10')).toBeGreaterThan(5 * at('03'));
    const cal = new Calendar();
    const days = await q<{ d: string; n: number }>(
      "SELECT date((created_at + ?) / 1000, 'unixepoch') AS d, count(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? GROUP BY d",
      [CST_OFFSET_MS, Date.parse('2025-01-01T00:00:00+08:00'), Date.parse('2026-01-01T00:00:00+08:00')],
    );
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const work = avg(days.filter((d) => cal.isWorkingDay(d.d)).map((d) => d.n));
    const off = avg(days.filter((d) => !cal.isWorkingDay(d.d)).map((d) => d.n));
    expect(work).toBeGreaterThan(off * 1.2);
  });

  it('lets the demo users log in', async () => {
    const need: Record<string, Role> = { operator: 'operator', leader: 'leader', chengguan: 'unit', zhujian: 'unit', ranqi: 'unit', tiyu: 'unit', wangge: 'gridOfficer' };
    for (const [username, role] of Object.entries(need)) expect(DEMO_USERS.find((u) => u.username === username)?.role).toBe(role);
    for (const u of DEMO_USERS) {
      const row = await one<{ password_hash: string; role: string; unit_name: string | null; staff_id: string | null; active: number }>(
        'SELECT u.password_hash, u.role, u.active, u.staff_id, n.name AS unit_name FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.username = ?',
        [u.username],
      );
      expect(row, u.username).toBeDefined();
      expect(verifyPassword(u.password, row.password_hash)).toBe(true);
      expect(verifyPassword(u.password + 'x', row.password_hash)).toBe(false);
      expect(row.role).toBe(u.role);
      expect(row.active).toBe(1);
      expect(row.staff_id).not.toBeNull();
    }
    const listed = demoUsers();
    const unitOf = (name: string) => listed.find((u) => u.username === name)!.unitName;
    expect(unitOf('chengguan')).toBe('金水区城市管理局');
    expect(unitOf('zhujian')).toContain('住房和城乡建设局');
    expect(unitOf('ranqi')).toContain('华润燃气');
    expect(unitOf('tiyu')).toBe('体育社区居委会');
    expect(unitOf('operator')).toBeNull();
    // Demo accounts also appear in the history.
    const acted = await one<{ n: number }>("SELECT count(*) AS n FROM ticket_events e JOIN users u ON u.id = e.actor_id WHERE u.username = 'chengguan'");
    expect(acted.n).toBeGreaterThan(0);
  });

  it('refuses a store that already has a street', async () => {
    await expect(seedDemoStreet(store, { tickets: 10, now: NOW })).rejects.toThrow(/已有/);
  });

  it('is deterministic for a seed', async () => {
    const other = await openStore(path.join(dir, 'again.sqlite'));
    try {
      await seedDemoStreet(other, { tickets: 500, seed: 7, now: NOW });
      const a = await all<{ id: string; code: string; description: string }>(other.raw, 'SELECT id, code, description FROM tickets ORDER BY rowid LIMIT 50');
      const other2 = await openStore(path.join(dir, 'again2.sqlite'));
      try {
        await seedDemoStreet(other2, { tickets: 500, seed: 7, now: NOW });
        const b = await all<{ id: string; code: string; description: string }>(other2.raw, 'SELECT id, code, description FROM tickets ORDER BY rowid LIMIT 50');
        expect(b).toEqual(a);
      } finally {
        await other2.close();
      }
    } finally {
      await other.close();
    }
  }, 60_000);

  it('runs as a command-line tool', async () => {
    const cli = path.resolve(__dirname, '../../src/main/demo/cli.ts');
    const db = path.join(dir, 'cli.sqlite');
    const node = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    const ok = node(['--db', db, '--tickets', '200', '--seed', '3', '--now', '2026-11-23T10:30:00+08:00']);
    expect(ok.status, ok.stderr).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'demo.seed', tickets: 200 });
    // The same demo as a node makes: coordination data and the demo accounts on the login screen.
    const seeded = await openStore(db);
    try {
      expect(await getSetting(seeded.db, 'demo')).toBe(true);
      expect((await seeded.db.selectFrom('key_places').select('id').execute()).length).toBeGreaterThan(0);
      expect((await seeded.db.selectFrom('duty_roster').select('id').execute()).length).toBeGreaterThan(0);
    } finally {
      await seeded.close();
    }
    const again = node(['--db', db, '--tickets', '200']);
    expect(again.status).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('already has');
    const bad = node(['--db', path.join(dir, 'bad.sqlite'), '--tickets', 'many']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'bad.sqlite'))).toBe(false);
  }, 60_000);
});
