import { createHash } from 'node:crypto';

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A provenance file shaped like `helm package --sign` output (the signature itself is not real). */
export function makeProv(name: string, version: string, tgz: Buffer): string {
  return [
    '-----BEGIN PGP SIGNED MESSAGE-----',
    'Hash: SHA512',
    '',
    'apiVersion: v2',
    `name: ${name}`,
    `version: ${version}`,
    '',
    '...',
    'files:',
    `  ${name}-${version}.tgz: sha256:${sha256(tgz)}`,
    '-----BEGIN PGP SIGNATURE-----',
    '',
    'wsBcBAEBCgAQBQJ...',
    '-----END PGP SIGNATURE-----',
    '',
  ].join('\n');
}

/** A supertest parser that keeps the body as a Buffer (the response is a Node stream at runtime). */
export function binaryParser(res: unknown, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
