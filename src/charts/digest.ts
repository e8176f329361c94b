import { createHash } from 'node:crypto';

/** Lowercase hex sha256 of bytes: the form index.yaml's `digest` uses. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>`: the form OCI descriptors use. */
export function ociDigest(hex: string): string {
  return `sha256:${hex}`;
}

export function isSha256Hex(value: string): boolean {
  return /^[a-f0-9]{64}$/.test(value);
}
