import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { ProxyRepositories } from '../proxy/proxy-repositories.js';
import { markStale } from '../proxy/stale.js';
import type { Registry } from '../registry.js';
import type { RenderedIndex } from '../repo-index/cache.js';
import type { PlainFile } from '../repo-index/index-document.js';
import { repositoryFromParams, repositoryPrefixes } from '../repositories.js';
import { registerAccessHooks } from './access-hook.js';
import { audienceOf, cacheControlFor, keepErrorsUncached } from './cache-control.js';
import { matchesEtag, notModified } from './conditional-get.js';
import { asDownload } from './download-headers.js';
import { chartFileSchema, indexSchema } from './schemas/classic-repo.js';

/** what the classic repository layout serves from */
type RepositoryFiles = Pick<Registry, 'getIndex' | 'openFile'>;

interface FileOptions {
  registry: RepositoryFiles;
  access?: AccessControl;
  /**
   * a stored version's package can be replaced under its name (cache-control.ts overwritePossible),
   * server-wide or per repository (an immutable one never); when unsaid, assumed so, and packages
   * are revalidated
   */
  overwritable?: boolean | ((repository: string) => Promise<boolean>);
  /** proxy repositories (src/proxy/): their index comes from upstream, a package on first pull */
  proxy?: Pick<ProxyRepositories, 'index' | 'prepareFile'>;
}

/** The Helm repository layout: `<repo>/index.yaml` and `<repo>/charts/<file>` for every depth. */
export const classicRepoRoutes: FastifyPluginAsyncTypebox<FileOptions> = async (app, options) => {
  const { registry, access } = options;
  registerAccessHooks(app, access);
  keepErrorsUncached(app);
  const config = { access: 'read' as const };
  repositoryPrefixes.forEach((prefix, depth) => {
    app.get(`${prefix}/index.yaml`, { config, schema: indexSchema(depth) }, (request, reply) =>
      sendIndex(registry, repositoryFromParams(request.params), request, reply, options.proxy),
    );
    app.get(`${prefix}/charts/:file`, { config, schema: chartFileSchema(depth) }, (request, reply) =>
      sendFile(options, repositoryFromParams(request.params), request.params.file, request, reply),
    );
  });
};

async function sendIndex(
  registry: RepositoryFiles,
  repository: string,
  request: FastifyRequest,
  reply: FastifyReply,
  proxy?: FileOptions['proxy'],
) {
  const proxied = await proxy?.index(repository);
  if (proxied?.stale) markStale(reply);
  let index = proxied?.index ?? (await registry.getIndex(repository, { plain: false }));
  const describe = (current: RenderedIndex) =>
    reply
      .header('content-type', 'application/x-yaml')
      .header('etag', current.etag)
      .header('last-modified', current.lastModified)
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-encoding');
  describe(index);
  if (notModified(request.headers, index.etag, index.lastModified)) return reply.code(304).send();
  if (acceptsGzip(request.headers['accept-encoding'])) {
    reply.header('content-encoding', 'gzip').header('content-length', index.gzip.length);
    // For HEAD, fastify drops the body and keeps its length as Content-Length.
    return reply.send(index.gzip);
  }
  // Helm asks for gzip: the plain document of a large index is assembled only when someone wants it
  if (!index.plain && request.method !== 'HEAD') {
    index = await registry.getIndex(repository, { plain: true });
    describe(index);
  }
  reply.header('content-length', index.length);
  // An empty stream keeps the Content-Length set above (HEAD needs the length, not the bytes).
  if (!index.plain || request.method === 'HEAD') return reply.send(Readable.from([]));
  if (Buffer.isBuffer(index.plain)) return reply.send(index.plain);
  return sendPlainFile(reply, index.plain);
}

/**
 * A plain document in a file (tens of MB and more) goes to the socket through the file's reused
 * buffers (body-file.ts) rather than a stream handed to fastify, so the reply is hijacked: fastify
 * still logs it and runs onResponse, but its headers (set above and in onRequest) are written here.
 */
async function sendPlainFile(reply: FastifyReply, plain: PlainFile) {
  reply.hijack();
  const response = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) response.setHeader(name, value);
  }
  response.writeHead(200);
  await plain.writeTo(response);
  if (!response.destroyed) response.end();
}

async function sendFile(
  options: FileOptions,
  repository: string,
  filename: string,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const proxied = await options.proxy?.prepareFile(repository, filename);
  if (proxied?.stale) markStale(reply);
  const file = await options.registry.openFile(repository, filename);
  const etag = `"${file.digest}"`;
  const overwritable =
    typeof options.overwritable === 'function'
      ? await options.overwritable(repository)
      : (options.overwritable ?? true);
  // only an answer kept forever needs the repository's visibility; `no-cache` spares the read
  const audience = overwritable ? 'private' : await audienceOf(options.access, repository);
  reply
    .header('content-type', file.kind === 'chart' ? 'application/x-tar' : 'application/pgp-signature')
    .header('etag', etag)
    .header('cache-control', cacheControlFor('name', overwritable, audience));
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  // An empty stream keeps the Content-Length; fastify would write 0 for no body.
  const body = request.method === 'HEAD' ? Readable.from([]) : await file.open();
  // only once the bytes are sure to follow, so that an error answer is never saved as the file
  asDownload(reply, filename).header('content-length', file.size);
  return reply.send(body);
}

// where the other surfaces have imported it from
export { matchesEtag } from './conditional-get.js';

export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
