// Inserting a run of new tickets in one go (the 12345 dispatches of a pulled feed page). Three
// triggers keep derived rows per inserted ticket — the daily roll-ups (nine upserts, migration 14),
// the statistics' 旬 versions (migration 25) and the 一批事 mining's change log (migration 24) —
// and cost about as much again as the ticket rows themselves. Since street migration 27 they stand
// aside while the gate table below holds a row; `insertTicketsInBulk` holds it only around the
// tickets' own INSERTs, inside the caller's transaction, then adds the same derived rows grouped
// over the new rows. Everything else (events and their triggers, later updates) runs as always, so
// an update trigger firing after the run finds the new rows already counted.
// tests/integration/bulkTicketInserts.test.ts inserts the same tickets both ways into two stores and
// proves the roll-ups, the 旬 versions and the change log come out identical.

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';
import { addTicketsSql, rollupRowTriggersSql } from './statsRollup';
import { bumpTicketsPartsSql, partsInsertTriggerSql } from './statsParts';

const GATE_TABLE = 'bulk_ticket_inserts';
/** True unless a bulk insert is running (SQL, for the triggers' WHEN). */
const GATE_OPEN = `NOT EXISTS (SELECT 1 FROM ${GATE_TABLE})`;
/** The change log's last seq, or the pruned mark if above it (migration 24's own expression). */
const LAST_CHANGE_SEQ = `max(coalesce((SELECT max(seq) FROM recurring_changes), 0), coalesce((SELECT v FROM recurring_mining_meta WHERE k = 'pruned'), 0))`;

/** Street migration 27. */
export function bulkTicketInsertsMigrationSql(): string {
  return `
CREATE TABLE ${GATE_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1));
${rollupRowTriggersSql(GATE_OPEN)}
${partsInsertTriggerSql(GATE_OPEN)}
DROP TRIGGER tickets_recurring_insert;
CREATE TRIGGER tickets_recurring_insert AFTER INSERT ON tickets WHEN ${GATE_OPEN} BEGIN
  INSERT OR REPLACE INTO recurring_changes (ticket_id, seq) VALUES (NEW.id,
    ${LAST_CHANGE_SEQ} + 1);
END;
`;
}

/** What `tickets_recurring_insert` logs row by row, for the tickets matching `filter`, in insertion order. */
function logRecurringSql(filter: string): string {
  return `INSERT OR REPLACE INTO recurring_changes (ticket_id, seq)
  SELECT R.id, ${LAST_CHANGE_SEQ} + row_number() OVER (ORDER BY R.rowid)
  FROM tickets R WHERE (${filter})`;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Runs `insert` — which must only INSERT new rows into `tickets` (and their search rows) — with the
 * per-row derived-row triggers standing aside, then adds what they would have added, grouped. Call
 * it inside a transaction: the gate row and the grouped rows commit or roll back with the tickets.
 */
export async function insertTicketsInBulk<T>(trx: Db, insert: () => Promise<T>): Promise<T> {
  const before = Number((await sql<{ r: number }>`SELECT coalesce(max(rowid), 0) AS r FROM tickets`.execute(trx)).rows[0]!.r);
  if (!Number.isSafeInteger(before)) throw new Error(`tickets rowid ${before} is not a safe integer`);
  await sql`INSERT INTO ${sql.table(GATE_TABLE)} (id) VALUES (1)`.execute(trx);
  const out = await insert();
  // New rows take rowids above the largest before them (tickets has no AUTOINCREMENT, and no row
  // above `before` existed); nothing else writes tickets while the gate is held.
  const filter = `R.rowid > ${before}`;
  for (const stmt of [...addTicketsSql(filter), bumpTicketsPartsSql(filter), logRecurringSql(filter)]) await sql.raw(stmt).execute(trx);
  await sql`DELETE FROM ${sql.table(GATE_TABLE)}`.execute(trx);
  return out;
}
