// The street's assistant through the API on a real SQLite file and the real ONNX worker thread:
// the street's model is trained from its own ticket history (catalog leaves as labels), suggestions
// are recorded and linked to the filed ticket (accepted or corrected), duplicates come with
// reasons, unit suggestions follow who actually finished such tickets in the grid, retrain replaces
// only when better and keeps versions for rollback, and a broken embedding model degrades to the
// n-gram model with a notice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, tempDir, type Fixture } from '../support/fixture';
import { aiServiceFor, closeAi, setAiDefaults } from '../../src/main/services/ai/registry';
import { MIN_ALTERNATIVE_SCORE } from '../../src/main/services/ai/text';
import { bgeDir } from '../../src/main/ai/paths';

const TEXTS: Record<string, string[]> = {
  c11: ['楼下垃圾堆了好几天没人清理', '小区门口垃圾暴露堆放，臭气熏天', '路边有人乱倒生活垃圾', '垃圾桶旁边堆满垃圾袋没人收', '绿化带里扔了很多垃圾'],
  c12: ['路上井盖破损，晚上很危险', '人行道井盖松动踩上去会翻', '井盖缺失了一个大坑', '小区门口井盖塌陷', '雨水井盖碎了需要更换'],
  c13: ['楼道里的东西不知道归谁管', '这个问题找不到责任单位', '无人管理的空地杂草丛生', '废弃的自行车棚没人管', '无主的广告牌摇摇欲坠'],
  c21: ['咨询社保卡怎么办理', '养老保险断缴了怎么补交', '医保报销比例是多少', '灵活就业人员社保怎么交', '社保转移需要什么材料'],
  c14: ['电线杆上贴满了小广告', '楼道墙上喷涂办证小广告', '单元门上被贴了开锁广告', '公交站牌上贴小广告', '墙上乱涂乱画的电话号码'],
};
const SUFFIX = ['，请尽快处理', '，希望有关部门管一管', '，已经好几天了', '，居民意见很大', ''];

async function seedHistory(f: Fixture) {
  const db = f.ctx.store.db;
  const now = f.ctx.now();
  let n = 0;
  const rows = [];
  for (const [cat, texts] of Object.entries(TEXTS))
    for (const t of texts)
      for (const s of SUFFIX) {
        n++;
        // 井盖 tickets in grid g3 were in fact finished by 住建局 (u2), not the catalog default (u1).
        const unit = cat === 'c12' ? (n % 5 === 0 ? 'u1' : 'u2') : cat === 'c11' ? 'u1' : null;
        rows.push({
          id: `h${n}`, code: `H${n}`, channel: 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: n === 1 ? '13900000001' : null,
          type: 'complaint', description: t + s, address: '经八路1号', lon: 113.662, lat: 34.772, grid_id: 'g3', category_id: cat,
          ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: 'manual', urgency: 'normal', is_micro: 0,
          is_cross_boundary: 0, status: unit ? 'closed' : 'registered', unit_id: unit, dispatch_mode: unit ? 'oneClick' : null, accept_deadline: null,
          resolve_deadline: null, supervision_level: 0, satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: 0,
          return_count: 0, created_by: null, created_at: now - (200 - n) * 3_600_000, updated_at: now, dispatched_at: null, accepted_at: null,
          resolved_at: null, closed_at: null, version: 1,
        });
      }
  await db.insertInto('tickets').values(rows).execute();
}

