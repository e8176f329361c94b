import type { FastifyReply } from 'fastify';

/**
 * Headers for an answer that carries stored bytes (a package, a provenance file, an OCI blob):
 * anyone with push rights chose those bytes, so a browser must neither sniff them into HTML nor
 * show them inline on the registry's origin. It saves them under `filename` instead.
 */
export function asDownload(reply: FastifyReply, filename: string): FastifyReply {
  return reply
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', attachment(filename));
}

/** The name an OCI blob is saved under: its digest, with the colon Windows refuses as `_`. */
export function blobFilename(digest: string): string {
  return digest.replace(':', '_');
}

/**
 * `attachment; filename="…"` (RFC 6266). Stored names are plain ASCII already (chart names and
 * SemVer); anything else is replaced in the quoted form and given exactly in `filename*`.
 */
function attachment(filename: string): string {
  const plain = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (plain === filename) return `attachment; filename="${filename}"`;
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
