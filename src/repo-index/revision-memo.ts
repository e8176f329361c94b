interface Entry<T> {
  promise: Promise<T>;
  revision: number;
  size: number;
}

/**
 * Answers remembered per key and checked against the repository's revision, exactly as the
 * index.yaml cache is (cache.ts): the caller reads the revision for every request (on PostgreSQL
 * from the database, so a write acknowledged by any replica is seen by the next read on every
 * other), a request renders only when the revision moved since the last render, and concurrent
 * requests share one render. A render reads rows at least as new as the revision it is filed
 * under, so a render at a newer revision also serves an older one. Failed renders (an unknown
 * chart or version) are not kept. The least recently used go first once `maxSize` is reached,
 * measured by `sizeOf`.
 */
export function createRevisionMemo<T>(sizeOf: (value: T) => number, maxSize: number) {
  const entries = new Map<string, Entry<T>>();
  let total = 0;

  const drop = (key: string, entry: Entry<T>) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    total -= entry.size;
  };

  return {
    /** `key` names the answer within the repository; `render` makes it when none is current. */
    get(repository: string, key: string, revision: number, render: () => Promise<T>): Promise<T> {
      const fullKey = `${repository}\0${key}`;
      const cached = entries.get(fullKey);
      if (cached && cached.revision >= revision) {
        // re-inserted: Map order is the least recently used first
        entries.delete(fullKey);
        entries.set(fullKey, cached);
        return cached.promise;
      }
      if (cached) drop(fullKey, cached);
      const entry: Entry<T> = { promise: render(), revision, size: 0 };
      entries.set(fullKey, entry);
      entry.promise.then(
        (value) => {
          if (entries.get(fullKey) !== entry) return;
          entry.size = sizeOf(value);
          total += entry.size;
          for (const [oldKey, old] of entries) {
            if (total <= maxSize || old === entry) break;
            drop(oldKey, old);
          }
        },
        () => drop(fullKey, entry),
      );
      return entry.promise;
    },
  };
}
