// Unit suggestions in the dispatch form: who actually finished this category's tickets in this
// grid and in the street, with the reason; clicking one dispatches to it by designation.

import { useCallback } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';

export function UnitSuggestions({ ticketId, categoryId, onPick }: { ticketId: string; categoryId: string | null; onPick: (unitId: string) => void }) {
  // Asked again when the ticket's category changes; a refusal shows nothing.
  const { data, error } = useLiveQuery(
    useCallback(() => (categoryId ? call('ai.unitSuggest', { ticketId }) : Promise.resolve(null)), [ticketId, categoryId]),
    null,
  );
  const items = error ? [] : data?.items;
  if (!categoryId || !items || !items.length) return null;
  return (
    <div className="ai-units callout" data-testid="ai-units">
      <span className="ai-badge">AI 小郑</span> 建议处置单位（依据本街道已办结工单）：
      {items.map((u, i) => (
        <div key={u.unitId} className="ai-unit" data-testid={`ai-unit-${i}`}>
          <button type="button" className="ai-chip" onClick={() => onPick(u.unitId)}>
            {u.name}
            <span className="ai-score">{u.score < 0.01 ? '<1' : Math.round(u.score * 100)}%</span>
          </button>
          <span className="ai-unit-reason">{u.reason}</span>
        </div>
      ))}
    </div>
  );
}
