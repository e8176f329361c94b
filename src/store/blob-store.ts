import type { Readable } from 'node:stream';

/** Bytes received and hashed but not yet visible under their digest. */
export interface StagedBlob {
  /** lowercase hex sha256 of the staged bytes */
  readonly digest: string;
  readonly size: number;
  /** Reads the staged bytes back (to validate them before they are committed). */
  open(): Readable;
  /**
   * Makes the bytes readable under their digest. Resolves only once they are durable; a commit of
   * a digest that is already stored is a no-op. After commit, discard does nothing.
   */
  commit(): Promise<void>;
  /** Removes the staged bytes. Safe to call more than once and after a failed commit. */
  discard(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

/**
 * Content-addressed storage of package bytes. Blobs are immutable and named only by their
 * sha256; repositories, names and versions live in the MetadataStore.
 */
export interface BlobStore {
  /**
   * Streams `source` to temporary storage while hashing it. Rejects with UPLOAD_TOO_LARGE once more
   * than `maxBytes` arrive; on any failure (or abort of the source) nothing is left behind.
   */
  stage(source: Readable, options?: { maxBytes?: number }): Promise<StagedBlob>;
  /** Size of a stored blob, or undefined when there is none. */
  stat(digest: string): Promise<{ size: number } | undefined>;
  /** A stream of the stored bytes (or of an inclusive range of them), or undefined when absent. */
  open(digest: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Removes a blob; resolves false when there was none. Callers ensure no row still refers to it. */
  delete(digest: string): Promise<boolean>;
  /** Every stored digest, in no particular order. */
  list(): AsyncIterable<string>;
}
