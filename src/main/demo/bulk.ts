// Fast inserts through the raw sqlite3 driver: multi-row prepared INSERTs queued without awaiting
// each row. The caller runs a batch inside BEGIN … COMMIT and awaits `drain()` before committing,
// so an error in any row is seen before anything is committed.

import type sqlite3 from 'sqlite3';

/** SQLite's default limit on host parameters per statement (SQLITE_MAX_VARIABLE_NUMBER, 3.32+). */
const MAX_PARAMS = 32_000;

export class BulkInserter {
  private readonly stmts = new Map<number, sqlite3.Statement>();
  private readonly rowsPerStmt: number;
  private params: unknown[] = [];
  private rows = 0;
  private pending = 0;
  private error: Error | null = null;
  private waiters: Array<() => void> = [];
  inserted = 0;

  constructor(
    private readonly db: sqlite3.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    rowsPerStmt = 200,
  ) {
    this.rowsPerStmt = Math.max(1, Math.min(rowsPerStmt, Math.floor(MAX_PARAMS / columns.length)));
  }

  private stmt(rows: number): sqlite3.Statement {
    let s = this.stmts.get(rows);
    if (!s) {
      const one = `(${this.columns.map(() => '?').join(',')})`;
      const sql = `INSERT INTO ${this.table} (${this.columns.join(',')}) VALUES ${new Array(rows).fill(one).join(',')}`;
      s = this.db.prepare(sql);
      this.stmts.set(rows, s);
    }
    return s;
  }

  /** Adds one row; values in column order. */
  add(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.params.push(values[i]);
    if (++this.rows === this.rowsPerStmt) this.send();
  }

  private send(): void {
    if (!this.rows) return;
    const params = this.params;
    const rows = this.rows;
    this.params = [];
    this.rows = 0;
    this.pending++;
    this.stmt(rows).run(params, (err: Error | null) => {
      if (err && !this.error) this.error = new Error(`${this.table}: ${err.message}`, { cause: err });
      if (!err) this.inserted += rows;
      if (--this.pending === 0) for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Sends buffered rows; resolves when every queued statement has finished (rejects on error). */
  async drain(): Promise<void> {
    this.send();
    if (this.pending > 0) await new Promise<void>((r) => this.waiters.push(r));
    if (this.error) throw this.error;
  }

  async finalize(): Promise<void> {
    await Promise.all(
      [...this.stmts.values()].map((s) => new Promise<void>((r) => s.finalize(() => r()))),
    );
    this.stmts.clear();
  }
}
