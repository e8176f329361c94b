import swagger from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { ociPathItems } from './schemas/oci.js';
import { T } from './schemas/type-builder.js';

/**
 * The OpenAPI 3.1 document, generated from the routes' declared schemas by @fastify/swagger.
 * Registered before any route, so that it sees them all; the document is built on its first
 * request, not at start-up. HEAD routes are left out (each mirrors its GET), and so are the routes
 * marked `hide` (the web UI, catch-alls). The OCI endpoints, which one wildcard route serves, are
 * added from their own table (schemas/oci.ts).
 */
export async function registerOpenApi(
  app: FastifyInstance,
  version: string,
  contextPath: string,
): Promise<void> {
  const documented = (schema: FastifySchema | undefined, url: string): FastifySchema => {
    const path = url.slice(contextPath.length);
    // the web UI's HTML pages are for people, not API clients
    if (path === '/' || path.startsWith('/ui/')) return { ...schema, hide: true } as FastifySchema;
    if (schema && 'tags' in schema) return schema;
    return { ...schema, tags: [path.startsWith('/api/admin/') ? 'admin' : 'server'] } as FastifySchema;
  };
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Charthouse',
        version,
        description:
          'A Helm chart repository: the classic repository layout, the ChartMuseum-compatible chart API, search, the admin API and the OCI distribution API.',
      },
      tags: [
        { name: 'repository', description: 'what `helm repo add` reads' },
        { name: 'chart API', description: 'ChartMuseum-compatible' },
        { name: 'search' },
        { name: 'admin', description: 'users, tokens, repositories, keys and settings' },
        { name: 'OCI', description: 'distribution-spec v1.1.1, at the host root' },
        { name: 'server' },
      ],
    },
    // OpenAPI 3.1 schemas are JSON Schema: `const` needs no translation
    convertConstToEnum: false,
    transform: ({ schema, url }) => ({ schema: documented(schema, url), url }),
    transformObject: (document) =>
      'openapiObject' in document
        ? { ...document.openapiObject, paths: { ...document.openapiObject.paths, ...ociPathItems } }
        : document.swaggerObject,
  });
}

const OpenApiDocument = T.Object(
  { openapi: T.Literal('3.1.0'), info: T.Object({ title: T.String(), version: T.String() }) },
  { additionalProperties: true },
);

/** `GET /api/openapi.json`: the document, built once and kept (the routes do not change). */
export const openApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const schema = {
    summary: 'This document',
    tags: ['server'],
    response: { 200: OpenApiDocument },
  };
  app.get('/api/openapi.json', { schema }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return app.swagger() as unknown as { openapi: '3.1.0'; info: { title: string; version: string } };
  });
};
