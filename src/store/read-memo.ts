/** How stale a remembered read may be after a commit made through another connection or process. */
export const RECHECK_OTHER_WRITERS_MS = 100;

/** Past this many entries the memo starts over, so that no run of distinct keys can grow it without end. */
export const MAX_ENTRIES = 10_000;

/**
 * Reads of one SQLite connection remembered between requests, so that the reads every request
 * makes (index.yaml's revision, access control's user, token and repository access) cost no SQLite
 * statement: the revision lookup alone was a third of a 304's CPU.
 *
 * The store forgets everything whenever its own connection writes, so its own changes are seen by
 * the very next read. Commits through any other connection (the other store's, another process
 * such as the `charthouse` CLI) move the connection's `PRAGMA data_version`, read at most once per
 * RECHECK_OTHER_WRITERS_MS. Only found values are remembered: a row created elsewhere is found at
 * once, and lookups of keys that do not exist (a guessed token) take no room.
 */
export function createReadMemo(dataVersion: () => number, clock: () => number = () => performance.now()) {
  const values = new Map<string, unknown>();
  let seenVersion = dataVersion();
  let checkedAt = clock();

  return {
    /** `key` names the read as well as its arguments: one memo serves several kinds of read. */
    get<T>(key: string, read: () => T | undefined): T | undefined {
      const time = clock();
      if (time - checkedAt >= RECHECK_OTHER_WRITERS_MS) {
        checkedAt = time;
        const version = dataVersion();
        if (version !== seenVersion) values.clear();
        seenVersion = version;
      }
      const remembered = values.get(key) as T | undefined;
      if (remembered !== undefined) return remembered;
      const value = read();
      if (value === undefined) return undefined;
      if (values.size >= MAX_ENTRIES) values.clear();
      values.set(key, value);
      return value;
    },
    /** Called after the store's own writes, which do not move its connection's data_version. */
    forget(): void {
      values.clear();
    },
  };
}
