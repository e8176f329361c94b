/** How stale a revision may be after a commit made through another connection or process. */
export const RECHECK_OTHER_WRITERS_MS = 100;

/**
 * Repository revisions remembered between requests, so that index.yaml (a 304 above all) costs no
 * SQLite statement: that one indexed lookup per request was a third of a 304's CPU.
 *
 * The store forgets them whenever its own connection bumps a revision, so a push through this
 * server is seen by its very next request. Commits through any other connection (the auth store's,
 * another process such as `charthouse check --repair`) move SQLite's `PRAGMA data_version`, which
 * is read at most once per RECHECK_OTHER_WRITERS_MS. Only repositories that exist are remembered:
 * one created elsewhere is found at once.
 */
export function createRevisionCache(
  read: (repository: string) => number | undefined,
  dataVersion: () => number,
  clock: () => number = () => performance.now(),
) {
  const revisions = new Map<string, number>();
  let seenVersion = dataVersion();
  let checkedAt = clock();

  return {
    get(repository: string): number | undefined {
      const time = clock();
      if (time - checkedAt >= RECHECK_OTHER_WRITERS_MS) {
        checkedAt = time;
        const version = dataVersion();
        if (version !== seenVersion) revisions.clear();
        seenVersion = version;
      }
      const cached = revisions.get(repository);
      if (cached !== undefined) return cached;
      const revision = read(repository);
      if (revision !== undefined) revisions.set(repository, revision);
      return revision;
    },
    /** Called by the store's own writes, which do not move its connection's data_version. */
    forget(): void {
      revisions.clear();
    },
  };
}
