// The ticket page's coordination card: whistle sessions, joint reviews and supervision records
// (who was reminded when) of this ticket.

import { useCallback } from 'react';
import type { ReviewSummary, SupervisionRecordInfo, WhistleSummary } from '../../shared/api/coordination';
import { SUPERVISION_KIND_LABELS, formatDuration } from '../../shared/domain/supervision';
import { CROSS_DIMENSION_LABELS, REVIEW_STATUS_LABELS } from '../../shared/domain/review';
import { WHISTLE_STATUS_LABELS } from '../../shared/domain/whistle';
import { call } from '../api/client';
import { formatShortDateTime } from '../lib/format';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';

type Links = [WhistleSummary[], ReviewSummary[], SupervisionRecordInfo[]];
const NO_LINKS: Links = [[], [], []];
const LINK_EVENTS: LiveEvents = { on: ['whistle.changed', 'review.changed', 'supervision.changed'], debounceMs: 300 };

export function CoordinationLinks({ ticketId }: { ticketId: string }) {
  const { data } = useLiveQuery(
    useCallback(
      () => Promise.all([call('whistle.list', { ticketId }), call('reviews.list', { ticketId }), call('supervision.history', { ticketId, limit: 20 })]).catch(() => NO_LINKS),
      [ticketId],
    ),
    LINK_EVENTS,
  );
  const [whistles, reviews, records] = data ?? NO_LINKS;
  if (!whistles.length && !reviews.length && !records.length) return null;
  return (
    <section className="card" data-testid="coordination-links">
      <div className="card-head">
        <h3>协同与督办</h3>
      </div>
      <ul className="ws-entries">
        {whistles.map((w) => (
          <li key={w.id} className="ws-entry">
            <a href={`#/whistle/${encodeURIComponent(w.id)}`}>
              吹哨报到 <span className="mono">{w.code}</span>
            </a>{' '}
            · {WHISTLE_STATUS_LABELS[w.status]} · 报到 {w.checkedIn}/{w.departments} · 任务 {w.tasksDone}/{w.tasks}
            <div className="muted small">{formatShortDateTime(w.openedAt)} 吹哨</div>
          </li>
        ))}
        {records.map((h) => (
          <li key={h.id} className="ws-entry" data-testid="supervision-record">
            {SUPERVISION_KIND_LABELS[h.kind]}
            {h.level > 0 ? ` · ${h.level}级` : ''} · 提醒 {h.notified.join('、')}
            <div className="muted small">
              {formatShortDateTime(h.at)} · {h.byName}
              {h.overdueMinutes ? ` · 当时超期 ${formatDuration(h.overdueMinutes)}` : ''}
              {h.note ? ` · ${h.note}` : ''}
            </div>
          </li>
        ))}
        {reviews.map((r) => (
          <li key={r.id} className="ws-entry">
            <a href={`#/reviews/${encodeURIComponent(r.id)}`}>三跨会商</a> · {r.dimensions.map((d) => CROSS_DIMENSION_LABELS[d]).join('、')} · {REVIEW_STATUS_LABELS[r.status]}
            <div className="muted small">{formatShortDateTime(r.openedAt)} 发起</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
