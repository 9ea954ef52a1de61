// The assistant's newer suggestions through the API on a real SQLite file (and, for replies, the
// real ONNX worker thread): 吹哨报到 departments from the description with reasons, the 智能派单
// share measured on the street's history held out by time, and suggested replies from the street's
// closest earlier answers (a unit sees only its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { aiServiceFor, closeAi, setAiDefaults } from '../../src/main/services/ai/registry';
import { setSetting } from '../../src/main/services/core/settings';

const H = 3_600_000;

function ticket(f: Fixture, id: string, o: Record<string, unknown>) {
  const now = f.ctx.now();
  return {
    id, code: id.toUpperCase(), channel: 'hotline12345', external_ref: null, reporter_name: null, reporter_phone: null,
    type: 'complaint', description: '描述', address: '经八路1号', lon: 113.662, lat: 34.772, grid_id: 'g3', category_id: 'c12',
    ai_category_id: null, ai_confidence: null, ai_model_version: null, category_source: 'manual', urgency: 'normal', is_micro: 0,
    is_cross_boundary: 0, status: 'closed', unit_id: null, dispatch_mode: null, accept_deadline: null,
    resolve_deadline: null, supervision_level: 0, satisfaction: null, result: null, merged_into: null, parent_id: null, reopen_count: 0,
    return_count: 0, created_by: null, created_at: now - 1000 * H, updated_at: now, dispatched_at: null, accepted_at: null,
    resolved_at: null, closed_at: null, version: 1,
    ...o,
  };
}

describe('whistle department suggestions', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    await f.ctx.store.db.insertInto('units').values([
      { id: 'u6', code: 'GD', name: '国网郑州供电公司', kind: 'enterprise', parent_id: null, phone: null, active: 1 },
      { id: 'u7', code: 'RL', name: '郑州热力集团有限公司', kind: 'enterprise', parent_id: null, phone: null, active: 1 },
      { id: 'u8', code: 'LT', name: '中国联通郑州市分公司', kind: 'enterprise', parent_id: null, phone: null, active: 1 },
      { id: 'u9', code: 'ZLS', name: '郑州水务集团自来水公司', kind: 'enterprise', parent_id: null, phone: null, active: 1 },
    ]).execute();
  });
  afterAll(() => f.close());

  it('suggests gas and power for a water heater pipe carrying current, with the words as reasons', async () => {
    const r = await f.as('operator')('ai.whistleDepts', { title: '燃气热水器管道带电', text: '居民反映家中燃气热水器的水管带电，洗澡时有麻手感，疑似漏电' });
    const ids = r.items.map((i) => i.unitId);
    expect(ids.slice(0, 2).sort()).toEqual(['u3', 'u6']);
    expect(r.items.find((i) => i.unitId === 'u3')!.reasons.join()).toContain('燃气');
    expect(r.items.find((i) => i.unitId === 'u6')!.reasons.join()).toMatch(/带电|漏电/);
    // Communities are the street's own, never summoned; heating is not mentioned, and a heater's
    // pipe carrying current is no water-supply fault.
    expect(ids).not.toContain('u4');
    expect(ids).not.toContain('u7');
    expect(ids).not.toContain('u9');
  });

  it('suggests the water company for a burst pipe', async () => {
    const r = await f.as('operator')('ai.whistleDepts', { text: '小区楼下总水管冻裂了，水流了一地，好几栋楼停水' });
    expect(r.items[0]?.unitId, JSON.stringify(r.items)).toBe('u9');
    expect(r.items[0]!.reasons.join()).toMatch(/总水管|停水/);
  });

  it('suggests heating and telecoms from their own words', async () => {
    const r = await f.as('leader')('ai.whistleDepts', { text: '小区暖气不热，施工挖断了通信光缆' });
    expect(r.items.map((i) => i.unitId)).toEqual(expect.arrayContaining(['u7', 'u8']));
  });

  it("learns from the street's earlier sessions: who was summoned for a similar problem", async () => {
    const op = f.as('operator');
    await op('whistle.open', {
      title: '外墙瓷砖脱落',
      problem: '体育社区3号楼外墙瓷砖大面积脱落，砸坏楼下车辆',
      urgency: 'urgent',
      place: '体育社区3号楼',
      unitIds: ['u2', 'u5'],
      reportBy: f.ctx.now() + H,
      tasks: [],
    });
    const r = await op('ai.whistleDepts', { text: '5号楼外墙瓷砖脱落，存在安全隐患' });
    const street = r.items.find((i) => i.unitId === 'u5');
    expect(street, JSON.stringify(r.items)).toBeTruthy();
    expect(street!.reasons.join()).toMatch(/相似的吹哨事项 .*外墙瓷砖脱落/);
    expect(r.items.map((i) => i.unitId)).toContain('u2');
    // Nothing to go on: nothing suggested.
    expect((await op('ai.whistleDepts', { text: '请看' })).items).toEqual([]);
  });

  it('is for street staff only', async () => {
    await expect(f.as('rq')('ai.whistleDepts', { text: '燃气泄漏' })).rejects.toMatchObject({ code: 'forbiddenRole' });
  });
});

