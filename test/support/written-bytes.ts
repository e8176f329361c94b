import { Writable } from 'node:stream';

/**
 * A destination for BodyFile.writeTo that keeps a copy of every chunk it takes (writeTo reuses its
 * buffers once a write's callback has run), and optionally a delay before taking each, like a
 * slow client. `bytes()` joins what it took.
 */
export function collectingDestination(options: { delayMs?: number } = {}) {
  const chunks: Buffer[] = [];
  const destination = new Writable({
    highWaterMark: 0,
    write(chunk: Buffer, _encoding, done) {
      const copy = Buffer.from(chunk);
      const take = () => {
        chunks.push(copy);
        done();
      };
      if (options.delayMs) setTimeout(take, options.delayMs);
      else take();
    },
  });
  return { destination, bytes: () => Buffer.concat(chunks) };
}

/** Everything `source.writeTo` writes, collected. */
export async function writtenBy(source: { writeTo(destination: Writable): Promise<void> }): Promise<Buffer> {
  const { destination, bytes } = collectingDestination();
  await source.writeTo(destination);
  return bytes();
}
