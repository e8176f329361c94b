/**
 * One way to run SQL on either metadata database, for the commands that copy rows between them
 * (`migrate-store`, and `backup`/`restore` off the default backends). Statements are written once
 * with `?` placeholders in the SQL both dialects share; PostgreSQL gets them numbered (`$1`…) and
 * SQLite gets booleans as 0/1, the only parameter type it cannot bind.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { inTransaction } from '../store/postgres.js';

export type Row = Record<string, unknown>;
export type Query = <R = Row>(sql: string, params?: readonly unknown[]) => Promise<R[]>;

export interface SqlPort {
  readonly dialect: 'sqlite' | 'postgres';
  /** Reads that must agree with each other: one read-only snapshot for all of them. */
  snapshot<T>(work: (query: Query) => Promise<T>): Promise<T>;
  /** One write transaction, rolled back when `work` throws. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export function postgresPort(pool: pg.Pool): SqlPort {
  const run = <T>(begin: string, work: (query: Query) => Promise<T>) =>
    inTransaction(
      pool,
      (client) =>
        work(
          async <R>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(numbered(sql), params as unknown[])).rows as R[],
        ),
      begin,
    );
  return {
    dialect: 'postgres',
    snapshot: (work) => run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work),
    transaction: (work) => run('BEGIN', work),
  };
}

/**
 * `db` must be this port's own connection: its transactions span awaits, which better-sqlite3's
 * `db.transaction` cannot, so nothing else may run statements on it meanwhile.
 */
export function sqlitePort(db: Database.Database): SqlPort {
  const query: Query = async <R>(sql: string, params: readonly unknown[] = []) => {
    const statement = db.prepare(sql);
    const values = params.map((value) => (typeof value === 'boolean' ? Number(value) : value));
    if (statement.reader) return statement.all(...values) as R[];
    statement.run(...values);
    return [];
  };
  const run = async <T>(begin: string, work: (query: Query) => Promise<T>) => {
    db.exec(begin);
    try {
      const result = await work(query);
      db.exec('COMMIT');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };
  return {
    dialect: 'sqlite',
    // WAL: the first read fixes the snapshot for the rest of the transaction
    snapshot: (work) => run('BEGIN DEFERRED', work),
    transaction: (work) => run('BEGIN IMMEDIATE', work),
  };
}
