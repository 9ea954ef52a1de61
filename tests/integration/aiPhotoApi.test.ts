// Photo AI through the node's API on a real SQLite file, with the real model in a worker thread:
// suggestions for an uploaded photo, the record of acceptance, the before/after check at
// resolution and its enforcement at verification, and a broken model that changes nothing else.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { devPhotos, garbageSplits, negativeSplits, variant } from '../support/photos';
import { closePhotoAi, runPhotoCheck } from '../../src/main/services/ai/photo';
import { defaultModelDir } from '../../src/main/ai/photo/model';

const photos = devPhotos();
// Photos that the suggestions are asked for: never in the shipped head (test splits).
const heldOut = garbageSplits().test;
const unrelated = negativeSplits().test;
let f: Fixture | null = null;
afterEach(async () => {
  if (f) {
    await closePhotoAi(f.ctx);
    await f.close();
  }
  f = null;
  delete process.env.CHENGYUN_PHOTO_MODEL_DIR;
});

async function upload(fx: Fixture, who: string, bytes: Buffer, name: string) {
  return fx.as(who)('attachments.upload', { name, mime: 'image/jpeg', dataBase64: bytes.toString('base64') });
}

const ticket = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育场路12号院门口垃圾桶旁堆满垃圾袋',
  address: '经八路体育场路12号院',
};

async function resolvedTicket(fx: Fixture, beforeBytes: Buffer, afterBytes: Buffer) {
  const op = fx.as('operator');
  const before = await upload(fx, 'operator', beforeBytes, 'before.jpg');
  const d = await op('tickets.create', { ...ticket, categoryId: 'c11', photos: [before.sha256] });
  const id = d.ticket.id;
  await op('tickets.act', { action: 'dispatch', id, mode: 'designated', unitId: 'u1' });
  await fx.as('cg')('tickets.act', { action: 'accept', id });
  const after = await upload(fx, 'cg', afterBytes, 'after.jpg');
  await fx.as('cg')('tickets.act', { action: 'resolve', id, result: '已清运完毕，现场恢复整洁', photos: [after.sha256] });
  return { id, before, after };
}

