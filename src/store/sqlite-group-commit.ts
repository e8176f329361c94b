import type Database from 'better-sqlite3';

interface Waiting<T> {
  request: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for SQLite writes. With synchronous=FULL every COMMIT waits for an fsync of the WAL
 * on the event loop (better-sqlite3 is synchronous), so concurrent pushes ran one fsync each, one
 * after the other: 16 clients pushing got about 60 pushes/s whatever they pushed. Requests that
 * arrive while one is being written are written together on the next turn of the event loop:
 * each in its own savepoint (`runOne` is a better-sqlite3 transaction, which nests as one), so a
 * request that fails rolls back alone and rejects alone, then one COMMIT and one fsync for all.
 * Nothing resolves before that COMMIT has returned, so a crash loses no write that was
 * acknowledged; a COMMIT that fails rejects every request of the batch.
 */
export function createGroupCommit<T>(db: Database.Database, runOne: (request: T) => void) {
  let waiting: Array<Waiting<T>> = [];

  const writeBatch = db.transaction((batch: Array<Waiting<T>>) => {
    const outcomes = batch.map(({ request }) => {
      try {
        runOne(request);
        return undefined;
      } catch (err) {
        return { err };
      }
    });
    return outcomes;
  });

  function flush(): void {
    const batch = waiting;
    waiting = [];
    let outcomes: Array<{ err: unknown } | undefined>;
    try {
      outcomes = writeBatch(batch);
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

  return (request: T): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
    });
}
