// 吹哨报到: departments the assistant suggests summoning, from the session's title and description
// (topic words such as 燃气, 供电, 热力, 供水, 通信, and the street's earlier similar sessions), each
// with its reasons; a chip adds the department to the summoned ones.

import { useEffect, useState } from 'react';
import type { AiWhistleDept } from '../../shared/api/ai';
import { call } from '../api/client';
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
  const [items, setItems] = useState<AiWhistleDept[]>([]);
  useEffect(() => {
    let live = true;
    const text = problem.trim();
    if (text.length + title.trim().length < 4) {
      setItems([]);
      return;
    }
    // Asked once the typing pauses.
    const timer = setTimeout(() => {
      call('ai.whistleDepts', { text, title: title.trim() || undefined })
        .then((r) => live && setItems(r.items))
        .catch(() => live && setItems([]));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [title, problem]);
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
