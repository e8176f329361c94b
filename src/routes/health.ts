import type { FastifyPluginAsync } from 'fastify';

/** Liveness and version, outside any repository, answered without touching storage. */
export const healthRoutes: FastifyPluginAsync<{ version: string }> = async (app, { version }) => {
  app.get('/health', async () => ({ healthy: true }));
  app.get('/info', async () => ({ version }));
};
