// Daily roll-ups of the ticket-anchored statistics figures (src/shared/stats/figures.ts), kept by
// triggers on `tickets` in the same transaction as every ticket change, whichever code path writes
// it. One row per CST day, dimension ('all', 'unit', 'grid') and key (the unit or grid id; '' for
// 'all' and for tickets without one), counting each figure on its anchor's day: created (受理),
// first resolve, first dispatch. A ticket update subtracts the old row's contributions and adds the
// new row's. The expressions mirror src/main/services/stats/figureSql.ts; tests/integration/
// rollups.test.ts applies random ticket changes and proves the roll-ups equal a recount.
//
// Callbacks and supervision are counted from their event indexes (small), not rolled up; so are
// the working-hour durations (a median does not roll up).

export const ROLLUP_DIMS = ['all', 'unit', 'grid'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

type Anchor = 'created' | 'resolved' | 'dispatched';
const ANCHOR_COL: Record<Anchor, string> = { created: 'created_at', resolved: 'first_resolve_at', dispatched: 'first_dispatch_at' };

/** Rolled-up figures by anchor, each as a SQL condition on a ticket row `R`. */
const PROACTIVE = `R.channel IN ('gridPatrol','videoAi','iotSensor')`;
const VALID = `(R.status <> 'cancelled' AND R.merged_into IS NULL)`;
const CONSULT = `(R.category_id IN (SELECT id FROM catalog WHERE is_consultation = 1))`;
export const ROLLUP_FIGURES: Record<Anchor, Record<string, string>> = {
  created: {
    /** Tickets created that day (any state): a group exists where a scan would find a ticket. */
    created: '1',
    received: VALID,
    receivedResolved: `(${VALID} AND R.status IN ('resolved','verified','closed'))`,
    proactive: `(${VALID} AND ${PROACTIVE})`,
    duplicates: `(R.merged_into IS NOT NULL)`,
    consultations: `(${VALID} AND ${CONSULT})`,
    answeredAtIntake: `(${VALID} AND ${CONSULT} AND R.first_resolve_at IS NOT NULL AND R.first_dispatch_at IS NULL)`,
  },
  resolved: {
    resolved: '1',
    resolvedOnTime: `(R.resolve_deadline IS NULL OR R.first_resolve_at <= R.resolve_deadline)`,
    micro: `(R.is_micro = 1)`,
    microInGrid: `(R.is_micro = 1 AND R.first_resolve_role = 'gridOfficer')`,
    reopened: `(R.reopen_count > 0)`,
  },
  dispatched: {
    dispatched: '1',
    acceptedInTime: `(R.accepted_at IS NOT NULL AND (R.accept_deadline IS NULL OR R.accepted_at <= R.accept_deadline))`,
    returned: `(R.return_count > 0)`,
    extended: `(R.has_extension = 1)`,
  },
};
export const ROLLUP_COLUMNS: string[] = Object.values(ROLLUP_FIGURES).flatMap((f) => Object.keys(f));

/** The ticket columns a figure or a key reads: an update touching none of them changes nothing. */
const READ_COLUMNS = [
  'status', 'merged_into', 'channel', 'category_id', 'created_at', 'first_resolve_at', 'first_dispatch_at', 'resolve_deadline', 'is_micro',
  'first_resolve_role', 'reopen_count', 'accepted_at', 'accept_deadline', 'return_count', 'has_extension', 'unit_id', 'grid_id',
];

/** Epoch ms of the CST midnight starting the day of `t` (SQL). */
// (Times may be stored as REAL — the demo seeder's event times carry fractions of a millisecond —
// so the day number is truncated explicitly, never left to integer division.)
export const daySql = (t: string) => `(CAST(((${t}) + 28800000) / 86400000 AS INTEGER) * 86400000 - 28800000)`;
const keySql = (dim: RollupDim, r: string) => (dim === 'all' ? `''` : `COALESCE(${r}.${dim === 'unit' ? 'unit_id' : 'grid_id'}, '')`);

/**
 * 咨询类 for one row (street migration 27): a lookup of the row's category by its key. The set form
 * (`CONSULT`) is right for a recount, which builds the set once; in a per-row trigger SQLite built
 * it again for every statement, six to eighteen times per ticket write — a scan of the whole
 * catalog each time (~250 µs a ticket on a 500-category catalog).
 */
const CONSULT_ROW = `(EXISTS (SELECT 1 FROM catalog WHERE id = R.category_id AND is_consultation = 1))`;

/**
 * Statements adding (+1) or removing (−1) one ticket row's contributions (r = NEW or OLD). `consult`
 * 'set' is the text migration 14 was released with; 'row' is migration 27's.
 */
function applyRow(r: 'NEW' | 'OLD', sign: 1 | -1, consult: 'set' | 'row' = 'set'): string {
  const out: string[] = [];
  for (const anchor of ['created', 'resolved', 'dispatched'] as const) {
    const figs = ROLLUP_FIGURES[anchor];
    const cols = Object.keys(figs);
    const figure = (c: string) => (consult === 'row' ? figs[c]!.split(CONSULT).join(CONSULT_ROW) : figs[c]!);
    const vals = cols.map((c) => `${sign === 1 ? '' : '-'}(CASE WHEN ${figure(c).replace(/\bR\./g, `${r}.`)} THEN 1 ELSE 0 END)`);
    for (const dim of ROLLUP_DIMS)
      out.push(
        `INSERT INTO stats_daily (day, dim, key, ${cols.join(', ')}) SELECT ${daySql(`${r}.${ANCHOR_COL[anchor]}`)}, '${dim}', ${keySql(dim, r)}, ${vals.join(', ')} WHERE ${r}.${ANCHOR_COL[anchor]} IS NOT NULL
  ON CONFLICT (dim, day, key) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`,
      );
  }
  return out.join('\n  ');
}

/** Recounts every roll-up from the tickets (the migration's first fill; a catalog change). */
export function rebuildSql(): string {
  return ['DELETE FROM stats_daily;', ...groupedAddsSql('tickets', 'tickets', null).map((stmt) => `${stmt};`)].join('\n');
}

/**
 * Adds the contributions of the tickets matching `filter` (SQL on the ticket row `R`), grouped: what
 * `tickets_rollup_insert` adds row by row, for rows inserted while it was held back
 * (src/main/db/bulkTicketInserts.ts). One statement per anchor and dimension.
 */
export function addTicketsSql(filter: string): string[] {
  return groupedAddsSql('R', 'tickets R', filter);
}

/**
 * One grouped upsert per anchor and dimension, adding the contributions of the ticket rows `from`
 * (named `r` in the statement), those matching `filter` or all. The recount's text (`r` =
 * 'tickets', no filter) is released in migration 14 and the catalog triggers: it must not change.
 */
function groupedAddsSql(r: string, from: string, filter: string | null): string[] {
  const out: string[] = [];
  for (const anchor of ['created', 'resolved', 'dispatched'] as const) {
    const figs = ROLLUP_FIGURES[anchor];
    const cols = Object.keys(figs);
    const sums = cols.map((c) => `SUM(CASE WHEN ${figs[c]!.replace(/\bR\./g, `${r}.`)} THEN 1 ELSE 0 END)`);
    const where = `${filter === null ? '' : `(${filter}) AND `}${r}.${ANCHOR_COL[anchor]} IS NOT NULL`;
    for (const dim of ROLLUP_DIMS)
      out.push(
        `INSERT INTO stats_daily (day, dim, key, ${cols.join(', ')}) SELECT ${daySql(`${r}.${ANCHOR_COL[anchor]}`)} AS d, '${dim}', ${keySql(dim, r)} AS k, ${sums.join(', ')}
   FROM ${from} WHERE ${where} GROUP BY d, k
  ON CONFLICT (dim, day, key) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
      );
  }
  return out;
}

/**
 * Street migration 27: the row triggers look a ticket's category up by its key (`CONSULT_ROW`), and
 * the insert trigger stands aside while `gate` (a SQL condition) is false — a bulk insert adds the
 * same contributions grouped (`addTicketsSql`).
 */
export function rollupRowTriggersSql(gate: string): string {
  const changed = READ_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
DROP TRIGGER tickets_rollup_insert;
DROP TRIGGER tickets_rollup_update;
DROP TRIGGER tickets_rollup_delete;
CREATE TRIGGER tickets_rollup_insert AFTER INSERT ON tickets WHEN ${gate}
BEGIN
  ${applyRow('NEW', 1, 'row')}
END;
CREATE TRIGGER tickets_rollup_update AFTER UPDATE ON tickets WHEN ${changed}
BEGIN
  ${applyRow('OLD', -1, 'row')}
  ${applyRow('NEW', 1, 'row')}
END;
CREATE TRIGGER tickets_rollup_delete AFTER DELETE ON tickets
BEGIN
  ${applyRow('OLD', -1, 'row')}
END;
`;
}

/** The migration: the extension flag, the table, its first fill and the triggers. */
export function rollupMigrationSql(): string {
  const changed = READ_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
-- 延期 as a column (kept by triggers on ticket_extensions) so the roll-up triggers can read it.
ALTER TABLE tickets ADD COLUMN has_extension INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET has_extension = 1 WHERE id IN (SELECT ticket_id FROM ticket_extensions);
CREATE TRIGGER ticket_extensions_flag AFTER INSERT ON ticket_extensions
BEGIN
  UPDATE tickets SET has_extension = 1 WHERE id = NEW.ticket_id AND has_extension = 0;
END;
CREATE TRIGGER ticket_extensions_unflag AFTER DELETE ON ticket_extensions
BEGIN
  UPDATE tickets SET has_extension = EXISTS (SELECT 1 FROM ticket_extensions x WHERE x.ticket_id = OLD.ticket_id) WHERE id = OLD.ticket_id;
END;
CREATE TABLE stats_daily (
  day INTEGER NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL,
  ${ROLLUP_COLUMNS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(', ')},
  PRIMARY KEY (dim, day, key)
) WITHOUT ROWID;
${rebuildSql()}
CREATE TRIGGER tickets_rollup_insert AFTER INSERT ON tickets
BEGIN
  ${applyRow('NEW', 1)}
END;
CREATE TRIGGER tickets_rollup_update AFTER UPDATE ON tickets WHEN ${changed}
BEGIN
  ${applyRow('OLD', -1)}
  ${applyRow('NEW', 1)}
END;
CREATE TRIGGER tickets_rollup_delete AFTER DELETE ON tickets
BEGIN
  ${applyRow('OLD', -1)}
END;
-- 咨询类 depends on the catalog: a category's consultation flag changing recounts the roll-ups.
CREATE TRIGGER catalog_rollup_update AFTER UPDATE OF is_consultation ON catalog WHEN OLD.is_consultation IS NOT NEW.is_consultation
BEGIN
  ${rebuildSql().split('\n').join('\n  ')}
END;
CREATE TRIGGER catalog_rollup_insert AFTER INSERT ON catalog WHEN NEW.is_consultation = 1 AND EXISTS (SELECT 1 FROM tickets WHERE category_id = NEW.id)
BEGIN
  ${rebuildSql().split('\n').join('\n  ')}
END;
CREATE TRIGGER catalog_rollup_delete AFTER DELETE ON catalog WHEN OLD.is_consultation = 1 AND EXISTS (SELECT 1 FROM tickets WHERE category_id = OLD.id)
BEGIN
  ${rebuildSql().split('\n').join('\n  ')}
END;
`;
}

// ---------------------------------------------------------------------------------------------
// Daily roll-ups of the callback figures (street migration 23): callbacks and satisfied per CST
// day of the callback event, for the whole street and by the ticket's unit and grid. A callback is
// an event (append-only), grouped by its ticket's current unit and grid: inserting a callback adds
// it; a ticket moving to another unit or grid moves its callbacks' counts with it. A table of its
// own, so migration 14's recount (which empties stats_daily) never touches it.

const SATISFIED_E = `json_extract(E.data, '$.satisfaction') IN ('satisfied', 'basicallySatisfied')`;
const CALLBACK_UPSERT = `ON CONFLICT (dim, day, key) DO UPDATE SET callbacks = callbacks + excluded.callbacks, satisfied = satisfied + excluded.satisfied`;

/** Recounts the callback roll-ups from the timeline. */
export function callbackRebuildSql(): string {
  const sat = SATISFIED_E.replace(/\bE\./g, 'e.');
  const out = [
    'DELETE FROM stats_daily_callbacks;',
    `INSERT INTO stats_daily_callbacks (day, dim, key, callbacks, satisfied) SELECT ${daySql('e.at')} AS d, 'all', '', count(*), SUM(CASE WHEN ${sat} THEN 1 ELSE 0 END)
   FROM ticket_events e WHERE e.action = 'callback' GROUP BY d
  ${CALLBACK_UPSERT};`,
  ];
  for (const dim of ['unit', 'grid'] as const)
    out.push(
      `INSERT INTO stats_daily_callbacks (day, dim, key, callbacks, satisfied) SELECT ${daySql('e.at')} AS d, '${dim}', ${keySql(dim, 't')} AS k, count(*), SUM(CASE WHEN ${sat} THEN 1 ELSE 0 END)
   FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.action = 'callback' GROUP BY d, k
  ${CALLBACK_UPSERT};`,
    );
  return out.join('\n');
}

/** Statements adding (+1) or removing (−1) the callbacks of ticket row `r` under its unit and grid. */
function moveCallbacks(r: 'NEW' | 'OLD', sign: 1 | -1): string {
  const s = sign === 1 ? '' : '-';
  const sat = SATISFIED_E.replace(/\bE\./g, 'e.');
  return (['unit', 'grid'] as const)
    .map(
      (dim) => `INSERT INTO stats_daily_callbacks (day, dim, key, callbacks, satisfied) SELECT ${daySql('e.at')} AS d, '${dim}', ${keySql(dim, r)}, ${s}count(*), ${s}SUM(CASE WHEN ${sat} THEN 1 ELSE 0 END)
    FROM ticket_events e WHERE e.ticket_id = ${r}.id AND e.action = 'callback' GROUP BY d
  ${CALLBACK_UPSERT};`,
    )
    .join('\n  ');
}

/** The migration: the table, its first fill and the triggers. */
export function callbackRollupMigrationSql(): string {
  const sat = SATISFIED_E.replace(/\bE\./g, 'NEW.');
  const one = (dim: RollupDim) =>
    dim === 'all'
      ? `INSERT INTO stats_daily_callbacks (day, dim, key, callbacks, satisfied) SELECT ${daySql('NEW.at')}, 'all', '', 1, CASE WHEN ${sat} THEN 1 ELSE 0 END WHERE true
  ${CALLBACK_UPSERT};`
      : `INSERT INTO stats_daily_callbacks (day, dim, key, callbacks, satisfied) SELECT ${daySql('NEW.at')}, '${dim}', ${keySql(dim, 't')}, 1, CASE WHEN ${sat} THEN 1 ELSE 0 END FROM tickets t WHERE t.id = NEW.ticket_id
  ${CALLBACK_UPSERT};`;
  return `
CREATE TABLE stats_daily_callbacks (
  day INTEGER NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL,
  callbacks INTEGER NOT NULL DEFAULT 0, satisfied INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, day, key)
) WITHOUT ROWID;
${callbackRebuildSql()}
CREATE TRIGGER ticket_events_callback_rollup AFTER INSERT ON ticket_events WHEN NEW.action = 'callback'
BEGIN
  ${ROLLUP_DIMS.map(one).join('\n  ')}
END;
CREATE TRIGGER tickets_callback_rollup_move AFTER UPDATE OF unit_id, grid_id ON tickets WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.grid_id IS NOT NEW.grid_id
BEGIN
  ${moveCallbacks('OLD', -1)}
  ${moveCallbacks('NEW', 1)}
END;
CREATE TRIGGER tickets_callback_rollup_delete AFTER DELETE ON tickets
BEGIN
  ${moveCallbacks('OLD', -1)}
END;
`;
}
