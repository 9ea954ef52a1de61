// Two more suggestions of the assistant:
//   - 吹哨报到 departments from a session's description: topic words (燃气, 供电, 热力, 供水, 通信 …)
//     matched to the street's summonable units by name, plus the units summoned in the street's
//     earlier sessions with a similar description; each with its reasons.
//   - Suggested replies: the street's closest earlier answers (resolved tickets' results) to a
//     ticket like this one, by embedding similarity of the descriptions (character bigrams when the
//     embedding model is out), to insert into the reply and edit.

import { visibleTicketIds } from '../tickets/visibility';
import type { NodeContext } from '../core/context';
import type { User } from '../../../shared/api/types';
import type { AiRepliesResult, AiReply, AiWhistleDept, AiWhistleDeptsResult } from '../../../shared/api/ai';
import { dot } from '../../ai/embedder';
import { gramCounts } from '../../ai/ngram';
import { notFound } from '../core/errors';
import type { AiService } from './text';

/** Cosine of character uni+bigram counts. */
export function gramCosine(a: string, b: string): number {
  const ca = gramCounts(a, 2);
  const cb = gramCounts(b, 2);
  let d = 0;
  let na = 0;
  let nb = 0;
  for (const [g, v] of ca) {
    na += v * v;
    const w = cb.get(g);
    if (w) d += v * w;
  }
  for (const v of cb.values()) nb += v * v;
  return na && nb ? d / Math.sqrt(na * nb) : 0;
}

// ---------------------------------------------------------------------------------------------
// 吹哨报到 departments

interface Topic {
  /** Chinese name of the topic, as the reason shows it. */
  name: string;
  /** Words of a description that point to the topic. */
  words: string[];
  /** Which units serve it, by name. */
  unit: RegExp;
}

/** Topics of the units a whistle summons. Units are matched by name, so any street's list works. */
export const WHISTLE_TOPICS: readonly Topic[] = [
  { name: '燃气', words: ['燃气', '煤气', '天然气', '液化气', '漏气', '气味', '燃气表', '热水器', '燃气管', '气管', '灶具', '爆燃'], unit: /燃气|煤气/ },
  { name: '供电', words: ['停电', '断电', '供电', '漏电', '带电', '触电', '电线', '电缆', '变压器', '配电', '电表', '线路', '跳闸', '电箱', '高压'], unit: /供电|电力|电网/ },
  { name: '热力', words: ['暖气', '供暖', '供热', '热力', '地暖', '不热', '暖气片', '热水管', '采暖'], unit: /热力|供热/ },
  // Not a bare 水管: a pipe that carries current or belongs to a heater is not a water-supply fault.
  { name: '供水', words: ['停水', '自来水', '水管破', '水管裂', '水管爆', '水管漏', '总水管', '爆管', '水压', '水表', '供水', '漏水', '水质', '二次供水'], unit: /自来水|供水|水务集团/ },
  { name: '通信', words: ['光缆', '通信', '宽带', '网线', '基站', '电话线', '信号', '弱电', '光纤', '通讯'], unit: /联通|移动|电信|通信|铁塔|广电/ },
  { name: '排水防汛', words: ['排水', '污水', '下水道', '化粪池', '积水', '内涝', '防汛', '管网', '窨井', '雨水'], unit: /水务局|排水/ },
  { name: '治安', words: ['打架', '斗殴', '盗窃', '偷', '治安', '诈骗', '纠纷', '报警', '可疑'], unit: /派出所|公安局(?!.*交通)/ },
  { name: '交通', words: ['交通', '违停', '堵车', '信号灯', '红绿灯', '拥堵', '车辆', '事故'], unit: /交警|交通警察/ },
  { name: '公交', words: ['公交', '站牌', '公交站', '线路调整'], unit: /公交/ },
  { name: '城管执法', words: ['占道', '违建', '违章建筑', '摊贩', '流动摊', '渣土', '乱搭', '户外广告', '垃圾', '环卫'], unit: /城市管理|城管|执法/ },
  { name: '房屋建设', words: ['房屋', '物业', '施工', '工地', '楼体', '墙体', '裂缝', '加装电梯', '老旧小区', '危房', '外墙'], unit: /住房|住建|城乡建设/ },
  { name: '园林绿化', words: ['树木', '大树', '树枝', '绿化', '倒伏', '草坪', '园林', '枯树'], unit: /园林|绿化/ },
  { name: '生态环境', words: ['噪音', '噪声', '油烟', '污染', '排放', '异味', '粉尘', '扬尘', '废气'], unit: /生态环境|环保/ },
  { name: '市场监管', words: ['食品', '餐馆', '价格', '特种设备', '电梯', '无证经营', '过期', '消费'], unit: /市场监/ },
  { name: '应急安全', words: ['安全隐患', '火灾', '消防', '坍塌', '塌陷', '危险', '应急', '爆炸', '险情'], unit: /应急/ },
  { name: '卫生健康', words: ['疫情', '传染', '医院', '诊所', '卫生', '病媒', '蚊虫', '老鼠'], unit: /卫生健康|卫健/ },
  { name: '民政', words: ['老人', '独居', '低保', '困难', '养老', '救助', '残疾'], unit: /民政/ },
  { name: '教育', words: ['学校', '学生', '幼儿园', '校园', '上学'], unit: /教育/ },
  { name: '人社', words: ['工资', '欠薪', '社保', '劳动', '农民工'], unit: /人力资源|人社/ },
];

