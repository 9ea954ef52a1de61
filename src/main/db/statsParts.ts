// Versions of the statistics' kept parts (street migration 25): one row per 旬 (a third of a CST
// month: days 1–10, 11–20, 21 to the end; the key is YYYYMM × 10 + 0, 1 or 2) whose tickets or
// events changed in a way a statistics figure can see, bumped by triggers in the same transaction as
// the change, whichever code path writes it. The kept parts (src/main/services/stats/keptParts.ts)
// are used only while their 旬's version is the one they were computed at. Row 0 is the whole
// store's epoch: a change no 旬 can name (a category's consultation flag) bumps it, and every part
// with it.
//
// A 旬 is touched by a ticket through its anchors (created, first resolve, first dispatch: old
// and new values) and, when a column that groups it changes (unit, grid, category, channel, type,
// urgency), through the 旬 of its callback and supervise events, which are grouped by the
// ticket's current columns. Events are append-only (migration 1 refuses their update and delete).

/** The 旬 (YYYYMM × 10 + 0, 1 or 2) of epoch ms `t` in China time (SQL; NULL stays NULL). */
export const partSql = (t: string) => {
  const at = `((${t}) + 28800000) / 1000.0, 'unixepoch'`;
  return `(CAST(strftime('%Y%m', ${at}) AS INTEGER) * 10 + min(2, (CAST(strftime('%d', ${at}) AS INTEGER) - 1) / 10))`;
};

const ANCHORS = ['created_at', 'first_resolve_at', 'first_dispatch_at'] as const;
const GROUP_COLUMNS = ['unit_id', 'grid_id', 'category_id', 'channel', 'type', 'urgency'] as const;
/** Every ticket column a figure, a group or a duration reads. */
export const PART_COLUMNS = [
  ...ANCHORS,
  ...GROUP_COLUMNS,
  'status', 'merged_into', 'resolve_deadline', 'is_micro', 'first_resolve_role', 'reopen_count', 'accepted_at', 'accept_deadline', 'return_count', 'has_extension',
  'resolve_work_min',
] as const;
const EVENT_ACTIONS = `('callback', 'supervise')`;
const UPSERT = `ON CONFLICT (part) DO UPDATE SET v = v + 1`;

/** Retires every kept part (a bulk load that set the triggers aside). */
export const BUMP_EPOCH_SQL = `INSERT INTO stats_part_versions (part, v) VALUES (0, 1) ${UPSERT}`;

const anchorParts = (r: 'NEW' | 'OLD') => ANCHORS.map((c) => `SELECT ${partSql(`${r}.${c}`)} AS m`);
const eventParts = (r: 'NEW' | 'OLD', when: string) =>
  `SELECT ${partSql('e.at')} AS m FROM ticket_events e WHERE e.ticket_id = ${r}.id AND e.action IN ${EVENT_ACTIONS} AND (${when})`;
const bump = (selects: string[]) => `INSERT INTO stats_part_versions (part, v) SELECT m, 1 FROM (${selects.join(' UNION ')}) WHERE m IS NOT NULL ${UPSERT};`;

export function statsPartsMigrationSql(): string {
  const changed = PART_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  const regrouped = GROUP_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
CREATE TABLE stats_part_versions (part INTEGER PRIMARY KEY, v INTEGER NOT NULL);
CREATE TRIGGER tickets_stats_parts_insert AFTER INSERT ON tickets BEGIN
  ${bump(anchorParts('NEW'))}
END;
CREATE TRIGGER tickets_stats_parts_update AFTER UPDATE OF ${PART_COLUMNS.join(', ')} ON tickets WHEN ${changed} BEGIN
  ${bump([...anchorParts('OLD'), ...anchorParts('NEW'), eventParts('NEW', regrouped)])}
END;
CREATE TRIGGER tickets_stats_parts_delete AFTER DELETE ON tickets BEGIN
  ${bump([...anchorParts('OLD'), eventParts('OLD', '1')])}
END;
CREATE TRIGGER ticket_events_stats_parts_insert AFTER INSERT ON ticket_events WHEN NEW.action IN ${EVENT_ACTIONS} BEGIN
  ${bump([`SELECT ${partSql('NEW.at')} AS m`])}
END;
CREATE TRIGGER catalog_stats_parts AFTER UPDATE OF is_consultation ON catalog WHEN OLD.is_consultation IS NOT NEW.is_consultation BEGIN
  INSERT INTO stats_part_versions (part, v) VALUES (0, 1) ${UPSERT};
END;
CREATE TRIGGER catalog_stats_parts_insert AFTER INSERT ON catalog WHEN NEW.is_consultation = 1 BEGIN
  INSERT INTO stats_part_versions (part, v) VALUES (0, 1) ${UPSERT};
END;
CREATE TRIGGER catalog_stats_parts_delete AFTER DELETE ON catalog WHEN OLD.is_consultation = 1 BEGIN
  INSERT INTO stats_part_versions (part, v) VALUES (0, 1) ${UPSERT};
END;
`;
}

/** Street migration 27: the insert trigger stands aside while `gate` (a SQL condition) is false. */
export function partsInsertTriggerSql(gate: string): string {
  return `
DROP TRIGGER tickets_stats_parts_insert;
CREATE TRIGGER tickets_stats_parts_insert AFTER INSERT ON tickets WHEN ${gate} BEGIN
  ${bump(anchorParts('NEW'))}
END;
`;
}

/**
 * What `tickets_stats_parts_insert` bumps row by row, grouped, for the tickets matching `filter` (SQL
 * on the ticket row `R`): each 旬 once per ticket whose anchors name it.
 */
export function bumpTicketsPartsSql(filter: string): string {
  const selects = ANCHORS.map((c) => `SELECT R.rowid AS t, ${partSql(`R.${c}`)} AS m FROM tickets R WHERE (${filter})`);
  return `INSERT INTO stats_part_versions (part, v) SELECT m, count(*) FROM (${selects.join(' UNION ')}) WHERE m IS NOT NULL GROUP BY m
  ON CONFLICT (part) DO UPDATE SET v = v + excluded.v`;
}

