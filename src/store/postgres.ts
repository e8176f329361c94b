import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { packageRoot } from '../package-root.js';

const MIGRATIONS_DIR = join(packageRoot, 'migrations', 'postgres');
/** The advisory lock key that serializes schema migrations across replicas ("chmigrat"). */
const MIGRATION_LOCK = 0x63686d69677261n;

// BIGINT columns come back as JS numbers: every count and size here stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function listPostgresMigrations(): Array<{ number: number; file: string }> {
  return readdirSync(MIGRATIONS_DIR)
    .map((file) => ({ file, match: /^(\d+)_.+\.sql$/.exec(file) }))
    .filter((m) => m.match !== null)
    .map((m) => ({ number: Number(m.match?.[1]), file: m.file }))
    .sort((a, b) => a.number - b.number);
}

/**
 * Connects a pool to PostgreSQL and brings the schema up to date. Migrations run under a
 * session advisory lock, so N replicas starting together on an empty database apply each file
 * exactly once and all come up; each file runs in its own transaction with its number recorded.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener the
  // process would die. The next query on a fresh client reports the outage instead.
  pool.on('error', () => undefined);
  // The same for a client checked out but between two queries: its 'error' would otherwise be
  // unhandled and end the process. The query that follows fails, and is answered as an outage.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return pool;
}

async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (number integer PRIMARY KEY, file text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ number: number }>('SELECT number FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.number));
    for (const { number, file } of listPostgresMigrations()) {
      if (applied.has(number)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (number, file) VALUES ($1, $2)', [number, file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]).catch(() => undefined);
    client.release();
  }
}

/**
 * Runs `work` in one transaction on one client; rolls back when it throws. `begin` may set the
 * isolation level (`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for a snapshot).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // a client whose ROLLBACK fails lost its connection: destroy it rather than pool it
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
