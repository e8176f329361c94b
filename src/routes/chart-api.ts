import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessControl } from '../auth/access-control.js';
import { RegistryError } from '../errors.js';
import type { Registry } from '../registry.js';
import { checkRepository, repositoryFromParams, repositoryPrefixes } from '../repositories.js';
import { readableFor, registerAccessHooks } from './access-hook.js';
import { matchesEtag } from './conditional-get.js';
import type { DeleteGuard } from './immutable-deletes.js';
import {
  chartSchema,
  deleteSchema,
  listChartsSchema,
  repositoriesSchema,
  uploadSchema,
  versionSchema,
} from './schemas/chart-api.js';
import { T } from './schemas/type-builder.js';
import { registerUploadParsing, type UploadOptions, uploadRoute } from './upload-handlers.js';
import type { UploadSlots } from './upload-slots.js';

export interface ChartApiOptions {
  registry: Registry;
  upload: UploadOptions;
  allowDelete: boolean;
  /** the upload slots and queue, shared with /v2 (app.ts) */
  slots: UploadSlots;
  /** access control; every request is allowed without it */
  access?: AccessControl;
  /** an immutable repository's deletes are a server admin's (immutable-deletes.ts) */
  deleteGuard?: DeleteGuard;
}

/** The ChartMuseum-compatible API under `/api[/<repo>]`: list, get, upload, provenance, delete. */
export const chartApiRoutes: FastifyPluginAsyncTypebox<ChartApiOptions> = async (app, options) => {
  const { registry, access } = options;
  // first, so a caller without the right learns nothing else (not even the upload limit)
  registerAccessHooks(app, access);
  await registerUploadParsing(app, options.upload);
  const { slots } = options;
  const read = { access: 'read' as const };
  const uploadChart = uploadRoute(registry, options.upload, 'chart');
  const uploadProvenance = uploadRoute(registry, options.upload, 'provenance');

  app.get('/api/repositories', { schema: repositoriesSchema }, async (request, reply) => {
    const readable = await readableFor(access, request, reply);
    const repositories = await registry.listRepositories();
    return { repositories: readable ? repositories.filter((r) => readable.has(r.path)) : repositories };
  });

  repositoryPrefixes.forEach((prefix, depth) => {
    const base = `/api${prefix}`;
    app.get(`${base}/charts`, { config: read, schema: listChartsSchema(depth) }, async (request) =>
      registry.listCharts(repositoryFromParams(request.params), readPage(request.query)),
    );
    app.get(`${base}/charts/:name`, { config: read, schema: chartSchema(depth) }, async (request, reply) => {
      const chart = await registry.getChart(repositoryFromParams(request.params), request.params.name);
      // revalidated every time, as index.yaml is: the ETag is the document's digest
      reply.header('etag', chart.etag).header('cache-control', 'no-cache');
      if (matchesEtag(request.headers['if-none-match'], chart.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(chart.body);
    });
    app.get(
      `${base}/charts/:name/:version`,
      { config: read, schema: versionSchema(depth) },
      async (request, reply) => {
        const { name, version } = request.params;
        const body = await registry.getVersionJson(repositoryFromParams(request.params), name, version);
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );
    const write = { onRequest: slots.acquire, config: { access: 'write' as const } };
    app.post(`${base}/charts`, { ...write, schema: uploadSchema(depth, 'chart') }, (request, reply) =>
      uploadChart(request, reply),
    );
    app.post(`${base}/prov`, { ...write, schema: uploadSchema(depth, 'provenance') }, (request, reply) =>
      uploadProvenance(request, reply),
    );
    if (options.allowDelete) {
      app.delete(
        `${base}/charts/:name/:version`,
        { config: { access: 'delete' }, schema: deleteSchema(depth) },
        async (request, reply) => {
          const { name, version } = request.params;
          const repository = checkRepository(repositoryFromParams(request.params));
          await options.deleteGuard?.(request, reply, repository);
          const deleted = await registry.deleteVersion(repository, name, version);
          request.log.info({ repository, ...deleted }, 'chart version deleted');
          return { deleted: true as const };
        },
      );
    }
  });

  // An upload to a path deeper than MAX_DEPTH matches no route above; it names an invalid
  // repository (400), not an unknown route. Any other unmatched POST stays a 404.
  const fallback = { schema: { hide: true, params: T.Object({ '*': T.String() }) } };
  app.post('/api/*', fallback, async (request, reply) => {
    const target = /^(.+)\/(?:charts|prov)$/.exec(request.params['*']);
    if (target?.[1]) checkRepository(target[1]);
    return reply.callNotFound();
  });
};

function readPage({ offset, limit }: { offset?: string; limit?: string }): {
  offset: number;
  limit?: number;
} {
  const page: { offset: number; limit?: number } = { offset: 0 };
  if (offset !== undefined) {
    if (!/^\d+$/.test(offset))
      throw new RegistryError('QUERY_INVALID', 'offset is not a valid non-negative integer');
    page.offset = Number(offset);
  }
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) === 0) {
      throw new RegistryError('QUERY_INVALID', 'limit is not a valid positive integer');
    }
    page.limit = Number(limit);
  }
  return page;
}
