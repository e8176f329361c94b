import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingLimiter } from './hashing-limiter.js';
import { isStorageFull } from './storage-full.js';

/**
 * Streams `source` into a new file under `dir` while hashing and counting it, the first step of
 * every BlobStore's stage. Rejects with UPLOAD_TOO_LARGE beyond `maxBytes`; on any failure the file
 * is gone. With `flush`, the file is fsynced before it counts as received (the disk store).
 */
export async function receiveTempFile(
  source: Readable,
  dir: string,
  options: { maxBytes?: number; flush?: boolean } = {},
): Promise<{ path: string; digest: string; size: number }> {
  const path = join(dir, randomUUID());
  const counter = hashingLimiter(options.maxBytes);
  // opened before the stream (the directory made only when missing, not on every upload), and
  // fsynced by the stream itself before it closes: per push, three file operations fewer
  const handle = await inDirectory(dir, () => open(path, 'wx')).catch((err: unknown) => {
    // as a failure of the stream below: a full disk reads the body out for its 507
    if (isStorageFull(err)) source.resume();
    else source.destroy();
    throw err;
  });
  const file = createWriteStream(path, { fd: handle, flush: options.flush ?? false });
  // The source reaches the pipeline through `feed`, so that a failure need not destroy it: when the
  // disk is full the rest of the body is read and dropped, and the client, still sending, gets to
  // read its 507 instead of a reset connection. Any other failure destroys the source as before.
  // A source that errors, or closes before its end (a truncated multipart part), fails the feed as
  // pipeline would have failed on the source itself; pipe() alone would leave the feed waiting.
  const feed = new PassThrough();
  const stopWatching = finished(source, (err) => {
    if (err) feed.destroy(err);
  });
  source.pipe(feed);
  try {
    await pipeline(feed, counter, file);
  } catch (err) {
    stopWatching();
    source.unpipe(feed);
    if (isStorageFull(err)) source.resume();
    else source.destroy();
    // A source that fails at once can beat the file's own open: remove the file only once the
    // stream has let go of it, or the open creates it after the rm and it is left behind.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await rm(path, { force: true });
    throw err;
  }
  stopWatching();
  return { path, ...counter.result() };
}

/**
 * Runs `operation`, and once more after making `dir` when it failed because `dir` is missing: the
 * store's directories are made by the first write that needs them, not checked on every write.
 */
export async function inDirectory<T>(dir: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return await operation();
  }
}
