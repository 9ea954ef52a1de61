// Likely duplicates / repeats of the ticket being registered: open tickets nearby or in the same
// grid with a similar category or text, and the same caller's earlier tickets. Each candidate shows
// why it was offered; the operator may choose to merge the new report into one of them.

import { useCallback, useRef } from 'react';
import type { AiDuplicatesQuery } from '../../shared/api/ai';
import { STATUS_LABELS } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { formatShortDateTime } from '../lib/format';
import { useLiveQuery } from '../lib/liveQuery';

const DEBOUNCE_MS = 600;

/** The new-ticket form's fields the search uses (the look-back stays the node's default). */
export type DuplicateQuery = Omit<AiDuplicatesQuery, 'days'>;

export function DuplicateCandidates({
  query,
  mergeInto,
  onMergeInto,
  onLink,
}: {
  query: DuplicateQuery;
  mergeInto: string | undefined;
  onMergeInto: (ticketId: string | undefined) => void;
  onLink: (suggestionId: string | undefined) => void;
}) {
  const linkRef = useRef(onLink);
  linkRef.current = onLink;
  const key = JSON.stringify(query);
  const q = JSON.parse(key) as DuplicateQuery;
  const hasPlace = !!(q.gridId || (q.lon != null && q.lat != null) || (q.reporterPhone && q.reporterPhone.length >= 5));

  // Asked once the form stops changing; without a place or a phone there is nothing to compare
  // (nothing shown, nothing linked, at once). A refusal shows nothing.
  const { data, error } = useLiveQuery(
    useCallback(() => {
      const q = JSON.parse(key) as DuplicateQuery;
      return hasPlace ? call('ai.duplicates', { ...q, text: q.text.trim().slice(0, 5000) }) : Promise.resolve(null);
    }, [key, hasPlace]),
    null,
    { delayMs: hasPlace ? DEBOUNCE_MS : 0, onLoad: (r) => linkRef.current(r?.suggestionId ?? undefined) },
  );
  const list = (!error && data?.candidates) || [];

  if (!list.length) return null;
  return (
    <div className="ai-dups callout" data-testid="ai-duplicates">
      <div className="ai-dups-head">
        <span className="ai-badge">AI 小郑</span> 发现 {list.length} 件可能重复的工单，可将本次诉求并入已有工单：
      </div>
      {list.map((c) => (
        <div key={c.ticketId} className={`ai-dup${mergeInto === c.ticketId ? ' ai-dup-on' : ''}`} data-testid="ai-duplicate">
          <div className="ai-dup-main">
            <a href={`#/tickets/${c.ticketId}`} target="_blank" rel="noreferrer" className="mono">
              {c.code}
            </a>
            <span className="muted small">
              {STATUS_LABELS[c.status as keyof typeof STATUS_LABELS] ?? c.status} · {formatShortDateTime(c.createdAt)} · {c.address}
              {c.categoryPath ? ` · ${c.categoryPath}` : ''}
            </span>
            <div className="ai-dup-desc">{c.description}</div>
            <div className="ai-dup-reasons">
              {c.reasons.map((r) => (
                <span key={r} className="tag">
                  {r}
                </span>
              ))}
            </div>
          </div>
          <button
            type="button"
            className={mergeInto === c.ticketId ? 'primary' : ''}
            onClick={() => onMergeInto(mergeInto === c.ticketId ? undefined : c.ticketId)}
            data-testid={`ai-merge-${c.code}`}
          >
            {mergeInto === c.ticketId ? '已选：提交后并入' : '并入此单'}
          </button>
        </div>
      ))}
    </div>
  );
}
