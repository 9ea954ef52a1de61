// Month versions of the statistics (street migration 25): one row per CST month (YYYYMM) whose
// tickets or events changed in a way a statistics figure can see, bumped by triggers in the same
// transaction as the change, whichever code path writes it. The month partials of the statistics
// (src/main/services/stats/monthParts.ts) are used only while their month's version is the one they
// were computed at. Row 0 is the whole store's epoch: a change no month can name (a category's
// consultation flag) bumps it, and every partial with it.
//
// A month is touched by a ticket through its anchors (created, first resolve, first dispatch: old
// and new values) and, when a column that groups it changes (unit, grid, category, channel, type,
// urgency), through the months of its callback and supervise events, which are grouped by the
// ticket's current columns. Events are append-only (migration 1 refuses their update and delete).

/** The CST month (YYYYMM as an integer) of epoch ms `t` (SQL; NULL stays NULL). */
export const monthSql = (t: string) => `CAST(strftime('%Y%m', ((${t}) + 28800000) / 1000.0, 'unixepoch') AS INTEGER)`;

const ANCHORS = ['created_at', 'first_resolve_at', 'first_dispatch_at'] as const;
const GROUP_COLUMNS = ['unit_id', 'grid_id', 'category_id', 'channel', 'type', 'urgency'] as const;
/** Every ticket column a figure, a group or a duration reads. */
export const MONTH_COLUMNS = [
  ...ANCHORS,
  ...GROUP_COLUMNS,
  'status', 'merged_into', 'resolve_deadline', 'is_micro', 'first_resolve_role', 'reopen_count', 'accepted_at', 'accept_deadline', 'return_count', 'has_extension',
  'resolve_work_min',
] as const;
const EVENT_ACTIONS = `('callback', 'supervise')`;
const UPSERT = `ON CONFLICT (month) DO UPDATE SET v = v + 1`;

const anchorMonths = (r: 'NEW' | 'OLD') => ANCHORS.map((c) => `SELECT ${monthSql(`${r}.${c}`)} AS m`);
const eventMonths = (r: 'NEW' | 'OLD', when: string) =>
  `SELECT ${monthSql('e.at')} AS m FROM ticket_events e WHERE e.ticket_id = ${r}.id AND e.action IN ${EVENT_ACTIONS} AND (${when})`;
const bump = (selects: string[]) => `INSERT INTO stats_month_versions (month, v) SELECT m, 1 FROM (${selects.join(' UNION ')}) WHERE m IS NOT NULL ${UPSERT};`;

export function statsMonthsMigrationSql(): string {
  const changed = MONTH_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  const regrouped = GROUP_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
CREATE TABLE stats_month_versions (month INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TRIGGER tickets_stats_months_insert AFTER INSERT ON tickets BEGIN
  ${bump(anchorMonths('NEW'))}
END;
CREATE TRIGGER tickets_stats_months_update AFTER UPDATE OF ${MONTH_COLUMNS.join(', ')} ON tickets WHEN ${changed} BEGIN
  ${bump([...anchorMonths('OLD'), ...anchorMonths('NEW'), eventMonths('NEW', regrouped)])}
END;
CREATE TRIGGER tickets_stats_months_delete AFTER DELETE ON tickets BEGIN
  ${bump([...anchorMonths('OLD'), eventMonths('OLD', '1')])}
END;
CREATE TRIGGER ticket_events_stats_months_insert AFTER INSERT ON ticket_events WHEN NEW.action IN ${EVENT_ACTIONS} BEGIN
  ${bump([`SELECT ${monthSql('NEW.at')} AS m`])}
END;
CREATE TRIGGER catalog_stats_months AFTER UPDATE OF is_consultation ON catalog WHEN OLD.is_consultation IS NOT NEW.is_consultation BEGIN
  INSERT INTO stats_month_versions (month, v) VALUES (0, 1) ${UPSERT};
END;
CREATE TRIGGER catalog_stats_months_insert AFTER INSERT ON catalog WHEN NEW.is_consultation = 1 BEGIN
  INSERT INTO stats_month_versions (month, v) VALUES (0, 1) ${UPSERT};
END;
CREATE TRIGGER catalog_stats_months_delete AFTER DELETE ON catalog WHEN OLD.is_consultation = 1 BEGIN
  INSERT INTO stats_month_versions (month, v) VALUES (0, 1) ${UPSERT};
END;
`;
}
