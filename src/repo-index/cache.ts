import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface RenderedIndex {
  revision: number;
  body: Buffer;
  gzip: Buffer;
  etag: string;
  lastModified: string;
}

/**
 * Per-repository memo of the rendered index.yaml, keyed by the repository's revision in the
 * metadata store. A request renders only when the revision moved since the last render, and
 * concurrent requests for the same revision share one render. No timers, no rescans.
 */
export interface IndexSnapshot {
  text: string;
  updated: string;
  /** the revision the rows were read at, in the same transaction */
  revision: number;
}

export function createIndexCache(render: (repository: string) => Promise<IndexSnapshot>) {
  const entries = new Map<string, Promise<RenderedIndex>>();
  const revisions = new Map<string, number>();

  async function build(repository: string): Promise<RenderedIndex> {
    const { text, updated, revision } = await render(repository);
    const body = Buffer.from(text, 'utf8');
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 32);
    return {
      revision,
      body,
      gzip: gzipSync(body),
      etag: `"${hash}"`,
      lastModified: new Date(updated).toUTCString(),
    };
  }

  return {
    get(repository: string, revision: number): Promise<RenderedIndex> {
      const cached = entries.get(repository);
      // A render reads the latest rows, so a cached render at a newer revision also serves an older one.
      if (cached && (revisions.get(repository) ?? -1) >= revision) return cached;
      const pending = build(repository);
      entries.set(repository, pending);
      revisions.set(repository, revision);
      pending.then(
        (done) => {
          if (entries.get(repository) === pending)
            revisions.set(repository, Math.max(done.revision, revision));
        },
        () => {
          if (entries.get(repository) === pending) {
            entries.delete(repository);
            revisions.delete(repository);
          }
        },
      );
      return pending;
    },
  };
}

export type IndexCache = ReturnType<typeof createIndexCache>;
