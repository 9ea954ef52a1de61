// Kysely dialect for the asynchronous `sqlite3` (node-sqlite3) driver.
// Kysely ships a dialect only for synchronous drivers; this one keeps its SQLite adapter, query
// compiler and introspector and swaps the driver. SQLite has one connection per file here, so
// a mutex serializes access: a transaction holds the connection until it commits or rolls back.

import type sqlite3 from 'sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

export function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<{ changes: number; lastID: number }> {
  return new Promise((resolve, reject) => {
    db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(err);
      else resolve({ changes: this.changes, lastID: this.lastID });
    });
  });
}

export function all<R = Record<string, unknown>>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<R[]> {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err: Error | null, rows: R[]) => (err ? reject(err) : resolve(rows)));
  });
}

export function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

class Sqlite3Connection implements DatabaseConnection {
  constructor(private readonly db: sqlite3.Database) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiled;
    const params = parameters as unknown[];
    const kind = compiled.query.kind;
    const returnsRows =
      kind === 'SelectQueryNode' ||
      /^\s*(select|with|pragma|explain)\b/i.test(sql) ||
      /\breturning\b/i.test(sql);
    if (returnsRows) {
      const rows = await all<R>(this.db, sql, params);
      return { rows };
    }
    const r = await run(this.db, sql, params);
    return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastID) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the sqlite3 dialect');
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  async lock(): Promise<void> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    this.release = release;
  }
  unlock(): void {
    const r = this.release;
    this.release = null;
    r?.();
  }
}

class Sqlite3Driver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: Sqlite3Connection;
  constructor(private readonly db: sqlite3.Database) {
    this.connection = new Sqlite3Connection(db);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    // IMMEDIATE takes the write lock at once, so a transaction never fails half-way on SQLITE_BUSY.
    await conn.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

export class Sqlite3Dialect implements Dialect {
  constructor(private readonly db: sqlite3.Database) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new Sqlite3Driver(this.db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
