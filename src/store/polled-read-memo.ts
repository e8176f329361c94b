import { MAX_ENTRIES } from './read-memo.js';

/**
 * How stale a remembered read may be after a change made through another replica: the revision
 * is read at most this often. Access control promises that changes count everywhere within 1 s.
 */
export const RECHECK_OTHER_REPLICAS_MS = 250;

/**
 * Reads remembered between requests, keyed to a revision that moves with every change (the async
 * counterpart of read-memo.ts, for stores shared by replicas such as pg-auth-store.ts).
 *
 * The store forgets everything after its own writes, so they count at the very next read. A change
 * made elsewhere moves the revision, read at most once per RECHECK_OTHER_REPLICAS_MS; the recheck
 * counts from when the revision was asked for, so nothing older than that is answered. A read that
 * was in flight while the memo forgot is answered but not remembered, as it may predate the change.
 * Only found values are remembered: a row created elsewhere is found at once.
 */
export function createPolledReadMemo(
  revision: () => Promise<number>,
  clock: () => number = () => performance.now(),
) {
  const values = new Map<string, unknown>();
  let seenRevision: number | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | undefined;
  /** moves whenever the memo forgets, so that reads begun before cannot refill it */
  let generation = 0;

  const forget = () => {
    values.clear();
    generation++;
  };

  async function recheck(): Promise<void> {
    const askedAt = clock();
    const current = await revision();
    if (current !== seenRevision) forget();
    seenRevision = current;
    checkedAt = askedAt;
  }

  return {
    /** `key` names the read as well as its arguments: one memo serves several kinds of read. */
    async get<T>(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
      if (clock() - checkedAt >= RECHECK_OTHER_REPLICAS_MS) {
        // concurrent requests share one revision query
        checking ??= recheck().finally(() => {
          checking = undefined;
        });
        await checking;
      }
      const remembered = values.get(key) as T | undefined;
      if (remembered !== undefined) return remembered;
      const startedIn = generation;
      const value = await read();
      if (value === undefined || startedIn !== generation) return value;
      if (values.size >= MAX_ENTRIES) values.clear();
      values.set(key, value);
      return value;
    },
    /** Called after the store's own writes, succeeded or failed. */
    forget,
  };
}
