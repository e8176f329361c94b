import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Lowercase hex sha256 of bytes: the form index.yaml's `digest` uses. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256Hex of everything a stream yields (a stored blob read back to check it). */
export async function sha256HexOfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `sha256:<hex>`: the form OCI descriptors use. */
export function ociDigest(hex: string): string {
  return `sha256:${hex}`;
}

export function isSha256Hex(value: string): boolean {
  return /^[a-f0-9]{64}$/.test(value);
}
