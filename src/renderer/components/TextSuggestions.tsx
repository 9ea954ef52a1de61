// AI 小郑's category suggestions for the description being typed: debounced, never blocking the
// textarea (the request runs in the background and stale answers are dropped); clicking a
// suggestion sets the category. Also offers the micro-event flag when the model leans that way.

import { useCallback, useRef } from 'react';
import type { AiSuggestResult } from '../../shared/api/ai';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';

const DEBOUNCE_MS = 300;

export interface SuggestionLink {
  categorySuggestionId?: string;
  microSuggestionId?: string;
}

export function TextSuggestions({
  text,
  value,
  onPick,
  onLink,
  isMicro,
  onMicro,
}: {
  text: string;
  value: string | undefined;
  onPick: (categoryId: string) => void;
  /** The suggestions on screen, to be linked to the ticket when it is filed. */
  onLink: (link: SuggestionLink) => void;
  isMicro: boolean;
  onMicro: (v: boolean) => void;
}) {
  const linkRef = useRef(onLink);
  linkRef.current = onLink;
  const t = text.trim();
  // Too short to judge: no question (at once, no waiting), nothing shown, nothing linked.
  const { data: result, error, loading: pending } = useLiveQuery(
    useCallback(() => (t.length < 4 ? Promise.resolve(null) : call('ai.suggest', { text: t })), [t]),
    null,
    {
      delayMs: t.length < 4 ? 0 : DEBOUNCE_MS,
      onLoad: (r: AiSuggestResult | null) => linkRef.current(r ? { categorySuggestionId: r.suggestionId ?? undefined, microSuggestionId: r.micro?.suggestionId } : {}),
    },
  );
  const failed = error ? '智能分类暂时不可用，请手动选择分类' : null;

  const items = result?.items ?? [];
  const notice = failed ?? result?.notice ?? null;
  const loading = result?.state === 'loading';
  if (!text.trim() && !notice) return null;
  return (
    <div className="ai-suggest" data-testid="ai-suggestions" aria-live="polite">
      <span className="ai-badge">AI 小郑</span>
      {items.length > 0 ? (
        <>
          <span className="muted small">建议分类：</span>
          {items.map((s, i) => (
            <button
              type="button"
              key={s.categoryId}
              className={`ai-chip${value === s.categoryId ? ' ai-chip-on' : ''}`}
              onClick={() => onPick(s.categoryId)}
              title={`置信度 ${Math.round(s.score * 100)}%`}
              data-testid={`ai-suggestion-${i}`}
              data-category={s.categoryId}
            >
              {s.path}
              <span className="ai-score">{Math.round(s.score * 100)}%</span>
            </button>
          ))}
          {pending && <span className="muted small">更新中…</span>}
        </>
      ) : (
        <span className="muted small">{pending ? '正在分析描述…' : loading ? '模型准备中，稍后给出分类建议' : text.trim().length < 4 ? '输入描述后给出分类建议' : '暂无把握较大的建议'}</span>
      )}
      {result?.micro && !isMicro && (
        <button type="button" className="ai-chip ai-chip-micro" onClick={() => onMicro(true)} title={result.micro.reason} data-testid="ai-micro">
          标记为小微事件<span className="ai-score">{Math.round(result.micro.score * 100)}%</span>
        </button>
      )}
      {notice && (
        <div className="ai-notice warn" data-testid="ai-notice">
          {notice}
        </div>
      )}
    </div>
  );
}

/** On demand, in the 分类 dialog of an existing ticket: taking a suggestion is recorded at once. */
export function ClassifySuggestions({
  ticketId,
  text,
  value,
  onPick,
  isMicro,
  onMicro,
}: {
  ticketId: string;
  text: string;
  value: string | undefined;
  onPick: (categoryId: string) => void;
  isMicro: boolean;
  onMicro: (v: boolean) => void;
}) {
  const link = useRef<SuggestionLink>({});
  const onLink = useCallback((l: SuggestionLink) => (link.current = l), []);
  const pick = (categoryId: string) => {
    onPick(categoryId);
    const id = link.current.categorySuggestionId;
    if (id) void call('ai.feedback', { suggestionId: id, ticketId, value: categoryId }).catch(() => undefined);
  };
  return <TextSuggestions text={text} value={value} onPick={pick} onLink={onLink} isMicro={isMicro} onMicro={onMicro} />;
}
