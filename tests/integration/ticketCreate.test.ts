// Filing a ticket is one call and one transaction (a real SQLite file, the real photo model in its
// worker): the photo-suggestion decisions and a merge into a recognised duplicate are written with
// the ticket, or — when any part is refused — nothing is, so a retry cannot file the report twice.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { devPhotos } from '../support/photos';
import { closePhotoAi } from '../../src/main/services/ai/photo';
import { MERGE_ON_CREATE_REASON } from '../../src/main/services/tickets/commands';

const photos = devPhotos();
let f: Fixture | null = null;
afterEach(async () => {
  if (f) {
    await closePhotoAi(f.ctx);
    await f.close();
  }
  f = null;
});

const report = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育场路12号院门口垃圾桶旁堆满垃圾袋',
  address: '经八路体育场路12号院',
};

/** A moment after the fixture's clock, to tell the filing's outbox operations from earlier ones. */
const LATER = Date.parse('2026-11-23T10:05:00+08:00');

/** Rows that filing a ticket writes, counted. */
async function footprint(fx: Fixture) {
  const db = fx.ctx.store.db;
  const n = async (table: 'tickets' | 'ticket_events' | 'outbox' | 'ticket_attachments') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { tickets: await n('tickets'), events: await n('ticket_events'), outbox: await n('outbox'), attachments: await n('ticket_attachments') };
}

async function suggestedPhoto(fx: Fixture, index: number) {
  const op = fx.as('operator');
  const up = await op('attachments.upload', { name: `p${index}.jpg`, mime: 'image/jpeg', dataBase64: fs.readFileSync(photos[index]!).toString('base64') });
  const s = await op('aiPhoto.suggest', { sha256: up.sha256 });
  expect(s.suggestionId).toBeTruthy();
  return { sha256: up.sha256, suggestionId: s.suggestionId!, top: s.top.map((t) => t.categoryId) };
}

