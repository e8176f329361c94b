import type pg from 'pg';
import { inWriteTransaction, pgErrorCode } from './pg-transaction.js';

/** what inWriteTransaction runs again (pg-transaction.ts) */
const RETRYABLE = new Set(['40P01', '40001']);

interface Waiting<T> {
  request: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for PostgreSQL writes of this process. Every publish locks its repository's row and
 * rebuilds its chart's index block under that lock, so 16 clients pushing one chart ran one after
 * the other, each paying a rebuild of the whole chart and a commit. Requests that arrive while a
 * batch is being written are written together in the next transaction: each inside a savepoint,
 * so a request that fails is rolled back and rejected alone; then `beforeCommit` (the work shared
 * by the batch: each changed chart's block, rebuilt once), then one COMMIT. Nothing resolves before
 * that COMMIT has returned. A batch locks its repositories in path order (requests are sorted by
 * `orderKey`), so two replicas' batches cannot deadlock on each other's repository rows; when
 * PostgreSQL still breaks a deadlock (foreign-key checks lock rows of their own), the whole batch
 * runs again, as any write transaction does (inWriteTransaction).
 */
export function createPgGroupCommit<T>(
  pool: pg.Pool,
  steps: {
    orderKey: (request: T) => string;
    runOne: (client: pg.PoolClient, request: T) => Promise<void>;
    beforeCommit: (client: pg.PoolClient) => Promise<void>;
    /** forgets what runOne gathered for beforeCommit, before every attempt of a batch */
    reset: () => void;
  },
) {
  let waiting: Array<Waiting<T>> = [];
  let writing = false;

  async function writeBatch(batch: Array<Waiting<T>>): Promise<void> {
    batch.sort((a, b) => (steps.orderKey(a.request) < steps.orderKey(b.request) ? -1 : 1));
    let outcomes: Array<{ err: unknown } | undefined>;
    try {
      outcomes = await inWriteTransaction(pool, async (client) => {
        steps.reset();
        const results: Array<{ err: unknown } | undefined> = [];
        for (const { request } of batch) {
          await client.query('SAVEPOINT publish');
          try {
            await steps.runOne(client, request);
            await client.query('RELEASE SAVEPOINT publish');
            results.push(undefined);
          } catch (err) {
            // a deadlock or serialization failure aborts the batch, which runs again whole
            if (RETRYABLE.has(pgErrorCode(err) ?? '')) throw err;
            await client.query('ROLLBACK TO SAVEPOINT publish');
            results.push({ err });
          }
        }
        await steps.beforeCommit(client);
        return results;
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome) w.reject(outcome.err);
      else w.resolve();
    });
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  }

  return (request: T): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!writing) void drain();
    });
}
