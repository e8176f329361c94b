import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hashingLimiter } from './hashing-limiter.js';
import { isStorageFull } from './storage-full.js';

/**
 * Streams `source` into a new file under `dir` while hashing and counting it, the first step of
 * every BlobStore's stage. Rejects with UPLOAD_TOO_LARGE beyond `maxBytes`; on any failure the file
 * is gone. `settle` runs on the written file before it counts as received (the disk store fsyncs).
 */
export async function receiveTempFile(
  source: Readable,
  dir: string,
  options: { maxBytes?: number; settle?: (path: string) => Promise<void> } = {},
): Promise<{ path: string; digest: string; size: number }> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const counter = hashingLimiter(options.maxBytes);
  const file = createWriteStream(path, { flags: 'wx' });
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
    await options.settle?.(path);
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
