import { Readable } from 'node:stream';
import { isRegistryError } from '../errors.js';
import type { BlobStore, StagedBlob } from '../store/blob-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import {
  UploadOffsetConflict,
  type UploadSession,
  type UploadSessionStore,
} from '../store/upload-sessions.js';
import { OciError } from './errors.js';
import type { OciName } from './reference.js';

export interface UploadDeps {
  meta: MetadataStore;
  blobs: BlobStore;
  sessions: UploadSessionStore;
  /** the largest blob accepted, in bytes */
  maxBlobSize: number;
  /** a session untouched for this long is gone */
  ttlMs: number;
  now: () => number;
}

/** A chunk's place in the upload, from its Content-Range (inclusive end). */
export interface ChunkRange {
  start: number;
  end: number;
}

/**
 * Blob uploads (distribution-spec "Pushing blobs"): monolithic, streamed, chunked and mounted.
 * Bytes reach the blob store only through BlobStore.stage, which hashes while it writes; a
 * session's chunks wait in the UploadSessionStore. Requests on one session run one at a time;
 * different sessions never wait for each other.
 */
export function createOciUploads(deps: UploadDeps) {
  const { meta, blobs, sessions } = deps;
  const queues = new Map<string, Promise<unknown>>();

  function exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return run;
  }

  const expired = (s: UploadSession) => deps.now() - s.updated > deps.ttlMs;

  async function live(oci: OciName, id: string): Promise<UploadSession> {
    const session = await sessions.get(id);
    if (session && expired(session)) await sessions.remove(id);
    if (!session || session.name !== oci.name || expired(session)) {
      throw new OciError('BLOB_UPLOAD_UNKNOWN', `upload ${id} is unknown in ${oci.name}, or it expired`, {
        uuid: id,
      });
    }
    return session;
  }

  async function stage(source: Readable): Promise<StagedBlob> {
    try {
      return await blobs.stage(source, { maxBytes: deps.maxBlobSize });
    } catch (err) {
      if (isRegistryError(err, 'UPLOAD_TOO_LARGE')) {
        throw new OciError('TOO_LARGE', `the blob is larger than the ${deps.maxBlobSize}-byte limit`);
      }
      throw err;
    }
  }

  /** Commits the staged bytes when they hash to `hex`, links them to the repository; else leaves nothing. */
  async function settle(oci: OciName, staged: StagedBlob, hex: string): Promise<string> {
    if (staged.digest !== hex) {
      await staged.discard();
      throw new OciError(
        'DIGEST_INVALID',
        `the uploaded bytes hash to sha256:${staged.digest}, not sha256:${hex}`,
        { Digest: `sha256:${hex}` },
      );
    }
    await staged.commit();
    await meta.linkOciBlob(oci.name, hex);
    return `sha256:${hex}`;
  }

  function checkRange(session: UploadSession, range: ChunkRange | undefined): void {
    if (range && range.start !== session.size) {
      throw new OciError(
        'RANGE_INVALID',
        `the chunk starts at byte ${range.start}, but the upload holds ${session.size} bytes`,
      );
    }
  }

  return {
    start: (oci: OciName) => sessions.create(oci.name),

    /** A monolithic upload: the whole blob in one request, checked against `hex`. */
    async upload(oci: OciName, hex: string, body: Readable | undefined): Promise<string> {
      return settle(oci, await stage(body ?? Readable.from([])), hex);
    },

    /** Links a blob visible in `from` to `oci`; false when it cannot (the caller opens a session instead). */
    async mount(oci: OciName, hex: string, from: OciName | undefined): Promise<boolean> {
      if (!from || !(await blobs.stat(hex))) return false;
      const state = await meta.ociBlobState(from, hex);
      if (!state.linked && !state.referenced) return false;
      await meta.linkOciBlob(oci.name, hex);
      return true;
    },

    /** Appends a chunk (PATCH); resolves to the session with its new size. */
    append(oci: OciName, id: string, body: Readable | undefined, range?: ChunkRange): Promise<UploadSession> {
      return exclusive(id, async () => {
        const session = await live(oci, id);
        checkRange(session, range);
        try {
          // the offset this replica saw: a chunk another replica appended meanwhile makes it a 416
          const offset = session.size;
          await sessions.append(id, body ?? Readable.from([]), { maxBytes: deps.maxBlobSize, offset });
        } catch (err) {
          if (isRegistryError(err, 'UPLOAD_TOO_LARGE')) {
            throw new OciError('TOO_LARGE', `the blob is larger than the ${deps.maxBlobSize}-byte limit`);
          }
          if (err instanceof UploadOffsetConflict) throw new OciError('RANGE_INVALID', err.message);
          throw err;
        }
        return live(oci, id);
      });
    },

    status: (oci: OciName, id: string) => exclusive(id, () => live(oci, id)),

    /**
     * Closes a session (PUT ?digest=): the bytes so far plus an optional last chunk are staged and
     * committed when they hash to `hex`. The session is gone afterwards, whatever the outcome.
     */
    finish(oci: OciName, id: string, hex: string, body?: Readable, range?: ChunkRange): Promise<string> {
      return exclusive(id, async () => {
        const session = await live(oci, id);
        checkRange(session, range);
        const stored = sessions.open(id);
        const source = Readable.from(
          (async function* () {
            try {
              yield* stored;
              if (body) yield* body;
            } finally {
              // a stage that fails midway must not leave the session file open
              stored.destroy();
            }
          })(),
        );
        try {
          return await settle(oci, await stage(source), hex);
        } finally {
          await sessions.remove(id);
        }
      });
    },

    cancel: (oci: OciName, id: string) =>
      exclusive(id, async () => {
        await live(oci, id);
        await sessions.remove(id);
      }),

    /** Removes every expired session and its bytes; resolves to how many went. */
    async sweep(): Promise<number> {
      let removed = 0;
      for (const session of await sessions.list()) {
        if (!expired(session) || queues.has(session.id)) continue;
        await sessions.remove(session.id);
        removed++;
      }
      return removed;
    },
  };
}

export type OciUploads = ReturnType<typeof createOciUploads>;
