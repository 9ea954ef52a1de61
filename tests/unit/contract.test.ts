// API input validation: the contract's schemas accept good input and reject bad input in Chinese.
import { describe, expect, it } from 'vitest';
import { API, ticketActionInput, ticketCreateInput, ticketListInput, isApiMethod } from '../../src/shared/api/contract';
import { indexText, matchExpression } from '../../src/shared/text/searchTokens';

const good = { channel: 'hotline12345', type: 'complaint', description: '小区门口井盖缺失，很危险', address: '经八路12号院' };

describe('ticketCreateInput', () => {
  it('accepts a minimal ticket and fills defaults', () => {
    const r = ticketCreateInput.parse(good);
    expect(r.urgency).toBe('normal');
    expect(r.photos).toEqual([]);
  });
  it.each([
    [{ ...good, channel: 'fax' }, '渠道'],
    [{ ...good, description: '太短' }, '至少5个字'],
    [{ ...good, address: '' }, '地址'],
    [{ ...good, lon: 2.35, lat: 48.85 }, '中国范围'],
    [{ ...good, reporterPhone: 'call me' }, '电话'],
    [{ ...good, photos: Array(10).fill('a'.repeat(64)) }, '最多9张'],
    [{ ...good, photos: ['../../etc/passwd'] }, '附件标识无效'],
  ])('rejects %j', (input, message) => {
    const r = ticketCreateInput.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.message).join(' ')).toContain(message);
  });
});

describe('ticketActionInput', () => {
  it('requires a reason to return', () => {
    expect(ticketActionInput.safeParse({ action: 'return', id: 't1' }).success).toBe(false);
    expect(ticketActionInput.safeParse({ action: 'return', id: 't1', reason: '不属于本单位职责' }).success).toBe(true);
  });
  it('rejects unknown actions and bad satisfaction', () => {
    expect(ticketActionInput.safeParse({ action: 'teleport', id: 't1' }).success).toBe(false);
    expect(ticketActionInput.safeParse({ action: 'callback', id: 't1', satisfaction: 'meh' }).success).toBe(false);
  });
  it('bounds extension days', () => {
    expect(ticketActionInput.safeParse({ action: 'requestExtension', id: 't1', days: 31, reason: '需要采购材料' }).success).toBe(false);
  });
});

describe('ticketListInput', () => {
  it('bounds pages and sort columns', () => {
    expect(ticketListInput.safeParse({ startRow: 0, endRow: 100 }).success).toBe(true);
    expect(ticketListInput.safeParse({ startRow: 0, endRow: 5000 }).success).toBe(false);
    expect(ticketListInput.safeParse({ startRow: 0, endRow: 100, sort: [{ colId: 'password', sort: 'asc' }] }).success).toBe(false);
  });
  it('knows its methods', () => {
    expect(isApiMethod('tickets.list')).toBe(true);
    expect(isApiMethod('constructor')).toBe(false);
    expect(Object.keys(API).length).toBeGreaterThan(8);
  });
});

describe('Chinese search tokens', () => {
  it('indexes bigrams and matches substrings as phrases', () => {
    expect(indexText('井盖缺失')).toBe('井盖 盖缺 缺失 失');
    expect(matchExpression('井盖缺失')).toBe('"井盖 盖缺 缺失"');
    expect(matchExpression('暖气 12号楼')).toBe('"暖气" AND "12"* AND "号楼"');
  });
  it('never passes FTS syntax through', () => {
    expect(matchExpression('" OR * NEAR(')).toBe('"or"* AND "near"*');
    expect(matchExpression('***')).toBeNull();
  });
});

describe('segmented search terms', () => {
  it('joins the single characters a segmenter leaves, drops function words, and keeps codes', async () => {
    const { joinSingles, queryTerms, allWordsExpression } = await import('../../src/shared/text/searchTokens');
    expect(joinSingles(['经', '七路', '井盖'])).toEqual(['经七路', '井盖']);
    expect(joinSingles(['暖气', '不', '热'])).toEqual(['暖气', '不热']);
    expect(joinSingles(['丰产路', '占', '道', '经营'])).toEqual(['丰产路', '占道', '经营']);
    expect(joinSingles(['门口', '有', '垃圾'])).toEqual(['门口', '垃圾']);
    expect(joinSingles(['井盖', '坏'])).toEqual(['井盖坏']);
    expect(joinSingles(['的'])).toEqual(['的']);
    const cut = (run: string) => (run === '经七路井盖' ? ['经七路', '井盖'] : [run]);
    expect(queryTerms('经七路井盖 JB-0047', cut)).toEqual({ words: ['经七路', '井盖', 'jb', '0047'], phrases: ['经七路井盖', 'jb', '0047'] });
    // Without a split nothing is ranked separately; without a segmenter a run stays whole.
    expect(queryTerms('井盖', cut)).toEqual({ words: ['井盖'], phrases: [] });
    expect(queryTerms('经七路井盖')).toEqual({ words: ['经七路井盖'], phrases: [] });
    expect(queryTerms('*** "')).toBeNull();
    expect(allWordsExpression(['经七路', '井盖', '0047'])).toBe('"经七 七路" AND "井盖" AND "0047"*');
  });
});
