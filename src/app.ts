import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Registry } from './registry.js';
import { chartApiRoutes } from './routes/chart-api.js';
import { classicRepoRoutes } from './routes/classic-repo.js';
import { chartMuseumErrorHandler } from './routes/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { packageVersion } from './version.js';

export interface AppOptions {
  config: Config;
  registry: Registry;
  logger?: FastifyServerOptions['logger'];
  /** extra server options (timeouts) from server.ts */
  server?: Omit<FastifyServerOptions, 'logger'>;
}

/** Builds the application with every surface registered; never listens (server.ts does). */
export async function buildApp({
  config,
  registry,
  logger = false,
  server = {},
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // Package paths carry dots and pluses; keep them out of fastify's own path normalisation.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 512 },
    ...server,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.setErrorHandler(chartMuseumErrorHandler);

  await app.register(
    async (site) => {
      await site.register(healthRoutes, { version: packageVersion });
      await site.register(classicRepoRoutes, { registry });
      if (!config.disableApi) {
        await site.register(chartApiRoutes, { registry, upload: config, allowDelete: !config.disableDelete });
      }
    },
    { prefix: config.contextPath },
  );
  return app;
}
