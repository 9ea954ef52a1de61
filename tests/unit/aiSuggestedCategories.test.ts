// Which categories the new-ticket form offers from the model's ranking: the first active leaf
// always, alternatives only where the model gives them a real chance.
import { describe, expect, it } from 'vitest';
import { MIN_ALTERNATIVE_SCORE, suggestedCategories } from '../../src/main/services/ai/text';

const cat = (id: string, over: Partial<{ active: number; is_leaf: number }> = {}) => ({ id, name: id, path: `市容环境/${id}`, active: 1, is_leaf: 1, ...over });
const byId = new Map(['a', 'b', 'c', 'd', 'e'].map((id) => [id, cat(id)]));

describe('suggested categories', () => {
  it('offers up to three, in the model\'s order', () => {
    const top = [{ label: 'a', score: 0.5 }, { label: 'b', score: 0.3 }, { label: 'c', score: 0.1 }, { label: 'd', score: 0.1 }];
    expect(suggestedCategories(top, byId).map((i) => i.categoryId)).toEqual(['a', 'b', 'c']);
  });

  it('drops alternatives below the floor, never the first', () => {
    const top = [{ label: 'a', score: 0.03 }, { label: 'b', score: 0.02 }];
    expect(suggestedCategories(top, byId).map((i) => i.categoryId)).toEqual(['a']);
    const sure = [{ label: 'a', score: 0.89 }, { label: 'b', score: MIN_ALTERNATIVE_SCORE }, { label: 'c', score: 0.02 }, { label: 'd', score: 0.004 }];
    expect(suggestedCategories(sure, byId).map((i) => [i.categoryId, i.score])).toEqual([['a', 0.89], ['b', MIN_ALTERNATIVE_SCORE]]);
  });

  it('skips retired categories, branches and labels the catalog no longer has', () => {
    const m = new Map(byId);
    m.set('b', cat('b', { active: 0 }));
    m.set('c', cat('c', { is_leaf: 0 }));
    const top = [{ label: 'gone', score: 0.4 }, { label: 'b', score: 0.3 }, { label: 'c', score: 0.1 }, { label: 'a', score: 0.1 }, { label: 'e', score: 0.06 }];
    expect(suggestedCategories(top, m).map((i) => i.categoryId)).toEqual(['a', 'e']);
  });
});
