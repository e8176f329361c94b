import { createHash } from 'node:crypto';

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * A provenance file in the layout `helm package --sign` writes, listing `files` (file name →
 * digest as written, usually `sha256:<hex>`). The signature block is a placeholder: the server
 * checks the layout and the digests, not the signature.
 */
export function provenanceDocument(name: string, version: string, files: Record<string, string>): string {
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
    ...Object.entries(files).map(([file, digest]) => `  ${file}: ${digest}`),
    '-----BEGIN PGP SIGNATURE-----',
    '',
    'wsBcBAEBCgAQBQJ...',
    '-----END PGP SIGNATURE-----',
    '',
  ].join('\n');
}

/** The provenance file of one package, naming it `file` (its usual file name by default). */
export function makeProv(
  name: string,
  version: string,
  tgz: Buffer,
  file = `${name}-${version}.tgz`,
): string {
  return provenanceDocument(name, version, { [file]: `sha256:${sha256(tgz)}` });
}

/** A supertest parser that keeps the body as a Buffer (the response is a Node stream at runtime). */
export function binaryParser(res: unknown, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
