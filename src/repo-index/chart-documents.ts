import { createHash } from 'node:crypto';

/** A chart's JSON answer (`GET /api/charts/<name>`) as sent, with its ETag. */
export interface ChartDocument {
  body: string;
  etag: string;
}

/** Documents kept across every chart before the least recently used are dropped. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

interface CacheEntry {
  promise: Promise<ChartDocument>;
  revision: number;
  chars: number;
}

/** The document of a chart's entries: the bytes fastify's JSON.stringify sent before, and their digest. */
export function chartDocument(entries: unknown[]): ChartDocument {
  const body = JSON.stringify(entries);
  return { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
}

/**
 * Per-chart memo of the JSON document of its versions, checked against the repository's revision
 * exactly as the index.yaml cache is (cache.ts): the caller reads the revision for every request
 * (on PostgreSQL from the database, so a write acknowledged by any replica is seen by the next read
 * on every other), a request renders only when the revision moved since the last render, and
 * concurrent requests share one render. A render reads rows at least as new as the revision it is
 * filed under, so a render at a newer revision also serves an older one. Failed renders (an unknown
 * chart) are not kept. Least recently used documents go first once MAX_CACHED_CHARS is reached.
 */
export function createChartDocumentCache(
  render: (repository: string, name: string) => Promise<ChartDocument>,
  maxChars = MAX_CACHED_CHARS,
) {
  const entries = new Map<string, CacheEntry>();
  let chars = 0;

  const drop = (key: string, entry: CacheEntry) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    chars -= entry.chars;
  };

  return {
    get(repository: string, name: string, revision: number): Promise<ChartDocument> {
      const key = `${repository}\0${name}`;
      const cached = entries.get(key);
      if (cached && cached.revision >= revision) {
        // re-inserted: Map order is the least recently used first
        entries.delete(key);
        entries.set(key, cached);
        return cached.promise;
      }
      if (cached) drop(key, cached);
      const entry: CacheEntry = { promise: render(repository, name), revision, chars: 0 };
      entries.set(key, entry);
      entry.promise.then(
        (document) => {
          if (entries.get(key) !== entry) return;
          entry.chars = document.body.length;
          chars += entry.chars;
          for (const [oldKey, old] of entries) {
            if (chars <= maxChars || old === entry) break;
            drop(oldKey, old);
          }
        },
        () => drop(key, entry),
      );
      return entry.promise;
    },
  };
}
