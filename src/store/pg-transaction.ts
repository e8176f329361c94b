import type pg from 'pg';
import { inTransaction } from './postgres.js';

/** deadlock_detected, serialization_failure: the transaction was rolled back and may simply run again */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * A write transaction at READ COMMITTED (postgres.ts inTransaction), run again when PostgreSQL
 * broke a deadlock by rolling it back: writers lock rows in one order (repository row, version
 * row, manifests), but cascades and foreign-key checks take locks of their own.
 */
export async function inWriteTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(pool, work);
    } catch (err) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has(pgErrorCode(err) ?? '')) throw err;
    }
  }
}

/** Several reads that must agree with each other: one REPEATABLE READ, READ ONLY snapshot. */
export const inSnapshot = <T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
  inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');

/** The SQLSTATE of a PostgreSQL error, or undefined for anything else. */
export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a unique_violation (23505) names, or undefined for any other error. */
export function violatedUnique(err: unknown): string | undefined {
  return pgErrorCode(err) === '23505' ? (err as { constraint?: string }).constraint : undefined;
}
