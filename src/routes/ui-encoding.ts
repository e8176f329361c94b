import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { matchesEtag } from './classic-repo.js';

type Coding = 'br' | 'gzip';

/** Bodies smaller than this go as they are: the encoding's own overhead would eat the gain. */
const MIN_COMPRESSED_SIZE = 1024;
/**
 * Brotli's quality 4 costs about what gzip's default does and still gives a smaller page; the
 * static files, compressed once per process, get the best quality instead.
 */
const PAGE_BROTLI_QUALITY = 4;
const COMPRESSIBLE = /^(?:text\/(?:html|css|javascript)|application\/json)\b/;

/** The coding the client ranks highest among br and gzip (br on a tie); undefined for neither. */
export function negotiateEncoding(header: string | undefined): Coding | undefined {
  const q: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q[name.trim()] = weight === undefined ? 1 : Number(weight.slice(2)) || 0;
  }
  const of = (coding: Coding) => q[coding] ?? q['*'] ?? 0;
  if (of('br') > 0 && of('br') >= of('gzip')) return 'br';
  return of('gzip') > 0 ? 'gzip' : undefined;
}

/** Adds a field to Vary without repeating one already named. */
export function addVary(reply: FastifyReply, field: string): void {
  const current = String(reply.getHeader('vary') ?? '');
  const fields = current.split(',').map((f) => f.trim().toLowerCase());
  if (!fields.includes(field.toLowerCase())) reply.header('vary', current ? `${current}, ${field}` : field);
}

/** `best`: the smallest output whatever it costs, for bodies compressed once and remembered */
function compress(body: Buffer, coding: Coding, best: boolean): Buffer {
  if (coding === 'gzip') return gzipSync(body, { level: best ? 9 : 6 });
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: best ? constants.BROTLI_MAX_QUALITY : PAGE_BROTLI_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

/**
 * Every UI answer in text: an ETag (a weak one, the same whatever the encoding), a 304 for a
 * GET whose If-None-Match names it, and the body gzip- or brotli-compressed as the client
 * accepts. Immutable static files are compressed once and remembered.
 */
export function registerPageEncoding(app: FastifyInstance): void {
  const remembered = new Map<string, Buffer>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (!COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    // on a 304 too: a cache must know the answer it revalidated depends on the encoding
    addVary(reply, 'Accept-Encoding');
    const cacheable = reply.statusCode === 200 && (request.method === 'GET' || request.method === 'HEAD');
    if (cacheable && !String(reply.getHeader('cache-control') ?? '').includes('no-store')) {
      let etag = reply.getHeader('etag') as string | undefined;
      if (!etag) {
        etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        reply.header('etag', etag);
      }
      if (matchesEtag(request.headers['if-none-match'], etag.replace(/^W\//, ''))) {
        reply.code(304).removeHeader('content-type');
        return '';
      }
    }
    const coding = negotiateEncoding(request.headers['accept-encoding']);
    if (!coding || body.length < MIN_COMPRESSED_SIZE) return payload;
    reply.header('content-encoding', coding);
    const immutable = String(reply.getHeader('cache-control') ?? '').includes('immutable');
    if (!immutable) return compress(body, coding, false);
    const key = `${reply.getHeader('etag')} ${coding}`;
    let encoded = remembered.get(key);
    if (!encoded) {
      encoded = compress(body, coding, true);
      remembered.set(key, encoded);
    }
    return encoded;
  });
}
