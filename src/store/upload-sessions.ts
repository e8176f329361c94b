/**
 * Resumable uploads (OCI chunked blob uploads), on disk in the manner of distribution's
 * `_uploads/` folder:
 *
 *   <root>/<id>.json   { "name": <OCI repository>, "created": <ISO time> }, written at create
 *   <root>/<id>.data   the bytes received so far; its mtime is the session's last activity
 *
 * <root> is `<storage>/uploads/`, beside `blobs/` on the same filesystem. A session's bytes are
 * not a blob: the finishing PUT streams them through BlobStore.stage, which hashes and commits.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingLimiter } from './hashing-limiter.js';

export interface UploadSession {
  id: string;
  /** the OCI repository the session was opened in */
  name: string;
  /** bytes received so far: the offset the next chunk must start at */
  size: number;
  /** epoch milliseconds of the last change */
  updated: number;
}

/** Temporary bytes of upload sessions. Every method is safe to call on an unknown or removed id. */
export interface UploadSessionStore {
  /** Opens an empty session owned by OCI repository `name`; resolves to its id. */
  create(name: string): Promise<string>;
  /** The session, or undefined when it does not exist (never opened, removed, or its files are gone). */
  get(id: string): Promise<UploadSession | undefined>;
  /**
   * Appends `source` to the session and resolves to its new size. Fails with UPLOAD_TOO_LARGE once
   * the session would exceed `maxBytes`, and with UploadOffsetConflict when `offset` is given and
   * the session does not hold exactly that many bytes (another request, perhaps on another
   * replica, appended first). On any failure the session is left exactly as it was.
   */
  append(id: string, source: Readable, options?: { maxBytes?: number; offset?: number }): Promise<number>;
  /** The bytes received so far, from the first. */
  open(id: string): Readable;
  /** Removes the session and its bytes. */
  remove(id: string): Promise<void>;
  /** Every session, for the expiry sweep. */
  list(): Promise<UploadSession[]>;
}

/** The session moved on: it no longer holds the bytes a chunk was meant to follow. */
export class UploadOffsetConflict extends Error {
  constructor(id: string, offset: number, size: number) {
    super(`upload ${id} holds ${size} bytes, not ${offset}: another chunk was appended first`);
    this.name = 'UploadOffsetConflict';
  }
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createDiskUploadSessions(root: string): UploadSessionStore {
  const dataOf = (id: string) => join(root, `${id}.data`);
  const infoOf = (id: string) => join(root, `${id}.json`);

  async function get(id: string): Promise<UploadSession | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      const [info, data] = await Promise.all([readFile(infoOf(id), 'utf8'), stat(dataOf(id))]);
      const { name } = JSON.parse(info) as { name: string };
      return { id, name, size: data.size, updated: data.mtimeMs };
    } catch {
      return undefined;
    }
  }

  return {
    async create(name) {
      await mkdir(root, { recursive: true });
      const id = randomUUID();
      await writeFile(dataOf(id), '', { flag: 'wx' });
      await writeFile(infoOf(id), JSON.stringify({ name, created: new Date().toISOString() }), {
        flag: 'wx',
      });
      return id;
    },
    get,
    async append(id, source, options = {}) {
      const session = await get(id);
      if (!session) throw new Error(`upload session ${id} does not exist`);
      if (options.offset !== undefined && options.offset !== session.size) {
        throw new UploadOffsetConflict(id, options.offset, session.size);
      }
      const counter = hashingLimiter(
        options.maxBytes === undefined ? undefined : Math.max(0, options.maxBytes - session.size),
      );
      try {
        await pipeline(source, counter, createWriteStream(dataOf(id), { flags: 'r+', start: session.size }));
      } catch (err) {
        await truncate(dataOf(id), session.size).catch(() => undefined);
        throw err;
      }
      return session.size + counter.result().size;
    },
    open: (id) => createReadStream(dataOf(id)),
    async remove(id) {
      if (!ID.test(id)) return;
      await Promise.all([rm(dataOf(id), { force: true }), rm(infoOf(id), { force: true })]);
    },
    async list() {
      const files = await readdir(root).catch(() => [] as string[]);
      const ids = new Set(files.map((f) => f.replace(/\.(data|json)$/, '')).filter((id) => ID.test(id)));
      const sessions: UploadSession[] = [];
      for (const id of ids) {
        // a half-written or half-removed session still shows, so the sweep can clear it
        const found = await get(id);
        const mtime = found
          ? undefined
          : await stat(infoOf(id)).catch(() => stat(dataOf(id)).catch(() => undefined));
        sessions.push(found ?? { id, name: '', size: 0, updated: mtime?.mtimeMs ?? 0 });
      }
      return sessions;
    },
  };
}
