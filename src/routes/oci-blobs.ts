import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciError } from '../oci/errors.js';
import type { OciRegistry } from '../oci/oci-registry.js';
import { parseByteRange, parseContentRange } from '../oci/ranges.js';
import { type Audience, cacheControlFor } from './cache-control.js';
import { asDownload, blobFilename } from './download-headers.js';
import type { OciRequest } from './schemas/oci.js';

/** The request body as a stream (the /v2 plugin's parser hands every body over unread). */
export function bodyOf(request: FastifyRequest): Readable | undefined {
  return request.body instanceof Readable ? request.body : undefined;
}

function created(reply: FastifyReply, name: string, digest: string) {
  return reply
    .code(201)
    .header('location', `/v2/${name}/blobs/${digest}`)
    .header('docker-content-digest', digest)
    .header('content-length', 0)
    .send();
}

/** 202 (or 204 for a status GET) with where the upload stands: `Range: 0-<last byte>` (`0-0` when empty). */
function uploadState(reply: FastifyReply, name: string, id: string, size: number, status: 202 | 204 = 202) {
  return reply
    .code(status)
    .header('location', `/v2/${name}/blobs/uploads/${id}`)
    .header('range', `0-${Math.max(0, size - 1)}`)
    .header('docker-upload-uuid', id)
    .header('content-length', 0)
    .send();
}

function chunkRange(request: FastifyRequest) {
  const range = parseContentRange(request.headers['content-range']);
  if (range === 'invalid') {
    throw new OciError(
      'RANGE_INVALID',
      `Content-Range "${request.headers['content-range']}" is not <start>-<end>`,
    );
  }
  const declared = request.headers['content-length'];
  if (range && declared !== undefined && Number(declared) !== range.end - range.start + 1) {
    throw new OciError(
      'RANGE_INVALID',
      `Content-Range covers ${range.end - range.start + 1} bytes, but the body has ${declared}`,
    );
  }
  return range;
}

/**
 * GET, HEAD and DELETE of `/v2/<name>/blobs/<digest>`. `audience` says who may cache the bytes
 * (cache-control.ts); it is asked only for an answer that has them.
 */
export async function blobEndpoint(
  oci: OciRegistry,
  name: string,
  digest: string,
  request: OciRequest,
  reply: FastifyReply,
  audience: () => Promise<Audience>,
) {
  if (request.method === 'DELETE') {
    await oci.deleteBlob(name, digest);
    return reply.code(202).header('content-length', 0).send();
  }
  const { size } = await oci.statBlob(name, digest);
  const range = parseByteRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new OciError('RANGE_NOT_SATISFIABLE', `the blob holds ${size} bytes`);
  }
  reply
    .header('docker-content-digest', digest)
    .header('content-type', 'application/octet-stream')
    .header('accept-ranges', 'bytes')
    .header('etag', `"${digest}"`)
    .header('cache-control', cacheControlFor('digest', false, await audience()));
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    reply.header('content-length', range.end - range.start + 1);
  } else reply.header('content-length', size);
  // an empty stream keeps the Content-Length set above
  const body = request.method === 'HEAD' ? Readable.from([]) : await oci.openBlob(name, digest, range);
  // only once the bytes are sure to follow, so that an error answer is never saved as the file
  return asDownload(reply, blobFilename(digest)).send(body);
}

/** POST `/v2/<name>/blobs/uploads/`: a mount, a monolithic upload, or a new session. */
export async function uploadsEndpoint(
  oci: OciRegistry,
  name: string,
  request: OciRequest,
  reply: FastifyReply,
) {
  const { query } = request;
  if (query.mount !== undefined) {
    if (await oci.mountBlob(name, query.mount, query.from)) return created(reply, name, query.mount);
  } else if (query.digest !== undefined) {
    return created(reply, name, await oci.uploadBlob(name, query.digest, bodyOf(request)));
  }
  bodyOf(request)?.resume();
  const id = await oci.startUpload(name);
  request.log.debug({ name, upload: id }, 'blob upload started');
  return uploadState(reply, name, id, 0);
}

/** PATCH, PUT, GET and DELETE of one upload session. */
export async function uploadEndpoint(
  oci: OciRegistry,
  name: string,
  id: string,
  request: OciRequest,
  reply: FastifyReply,
) {
  switch (request.method) {
    case 'PATCH': {
      const session = await oci.appendUpload(name, id, bodyOf(request), chunkRange(request));
      return uploadState(reply, name, id, session.size);
    }
    case 'PUT': {
      const range = chunkRange(request);
      const digest = await oci.finishUpload(name, id, request.query.digest, bodyOf(request), range);
      return created(reply, name, digest);
    }
    case 'GET': {
      const session = await oci.uploadStatus(name, id);
      return uploadState(reply, name, id, session.size, 204);
    }
    default:
      await oci.cancelUpload(name, id);
      return reply.code(204).send();
  }
}
