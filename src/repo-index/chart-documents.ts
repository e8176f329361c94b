import { createHash } from 'node:crypto';
import { createRevisionMemo } from './revision-memo.js';

/** A chart's JSON answer (`GET /api/charts/<name>`) as sent, with its ETag. */
export interface ChartDocument {
  body: string;
  etag: string;
}

/** Documents kept across every chart before the least recently used are dropped. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

/** The document of a chart's entries: the bytes fastify's JSON.stringify sent before, and their digest. */
export function chartDocument(entries: unknown[]): ChartDocument {
  const body = JSON.stringify(entries);
  return { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
}

/**
 * Per-chart memo of the JSON document of its versions, checked against the repository's revision
 * (revision-memo.ts); least recently used documents go first once MAX_CACHED_CHARS is reached.
 */
export function createChartDocumentCache(
  render: (repository: string, name: string) => Promise<ChartDocument>,
  maxChars = MAX_CACHED_CHARS,
) {
  const memo = createRevisionMemo<ChartDocument>((document) => document.body.length, maxChars);
  return {
    get: (repository: string, name: string, revision: number): Promise<ChartDocument> =>
      memo.get(repository, name, revision, () => render(repository, name)),
  };
}
