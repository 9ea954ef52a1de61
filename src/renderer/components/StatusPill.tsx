import { STATUS_LABELS, type TicketStatus } from '../../shared/domain/ticket';

/** Coloured status label; the colours live in styles/pills.css (.pill-<status>) and are used everywhere. */
export function StatusPill({ status }: { status: TicketStatus }) {
  return (
    <span className={`pill pill-${status}`} data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}
