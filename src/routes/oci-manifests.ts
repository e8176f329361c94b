import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciError } from '../oci/errors.js';
import { mediaTypes } from '../oci/media-types.js';
import type { OciRegistry } from '../oci/oci-registry.js';
import { isDigestLike } from '../oci/reference.js';
import { type Audience, cacheControlFor } from './cache-control.js';
import { bodyOf } from './oci-blobs.js';
import type { OciRequest } from './schemas/oci.js';

async function readManifestBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  const tooLarge = () => new OciError('TOO_LARGE', `the manifest is larger than the ${limit}-byte limit`);
  if (Number(request.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyOf(request) ?? []) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * GET, HEAD, PUT and DELETE of `/v2/<name>/manifests/<reference>`. A manifest by digest is kept
 * forever by caches (`audience` says which), one by tag is revalidated: tags move.
 */
export async function manifestEndpoint(
  oci: OciRegistry,
  name: string,
  reference: string,
  request: OciRequest,
  reply: FastifyReply,
  audience: () => Promise<Audience>,
) {
  if (request.method === 'PUT') {
    const bytes = await readManifestBody(request, oci.maxManifestSize);
    const { digest, subject } = await oci.putManifest(
      name,
      reference,
      bytes,
      request.headers['content-type'],
    );
    request.log.info({ name, reference, digest }, 'manifest stored');
    if (subject) reply.header('oci-subject', subject);
    return reply
      .code(201)
      .header('location', `/v2/${name}/manifests/${digest}`)
      .header('docker-content-digest', digest)
      .header('content-length', 0)
      .send();
  }
  if (request.method === 'DELETE') {
    await oci.deleteManifest(name, reference);
    request.log.info({ name, reference }, 'manifest deleted');
    return reply.code(202).header('content-length', 0).send();
  }
  const manifest = await oci.getManifest(name, reference);
  const cacheControl = isDigestLike(reference)
    ? cacheControlFor('digest', false, await audience())
    : cacheControlFor('tag', false, 'private');
  // for HEAD, fastify drops the body and keeps its length as Content-Length
  return reply
    .header('content-type', manifest.mediaType)
    .header('docker-content-digest', manifest.digest)
    .header('etag', `"${manifest.digest}"`)
    .header('cache-control', cacheControl)
    .header('content-length', manifest.bytes.length)
    .send(manifest.bytes);
}

/** GET `/v2/<name>/tags/list[?n=&last=]`, with a `Link` to the next page when truncated. */
export async function tagsEndpoint(oci: OciRegistry, name: string, request: OciRequest, reply: FastifyReply) {
  const { n, last } = request.query;
  if (n !== undefined && !/^\d{1,9}$/.test(n)) {
    throw new OciError('PAGINATION_NUMBER_INVALID', `n must be a non-negative integer, not "${n}"`, { n });
  }
  const page = await oci.listTags(name, { n: n === undefined ? undefined : Number(n), last });
  if (page.next) {
    const query = `n=${page.next.n}&last=${encodeURIComponent(page.next.last)}`;
    reply.header('link', `</v2/${name}/tags/list?${query}>; rel="next"`);
  }
  return reply.type('application/json').send(JSON.stringify({ name: page.name, tags: page.tags }));
}

/** GET `/v2/<name>/referrers/<digest>[?artifactType=]`: always an image index, empty when nothing refers. */
export async function referrersEndpoint(
  oci: OciRegistry,
  name: string,
  digest: string,
  request: OciRequest,
  reply: FastifyReply,
) {
  const { artifactType } = request.query;
  const manifests = await oci.listReferrers(name, digest, artifactType);
  if (artifactType !== undefined) reply.header('oci-filters-applied', 'artifactType');
  const index = { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests };
  // a Buffer, so fastify adds no charset to the media type
  return reply.type(mediaTypes.ociIndex).send(Buffer.from(JSON.stringify(index)));
}
