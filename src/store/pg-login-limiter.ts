import type pg from 'pg';
import {
  DEFAULT_MAX_FAILURES,
  DEFAULT_WINDOW_MS,
  type LoginLimiter,
  type LoginLimiterOptions,
  waitAfter,
} from '../auth/login-limiter.js';

/**
 * The failed-login limiter of replicas that share one PostgreSQL database (migrations/postgres/
 * 002_auth.sql, table login_failures): a failure recorded by any replica counts on all of them,
 * with the semantics of the in-memory limiter (login-limiter.ts).
 *
 * Times are the replicas' own clocks in epoch milliseconds, so a few milliseconds of skew between
 * hosts shift a window of a minute by as much, and tests can drive the clock. Every failure also
 * prunes the rows that left the window, for every address, so the table holds at most one
 * window's failures.
 */
export function createPostgresLoginLimiter(pool: pg.Pool, options: LoginLimiterOptions = {}): LoginLimiter {
  const settings = {
    maxFailures: options.maxFailures ?? DEFAULT_MAX_FAILURES,
    windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
    now: options.now ?? Date.now,
  };
  const since = () => settings.now() - settings.windowMs;

  return {
    async retryAfterSeconds(address) {
      const { rows } = await pool.query<{ at: number }>(
        'SELECT at FROM login_failures WHERE address = $1 AND at > $2 ORDER BY at DESC LIMIT $3',
        [address, since(), settings.maxFailures],
      );
      return waitAfter(
        rows.map((row) => Number(row.at)),
        settings,
      );
    },
    async recordFailure(address) {
      await pool.query(
        `WITH pruned AS (DELETE FROM login_failures WHERE at <= $3)
         INSERT INTO login_failures (address, at) VALUES ($1, $2)`,
        [address, settings.now(), since()],
      );
    },
  };
}
