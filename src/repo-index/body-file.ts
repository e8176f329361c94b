import { closeSync, mkdirSync, openSync, read, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

let counter = 0;
/** bodies here are tens of MB or more: fewer, larger reads and socket writes than the 64 KiB default */
const CHUNK = 1024 * 1024;
/** buffers per response: one is written while the next is read */
const RING = 2;

function readAt(fd: number, buffer: Buffer, size: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, size, position, (err, bytes) => (err ? reject(err) : resolve(bytes))),
  );
}

/**
 * A large index.yaml body kept on disk instead of in memory. The file is unlinked as soon as it is
 * created, so nothing is left behind whatever happens to the process; the descriptor keeps it, and
 * is closed once the body is retired and the last response reading it has finished.
 */
export function createBodyFile(dir: string) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `index-${process.pid}-${++counter}-${Date.now()}.yaml`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return bodyFileOf(fd);
}

/**
 * The body file open as `fd`; also how the main thread takes over a file a worker thread wrote
 * (descriptors belong to the process, not to the thread that opened them).
 */
export function bodyFileOf(fd: number) {
  let readers = 0;
  let retired = false;
  let closed = false;
  const closeIfDone = () => {
    if (retired && readers === 0 && !closed) {
      closed = true;
      closeSync(fd);
    }
  };

  return {
    fd,
    write(bytes: Buffer, position: number): void {
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written, position + written);
      }
    },
    /** Writes `text` (`length` bytes in UTF-8), encoded in a buffer Node frees at once, not a Buffer left to the GC. */
    writeText(text: string, position: number, length: number): void {
      const written = writeSync(fd, text, position, 'utf8');
      if (written !== length)
        throw new Error(`short write to the index body file (${written} of ${length} bytes)`);
    },
    /**
     * Writes the first `length` bytes to `destination` (a response), by positional reads of the
     * shared descriptor so that any number run at once, through a ring of RING buffers: a buffer is
     * read into again only once `destination` has taken its bytes (the write's callback). A stream
     * allocated a fresh chunk for every read instead; behind a slow client those lived long enough
     * to reach V8's old generation, and collecting them cost more CPU than the copying (profiled
     * under the bench's load). Resolves once all is written, or early when `destination` closes (a
     * client that went away); a failed read destroys `destination`. Does not end it.
     */
    async writeTo(destination: Writable, length: number): Promise<void> {
      if (closed) throw new Error('the index body file was closed');
      readers++;
      let gone = false;
      const closing = new Promise<void>((resolve) =>
        destination.once('close', () => {
          gone = true;
          resolve();
        }),
      );
      const ring = Array.from({ length: RING }, () => ({
        buffer: Buffer.allocUnsafe(CHUNK),
        taken: Promise.resolve(),
      }));
      try {
        for (let position = 0, turn = 0; position < length; turn++) {
          const slot = ring[turn % RING] as (typeof ring)[number];
          await Promise.race([slot.taken, closing]);
          if (gone) return;
          const bytes = await readAt(fd, slot.buffer, Math.min(CHUNK, length - position), position);
          if (bytes === 0) throw new Error('the index body file ended early');
          position += bytes;
          const chunk = slot.buffer.subarray(0, bytes);
          slot.taken = new Promise((resolve) => destination.write(chunk, () => resolve()));
        }
        await Promise.race([Promise.all(ring.map((slot) => slot.taken)), closing]);
      } catch (err) {
        destination.destroy(err as Error);
      } finally {
        readers--;
        closeIfDone();
      }
    },
    retire(): void {
      retired = true;
      closeIfDone();
    },
  };
}

export type BodyFile = ReturnType<typeof bodyFileOf>;
