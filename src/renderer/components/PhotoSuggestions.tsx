// Photo-based suggestions in the new-ticket form: for each attached photo, the categories the
// photo model proposes (with confidence) and a draft description. The operator accepts a category
// (it fills the category picker) or the description (it fills the description), or ignores them.
// A photo of no street problem the model knows (an animal, a drink, a document …) says 未识别出街面问题
// and offers nothing.
// What was shown and accepted is filed with the ticket (tickets.create, one transaction).

import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { PhotoAiStatus, PhotoSuggestion, PhotoSuggestionDecision } from '../../shared/api/aiPhoto';
import { call, errorMessage } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import type { UploadedPhoto } from './Photos';

/** One entry per suggestion shown; what the operator did with it. */
export interface PhotoDecision {
  suggestionId: string;
  offered: string[];
  clickedCategoryId: string | null;
  descriptionAccepted: boolean;
}
export type PhotoDecisions = MutableRefObject<PhotoDecision[]>;

/** What is filed with the ticket about each suggestion shown (recorded in the ticket's own transaction). */
export function photoDecisionEntries(finalCategoryId: string | undefined, decisions: PhotoDecision[]): PhotoSuggestionDecision[] {
  return decisions.map((d) => ({
    suggestionId: d.suggestionId,
    // Accepted only if the ticket is filed with the category the operator took from this photo.
    acceptedCategoryId: d.clickedCategoryId && d.clickedCategoryId === finalCategoryId ? d.clickedCategoryId : null,
    descriptionAccepted: d.descriptionAccepted,
  }));
}

type Entry = { state: 'loading' } | { state: 'done'; s: PhotoSuggestion } | { state: 'error'; message: string } | { state: 'hidden' };

export function PhotoSuggestions({
  photos,
  categoryId,
  onCategory,
  onDescription,
  description,
  decisions,
}: {
  photos: UploadedPhoto[];
  categoryId: string | undefined;
  onCategory: (id: string) => void;
  /** Receives the description with the draft in it: appended below what was typed, never over it. */
  onDescription: (text: string) => void;
  /** The form's description as it stands. */
  description: string;
  decisions: PhotoDecisions;
}) {
  // The model's state; each suggestion's answer carries it too (set below). Unreachable: unavailable.
  const { data: status, set: setStatus } = useLiveQuery(
    useCallback(
      () => call('aiPhoto.status', {}).catch((): PhotoAiStatus => ({ state: 'unavailable', notice: '图片识别服务不可用，请手工选择分类', modelVersion: null, evaluation: null })),
      [],
    ),
    null,
  );
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const asked = useRef(new Set<string>());

  // Not a live query: one question per newly attached photo, asked once, the answers accumulated.
  useEffect(() => {
    for (const p of photos) {
      if (asked.current.has(p.sha256)) continue;
      asked.current.add(p.sha256);
      setEntries((e) => ({ ...e, [p.sha256]: { state: 'loading' } }));
      // eslint-disable-next-line no-restricted-syntax -- per-photo fan-out (see above), not a reloaded load
      call('aiPhoto.suggest', { sha256: p.sha256 })
        .then((s) => {
          setStatus(s.status);
          if (s.suggestionId) decisions.current.push({ suggestionId: s.suggestionId, offered: s.top.map((t) => t.categoryId), clickedCategoryId: null, descriptionAccepted: false });
          setEntries((e) => ({ ...e, [p.sha256]: s.suggestionId ? { state: 'done', s } : { state: 'hidden' } }));
        })
        .catch((err) => setEntries((e) => ({ ...e, [p.sha256]: { state: 'error', message: errorMessage(err) } })));
    }
  }, [photos, decisions, setStatus]);

  const decision = (id: string | null) => decisions.current.find((d) => d.suggestionId === id);
  const shown = photos.filter((p) => entries[p.sha256] && entries[p.sha256]!.state !== 'hidden');

  if (status?.state === 'unavailable')
    return (
      <div className="callout warn ai-photo-notice" data-testid="photo-ai-notice">
        {status.notice}
      </div>
    );
  if (shown.length === 0) return null;
  return (
    <div className="ai-photo" data-testid="photo-suggestions">
      {shown.map((p) => {
        const e = entries[p.sha256]!;
        return (
          <div className="ai-photo-card" key={p.sha256} data-testid="photo-suggestion">
            <img src={p.preview} alt={p.name} className="ai-photo-thumb" />
            <div className="ai-photo-body">
              <div className="ai-photo-title">
                AI 照片识别 <span className="muted small">{p.name}</span>
                {e.state === 'done' && <span className="muted small"> · {Math.round(e.s.ms)} ms</span>}
                <button type="button" className="link-btn ai-photo-ignore" onClick={() => setEntries((x) => ({ ...x, [p.sha256]: { state: 'hidden' } }))}>
                  忽略
                </button>
              </div>
              {e.state === 'loading' && <div className="muted small">正在识别照片…</div>}
              {e.state === 'error' && <div className="callout error small">{e.message}</div>}
              {e.state === 'done' && !e.s.recognized && (
                <div className="ai-photo-unrecognized" data-testid="photo-suggestion-unrecognized">
                  <strong>未识别出街面问题</strong>
                  <div className="muted small">照片不像本系统认识的街面问题（如暴露垃圾、垃圾满溢），不提供分类建议和描述草稿，请手工选择分类并填写描述。</div>
                </div>
              )}
              {e.state === 'done' && e.s.recognized && (
                <>
                  {e.s.concepts.length > 0 && <div className="muted small">识别到：{e.s.concepts.join('、')}</div>}
                  <div className="ai-photo-cats" data-testid="photo-suggestion-categories">
                    {e.s.top.map((t) => {
                      const chosen = categoryId === t.categoryId;
                      return (
                        <button
                          type="button"
                          key={t.categoryId}
                          className={`ai-photo-cat${chosen ? ' chosen' : ''}`}
                          title="采用此分类"
                          data-testid="photo-suggestion-category"
                          onClick={() => {
                            const d = decision(e.s.suggestionId);
                            if (d) d.clickedCategoryId = t.categoryId;
                            onCategory(t.categoryId);
                          }}
                        >
                          <span>{t.path}</span>
                          <span className="ai-photo-score">{Math.round(t.score * 100)}%</span>
                          {chosen ? <span className="ai-photo-used">已采用</span> : <span className="ai-photo-use">采用</span>}
                        </button>
                      );
                    })}
                  </div>
                  {e.s.description && (
                    <div className="ai-photo-desc">
                      <span className="muted small">描述草稿：</span>
                      <span data-testid="photo-suggestion-description">{e.s.description}</span>
                      <button
                        type="button"
                        className="ai-photo-accept-desc"
                        data-testid="photo-suggestion-use-description"
                        onClick={() => {
                          const d = decision(e.s.suggestionId);
                          if (d) d.descriptionAccepted = true;
                          onDescription(withDraft(description, e.s.description));
                        }}
                        disabled={description.includes(e.s.description)}
                        title={description.trim() ? '追加在已填写的描述之后，不覆盖已写内容' : undefined}
                      >
                        {description.includes(e.s.description) ? '已填入' : description.trim() ? '追加到描述' : '填入描述'}
                      </button>
                    </div>
                  )}
                </>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

/** The description with a photo's draft added: the draft alone when nothing is typed, else below the text. */
export function withDraft(typed: string, draft: string): string {
  if (!typed.trim()) return draft;
  if (typed.includes(draft)) return typed;
  return `${typed.trimEnd()}\n${draft}`;
}
