// Bulk loading of the demo street's tickets. Kept live, the per-row schema makes every ticket cost
// dozens of writes: the daily roll-up triggers (street migration 14) upsert nine roll-up rows per
// ticket insert and eighteen more each time an event trigger (migration 9: first dispatch, first
// resolve; migration 14: the extension flag) updates the ticket, a callback upserts three more
// (migration 23), and every secondary index on tickets and events (migrations 1, 9, 10, 16, 17,
// 19, 21) takes a random write per row. For the length of the load this module sets those
// triggers and indexes aside, exactly as the store has them (their own `sqlite_master` text), and
// puts them back at the end in one transaction, after recounting the roll-ups from scratch with
// the migrations' own recounts (`rebuildSql`, `callbackRebuildSql`). The columns the dropped event
// triggers would have kept (first_dispatch_at, first_resolve_at, first_resolve_role,
// has_extension) are written by the seeder with each ticket row instead (`firstFacts`).
// tests/integration/seedBulk.test.ts seeds a street both ways and proves the two stores hold the
// same rows, roll-ups and schema.

import { all, exec } from '../db/sqlite3Dialect';
import { callbackRebuildSql, rebuildSql } from '../db/statsRollup';
import { BUMP_EPOCH_SQL } from '../db/statsParts';
import type sqlite3 from 'sqlite3';

/** Triggers that write derived rows or columns per inserted row; the load writes those itself. */
const DEFERRED_TRIGGERS = [
  'tickets_rollup_insert',
  'tickets_rollup_update',
  'tickets_rollup_delete',
  'ticket_events_first_dispatch',
  'ticket_events_first_resolve',
  'ticket_extensions_flag',
  'ticket_events_callback_rollup',
  'tickets_callback_rollup_move',
  'tickets_callback_rollup_delete',
  'tickets_stats_parts_insert',
  'tickets_stats_parts_update',
  'tickets_stats_parts_delete',
  'ticket_events_stats_parts_insert',
] as const;
/** Tables whose explicitly created secondary indexes are built after the load. */
const DEFERRED_INDEX_TABLES = ['tickets', 'ticket_events', 'ticket_extensions'] as const;

export interface DeferredSchema {
  /** `CREATE …` statements as the store had them, indexes first. */
  readonly statements: ReadonlyArray<{ type: 'index' | 'trigger'; name: string; sql: string }>;
}

const q = (names: readonly string[]) => names.map((n) => `'${n}'`).join(',');

/** Drops the per-row triggers and secondary indexes (one transaction); returns what to restore. */
export async function deferPerRowSchema(db: sqlite3.Database): Promise<DeferredSchema> {
  const rows = await all<{ type: 'index' | 'trigger'; name: string; sql: string }>(
    db,
    `SELECT type, name, sql FROM sqlite_master
      WHERE (type = 'trigger' AND name IN (${q(DEFERRED_TRIGGERS)}))
         OR (type = 'index' AND sql IS NOT NULL AND tbl_name IN (${q(DEFERRED_INDEX_TABLES)}))
      ORDER BY type, name`,
  );
  const missing = DEFERRED_TRIGGERS.filter((t) => !rows.some((r) => r.type === 'trigger' && r.name === t));
  if (missing.length) throw new Error(`bulk load: the store lacks trigger(s) ${missing.join(', ')} (schema not migrated?)`);
  await exec(db, 'BEGIN IMMEDIATE');
  try {
    for (const r of rows) await exec(db, `DROP ${r.type === 'index' ? 'INDEX' : 'TRIGGER'} "${r.name}"`);
    await exec(db, 'COMMIT');
  } catch (err) {
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
  // Indexes first, so the recount between them and the triggers can read them.
  const statements = [...rows.filter((r) => r.type === 'index'), ...rows.filter((r) => r.type === 'trigger')];
  return { statements };
}

/**
 * Builds the indexes again, recounts the roll-ups from the tickets and recreates the triggers, in
 * one transaction: afterwards the store's schema is what it was before `deferPerRowSchema`.
 */
export async function restorePerRowSchema(db: sqlite3.Database, deferred: DeferredSchema, progress: (m: string) => void = () => undefined): Promise<void> {
  await exec(db, 'BEGIN IMMEDIATE');
  try {
    for (const s of deferred.statements.filter((x) => x.type === 'index')) {
      progress(`索引 ${s.name}…`);
      await exec(db, s.sql);
    }
    progress('统计日汇总重算…');
    await exec(db, rebuildSql());
    await exec(db, callbackRebuildSql());
    // Every kept part of the statistics is retired (the parts' triggers were set aside).
    await exec(db, BUMP_EPOCH_SQL);
    for (const s of deferred.statements.filter((x) => x.type === 'trigger')) await exec(db, s.sql);
    await exec(db, 'COMMIT');
  } catch (err) {
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export interface FirstFacts {
  firstDispatchAt: number | null;
  firstResolveAt: number | null;
  firstResolveRole: string | null;
}

/**
 * What migration 9's event triggers write into the ticket row as its events are inserted in order:
 * the earliest dispatch, and the earliest resolve with its actor's role (on a tie the first
 * inserted wins, as the triggers only replace a strictly later time).
 */
export function firstFacts(events: ReadonlyArray<{ action: string; at: number; actor: { role: string } }>): FirstFacts {
  let firstDispatchAt: number | null = null;
  let firstResolveAt: number | null = null;
  let firstResolveRole: string | null = null;
  for (const e of events) {
    if (e.action === 'dispatch' && (firstDispatchAt === null || firstDispatchAt > e.at)) firstDispatchAt = e.at;
    if (e.action === 'resolve' && (firstResolveAt === null || firstResolveAt > e.at)) {
      firstResolveAt = e.at;
      firstResolveRole = e.actor.role;
    }
  }
  return { firstDispatchAt, firstResolveAt, firstResolveRole };
}
