// Search as operators type it, on a real store: phrases without spaces (segmented by jieba with the
// street's place names), the caller's phone (whole, first digits, last four) and name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture();
  // The street's own roads and landmarks feed the segmenter's user dictionary.
  await f.ctx.store.db
    .insertInto('basemap_features')
    .values([
      { kind: 'road', name: '红专路', geometry: JSON.stringify({ type: 'LineString', coordinates: [[113.66, 34.77], [113.67, 34.77]] }), props: null },
      { kind: 'road', name: '经七路', geometry: JSON.stringify({ type: 'LineString', coordinates: [[113.66, 34.772], [113.67, 34.772]] }), props: null },
    ])
    .execute();
});
afterEach(async () => {
  await f.close();
});

const base = { channel: 'hotline12345' as const, type: 'complaint' as const, address: '经八路街道', categoryId: 'c12' };

async function file(description: string, extra: Partial<{ reporterName: string; reporterPhone: string; address: string }> = {}) {
  f.setNow(f.ctx.now() + 60_000); // each ticket a minute after the last, so arrival order is known
  return (await f.as('operator')('tickets.create', { ...base, ...extra, description })).ticket;
}

const list = async (q: string, who = 'operator') =>
  (await f.as(who)('tickets.list', { startRow: 0, endRow: 100, filter: { q } })).rows.map((r) => r.description);

describe('phrases typed without spaces', () => {
  it('经七路井盖, 楼上漏水, 噪音扰民 find every ticket with all the words, the phrase as typed first', async () => {
    const phrase = await file('经七路井盖缺失，晚上很危险'); // older, but the phrase as typed
    const apart = await file('经七路12号院门口的井盖松动了'); // newer, words apart
    await file('经七路路灯不亮'); // only one word
    await file('楼上漏水，天花板都湿了');
    await file('楼上住户卫生间漏水渗到我家');
    await file('楼下饭店漏水');
    await file('广场舞噪音扰民，晚上十点还在跳');
    await file('施工噪音很大，严重扰民');

    expect(await list('经七路井盖')).toEqual([phrase.description, apart.description]);
    expect((await list('楼上漏水')).sort()).toEqual(['楼上住户卫生间漏水渗到我家', '楼上漏水，天花板都湿了'].sort());
    expect((await list('噪音扰民')).sort()).toEqual(['广场舞噪音扰民，晚上十点还在跳', '施工噪音很大，严重扰民'].sort());
    // The same tickets as the spaced query, in any order of the words.
    expect((await list('井盖 经七路')).sort()).toEqual((await list('经七路井盖')).sort());
    expect((await list('扰民噪音')).sort()).toEqual((await list('噪音扰民')).sort());
    const count = async (q: string) => (await f.as('operator')('tickets.list', { startRow: 0, endRow: 1, filter: { q } })).rows.length;
    expect(await count('经七路井盖')).toBe(1);
  });

  it('a road from the street keeps its name whole (红专路 is not in the general dictionary)', async () => {
    const t = await file('红专路18号门口井盖破了');
    await file('经八路井盖缺失');
    expect(await list('红专路井盖')).toEqual([t.description]);
  });

  it('pages of a ranked search never repeat or drop a ticket', async () => {
    const want: string[] = [];
    for (let i = 0; i < 7; i++) want.push((await file(i % 2 ? `经七路井盖第${i}处` : `经七路${i}号井盖`)).description);
    const op = f.as('operator');
    const seen: string[] = [];
    for (let start = 0; start < 9; start += 3) {
      const page = await op('tickets.list', { startRow: start, endRow: start + 3, filter: { q: '经七路井盖' } });
      seen.push(...page.rows.map((r) => r.description));
      if (page.lastRow >= 0) expect(page.lastRow).toBe(7);
    }
    expect(seen).toHaveLength(7);
    expect(seen.sort()).toEqual(want.sort());
    // Phrase tier first: the three with 经七路井盖 contiguous precede the four without.
    const firstThree = (await op('tickets.list', { startRow: 0, endRow: 3, filter: { q: '经七路井盖' } })).rows.map((r) => r.description);
    expect(firstThree.every((d) => d.includes('经七路井盖'))).toBe(true);
  });

  it('two-character words, codes and numbers still match as before', async () => {
    const a = await file('小区暖气不热，室温只有十四度');
    const b = await file('暖气管道漏水，楼道结冰');
    expect((await list('暖气')).sort()).toEqual([a.description, b.description].sort());
    expect(await list(a.code)).toEqual([a.description]);
    expect(await list('暖气不热')).toEqual([a.description]);
  });
});

describe('searching by the caller', () => {
  it('finds by the whole phone number, its last four digits, its first seven and with +86 or dashes', async () => {
    const t = await file('小区门口垃圾没人清理', { reporterName: '王秀英', reporterPhone: '13838471234' });
    await file('另一位来电人反映路灯不亮', { reporterName: '张伟', reporterPhone: '13900005678' });
    for (const q of ['13838471234', '1234', '71234', '1383847', '+86 138 3847 1234', '138-3847-1234']) {
      expect(await list(q), q).toEqual([t.description]);
    }
    expect(await list('9999')).toEqual([]);
  });

  it('finds by the caller\'s name; a unit finds its own tickets by phone, no others', async () => {
    const t = await file('楼道里的灯坏了好几天', { reporterName: '王秀英', reporterPhone: '13838471234' });
    await file('楼道里堆满了杂物', { reporterName: '李建国', reporterPhone: '13900005678' });
    expect(await list('王秀英')).toEqual([t.description]);
    const op = f.as('operator');
    await op('tickets.act', { action: 'dispatch', id: t.id, mode: 'oneClick' });
    expect(await list('13838471234', 'cg')).toEqual([t.description]);
    expect(await list('13900005678', 'cg')).toEqual([]);
  });

  it('a phone search combines with the other filters', async () => {
    const t = await file('门口井盖缺失了', { reporterPhone: '13838471234' });
    const op = f.as('operator');
    expect((await op('tickets.list', { startRow: 0, endRow: 10, filter: { q: '1234', statuses: ['registered'] } })).rows.map((r) => r.id)).toEqual([t.id]);
    expect((await op('tickets.list', { startRow: 0, endRow: 10, filter: { q: '1234', statuses: ['closed'] } })).rows).toEqual([]);
  });
});
