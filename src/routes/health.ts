import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { ReadinessProbe } from '../metrics/readiness.js';
import { serverSchemas } from './schemas/server.js';

export interface HealthOptions {
  version: string;
  /** the stores' checks behind /ready; without them /ready answers like /health */
  readiness?: ReadinessProbe;
  /** serves /metrics here (undefined: not here, with --metrics=false or --metrics-address) */
  metrics?: Metrics;
}

/**
 * Liveness, readiness, version and metrics, outside any repository and without credentials.
 * /health answers without touching storage (a process that answers is alive); /ready checks the
 * stores (metrics/readiness.ts) and answers 503 with what failed, and 503 once shutdown begins,
 * so a balancer stops sending new requests while the ones under way finish.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.get('/health', { schema: serverSchemas.health }, async () => ({ healthy: true }));
  app.get('/info', { schema: serverSchemas.info }, async () => ({ version: options.version }));
  app.get('/ready', { schema: serverSchemas.ready }, async (_request, reply) => {
    if (closing) {
      return reply
        .code(503)
        .send({ ready: false, failed: [{ check: 'shutdown', message: 'the server is shutting down' }] });
    }
    const result = (await options.readiness?.check()) ?? { ready: true, failed: [] };
    return reply.code(result.ready ? 200 : 503).send(result);
  });
  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', { schema: serverSchemas.metrics }, async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.render()),
    );
  }
};