describe('智能派单 share, held out by time', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
    const rows = [];
    // 50 井盖 tickets in g3, dispatched one hour apart: the first 40 finished (32 by 住建 u2, 8 by
    // 城管 u1); of the last 10 (held out), 7 went to u2 and 3 to u1.
    for (let i = 0; i < 50; i++) {
      const at = f.ctx.now() - (60 - i) * H;
      const unit = i < 40 ? (i % 5 === 0 ? 'u1' : 'u2') : i < 47 ? 'u2' : 'u1';
      rows.push(ticket(f, `d${i}`, { unit_id: unit, dispatch_mode: 'oneClick', created_at: at - H, dispatched_at: at, resolved_at: at + H / 2, status: i < 45 ? 'closed' : 'dispatched' }));
    }
    // Not dispatched, or without a category: not counted.
    rows.push(ticket(f, 'x1', { status: 'registered', created_at: f.ctx.now() - H }));
    rows.push(ticket(f, 'x2', { category_id: null, unit_id: 'u1', dispatched_at: f.ctx.now() - H }));
    await f.ctx.store.db.insertInto('tickets').values(rows).execute();
  });
  afterAll(() => f.close());

  it('scores the first suggestion against the unit dispatched to, learning only from before the cutoff', async () => {
    const s = await f.as('leader')('ai.dispatchShare', {});
    expect(s.n).toBe(10);
    expect(s.hits).toBe(7);
    expect(s.share).toBe(0.7);
    expect(s.top3Share).toBe(1);
    expect(s.trainRows).toBe(40);
    expect(s.cutoff).toBe(f.ctx.now() - 20 * H);
    expect(s.cityShare).toBe(0.85);
    expect(s.generated).toBe(false);
  });

  it('says when the street is the generated demo street', async () => {
    await setSetting(f.ctx.store.db, 'demo', true);
    expect((await f.as('operator')('ai.dispatchShare', {})).generated).toBe(true);
    expect((await f.as('operator')('ai.stats', {})).generated).toBe(true);
  });
});

describe('suggested replies', () => {
  let f: Fixture;
  const ANSWERS: Array<[string, string, string, string]> = [
    ['r1', '咨询社保卡丢了怎么补办', '您好，社保卡遗失可携带身份证到就近的社保卡服务网点或合作银行网点挂失补办，补卡工本费按规定收取。', 'u1'],
    ['r2', '养老保险断缴以后怎么补交', '您好，养老保险断缴可到区社保中心窗口办理补缴，需携带身份证和劳动合同。', 'u2'],
    ['r3', '医保报销比例是多少', '您好，职工医保住院报销比例按医院等级为75%至90%，详情可拨打医保服务热线咨询。', 'u2'],
    ['r4', '楼下井盖破损很危险', '已联系产权单位更换井盖，现场已恢复正常。', 'u1'],
  ];
  beforeAll(async () => {
    setAiDefaults({ autoUpgrade: false });
    f = await createFixture();
    const rows = ANSWERS.map(([id, q, a, unit], i) =>
      ticket(f, id, { type: 'consultation', category_id: id === 'r4' ? 'c12' : 'c21', description: q, result: a, unit_id: unit, resolved_at: f.ctx.now() - (10 - i) * H }),
    );
    rows.push(ticket(f, 'q1', { type: 'consultation', category_id: 'c21', description: '我的社保卡找不到了，去哪里补办一张新的', status: 'registered' }));
    rows.push(ticket(f, 'q2', { type: 'complaint', category_id: 'c21', description: '社保卡丢了要补办', status: 'dispatched', unit_id: 'u2' }));
    // The same question asked three times, answered three ways (a street's consultations repeat word
    // for word); the answer that speaks to the question is the oldest.
    const HEAT: Array<[string, string]> = [
      ['h1', '已告知按计划11月15日起正式供暖，如遇寒潮可能提前。'],
      ['h2', '已告知可通过热力集团公众号或营业厅缴纳取暖费。'],
      ['h3', '已告知报停须在规定时间内到营业厅办理。'],
    ];
    HEAT.forEach(([id, a], i) =>
      rows.push(ticket(f, id, { type: 'consultation', category_id: 'c12', description: '咨询今年什么时候开始供暖', result: a, unit_id: 'u1', resolved_at: f.ctx.now() - (5 - i) * H })),
    );
    rows.push(ticket(f, 'q3', { type: 'consultation', category_id: 'c12', description: '请问今年几号开始供暖', status: 'registered' }));
    await f.ctx.store.db.insertInto('tickets').values(rows).execute();
  });
  afterAll(async () => {
    await closeAi(f.ctx);
    await f.close();
    setAiDefaults({});
  });

  it('offers the closest earlier answer first (embedding search over resolved tickets)', async () => {
    await aiServiceFor(f.ctx).start();
    const r = await f.as('operator')('ai.replies', { ticketId: 'q1' });
    expect(r.method).toBe('embedding');
    expect(r.items[0]?.ticketId, JSON.stringify(r.items)).toBe('r1');
    expect(r.items[0]!.result).toContain('挂失补办');
    expect(r.items.map((i) => i.ticketId)).not.toContain('q1');
  }, 60_000);

  it('among equally close questions, puts the answer that speaks to this question first', async () => {
    const r = await f.as('operator')('ai.replies', { ticketId: 'q3' });
    expect(r.items.map((i) => i.ticketId).slice(0, 3).sort(), JSON.stringify(r.items)).toEqual(['h1', 'h2', 'h3']);
    expect(r.items[0]!.ticketId, JSON.stringify(r.items)).toBe('h1');
    expect(new Set(r.items.map((i) => i.similarity)).size).toBe(1);
    expect(r.items[0]!.answerSimilarity).toBeGreaterThan(r.items[1]!.answerSimilarity);
  }, 60_000);

  it('shows a unit only its own earlier answers, and only for its own tickets', async () => {
    const zj = f.as('zj');
    const r = await zj('ai.replies', { ticketId: 'q2' });
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((i) => ['r2', 'r3'].includes(i.ticketId))).toBe(true);
    await expect(f.as('cg')('ai.replies', { ticketId: 'q2' })).rejects.toMatchObject({ code: 'notFound' });
  }, 60_000);
});
