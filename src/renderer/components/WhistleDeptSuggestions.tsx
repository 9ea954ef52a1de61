// 吹哨报到: departments the assistant suggests summoning, from the session's title and description
// (topic words such as 燃气, 供电, 热力, 供水, 通信, and the street's earlier similar sessions), each
// with its reasons; a chip adds the department to the summoned ones.

import { useCallback } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import '../styles/ai.css';

export function WhistleDeptSuggestions({
  title,
  problem,
  chosen,
  codeOf,
  onAdd,
}: {
  title: string;
  problem: string;
  chosen: readonly string[];
  codeOf: (unitId: string) => string;
  onAdd: (unitId: string) => void;
}) {
  const text = problem.trim();
  const t = title.trim();
  const tooShort = text.length + t.length < 4;
  // Asked once the typing pauses; too little text asks nothing, a refusal shows nothing.
  const { data, error } = useLiveQuery(
    useCallback(() => (tooShort ? Promise.resolve(null) : call('ai.whistleDepts', { text, title: t || undefined })), [tooShort, text, t]),
    null,
    { delayMs: tooShort ? 0 : 300 },
  );
  const items = (!error && !tooShort && data?.items) || [];
  const open = items.filter((i) => !chosen.includes(i.unitId));
  if (!open.length) return null;
  return (
    <div className="ai-units callout" data-testid="ws-dept-suggestions">
      <span className="ai-badge">AI 小郑</span> 建议召集（点击加入）：
      {open.map((d) => (
        <div key={d.unitId} className="ai-unit">
          <button type="button" className="ai-chip" onClick={() => onAdd(d.unitId)} data-testid={`ws-suggest-${codeOf(d.unitId)}`}>
            ＋ {d.name}
          </button>
          <span className="ai-unit-reason">{d.reasons.join('；')}</span>
        </div>
      ))}
    </div>
  );
}
