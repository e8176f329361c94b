import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingLimiter } from './hashing-limiter.js';
import { UploadOffsetConflict, type UploadSession, type UploadSessionStore } from './upload-sessions.js';

/** A Map-backed UploadSessionStore for tests; same contract as the disk store. `now` drives expiry tests. */
export function createMemoryUploadSessions(now: () => number = Date.now): UploadSessionStore {
  const sessions = new Map<string, { name: string; bytes: Buffer; updated: number }>();
  const view = (id: string): UploadSession | undefined => {
    const s = sessions.get(id);
    return s && { id, name: s.name, size: s.bytes.length, updated: s.updated };
  };

  return {
    async create(name) {
      const id = randomUUID();
      sessions.set(id, { name, bytes: Buffer.alloc(0), updated: now() });
      return id;
    },
    get: async (id) => view(id),
    async append(id, source, options = {}) {
      const session = sessions.get(id);
      if (!session) throw new Error(`upload session ${id} does not exist`);
      if (options.offset !== undefined && options.offset !== session.bytes.length) {
        throw new UploadOffsetConflict(id, options.offset, session.bytes.length);
      }
      const room =
        options.maxBytes === undefined ? undefined : Math.max(0, options.maxBytes - session.bytes.length);
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk);
          done();
        },
      });
      await pipeline(source, hashingLimiter(room), sink);
      session.bytes = Buffer.concat([session.bytes, ...chunks]);
      session.updated = now();
      return session.bytes.length;
    },
    open: (id) => Readable.from([sessions.get(id)?.bytes ?? Buffer.alloc(0)]),
    async remove(id) {
      sessions.delete(id);
    },
    async list() {
      return [...sessions.keys()].map((id) => view(id)).filter((s): s is UploadSession => s !== undefined);
    },
  };
}
