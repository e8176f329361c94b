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
  /**
   * When the blob's bytes were last committed, or undefined when there is none. A commit of bytes
   * already stored renews it, so a blob is never older than the publish that refers to it.
   */
  committedAt(digest: string): Promise<Date | undefined>;
  /**
   * Removes the blob only when it was last committed before `cutoff`; resolves true when it did.
   * Atomic with respect to commit: a blob that a concurrent commit renews stays. The caller has
   * checked that no row refers to it (`charthouse gc`).
   */
  deleteIfOlder(digest: string, cutoff: Date): Promise<boolean>;
  /**
   * Temporary bytes neither committed nor discarded: stages in progress, and files an interrupted
   * process left. They are never readable as blobs.
   */
  listTemporary(): AsyncIterable<TemporaryFile>;
  /** Removes one temporary file when it was last written before `cutoff`; true when it did. */
  removeTemporary(id: string, cutoff: Date): Promise<boolean>;
}

/** A temporary file of a BlobStore (see listTemporary). */
export interface TemporaryFile {
  /** the store's name for it: for the disk store, the file name under `blobs/tmp/` */
  id: string;
  size: number;
  /** when it was last written */
  modified: Date;
}
