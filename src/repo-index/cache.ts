import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { IndexPiece, RenderedDocument } from './render.js';

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
  /** the document as text, or (from an incremental renderer) as bytes cut into pieces */
  text?: string;
  document?: RenderedDocument;
  updated: string;
  /** the revision the rows were read at, in the same transaction */
  revision: number;
}

export function createIndexCache(render: (repository: string) => Promise<IndexSnapshot>) {
  const entries = new Map<string, Promise<RenderedIndex>>();
  const revisions = new Map<string, number>();
  const digested = new Map<string, Map<string, DigestedPiece>>();

  async function build(repository: string): Promise<RenderedIndex> {
    const { text, document, updated, revision } = await render(repository);
    const { body, pieces } = document ?? wholeDocument(text ?? '');
    const memo = digest(body, pieces, digested.get(repository) ?? new Map());
    digested.set(repository, memo);
    const parts = pieces.map((piece) => memo.get(piece.key) as DigestedPiece);
    // The hash of the pieces' hashes: a function of the bytes alone (pieces follow the document's
    // structure), without hashing the whole body again after a change to one chart.
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part.sha256);
    return {
      revision,
      body,
      gzip: gzipOf(body, parts),
      etag: `"${hash.digest('hex').slice(0, 32)}"`,
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

function wholeDocument(text: string): RenderedDocument {
  const body = Buffer.from(text, 'utf8');
  return { body, pieces: [{ key: text, start: 0, end: body.length }] };
}

/** What a piece contributes to the ETag and to the gzip form, computed once per piece key. */
interface DigestedPiece {
  sha256: Buffer;
  /** a raw deflate stream ended by a sync flush: non-final blocks, byte-aligned */
  deflated: Buffer;
}

/** The digests of this document's pieces, from `memo` where the key was seen at the last build. */
function digest(body: Buffer, pieces: IndexPiece[], memo: Map<string, DigestedPiece>) {
  const next = new Map<string, DigestedPiece>();
  for (const piece of pieces) {
    if (next.has(piece.key)) continue;
    const bytes = body.subarray(piece.start, piece.end);
    next.set(
      piece.key,
      memo.get(piece.key) ?? {
        sha256: createHash('sha256').update(bytes).digest(),
        deflated: zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
      },
    );
  }
  return next;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** A final, empty deflate block (fixed Huffman codes): ends the stream of non-final blocks. */
const DEFLATE_END = Buffer.from([3, 0]);

/**
 * One gzip member made of the pieces deflated on their own: each is a raw deflate stream that
 * refers to nothing before its start and ends byte-aligned without a final block, so they
 * concatenate into one valid stream; a final empty block, the CRC-32 and the length close it. A
 * change to one chart costs that chart's compression, not the whole index's.
 */
function gzipOf(body: Buffer, parts: DigestedPiece[]): Buffer {
  if (typeof zlib.crc32 !== 'function') return zlib.gzipSync(body); // Node before 20.15
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(body) >>> 0, 0);
  trailer.writeUInt32LE(body.length % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, ...parts.map((p) => p.deflated), DEFLATE_END, trailer]);
}
