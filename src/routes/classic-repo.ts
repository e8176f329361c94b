import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from '../registry.js';
import { repositoryFromParams, repositoryPrefixes } from '../repositories.js';

type Params = Record<string, string | undefined>;

/** The Helm repository layout: `<repo>/index.yaml` and `<repo>/charts/<file>` for every depth. */
export const classicRepoRoutes: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  for (const prefix of repositoryPrefixes) {
    app.get(`${prefix}/index.yaml`, (request, reply) => sendIndex(registry, request, reply));
    app.get(`${prefix}/charts/:file`, (request, reply) => sendFile(registry, request, reply));
  }
};

async function sendIndex(registry: Registry, request: FastifyRequest, reply: FastifyReply) {
  const index = await registry.getIndex(repositoryFromParams(request.params as Params));
  reply
    .header('content-type', 'application/x-yaml')
    .header('etag', index.etag)
    .header('last-modified', index.lastModified)
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-encoding');
  if (matchesEtag(request.headers['if-none-match'], index.etag)) return reply.code(304).send();
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  const body = gzip ? index.gzip : index.body;
  if (gzip) reply.header('content-encoding', 'gzip');
  reply.header('content-length', body.length);
  // For HEAD, fastify drops the body and keeps its length as Content-Length.
  return reply.send(body);
}

async function sendFile(registry: Registry, request: FastifyRequest, reply: FastifyReply) {
  const params = request.params as Params;
  const file = await registry.openFile(repositoryFromParams(params), params.file ?? '');
  const etag = `"${file.digest}"`;
  reply
    .header('content-type', file.kind === 'chart' ? 'application/x-tar' : 'application/pgp-signature')
    .header('etag', etag)
    .header('cache-control', 'no-cache');
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.header('content-length', file.size);
  // An empty stream keeps the Content-Length set above; fastify would write 0 for no body.
  if (request.method === 'HEAD') return reply.send(Readable.from([]));
  return reply.send(await file.open());
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
