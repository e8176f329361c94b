import type pg from 'pg';

/** Advisory lock keys of maintenance tasks: one task of each kind at a time, across every host. */
const TASK_LOCKS = {
  /** "chgc" */
  gc: 0x63686763n,
} as const;

export type LockedTask = keyof typeof TASK_LOCKS;

/**
 * Takes the session advisory lock of `task` on a connection of its own, without waiting: resolves
 * to its release, or undefined when another session holds it. The lock lives as long as that
 * connection, so a process that dies mid-task frees it with its connection.
 */
export async function tryTaskLock(
  pool: pg.Pool,
  task: LockedTask,
): Promise<(() => Promise<void>) | undefined> {
  const key = TASK_LOCKS[task].toString();
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      key,
    ]);
    if (!rows[0]?.locked) {
      client.release();
      return undefined;
    }
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  return async () => {
    try {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
      client.release();
    } catch (err) {
      // the connection is gone, and the lock with it
      client.release(err as Error);
    }
  };
}
