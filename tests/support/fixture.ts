// A small, fully known street in a fresh SQLite file, for integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/main/db/store';
import { createContext, type NodeContext } from '../../src/main/services/core/context';
import { createApi, type NodeApi } from '../../src/main/services/api';
import { hashPassword } from '../../src/main/services/auth/passwords';
import { setSetting } from '../../src/main/services/core/settings';
import { silentLogger } from '../../src/main/services/core/log';
import type { ApiInput, ApiMethod, ApiOutput } from '../../src/shared/api/contract';

export function tempDir(prefix = 'chengyun-it-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const rect = (x0: number, y0: number, x1: number, y1: number) =>
  JSON.stringify({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

export const PASSWORD = 'test-pass';
// One salt for all fixture users keeps the fixture fast; real users get their own.
const HASH = hashPassword(PASSWORD);

export interface Fixture {
  file: string;
  ctx: NodeContext;
  api: NodeApi;
  /** Calls the API as a user (logs in once per username). */
  as(username: string): <M extends ApiMethod>(method: M, input: ApiInput<M>) => Promise<ApiOutput<M>>;
  setNow(ms: number): void;
  close(): Promise<void>;
}

export async function createFixture(file = path.join(tempDir(), 'street.sqlite')): Promise<Fixture> {
  const store = await openStore(file);
  let now = Date.parse('2026-11-23T10:00:00+08:00');
  const ctx = createContext(store, { now: () => now, log: silentLogger });
  const db = store.db;
  await db.insertInto('street').values({ id: 's1', code: '410105001', name: '经八路街道', district: '金水区', city: '郑州市', center_lon: 113.67, center_lat: 34.775, area_km2: 3.44, population: 86000 }).execute();
  await db.insertInto('grids').values([
    { id: 'g1', code: '410105001', name: '经八路街道', level: '1', parent_id: null, polygon: rect(113.66, 34.77, 113.68, 34.78), min_lon: 113.66, min_lat: 34.77, max_lon: 113.68, max_lat: 34.78, households: null, population: null, area_m2: null, props: null },
    { id: 'g2', code: '410105001003', name: '体育社区', level: '2', parent_id: 'g1', polygon: rect(113.66, 34.77, 113.67, 34.78), min_lon: 113.66, min_lat: 34.77, max_lon: 113.67, max_lat: 34.78, households: null, population: null, area_m2: null, props: null },
    { id: 'g3', code: '41010500100301', name: '体育社区第一网格', level: '3', parent_id: 'g2', polygon: rect(113.66, 34.77, 113.665, 34.775), min_lon: 113.66, min_lat: 34.77, max_lon: 113.665, max_lat: 34.775, households: 400, population: 1200, area_m2: null, props: null },
  ]).execute();
  await db.insertInto('units').values([
    { id: 'u1', code: 'CG', name: '金水区城市管理局', kind: 'department', parent_id: null, phone: null, active: 1 },
    { id: 'u2', code: 'ZJ', name: '金水区住建局', kind: 'department', parent_id: null, phone: null, active: 1 },
    { id: 'u3', code: 'RQ', name: '郑州华润燃气', kind: 'enterprise', parent_id: null, phone: null, active: 1 },
    { id: 'u4', code: '410105001003', name: '体育社区居委会', kind: 'community', parent_id: null, phone: null, active: 1, grid_id: 'g2' },
    { id: 'u5', code: 'SQB', name: '经八路街道社区建设办公室', kind: 'street', parent_id: null, phone: null, active: 1 },
  ]).execute();
  const leaf = (id: string, parent: string, name: string, unit: string | null, o: Partial<{ micro: number; consult: number; within: number; unit_: string }> = {}) => ({
    id, code: id, name, parent_id: parent, path: `${parent === 'c1' ? '市容环境' : '政策咨询'}/${name}`, is_leaf: 1, default_unit_id: unit,
    accept_within_hours: 2, resolve_within: o.within ?? 3, resolve_unit: o.unit_ ?? 'workDays', is_micro: o.micro ?? 0, is_consultation: o.consult ?? 0, sort: 0, active: 1,
  });
  await db.insertInto('catalog').values([
    { id: 'c1', code: 'c1', name: '市容环境', parent_id: null, path: '市容环境', is_leaf: 0, default_unit_id: null, accept_within_hours: 2, resolve_within: 3, resolve_unit: 'workDays', is_micro: 0, is_consultation: 0, sort: 0, active: 1 },
    { id: 'c2', code: 'c2', name: '政策咨询', parent_id: null, path: '政策咨询', is_leaf: 0, default_unit_id: null, accept_within_hours: 2, resolve_within: 1, resolve_unit: 'workDays', is_micro: 0, is_consultation: 1, sort: 1, active: 1 },
    leaf('c11', 'c1', '暴露垃圾', 'u1', { micro: 1 }),
    leaf('c12', 'c1', '井盖破损', 'u1'),
    leaf('c13', 'c1', '无主单位事项', null),
    leaf('c21', 'c2', '社保咨询', null, { consult: 1, within: 4, unit_: 'workHours' }),
    leaf('c14', 'c1', '非法小广告', 'u5', { micro: 1 }),
  ]).execute();
  await db.updateTable('catalog').set({ route_to_community: 1 }).where('id', '=', 'c14').execute();
  const users: Array<[string, string, string, string | null]> = [
    ['operator', '王受理', 'operator', null],
    ['leader', '李主任', 'leader', null],
    ['cg', '城管联络员', 'unit', 'u1'],
    ['zj', '住建联络员', 'unit', 'u2'],
    ['rq', '燃气联络员', 'unit', 'u3'],
    ['wangge', '赵网格', 'gridOfficer', null],
  ];
  await db.insertInto('users').values(users.map(([username, name, role, unit]) => ({ id: `user-${username}`, username, display_name: name, role, unit_id: unit, staff_id: null, password_hash: HASH, active: 1, created_at: now }))).execute();
  await setSetting(db, 'runMode', 'daily');
  await setSetting(db, 'street.codePrefix', 'JB');
  const api = createApi(ctx);
  const tokens = new Map<string, string>();
  return {
    file,
    ctx,
    api,
    as(username) {
      return async (method, input) => {
        const login = async () => {
          const r = (await api.handle('session.login', { username, password: PASSWORD }, null)) as { token: string };
          tokens.set(username, r.token);
          return r.token;
        };
        let token = tokens.get(username) ?? (await login());
        try {
          api.sessions.resolve(token);
        } catch {
          token = await login(); // the test moved the clock past the session's lifetime
        }
        return (await api.handle(method, input, token)) as never;
      };
    },
    setNow(ms) {
      now = ms;
    },
    close: () => store.close(),
  };
}

/** A valid 1×1 PNG, and a variant with different bytes. */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const PNG_1x1_B = Buffer.concat([PNG_1x1, Buffer.from('tail')]);
