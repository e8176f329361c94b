import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { RegistryError } from '../errors.js';

/** A pass-through that hashes what flows by and fails with UPLOAD_TOO_LARGE past maxBytes. */
export function hashingLimiter(maxBytes = Number.POSITIVE_INFINITY) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new RegistryError('UPLOAD_TOO_LARGE', `the upload is larger than the ${maxBytes}-byte limit`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return Object.assign(stream, {
    result: () => ({ digest: hash.digest('hex'), size }),
  });
}