describe('the street assistant', () => {
  let f: Fixture;
  let op: ReturnType<Fixture['as']>;
  beforeAll(async () => {
    setAiDefaults({ autoUpgrade: false });
    f = await createFixture();
    await seedHistory(f);
    op = f.as('operator');
    await aiServiceFor(f.ctx).start();
  });
  afterAll(async () => {
    await closeAi(f.ctx);
    await f.close();
    setAiDefaults({});
  });

  it('trains the street model from its history and is ready', async () => {
    const s = await op('ai.status', {});
    expect(s).toMatchObject({ state: 'ready', parts: 'ngram', notice: null });
    const m = await op('ai.models', {});
    expect(m.versions).toHaveLength(1);
    // 125 history rows less the 25 most recent held out, plus one catalog-path sample per leaf.
    expect(m.versions[0]).toMatchObject({ current: true, rows: 100 + 5 });
    expect(m.versions[0]!.heldOut!.n).toBe(25);
  });

  it('suggests the street catalog categories and records what became of them', async () => {
    const r = await op('ai.suggest', { text: '单位门口的井盖坏了，有车压过去很危险' });
    expect(r.items[0]).toMatchObject({ categoryId: 'c12', path: '市容环境/井盖破损' });
    // Alternatives only where the model gives them a real chance (a "0%" chip says nothing).
    expect(r.items.length).toBeGreaterThanOrEqual(1);
    expect(r.items.length).toBeLessThanOrEqual(3);
    for (const alt of r.items.slice(1)) expect(alt.score).toBeGreaterThanOrEqual(MIN_ALTERNATIVE_SCORE);
    for (let i = 1; i < r.items.length; i++) expect(r.items[i - 1]!.score).toBeGreaterThanOrEqual(r.items[i]!.score);
    expect(r.suggestionId).toBeTruthy();
    const d = await op('tickets.create', {
      channel: 'hotline12345', type: 'complaint', description: '单位门口的井盖坏了，有车压过去很危险', address: '经八路2号',
      categoryId: 'c12', ai: { categorySuggestionId: r.suggestionId! },
    });
    const t = await f.ctx.store.db.selectFrom('tickets').selectAll().where('id', '=', d.ticket.id).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ category_id: 'c12', ai_category_id: 'c12', category_source: 'ai', ai_model_version: r.modelVersion });
    const s = await f.ctx.store.db.selectFrom('ai_suggestions').selectAll().where('id', '=', r.suggestionId!).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ ticket_id: d.ticket.id, accepted: 1, final_value: 'c12', kind: 'category' });

    // The operator picks a category that was not among the three shown: corrected, not accepted.
    const r2 = await op('ai.suggest', { text: '社保卡丢了怎么补办' });
    expect(r2.items[0]!.categoryId).toBe('c21');
    const notShown = ['c11', 'c12', 'c13', 'c14'].find((c) => !r2.items.some((i) => i.categoryId === c))!;
    const d2 = await op('tickets.create', { channel: 'hotline12345', type: 'consultation', description: '社保卡丢了怎么补办', address: '经八路3号', categoryId: notShown, ai: { categorySuggestionId: r2.suggestionId! } });
    const t2 = await f.ctx.store.db.selectFrom('tickets').select(['category_source', 'ai_category_id']).where('id', '=', d2.ticket.id).executeTakeFirstOrThrow();
    expect(t2).toEqual({ category_source: 'corrected', ai_category_id: 'c21' });
    const stats = await op('ai.stats', {});
    expect(stats.kinds.find((k) => k.kind === 'category')).toMatchObject({ shown: 2, decided: 2, accepted: 1, rate: 0.5 });
  });

  it('is not open to units (they must not see other units\' tickets)', async () => {
    await expect(f.as('cg')('ai.duplicates', { text: '井盖', lon: 113.662, lat: 34.772 })).rejects.toThrow(/处置单位/);
    await expect(f.as('cg')('ai.suggest', { text: '井盖破损了' })).rejects.toThrow(/处置单位/);
  });

  it('offers micro-event flags for micro categories', async () => {
    const r = await op('ai.suggest', { text: '电线杆和墙上贴满了办证小广告' });
    expect(r.items[0]!.categoryId).toBe('c14');
    expect(r.micro?.reason).toContain('小微事件');
  });

  it('offers duplicates with reasons: same place, similar text, same caller', async () => {
    const r = await op('ai.duplicates', { text: '楼下垃圾堆了好几天了没人清理', lon: 113.662, lat: 34.7721, reporterPhone: '13900000001' });
    expect(r.suggestionId).toBeTruthy();
    // Closed history tickets are not open: only the open ones nearby, and the same caller's.
    const top = r.candidates[0]!;
    expect(top.ticketId).toBe('h1');
    expect(top.reasons).toContain('同一来电号码再次反映');
    expect(top.reasons.some((x) => /^相距 \d+ 米$/.test(x))).toBe(true);
    expect(top.similarity).toBeGreaterThan(0.8);
    // A different problem at the same place is not offered.
    const other = await op('ai.duplicates', { text: '咨询孩子入学需要准备哪些材料', lon: 113.662, lat: 34.7721 });
    expect(other.candidates.filter((c) => c.reasons.some((x) => x.startsWith('描述相似度')))).toEqual([]);
  });

  it('suggests the unit that actually finishes such tickets in the grid, with the reason', async () => {
    const d = await op('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '井盖又坏了，赶紧来修', address: '经八路1号', lon: 113.662, lat: 34.772, categoryId: 'c12' });
    const r = await op('ai.unitSuggest', { ticketId: d.ticket.id });
    expect(r.items[0]).toMatchObject({ unitId: 'u2', name: '金水区住建局' });
    expect(r.items[0]!.reason).toMatch(/本网格近两年同类工单 25 件中 20 件由其办结/);
    expect(r.items.find((u) => u.unitId === 'u1')?.reason).toContain('派单目录默认处置单位');
    // Dispatching to it settles the suggestion as accepted.
    await op('tickets.act', { action: 'dispatch', id: d.ticket.id, mode: 'designated', unitId: 'u2' });
    const stats = await op('ai.stats', {});
    expect(stats.kinds.find((k) => k.kind === 'unit')).toMatchObject({ decided: 1, accepted: 1 });
  });

  it('recovers when the worker thread dies: a new one is started with the same model', async () => {
    const svc = aiServiceFor(f.ctx);
    await (svc.client as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const r = await op('ai.suggest', { text: '路上井盖破损，晚上很危险' });
    expect(r.items[0]!.categoryId).toBe('c12');
    expect(r.modelVersion).toBe((await op('ai.models', {})).current);
  });

  it('retrains with the embedding model, compares on held-out rows, keeps versions and rolls back', async () => {
    const before = (await op('ai.models', {})).current!;
    const r = await op('ai.retrain', {});
    expect(r.candidate.parts).toBe('embedding+ngram');
    expect(r.previous?.version).toBe(before);
    expect(r.candidate.heldOut!.n).toBe(r.previous!.n);
    expect(r.replaced).toBe(r.candidate.heldOut!.accuracy > r.previous!.accuracy || (r.candidate.heldOut!.accuracy === r.previous!.accuracy && r.candidate.heldOut!.top3 > r.previous!.top3));
    expect(r.reason).toMatch(/留出数据/);
    const m = await op('ai.models', {});
    expect(m.versions).toHaveLength(2);
    const other = m.versions.find((v) => !v.current)!;
    await expect(op('ai.rollback', { version: other.version })).rejects.toThrow(/街道领导/);
    const rolled = await f.as('leader')('ai.rollback', { version: other.version });
    expect(rolled.current).toBe(other.version);
    expect((await op('ai.status', {})).modelVersion).toBe(other.version);
    await expect(f.as('leader')('ai.rollback', { version: 'nope' })).rejects.toThrow(/不存在/);
  });
});

