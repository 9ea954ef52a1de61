import { deadlineState } from '../../shared/domain/deadline';
import { formatCountdown } from '../../shared/domain/duration';
import type { TicketStatus } from '../../shared/domain/ticket';
import { formatDateTime } from '../lib/format';

/** "剩余 2天3小时" / "超期 5小时", red when overdue, orange when due soon. */
export function Countdown({ status, deadline, now, start }: { status: TicketStatus; deadline: number | null; now: number; start?: number | null }) {
  const state = deadlineState(status, deadline, now, start);
  if (deadline == null) return <span className="muted">—</span>;
  if (state === 'none') return <span className="muted">{formatDateTime(deadline)}</span>;
  return (
    <span className={`countdown countdown-${state}`} title={`时限：${formatDateTime(deadline)}`}>
      {formatCountdown(deadline, now)}
    </span>
  );
}