const SIMILAR_SESSION = 0.25;
const MAX_SESSIONS = 500;

/** Units a whistle can summon: everything but communities (they are the street's own). */
function summonable(kind: string): boolean {
  return kind !== 'community';
}

export async function whistleDepartments(ctx: NodeContext, input: { text: string; title?: string }): Promise<AiWhistleDeptsResult> {
  const text = `${input.title ?? ''} ${input.text}`.trim();
  if (text.length < 2) return { items: [] };
  const db = ctx.store.db;
  const units = (await db.selectFrom('units').select(['id', 'name', 'kind', 'active']).execute()).filter((u) => u.active && summonable(u.kind));
  const score = new Map<string, { s: number; reasons: string[] }>();
  const add = (unitId: string, s: number, reason: string) => {
    const e = score.get(unitId) ?? { s: 0, reasons: [] };
    e.s += s;
    if (!e.reasons.includes(reason)) e.reasons.push(reason);
    score.set(unitId, e);
  };
  // Topic words.
  for (const t of WHISTLE_TOPICS) {
    const hit = t.words.filter((w) => text.includes(w));
    if (!hit.length) continue;
    for (const u of units.filter((x) => t.unit.test(x.name))) add(u.id, 0.5 + 0.1 * Math.min(3, hit.length - 1), `描述提到“${hit.slice(0, 3).join('、')}”（${t.name}）`);
  }
  // The street's earlier sessions with a similar description: who was summoned then.
  const sessions = await db.selectFrom('whistle_sessions').select(['id', 'code', 'title', 'problem']).orderBy('opened_at', 'desc').limit(MAX_SESSIONS).execute();
  const similar = sessions
    .map((s) => ({ s, sim: gramCosine(text, `${s.title} ${s.problem}`) }))
    .filter((x) => x.sim >= SIMILAR_SESSION)
    .sort((a, b) => b.sim - a.sim)
    .slice(0, 5);
  if (similar.length) {
    const depts = await db
      .selectFrom('whistle_departments')
      .select(['session_id', 'unit_id'])
      .where('session_id', 'in', similar.map((x) => x.s.id))
      .execute();
    const ok = new Set(units.map((u) => u.id));
    for (const { s, sim } of similar)
      for (const d of depts.filter((x) => x.session_id === s.id && ok.has(x.unit_id)))
        add(d.unit_id, 0.6 * sim, `相似的吹哨事项 ${s.code}“${s.title}”曾召集（相似度 ${sim.toFixed(2)}）`);
  }
  const byId = new Map(units.map((u) => [u.id, u]));
  const items: AiWhistleDept[] = [...score.entries()]
    .map(([unitId, e]) => ({ unitId, name: byId.get(unitId)!.name, score: Math.round(Math.min(1, e.s) * 1000) / 1000, reasons: e.reasons }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1))
    .slice(0, 8);
  return { items };
}

// ---------------------------------------------------------------------------------------------
// Suggested replies

const MAX_POOL = 200;
const MAX_REPLIES = 3;
const MIN_SIMILARITY = { embedding: 0.6, characters: 0.2 };
/** How many of the closest questions have their answers read (embedded) against this one. */
const MAX_ANSWERS_READ = 30;
/** The answer's closeness to this question, as a share of the ranking beside the questions' closeness. */
const ANSWER_WEIGHT = 0.5;

