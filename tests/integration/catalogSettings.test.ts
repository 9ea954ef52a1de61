// 设置 › 派单目录: the catalog's local settings edited by a leader or the administrator, on a real
// SQLite store — who may, what is refused (and changes nothing), the audit entry with before and
// after, the new default unit in the session's lookups and in one-click dispatch, deadlines only
// while the catalog is the street's own, and a city catalog published later keeping what the
// street set itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { applyPendingReference } from '../../src/main/sync/reference';

describe('catalog local settings', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    const leader = await f.ctx.store.db.selectFrom('users').select('password_hash').where('username', '=', 'leader').executeTakeFirstOrThrow();
    await f.ctx.store.db.insertInto('users').values({ id: 'user-admin', username: 'admin', display_name: '系统管理员', role: 'admin', unit_id: null, staff_id: null, password_hash: leader.password_hash, active: 1, created_at: f.ctx.now() }).execute();
  });
  afterAll(async () => f?.close());

  const row = (id: string) => f.ctx.store.db.selectFrom('catalog').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditFor = (target: string) => f.ctx.store.db.selectFrom('audit_log').selectAll().where('target', '=', target).orderBy('seq').execute();

  it('lists the leaves for a leader; units, operators and grid officers are refused', async () => {
    const s = await f.as('leader')('catalog.settings', {});
    expect(s.cityManaged).toBe(false);
    expect(s.leaves.map((l) => l.code).sort()).toEqual(['c11', 'c12', 'c13', 'c14', 'c21']);
    expect(s.leaves.find((l) => l.code === 'c12')).toMatchObject({ defaultUnitId: 'u1', defaultUnitName: '金水区城市管理局', routeToCommunity: false, active: true, supervisionHours: null, localFields: [] });
    for (const who of ['operator', 'cg', 'wangge'])
      await expect(f.as(who)('catalog.saveLeaf', { id: 'c12', defaultUnitId: 'u2' })).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(f.as('operator')('catalog.settings', {})).rejects.toMatchObject({ code: 'forbiddenRole' });
    expect((await row('c12')).default_unit_id).toBe('u1');
  });

  it('a new default unit is audited with before and after, reaches the bootstrap and one-click dispatch', async () => {
    const leader = f.as('leader');
    const before = (await f.ctx.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const saved = await leader('catalog.saveLeaf', { id: 'c13', defaultUnitId: 'u2' });
    expect(saved).toMatchObject({ defaultUnitId: 'u2', defaultUnitName: '金水区住建局', localFields: ['defaultUnitId'] });
    const entries = await auditFor('catalog:c13');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'settings.change', actor_role: 'leader' });
    expect(JSON.parse(entries[0]!.detail)).toEqual({ path: '市容环境/无主单位事项', changes: { defaultUnitId: { from: null, to: 'u2' } } });
    expect(Number((await f.ctx.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(Number(before) + 1);
    // Saving the same values again changes nothing and records nothing.
    await leader('catalog.saveLeaf', { id: 'c13', defaultUnitId: 'u2' });
    expect(await auditFor('catalog:c13')).toHaveLength(1);
    const boot = await f.as('operator')('meta.bootstrap', {});
    expect(boot.catalog.find((c) => c.id === 'c13')?.defaultUnitId).toBe('u2');
    // One-click dispatch of a ticket of that category goes to the new default unit.
    const t = await f.as('operator')('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '楼道里堆放杂物无人清理', address: '经八路1号', urgency: 'normal', isMicro: false, isCrossBoundary: false, photos: [], categoryId: 'c13' });
    const after = await f.as('operator')('tickets.act', { action: 'dispatch', id: t.ticket.id, mode: 'oneClick' });
    expect(after.ticket.unitId).toBe('u2');
  });

  it('refuses bad input and changes nothing', async () => {
    const leader = f.as('leader');
    const was = await row('c12');
    await f.ctx.store.db.updateTable('units').set({ active: 0 }).where('id', '=', 'u3').execute();
    for (const [input, code] of [
      [{ id: 'c12', defaultUnitId: 'no-such-unit' }, 'invalidInput'],
      [{ id: 'c12', defaultUnitId: 'u3' }, 'invalidInput'],
      [{ id: 'c12', supervisionHours: [8, 4, 12] }, 'invalidInput'],
      [{ id: 'c12', supervisionHours: [0, 4, 12] }, 'invalidInput'],
      [{ id: 'c12', acceptWithinHours: -1 }, 'invalidInput'],
      [{ id: 'c12', resolveUnit: 'weeks' }, 'invalidInput'],
      [{ id: 'c12', path: 'x' }, 'invalidInput'],
      [{ id: 'c1', active: false }, 'notLeaf'],
      [{ id: 'nope', active: false }, 'notFound'],
    ] as const)
      await expect(leader('catalog.saveLeaf', input as never), JSON.stringify(input)).rejects.toMatchObject({ code });
    await f.ctx.store.db.updateTable('units').set({ active: 1 }).where('id', '=', 'u3').execute();
    expect(await row('c12')).toEqual(was);
    expect(await auditFor('catalog:c12')).toHaveLength(0);
  });

  it('an administrator sets supervision hours, route-to-community, active and deadlines of the street’s own catalog', async () => {
    const admin = f.as('admin');
    const saved = await admin('catalog.saveLeaf', { id: 'c12', supervisionHours: [4, 12, 24], routeToCommunity: true, acceptWithinHours: 1, resolveWithin: 2, resolveUnit: 'workDays' });
    expect(saved).toMatchObject({ supervisionHours: [4, 12, 24], routeToCommunity: true, acceptWithinHours: 1, resolveWithin: 2, localFields: ['routeToCommunity', 'supervisionHours'] });
    expect((await row('c12')).supervision_hours).toBe('[4,12,24]');
    await admin('catalog.saveLeaf', { id: 'c11', active: false });
    const boot = await f.as('operator')('meta.bootstrap', {});
    expect(boot.catalog.some((c) => c.id === 'c11')).toBe(false);
    expect((await f.as('leader')('catalog.settings', {})).leaves.find((l) => l.id === 'c11')?.active).toBe(false);
  });

  it('once the city publishes the catalog: deadlines are refused, local settings survive a republish', async () => {
    const now = f.ctx.now();
    const payload = {
      version: 'city-2026-12',
      categories: [
        { code: 'c1', name: '市容环境' },
        { code: 'c11', name: '暴露垃圾', parent: 'c1', acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays', isMicro: true },
        { code: 'c12', name: '井盖破损', parent: 'c1', defaultUnit: 'CG', acceptWithinHours: 2, resolveWithin: 1, resolveUnit: 'workDays' },
        { code: 'c13', name: '无主单位事项', parent: 'c1', defaultUnit: 'CG', acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays', supervisionHours: [2, 6, 10] },
        { code: 'c14', name: '非法小广告', parent: 'c1', acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays', routeToCommunity: true },
        { code: 'c2', name: '政策咨询' },
        { code: 'c21', name: '社保咨询', parent: 'c2', acceptWithinHours: 2, resolveWithin: 4, resolveUnit: 'workHours', isConsultation: true },
      ].map((c) => ({ acceptWithinHours: 2, resolveWithin: 3, resolveUnit: 'workDays', ...c })),
    };
    await f.ctx.store.db.insertInto('reference_updates').values({ epoch: 0, seq: 1, kind: 'catalog', version: payload.version, at: now, payload: JSON.stringify(payload), status: 'pending', received_at: now }).execute();
    const r = await applyPendingReference(f.ctx);
    expect(r.applied).toHaveLength(1);
    // The street's own choices stay; what it never set follows the city.
    expect(await row('c13')).toMatchObject({ default_unit_id: 'u2', supervision_hours: '[2,6,10]' });
    expect(await row('c12')).toMatchObject({ default_unit_id: 'u1', supervision_hours: '[4,12,24]', route_to_community: 1, resolve_within: 1, accept_within_hours: 2 });
    expect(await row('c11')).toMatchObject({ active: 0 });

    const leader = f.as('leader');
    const s = await leader('catalog.settings', {});
    expect(s).toMatchObject({ cityManaged: true, cityVersion: 'city-2026-12' });
    const was = await row('c12');
    await expect(leader('catalog.saveLeaf', { id: 'c12', resolveWithin: 5 })).rejects.toMatchObject({ code: 'cityManaged', message: expect.stringContaining('市级为准') });
    await expect(leader('catalog.saveLeaf', { id: 'c12', defaultUnitId: 'u2', acceptWithinHours: 8 })).rejects.toMatchObject({ code: 'cityManaged' });
    expect(await row('c12')).toEqual(was);
    // Sending the deadlines unchanged with a local change is fine (a form sends what it shows).
    const ok = await leader('catalog.saveLeaf', { id: 'c12', defaultUnitId: 'u2', acceptWithinHours: 2, resolveWithin: 1, resolveUnit: 'workDays' });
    expect(ok.defaultUnitId).toBe('u2');
  });
});