describe('photo suggestions in the node', () => {
  it('suggests a 垃圾 category of the street catalog and a draft description, and records acceptance', async () => {
    f = await createFixture();
    const op = f.as('operator');
    expect((await op('aiPhoto.status', {})).state).not.toBe('unavailable');
    const up = await upload(f, 'operator', fs.readFileSync(heldOut[0]!), 'garbage.jpg');
    const s = await op('aiPhoto.suggest', { sha256: up.sha256 });
    expect(s.status.state).toBe('ready');
    expect(s.suggestionId).toBeTruthy();
    expect(s.recognized).toBe(true);
    expect(s.top.length).toBeGreaterThanOrEqual(1);
    expect(s.top[0]).toMatchObject({ categoryId: 'c11', path: '市容环境/暴露垃圾' });
    expect(s.description).toMatch(/^照片.*暴露垃圾/);
    expect(s.ms).toBeGreaterThan(0);

    const d = await op('tickets.create', { ...ticket, description: s.description, categoryId: s.top[0]!.categoryId, photos: [up.sha256] });
    expect(d.ticket.categoryId).toBe('c11');
    const outboxBefore = Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await op('aiPhoto.record', { ticketId: d.ticket.id, entries: [{ suggestionId: s.suggestionId!, acceptedCategoryId: 'c11', descriptionAccepted: true }] });
    const row = await f.ctx.store.db.selectFrom('ai_photo_suggestions').selectAll().where('id', '=', s.suggestionId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ticket_id: d.ticket.id, accepted_category_id: 'c11', description_accepted: 1, final_category_id: 'c11', sha256: up.sha256 });
    expect(row.embedding?.length).toBe(1280);
    const outboxAfter = Number((await f.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(outboxAfter).toBe(outboxBefore + 1);

    // A second photo, shown but the ticket filed by hand under another category (a correction).
    const up2 = await upload(f, 'operator', fs.readFileSync(heldOut[1]!), 'garbage2.jpg');
    const s2 = await op('aiPhoto.suggest', { sha256: up2.sha256 });
    const d2 = await op('tickets.create', { ...ticket, categoryId: 'c21', photos: [up2.sha256] });
    await op('aiPhoto.record', { ticketId: d2.ticket.id, entries: [{ suggestionId: s2.suggestionId!, acceptedCategoryId: null, descriptionAccepted: false }] });
    // A third shown and abandoned.
    await op('aiPhoto.suggest', { sha256: (await upload(f, 'operator', fs.readFileSync(heldOut[2]!), 'g3.jpg')).sha256 });
    expect(await op('aiPhoto.stats', {})).toMatchObject({
      shown: 3,
      unrecognized: 0,
      filed: 2,
      categoryAccepted: 1,
      corrected: 1,
      descriptionAccepted: 1,
      categoryAcceptRate: 0.5,
      descriptionAcceptRate: 0.5,
    });
    await expect(f.as('cg')('aiPhoto.stats', {})).rejects.toMatchObject({ code: 'forbiddenRole' });

    // A category that was not offered cannot be recorded as accepted; nothing changes.
    await expect(op('aiPhoto.record', { ticketId: d.ticket.id, entries: [{ suggestionId: s.suggestionId!, acceptedCategoryId: 'c21', descriptionAccepted: false }] })).rejects.toMatchObject({ code: 'invalidInput' });
    expect((await f.ctx.store.db.selectFrom('ai_photo_suggestions').select('accepted_category_id').where('id', '=', s.suggestionId!).executeTakeFirstOrThrow()).accepted_category_id).toBe('c11');
  });

  it('says an unrelated photo shows no street problem: nearest categories, no description, nothing offered on record', async () => {
    f = await createFixture();
    const op = f.as('operator');
    const cat = unrelated.find((p) => path.basename(p) === 'animal-skimage-chelsea.jpg') ?? unrelated[0]!;
    const up = await upload(f, 'operator', fs.readFileSync(cat), 'cat.jpg');
    const s = await op('aiPhoto.suggest', { sha256: up.sha256 });
    expect(s.status.state).toBe('ready');
    expect(s.recognized).toBe(false);
    expect(s.description).toBe('');
    expect(s.suggestionId).toBeTruthy();
    const row = await f.ctx.store.db.selectFrom('ai_photo_suggestions').select(['top', 'description']).where('id', '=', s.suggestionId!).executeTakeFirstOrThrow();
    expect(row).toEqual({ top: '[]', description: '' });
    // Filed by hand: counted as unrecognized, not as a correction of what was offered.
    const d = await op('tickets.create', { ...ticket, categoryId: 'c21', photos: [up.sha256] });
    await op('aiPhoto.record', { ticketId: d.ticket.id, entries: [{ suggestionId: s.suggestionId!, acceptedCategoryId: null, descriptionAccepted: false }] });
    expect(await op('aiPhoto.stats', {})).toMatchObject({ shown: 1, unrecognized: 1, filed: 0, corrected: 0 });
    // The status carries the shipped model's dated held-out figures for Settings › 智能助手.
    const st = await op('aiPhoto.status', {});
    expect(st.evaluation?.test.garbage).toBe(garbageSplits().test.length);
    expect(st.evaluation?.test.negatives).toBe(unrelated.length);
    expect(st.evaluation?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('learns from the photos the street files: their final category becomes a label of the head', async () => {
    f = await createFixture();
    const op = f.as('operator');
    const probe = await upload(f, 'operator', await variant(heldOut[3]!, 'crop', 3), 'probe.jpg');
    const before = await op('aiPhoto.suggest', { sha256: probe.sha256 });
    expect(before.top.map((t) => t.categoryId)).not.toContain('c12');
    // Operators file three photos of this place under 井盖破损 (c12), correcting the suggestion.
    for (const i of [3, 4, 5]) {
      const up = await upload(f, 'operator', fs.readFileSync(heldOut[i]!), `p${i}.jpg`);
      const s = await op('aiPhoto.suggest', { sha256: up.sha256 });
      const d = await op('tickets.create', { ...ticket, categoryId: 'c12', photos: [up.sha256] });
      await op('aiPhoto.record', { ticketId: d.ticket.id, entries: [{ suggestionId: s.suggestionId!, acceptedCategoryId: null, descriptionAccepted: false }] });
    }
    const after = await op('aiPhoto.suggest', { sha256: probe.sha256 });
    expect(after.top.map((t) => t.categoryId)).toContain('c12');
    // A restarted node reads the labels back from the store.
    await closePhotoAi(f.ctx);
    const again = await op('aiPhoto.suggest', { sha256: probe.sha256 });
    expect(again.top.map((t) => t.categoryId)).toContain('c12');
  });

  it('rejects a photo that is not stored', async () => {
    f = await createFixture();
    await expect(f.as('operator')('aiPhoto.suggest', { sha256: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'notFound' });
  });
});

describe('before/after check', () => {
  it('flags a reused photo; passing verification then needs a reason', async () => {
    f = await createFixture();
    const bytes = fs.readFileSync(photos[3]!);
    const { id } = await resolvedTicket(f, bytes, bytes);
    const c = (await runPhotoCheck(f.ctx, id))!;
    expect(c).toMatchObject({ status: 'failed', reused: true, sameScene: true, reasonRequired: true });
    expect(c.reasons.join()).toContain('重复使用');
    expect(await f.as('operator')('aiPhoto.check', { ticketId: id })).toMatchObject({ status: 'failed', eventId: c.eventId });
    await expect(f.as('zj')('aiPhoto.check', { ticketId: id })).rejects.toMatchObject({ code: 'forbidden' });
    const op = f.as('operator');
    await expect(op('tickets.act', { action: 'verify', id, passed: true })).rejects.toMatchObject({ code: 'photoCheckReason', message: expect.stringContaining('核查通过须填写理由') });
    expect((await op('tickets.get', { id })).ticket.status).toBe('resolved');
    const d = await op('tickets.act', { action: 'verify', id, passed: true, reason: '已电话联系现场人员核实清运完毕' });
    expect(d.ticket.status).toBe('verified');
    const ev = await f.ctx.store.db.selectFrom('ticket_events').select(['data', 'reason']).where('ticket_id', '=', id).where('action', '=', 'verify').executeTakeFirstOrThrow();
    expect(JSON.parse(ev.data)).toMatchObject({ passed: true, photoCheck: 'failed' });
  });

  it('says not the same scene for a photo of another place; same scene and not reused for a cropped darker copy', async () => {
    f = await createFixture();
    const other = await resolvedTicket(f, fs.readFileSync(photos[3]!), fs.readFileSync(photos[20]!));
    const c1 = (await runPhotoCheck(f.ctx, other.id))!;
    expect(c1).toMatchObject({ status: 'failed', sameScene: false, reused: false });
    expect(c1.reasons.join()).toContain('不像同一现场');

    const copy = await variant(photos[5]!, 'cropDarker', 5);
    const same = await resolvedTicket(f, fs.readFileSync(photos[5]!), copy);
    const c2 = (await runPhotoCheck(f.ctx, same.id))!;
    expect(c2.sameScene).toBe(true);
    expect(c2.reused).toBe(false);
    expect(c2.pairs).toHaveLength(1);
  });

  it('checks each resolution once, on its own, right after the resolve', async () => {
    f = await createFixture();
    const bytes = fs.readFileSync(photos[3]!);
    const { id } = await resolvedTicket(f, bytes, bytes);
    // The node checks resolutions in the background; wait for the stored row.
    for (let i = 0; i < 100; i++) {
      if (await f.ctx.store.db.selectFrom('ai_photo_checks').select('status').where('ticket_id', '=', id).executeTakeFirst()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await f.ctx.store.db.selectFrom('ai_photo_checks').selectAll().where('ticket_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('failed');
  });

  it('flags an after-photo already used on another ticket', async () => {
    f = await createFixture();
    const clean = await variant(photos[12]!, 'darker', 1);
    const first = await resolvedTicket(f, fs.readFileSync(photos[12]!), clean);
    expect((await runPhotoCheck(f.ctx, first.id))!.reasons.join()).not.toContain('其他工单');
    const second = await resolvedTicket(f, fs.readFileSync(photos[40]!), clean);
    const code = (await f.as('operator')('tickets.get', { id: first.id })).ticket.code;
    const c = (await runPhotoCheck(f.ctx, second.id))!;
    expect(c).toMatchObject({ status: 'failed', reused: true, reasonRequired: true });
    expect(c.reasons[0]).toBe(`处置后照片已用于其他工单（${code}）`);
  });

  it('leaves tiny placeholder photos unchecked', async () => {
    f = await createFixture();
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const { id } = await resolvedTicket(f, tiny, tiny);
    expect(await runPhotoCheck(f.ctx, id)).toMatchObject({ status: 'incomplete', reasonRequired: false });
    expect((await f.as('operator')('tickets.act', { action: 'verify', id, passed: true })).ticket.status).toBe('verified');
  });
});

describe('a broken model', () => {
  it('gives a clear notice and changes nothing else', async () => {
    const dir = tempDir();
    for (const file of fs.readdirSync(defaultModelDir())) fs.copyFileSync(path.join(defaultModelDir(), file), path.join(dir, file));
    const model = path.join(dir, 'mobilenet_v2_1.0_224_int8_per_tensor.onnx');
    const bytes = fs.readFileSync(model);
    for (let i = 4096; i < bytes.length; i += 1021) bytes[i] = bytes[i]! ^ 0x5a;
    fs.writeFileSync(model, bytes);
    process.env.CHENGYUN_PHOTO_MODEL_DIR = dir;
    f = await createFixture();
    const op = f.as('operator');
    const st = await op('aiPhoto.status', {});
    expect(st.state).toBe('unavailable');
    expect(st.notice).toMatch(/图片识别模型不可用.*手工选择分类/);
    const up = await upload(f, 'operator', fs.readFileSync(photos[0]!), 'garbage.jpg');
    const s = await op('aiPhoto.suggest', { sha256: up.sha256 });
    expect(s).toMatchObject({ suggestionId: null, top: [], status: { state: 'unavailable' } });
    // The ticket life goes on; the check says why it could not run and requires nothing.
    const { id } = await resolvedTicket(f, fs.readFileSync(photos[0]!), fs.readFileSync(photos[0]!));
    expect(await runPhotoCheck(f.ctx, id)).toMatchObject({ status: 'unavailable', reasonRequired: false });
    expect((await op('tickets.act', { action: 'verify', id, passed: true })).ticket.status).toBe('verified');
  });
});