/**
 * A unit sees only its own earlier answers (and asks only for its own tickets): units must not
 * read other units' tickets.
 */
export async function replySuggestions(ctx: NodeContext, ai: AiService, user: User, ticketId: string): Promise<AiRepliesResult> {
  const db = ctx.store.db;
  const t = await db
    .selectFrom('tickets as t')
    .leftJoin('catalog as c', 'c.id', 't.category_id')
    .select(['t.id', 't.description', 't.category_id', 't.type', 't.created_at', 't.unit_id', 'c.parent_id'])
    .where('t.id', '=', ticketId)
    .executeTakeFirst();
  if (!t) throw notFound('工单', ticketId);
  const ownUnit = user.role === 'unit' ? user.unitId : null;
  if (user.role === 'unit' && (!ownUnit || t.unit_id !== ownUnit)) throw notFound('工单', ticketId);
  // Earlier answers: resolved tickets with a result, same category first, then same top category / type.
  let base = db
    .selectFrom('tickets as t')
    .leftJoin('catalog as c', 'c.id', 't.category_id')
    .select(['t.id', 't.code', 't.description', 't.result', 't.resolved_at', 'c.path'])
    .where('t.id', '!=', t.id)
    .where('t.result', 'is not', null)
    .where('t.result', '!=', '')
    .where('t.resolved_at', 'is not', null)
    .orderBy('t.resolved_at', 'desc')
    .limit(MAX_POOL);
  if (ownUnit) base = base.where('t.unit_id', '=', ownUnit);
  const visible = visibleTicketIds(db, user);
  if (visible) base = base.where('t.id', 'in', visible);
  let pool = t.category_id ? await base.where('t.category_id', '=', t.category_id).execute() : [];
  if (pool.length < 20) {
    const more = t.parent_id
      ? await base.where('c.parent_id', '=', t.parent_id).execute()
      : await base.where('t.type', '=', t.type).execute();
    const seen = new Set(pool.map((p) => p.id));
    pool = [...pool, ...more.filter((p) => !seen.has(p.id))].slice(0, MAX_POOL);
  }
  if (!pool.length) return { items: [], method: 'embedding' };
  const vecs = await ai.embedCached([t.description, ...pool.map((p) => p.description)]);
  const method = vecs ? 'embedding' : 'characters';
  const sims = pool.map((p, i) => (vecs ? dot(vecs[0]!, vecs[i + 1]!) : gramCosine(t.description, p.description)));
  // The closest questions, then their answers read against this question: among equally close
  // questions (a street's consultations repeat word for word) the answer that speaks to it first.
  const close = pool.map((_, i) => i).filter((i) => sims[i]! >= MIN_SIMILARITY[method]);
  close.sort((a, b) => sims[b]! - sims[a]!);
  close.length = Math.min(close.length, MAX_ANSWERS_READ);
  const answers = method === 'embedding' && close.length ? await ai.embedCached(close.map((i) => pool[i]!.result!)) : null;
  const answerSim = new Map(
    close.map((i, j) => [i, vecs && answers ? dot(vecs[0]!, answers[j]!) : gramCosine(t.description, pool[i]!.result!)]),
  );
  const rank = (i: number) => sims[i]! + ANSWER_WEIGHT * answerSim.get(i)!;
  // The same answer given many times counts once (the best-ranked one).
  const seenResult = new Set<string>();
  const items: AiReply[] = [];
  for (const i of close.sort((a, b) => rank(b) - rank(a))) {
    const p = pool[i]!;
    const key = p.result!.trim();
    if (seenResult.has(key)) continue;
    seenResult.add(key);
    items.push({
      ticketId: p.id,
      code: p.code,
      description: p.description.length > 120 ? p.description.slice(0, 120) + '…' : p.description,
      result: p.result!,
      resolvedAt: p.resolved_at,
      similarity: Math.round(sims[i]! * 1000) / 1000,
      answerSimilarity: Math.round(answerSim.get(i)! * 1000) / 1000,
      categoryPath: p.path ?? null,
    });
    if (items.length >= MAX_REPLIES) break;
  }
  return { items, method };
}
