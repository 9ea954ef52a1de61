// Per-status counts of the list's current filter as chips: each shows how many tickets choosing
// that status would list; a click adds or removes the status from the filter.

import type { StatusCounts } from '../../shared/api/operatorTools';
import { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';

export function StatusChips({ counts, chosen, onToggle }: { counts: StatusCounts | null; chosen: TicketStatus[]; onToggle: (s: TicketStatus) => void }) {
  if (!counts) return null;
  const shown = TICKET_STATUSES.filter((s) => (counts.byStatus[s] ?? 0) > 0 || chosen.includes(s));
  if (shown.length === 0) return null;
  return (
    <div className="status-chips" data-testid="status-chips" role="group" aria-label="按状态统计">
      {shown.map((s) => {
        const on = chosen.includes(s);
        return (
          <button
            key={s}
            type="button"
            className={`status-chip st-${s}${on ? ' on' : ''}`}
            aria-pressed={on}
            title={on ? `取消“${STATUS_LABELS[s]}”筛选` : `只看“${STATUS_LABELS[s]}”`}
            data-testid={`status-chip-${s}`}
            onClick={() => onToggle(s)}
          >
            {STATUS_LABELS[s]} <span className="chip-n">{(counts.byStatus[s] ?? 0).toLocaleString('zh-CN')}</span>
          </button>
        );
      })}
    </div>
  );
}