describe('tickets.create: one call, one transaction', () => {
  it('a create whose merge target is invalid leaves no ticket behind (nor its photo decisions); the retry files exactly one', async () => {
    f = await createFixture();
    const op = f.as('operator');
    const target = (await op('tickets.create', { ...report, categoryId: 'c11' })).ticket;
    const photo = await suggestedPhoto(f, 7);
    const before = await footprint(f);

    const decisions = [{ suggestionId: photo.suggestionId, acceptedCategoryId: photo.top[0]!, descriptionAccepted: true }];
    const attempt = { ...report, categoryId: photo.top[0]!, photos: [photo.sha256], photoDecisions: decisions };
    await expect(op('tickets.create', { ...attempt, mergeInto: 'GD-0000-no-such-ticket' })).rejects.toMatchObject({ code: 'mergeTarget', message: '要并入的工单不存在' });
    expect(await footprint(f)).toEqual(before);
    const untouched = await f.ctx.store.db.selectFrom('ai_photo_suggestions').selectAll().where('id', '=', photo.suggestionId).executeTakeFirstOrThrow();
    expect(untouched).toMatchObject({ ticket_id: null, decided_at: null });

    // A cancelled ticket is no merge target either.
    const cancelled = (await op('tickets.create', { ...report, description: '另一处垃圾堆放问题反映' })).ticket;
    await op('tickets.act', { action: 'cancel', id: cancelled.id, reason: '信息不全无法联系' });
    const beforeCancelled = await footprint(f);
    await expect(op('tickets.create', { ...attempt, mergeInto: cancelled.id })).rejects.toMatchObject({ code: 'mergeTarget' });
    expect(await footprint(f)).toEqual(beforeCancelled);

    // The retry with the right target files one ticket, merged, with its decisions recorded.
    f.setNow(LATER);
    const d = await op('tickets.create', { ...attempt, mergeInto: target.code });
    expect(d.ticket).toMatchObject({ status: 'cancelled', mergedInto: target.id });
    expect((await footprint(f)).tickets).toBe(beforeCancelled.tickets + 1);
    const events = d.events.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(['report', 'register', 'merge']));
    expect(d.events.find((e) => e.action === 'merge')?.reason).toBe(MERGE_ON_CREATE_REASON);
    const targetNow = await op('tickets.get', { id: target.id });
    expect(targetNow.events.some((e) => e.action === 'note' && e.reason?.includes(d.ticket.code))).toBe(true);
    const recorded = await f.ctx.store.db.selectFrom('ai_photo_suggestions').selectAll().where('id', '=', photo.suggestionId).executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ ticket_id: d.ticket.id, accepted_category_id: photo.top[0], description_accepted: 1 });
    // Ops for the city: the create, the merge, the note on the target (annotate), the photo decision.
    const ops = await f.ctx.store.db.selectFrom('outbox').select(['entity', 'entity_id', 'op']).where('created_at', '=', d.ticket.createdAt).execute();
    expect(ops.map((o) => `${o.entity}:${o.op}`).sort()).toEqual(['aiPhotoSuggestion:record', 'ticket:annotate', 'ticket:create', 'ticket:merge']);
  });

  it('a create with photo decisions records them in the same transaction; a refused decision files nothing', async () => {
    f = await createFixture();
    const op = f.as('operator');
    const a = await suggestedPhoto(f, 7);
    const b = await suggestedPhoto(f, 9);
    const notOffered = ['c11', 'c12', 'c21', 'c31'].find((c) => !a.top.includes(c))!;

    // A category the suggestion never offered: refused, and the ticket with it.
    const before = await footprint(f);
    await expect(
      op('tickets.create', { ...report, categoryId: notOffered, photos: [a.sha256], photoDecisions: [{ suggestionId: a.suggestionId, acceptedCategoryId: notOffered, descriptionAccepted: false }] }),
    ).rejects.toMatchObject({ code: 'invalidInput', message: '所采用的分类不在照片建议中' });
    await expect(
      op('tickets.create', { ...report, photos: [a.sha256], photoDecisions: [{ suggestionId: 'no-such-suggestion', acceptedCategoryId: null, descriptionAccepted: false }] }),
    ).rejects.toMatchObject({ code: 'notFound' });
    expect(await footprint(f)).toEqual(before);

    f.setNow(LATER);
    const d = await op('tickets.create', {
      ...report,
      categoryId: a.top[0]!,
      photos: [a.sha256, b.sha256],
      photoDecisions: [
        { suggestionId: a.suggestionId, acceptedCategoryId: a.top[0]!, descriptionAccepted: true },
        { suggestionId: b.suggestionId, acceptedCategoryId: null, descriptionAccepted: false },
      ],
    });
    const rows = await f.ctx.store.db.selectFrom('ai_photo_suggestions').selectAll().where('id', 'in', [a.suggestionId, b.suggestionId]).orderBy('id').execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.suggestionId)).toMatchObject({ ticket_id: d.ticket.id, accepted_category_id: a.top[0], description_accepted: 1, final_category_id: a.top[0], decided_at: d.ticket.createdAt });
    expect(byId.get(b.suggestionId)).toMatchObject({ ticket_id: d.ticket.id, accepted_category_id: null, description_accepted: 0, final_category_id: a.top[0], decided_at: d.ticket.createdAt });
    const ops = await f.ctx.store.db.selectFrom('outbox').select(['entity', 'op']).where('created_at', '=', d.ticket.createdAt).execute();
    expect(ops.map((o) => `${o.entity}:${o.op}`).sort()).toEqual(['aiPhotoSuggestion:record', 'aiPhotoSuggestion:record', 'ticket:create']);
    expect(await op('aiPhoto.stats', {})).toMatchObject({ filed: 2, categoryAccepted: 1, descriptionAccepted: 1 });

    // A suggestion already filed with one ticket cannot be filed with another.
    const again = await footprint(f);
    await expect(
      op('tickets.create', { ...report, photoDecisions: [{ suggestionId: a.suggestionId, acceptedCategoryId: null, descriptionAccepted: false }] }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await footprint(f)).toEqual(again);
  });
});
