import type { RenderedIndex } from './index-document.js';

export type { RenderedIndex };

/** How long a replaced render keeps its plain file for responses that already hold it. */
const RETIRE_AFTER_MS = 1000;

interface CacheEntry {
  promise: Promise<RenderedIndex>;
  revision: number;
  /** whether the render has (or will have) the plain document, not only the gzip form */
  plain: boolean;
}

/**
 * Per-repository memo of the rendered index.yaml, keyed by the repository's revision in the
 * metadata store. A request renders only when the revision moved since the last render (or when
 * it needs the plain document and the last render made only the gzip form, which is what Helm
 * asks for), and concurrent requests share one render. No timers, no rescans.
 */
export function createIndexCache(render: (repository: string, plain: boolean) => Promise<RenderedIndex>) {
  const entries = new Map<string, CacheEntry>();

  return {
    get(repository: string, revision: number, options: { plain: boolean }): Promise<RenderedIndex> {
      const cached = entries.get(repository);
      // A render reads the latest rows, so a cached render at a newer revision also serves an older one.
      if (cached && cached.revision >= revision && (cached.plain || !options.plain)) return cached.promise;
      const entry: CacheEntry = {
        promise: render(repository, options.plain),
        revision,
        plain: options.plain,
      };
      entries.set(repository, entry);
      const retirePrevious = () =>
        cached?.promise.then(
          (old) => setTimeout(() => old.retire(), RETIRE_AFTER_MS).unref(),
          () => undefined,
        );
      entry.promise.then(
        (done) => {
          if (entries.get(repository) === entry) {
            entry.revision = Math.max(done.revision, revision);
            entry.plain ||= done.plain !== undefined;
          }
          retirePrevious();
        },
        () => {
          if (entries.get(repository) === entry) entries.delete(repository);
          retirePrevious();
        },
      );
      return entry.promise;
    },
  };
}

export type IndexCache = ReturnType<typeof createIndexCache>;
