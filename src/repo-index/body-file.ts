import { closeSync, mkdirSync, openSync, read, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

let counter = 0;
/** bodies here are tens of MB or more: fewer, larger reads and socket writes than the 64 KiB default */
const CHUNK = 1024 * 1024;

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
     * A stream of the first `length` bytes, by positional reads of the shared descriptor, so any
     * number can run at once. Not fs.createReadStream: destroying one (a client that goes away)
     * closes its descriptor whatever autoClose says, under every other reader.
     */
    open(length: number): Readable {
      if (closed) throw new Error('the index body file was closed');
      readers++;
      let position = 0;
      let reading = false;
      let ended = false;
      // the descriptor is let go only once the stream is over and no read is in flight
      const release = () => {
        if (!ended || reading) return;
        ended = false;
        readers--;
        closeIfDone();
      };
      const stream = new Readable({
        highWaterMark: CHUNK,
        read() {
          if (position >= length) return void this.push(null);
          const size = Math.min(CHUNK, length - position);
          const buffer = Buffer.allocUnsafe(size);
          reading = true;
          read(fd, buffer, 0, size, position, (err, bytes) => {
            reading = false;
            if (stream.destroyed) return release();
            if (err || bytes === 0)
              return void this.destroy(err ?? new Error('the index body file ended early'));
            position += bytes;
            this.push(bytes < size ? buffer.subarray(0, bytes) : buffer);
          });
        },
      });
      stream.once('close', () => {
        ended = true;
        release();
      });
      return stream;
    },
    retire(): void {
      retired = true;
      closeIfDone();
    },
  };
}

export type BodyFile = ReturnType<typeof bodyFileOf>;