describe('the street assistant with a broken embedding model', () => {
  it('says why and goes on with the n-gram model', async () => {
    const broken = path.join(tempDir('chengyun-bge-bad-'), 'bge');
    fs.cpSync(bgeDir(), broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'onnx', 'model_quantized.onnx'), 'garbage');
    setAiDefaults({ bgeDir: broken, autoUpgrade: false });
    const f = await createFixture();
    try {
      await seedHistory(f);
      const op = f.as('operator');
      await aiServiceFor(f.ctx).start();
      const s = await op('ai.status', {});
      expect(s.state).toBe('ready');
      expect(s.parts).toBe('ngram');
      expect(s.notice).toContain('文本模型文件损坏');
      const r = await op('ai.suggest', { text: '路上井盖破损，晚上很危险' });
      expect(r.items[0]!.categoryId).toBe('c12');
      expect(r.notice).toContain('损坏');
      // Duplicates fall back to literal similarity.
      const d = await op('ai.duplicates', { text: '电线杆上贴满了小广告，请尽快处理', lon: 113.662, lat: 34.772 });
      expect(d.candidates.some((c) => c.reasons.some((x) => x.startsWith('字面相似度')))).toBe(true);
      // Everything else still works.
      const t = await op('tickets.create', { channel: 'hotline12345', type: 'complaint', description: '井盖破损需要维修', address: '经八路1号' });
      expect(t.ticket.status).toBe('registered');
    } finally {
      await closeAi(f.ctx);
      await f.close();
      setAiDefaults({});
    }
  });
});
