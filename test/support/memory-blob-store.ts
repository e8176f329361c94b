import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, StagedBlob } from '../../src/store/blob-store.js';
import { hashingLimiter } from '../../src/store/hashing-limiter.js';

/** A Map-backed BlobStore for tests; same contract as the disk store. */
export function createMemoryBlobStore(): BlobStore & { readonly staged: number } {
  const blobs = new Map<string, Buffer>();
  const committed = new Map<string, Date>();
  let staged = 0;

  return {
    get staged() {
      return staged;
    },
    async stage(source, options = {}): Promise<StagedBlob> {
      const counter = hashingLimiter(options.maxBytes);
      const chunks: Buffer[] = [];
      await pipeline(
        source,
        counter,
        new Writable({
          write(chunk: Buffer, _enc, done) {
            chunks.push(chunk);
            done();
          },
        }),
      );
      const bytes = Buffer.concat(chunks);
      const { digest, size } = counter.result();
      let settled = false;
      staged++;
      return {
        digest,
        size,
        open: () => Readable.from([bytes]),
        async commit() {
          if (settled) return;
          settled = true;
          staged--;
          if (!blobs.has(digest)) blobs.set(digest, bytes);
          committed.set(digest, new Date());
        },
        async discard() {
          if (settled) return;
          settled = true;
          staged--;
        },
      };
    },
    async stat(digest) {
      const bytes = blobs.get(digest);
      return bytes ? { size: bytes.length } : undefined;
    },
    async open(digest, range) {
      const bytes = blobs.get(digest);
      if (!bytes) return undefined;
      return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
    },
    async delete(digest) {
      committed.delete(digest);
      return blobs.delete(digest);
    },
    async *list() {
      yield* [...blobs.keys()];
    },
    async committedAt(digest) {
      return committed.get(digest);
    },
    async deleteIfOlder(digest, cutoff) {
      const at = committed.get(digest);
      if (at === undefined || at.getTime() >= cutoff.getTime()) return false;
      committed.delete(digest);
      return blobs.delete(digest);
    },
    // Staged bytes live only in the staging request's memory: nothing is ever left over.
    async *listTemporary() {},
    async removeTemporary() {
      return false;
    },
  };
}
