/**
 * The two range headers of the distribution API: `Range: bytes=<start>-<end>` on a blob read
 * (RFC 9110 §14.2, one range only), and `Content-Range: <start>-<end>` on an upload chunk
 * (distribution-spec "Pushing a blob in chunks"; `bytes <start>-<end>/<total>` is accepted too).
 * Pure.
 */
import type { ByteRange } from '../store/blob-store.js';

/**
 * The inclusive byte range a `Range` header asks of a blob of `size` bytes: undefined when the
 * whole blob should be sent (no header, or one we may ignore: several ranges, not bytes, malformed),
 * 'unsatisfiable' when it lies outside the blob.
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/** The chunk a `Content-Range` header places, undefined without the header, 'invalid' when malformed. */
export function parseContentRange(header: string | undefined): ByteRange | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) return 'invalid';
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end < start ? 'invalid' : { start, end };
}
