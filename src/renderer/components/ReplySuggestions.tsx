// Suggested replies in the resolve form (consultations answered at once, closing replies): the
// street's closest earlier answers to tickets like this one; 插入 puts one into the reply to edit.

import { useCallback } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import '../styles/ai.css';

export function ReplySuggestions({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  // A refusal shows nothing (the reply is typed by hand).
  const { data, error } = useLiveQuery(useCallback(() => call('ai.replies', { ticketId }), [ticketId]), null);
  const items = (!error && data?.items) || [];
  if (!items.length) return null;
  return (
    <div className="ai-units callout ai-replies" data-testid="ai-replies">
      <span className="ai-badge">AI 小郑</span> 本街道此前对相似问题的答复（插入后可修改）：
      {items.map((r, i) => (
        <div key={r.ticketId} className="ai-reply" data-testid={`ai-reply-${i}`}>
          <div className="muted small">
            <span className="mono">{r.code}</span>{' '}
            <span title="此前工单的问题与本工单描述的语义相似程度；排序时也看此前答复与本问题的相关程度">
              问题相似 {Math.round(r.similarity * 100)}% · 答复相关 {Math.round(r.answerSimilarity * 100)}%
            </span>{' '}
            · {r.description}
          </div>
          <div className="ai-reply-text">{r.result}</div>
          <button type="button" className="link-btn" onClick={() => onInsert(r.result)} data-testid={`ai-reply-insert-${i}`}>
            插入
          </button>
        </div>
      ))}
    </div>
  );
}
