// 专项治理 items end to end on a real store and a real city (PGlite, or PostgreSQL with
// CITY_TEST_PG_URL) over HTTPS sync: open a mined group as an item, new matching tickets are linked
// on filing with the reason (others are not), notes and closure (the root-cause fix required), the
// audit log, refusals that change nothing, and the items, links and notes at the city.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { startTestCity, type TestCity } from '../support/city';
import { SyncClient } from '../../src/main/sync/client';

const STREET = '410105001';
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 86_400_000;
const P = { lon: 113.662, lat: 34.772 };
let f: Fixture;
let city: TestCity;
let client: SyncClient | null;

async function file(daysAgo: number, o: { categoryId: string; description: string; address: string; lon?: number; lat?: number }, who = 'operator'): Promise<string> {
  f.setNow(NOW - daysAgo * DAY);
  return (await f.as(who)('tickets.create', { channel: 'hotline12345', type: 'complaint', ...o })).ticket.id;
}

beforeEach(async () => {
  f = await createFixture();
  city = await startTestCity({ streets: [STREET] });
  client = null;
});
afterEach(async () => {
  await client?.stop();
  await city.close();
  await f.close();
});

describe('专项治理 items', () => {
  it('opens a group, links new matching tickets with the reason, closes with the root-cause fix, and syncs all of it to the city', async () => {
    const group = [];
    for (const d of [300, 200, 90, 20]) group.push(await file(d, { categoryId: 'c12', description: '经八路12号门口井盖松动，车一压就响', address: '经八路12号', ...P }));
    f.setNow(NOW);
    const leader = f.as('leader');
    const mined = await leader('recurring.groups', {});
    expect(mined.groups).toHaveLength(1);
    const g = mined.groups[0]!;
    expect(g.item).toBeNull();

    // Refusals change nothing: a deadline in the past, an unknown unit, a unit user, a stale group.
    const base = { groupKey: g.key, title: '经八路12号井盖反复松动专项治理', leadUnitId: 'u1', helperUnitIds: ['u2'], deadline: NOW + 30 * DAY };
    await expect(leader('recurring.open', { ...base, deadline: NOW - DAY })).rejects.toMatchObject({ message: '完成期限须晚于现在' });
    await expect(leader('recurring.open', { ...base, leadUnitId: 'nope' })).rejects.toMatchObject({ message: '牵头单位不存在或已停用' });
    await expect(f.as('cg')('recurring.open', base)).rejects.toMatchObject({ code: 'forbiddenRole' });
    await expect(leader('recurring.open', { ...base, groupKey: 'c12:none' })).rejects.toMatchObject({ code: 'notFound' });
    await expect(leader('recurring.open', { ...base, title: '短' })).rejects.toMatchObject({ code: 'invalidInput' });
    expect(await leader('recurring.items', {})).toEqual([]);

    const item = await leader('recurring.open', base);
    expect(item).toMatchObject({ status: 'open', tickets: 4, autoLinked: 0, leadUnitName: '金水区城市管理局', helperUnits: [{ unitId: 'u2', name: '金水区住建局' }], openedByName: '李主任', mayEdit: true });
    expect(item.code).toMatch(/^ZX-20261123-0001$/);
    expect(new Set(item.links.map((l) => l.id))).toEqual(new Set(group));
    // The same group again is refused while the item is open.
    await expect(leader('recurring.open', base)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(item.code) });
    expect((await leader('recurring.groups', {})).groups[0]!.item).toMatchObject({ id: item.id, status: 'open' });

    // A new report of the problem at the place (filed by a grid officer: any filer) joins the item.
    f.setNow(NOW + DAY);
    const match = (await f.as('operator')('tickets.create', { channel: 'gridPatrol', type: 'complaint', categoryId: 'c12', description: '经八路12号井盖又松动了，车压过去响', address: '经八路12号院门口', lon: 113.6621, lat: 34.7721 })).ticket.id;
    // The same place, another category; the same category 400 m away: not linked.
    const otherCat = await file(-1, { categoryId: 'c11', description: '经八路12号门口井盖旁暴露垃圾', address: '经八路12号', ...P });
    const far = await file(-1, { categoryId: 'c12', description: '经八路88号井盖松动，车一压就响', address: '经八路88号', lon: 113.6648, lat: 34.7748 });
    const links = await f.as('operator')('recurring.forTicket', { ticketId: match });
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ itemId: item.id, code: item.code, title: base.title, auto: true });
    expect(links[0]!.reason).toMatch(/^同一分类，(同一地址|相距 \d+ 米)，描述相似度 0\.\d\d$/);
    expect(await f.as('operator')('recurring.forTicket', { ticketId: otherCat })).toEqual([]);
    expect(await f.as('operator')('recurring.forTicket', { ticketId: far })).toEqual([]);
    // A unit that cannot see the ticket cannot read its links either.
    await expect(f.as('rq')('recurring.forTicket', { ticketId: match })).rejects.toMatchObject({ code: 'forbidden' });

    // A report filed without a category joins when it is classified (in the classify transaction).
    const later = (await f.as('operator')('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '经八路12号井盖松动，车一压就响，再次反映', address: '经八路12号', ...P })).ticket.id;
    expect(await f.as('operator')('recurring.forTicket', { ticketId: later })).toEqual([]);
    await f.as('operator')('tickets.act', { action: 'classify', id: later, categoryId: 'c12' });
    expect(await f.as('operator')('recurring.forTicket', { ticketId: later })).toMatchObject([{ itemId: item.id, auto: true, reason: expect.stringMatching(/^同一分类，同一地址/) }]);
    // Classified again (to the same category): no second link, no second op.
    await f.as('operator')('tickets.act', { action: 'classify', id: later, categoryId: 'c11' });
    await f.as('operator')('tickets.act', { action: 'classify', id: later, categoryId: 'c12' });
    const linkOps = await f.ctx.store.db.selectFrom('outbox').select('payload').where('entity', '=', 'recurringItem').where('op', '=', 'link').execute();
    expect(linkOps).toHaveLength(2);

    // Notes, then closure: the root-cause fix is required.
    f.setNow(NOW + 2 * DAY);
    await leader('recurring.note', { itemId: item.id, text: '已约城管局现场查看，井座基础下沉' });
    await expect(leader('recurring.close', { itemId: item.id, rootCause: '已修好' })).rejects.toMatchObject({ code: 'invalidInput' });
    const closed = await leader('recurring.close', { itemId: item.id, rootCause: '更换为防沉降球墨铸铁井座并加固基础，纳入月度巡查' });
    expect(closed).toMatchObject({ status: 'closed', tickets: 6, autoLinked: 2, closedByName: '李主任', mayEdit: false });
    expect(closed.notes.map((n) => n.text)).toEqual(['已约城管局现场查看，井座基础下沉']);
    await expect(leader('recurring.note', { itemId: item.id, text: '再补一条' })).rejects.toMatchObject({ code: 'conflict' });
    // After closure new reports are not linked any more.
    const after = await file(-3, { categoryId: 'c12', description: '经八路12号井盖松动，车一压就响', address: '经八路12号', ...P });
    expect(await f.as('operator')('recurring.forTicket', { ticketId: after })).toEqual([]);

    // Audited.
    const audit = await f.ctx.store.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'recurring.%').orderBy('seq').execute();
    expect(audit).toEqual([
      { action: 'recurring.open', target: item.code },
      { action: 'recurring.note', target: item.code },
      { action: 'recurring.close', target: item.code },
    ]);

    // To the city: the item, its links (with the automatic one and its reason), the note, the closure.
    client = new SyncClient(f.ctx, city.credential(STREET), { live: false, baseDelayMs: 50, maxDelayMs: 500 });
    await client.syncOnce();
    const pending = await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('acked_at', 'is', null).executeTakeFirstOrThrow();
    expect(Number(pending.n)).toBe(0);
    const db = city.server.db.db;
    const items = await db.selectFrom('city_recurring_items').selectAll().execute();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: item.id, street_code: STREET, code: item.code, title: base.title, status: 'closed', lead_unit_code: 'CG', root_cause: '更换为防沉降球墨铸铁井座并加固基础，纳入月度巡查', closed_by_name: '李主任' });
    const cityLinks = await db.selectFrom('city_recurring_links').select(['ticket_id', 'auto', 'reason']).where('item_id', '=', item.id).execute();
    expect(new Set(cityLinks.map((l) => l.ticket_id))).toEqual(new Set([...group, match, later]));
    expect(cityLinks.find((l) => l.ticket_id === match)).toMatchObject({ auto: true, reason: links[0]!.reason });
    expect((await db.selectFrom('city_recurring_notes').select(['text', 'by_name']).execute())).toEqual([{ text: '已约城管局现场查看，井座基础下沉', by_name: '李主任' }]);
    const rejected = await db.selectFrom('rejected_ops').select(['entity', 'reason']).execute();
    expect(rejected).toEqual([]);
  });
});
