/**
 * Resumable uploads (OCI chunked blob uploads) in the bucket, so any replica can continue any
 * session:
 *
 *   <prefix>/uploads/<id>/info.json          { "name": <OCI repository>, "created": <ISO time> }
 *   <prefix>/uploads/<id>/<offset, 16 digits> one object per appended chunk, starting at that byte
 *
 * A chunk is created with If-None-Match: *, and only at the offset where the session ends. Of two
 * appends that read the same size (two replicas, one session), exactly one creates the key and the
 * other fails with UploadOffsetConflict; the chunks therefore stay contiguous. The size is the end of
 * the last chunk in a listing, which is strongly consistent on AWS S3 and Ceph RGW.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type _Object,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { hashingLimiter } from './hashing-limiter.js';
import { isS3NotFound, isS3PreconditionFailed, rethrowS3, s3Call } from './s3-client.js';
import { UploadOffsetConflict, type UploadSession, type UploadSessionStore } from './upload-sessions.js';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHUNK = /^\d{16}$/;
const INFO = 'info.json';
/** chunks up to this size go up from memory, which lets the SDK resend them when it retries */
const BUFFERED = 16 * 1024 * 1024;

interface Listed {
  info?: _Object;
  chunks: Array<{ key: string; offset: number; size: number }>;
  /** epoch ms of the newest object */
  updated: number;
}

export function createS3UploadSessions(options: {
  client: S3Client;
  bucket: string;
  /** key prefix, without leading or trailing slashes ('' for the bucket's root) */
  prefix: string;
  /** where a chunk waits while it is received and counted (default: the OS temp dir) */
  tempDir?: string;
}): UploadSessionStore {
  const { client, bucket } = options;
  const root = options.prefix.replace(/^\/+|\/+$/g, '');
  const uploads = `${root ? `${root}/` : ''}uploads/`;
  const tempDir = options.tempDir ?? tmpdir();

  /** Every object under `prefix`, grouped by session id. */
  async function listUnder(prefix: string): Promise<Map<string, Listed>> {
    const sessions = new Map<string, Listed>();
    try {
      for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          const [id = '', name = '', ...rest] = (object.Key ?? '').slice(uploads.length).split('/');
          if (!ID.test(id) || rest.length > 0) continue;
          const listed = sessions.get(id) ?? { chunks: [], updated: 0 };
          sessions.set(id, listed);
          listed.updated = Math.max(listed.updated, object.LastModified?.getTime() ?? 0);
          if (name === INFO) listed.info = object;
          else if (CHUNK.test(name)) {
            listed.chunks.push({ key: object.Key ?? '', offset: Number(name), size: object.Size ?? 0 });
          }
        }
      }
    } catch (err) {
      rethrowS3(err);
    }
    // keys list in byte order, and the zero-padded offsets with them
    return sessions;
  }

  const sizeOf = (listed: Listed) => {
    const last = listed.chunks.at(-1);
    return last ? last.offset + last.size : 0;
  };

  async function nameOf(id: string): Promise<string | undefined> {
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${uploads}${id}/${INFO}` }));
      return (JSON.parse((await got.Body?.transformToString()) ?? '{}') as { name?: string }).name;
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      return rethrowS3(err);
    }
  }

  async function get(id: string): Promise<UploadSession | undefined> {
    if (!ID.test(id)) return undefined;
    const listed = (await listUnder(`${uploads}${id}/`)).get(id);
    const name = listed?.info ? await nameOf(id) : undefined;
    if (!listed || name === undefined) return undefined;
    return { id, name, size: sizeOf(listed), updated: listed.updated };
  }

  /** Receives a chunk into a local file, counted against `room`; removed again on failure. */
  async function receive(
    source: Readable,
    room: number | undefined,
  ): Promise<{ file: string; size: number }> {
    await mkdir(tempDir, { recursive: true });
    const file = join(tempDir, `charthouse-chunk-${randomUUID()}`);
    const counter = hashingLimiter(room);
    const sink = createWriteStream(file, { flags: 'wx' });
    try {
      await pipeline(source, counter, sink);
    } catch (err) {
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await rm(file, { force: true });
      throw err;
    }
    return { file, size: counter.result().size };
  }

  return {
    async create(name) {
      const id = randomUUID();
      const info = JSON.stringify({ name, created: new Date().toISOString() });
      const put = new PutObjectCommand({
        Bucket: bucket,
        Key: `${uploads}${id}/${INFO}`,
        Body: info,
        IfNoneMatch: '*',
        ContentType: 'application/json',
      });
      await s3Call(client.send(put));
      return id;
    },
    get,
    async append(id, source, limits = {}) {
      const session = await get(id);
      if (!session) throw new Error(`upload session ${id} does not exist`);
      const offset = limits.offset ?? session.size;
      if (offset !== session.size) throw new UploadOffsetConflict(id, offset, session.size);
      const room = limits.maxBytes === undefined ? undefined : Math.max(0, limits.maxBytes - offset);
      const chunk = await receive(source, room);
      try {
        // an empty chunk would take the offset the next real one needs
        if (chunk.size === 0) return offset;
        const put = new PutObjectCommand({
          Bucket: bucket,
          Key: `${uploads}${id}/${String(offset).padStart(16, '0')}`,
          Body: chunk.size <= BUFFERED ? await readFile(chunk.file) : createReadStream(chunk.file),
          ContentLength: chunk.size,
          IfNoneMatch: '*',
        });
        await client.send(put).catch(async (err: unknown) => {
          if (!isS3PreconditionFailed(err)) return rethrowS3(err);
          throw new UploadOffsetConflict(id, offset, (await get(id))?.size ?? offset);
        });
        return offset + chunk.size;
      } finally {
        await rm(chunk.file, { force: true });
      }
    },
    open(id) {
      return Readable.from(
        (async function* () {
          if (!ID.test(id)) return;
          const listed = (await listUnder(`${uploads}${id}/`)).get(id);
          for (const chunk of listed?.chunks ?? []) {
            const got = await s3Call(client.send(new GetObjectCommand({ Bucket: bucket, Key: chunk.key })));
            // a destroyed reader returns from here, which destroys the chunk's own stream too
            yield* got.Body as Readable;
          }
        })(),
        { objectMode: false },
      );
    },
    async remove(id) {
      if (!ID.test(id)) return;
      const listed = (await listUnder(`${uploads}${id}/`)).get(id);
      const keys = [
        ...(listed?.chunks.map((c) => c.key) ?? []),
        ...(listed?.info ? [listed.info.Key ?? ''] : []),
      ];
      await Promise.all(
        keys.map((Key) => s3Call(client.send(new DeleteObjectCommand({ Bucket: bucket, Key })))),
      );
    },
    async list() {
      const sessions: UploadSession[] = [];
      for (const [id, listed] of await listUnder(uploads)) {
        // a half-written or half-removed session still shows (nameless), so the sweep can clear it
        const name = listed.info ? await nameOf(id) : undefined;
        sessions.push({ id, name: name ?? '', size: sizeOf(listed), updated: listed.updated });
      }
      return sessions;
    },
  };
}
