import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { Config } from './config.js';

/**
 * The HTTP server's timeouts. `requestTimeout` bounds the time to receive one whole request (a
 * slow or stalled upload answers 408); Node checks it every `connectionsCheckingInterval`, so the
 * interval follows the timeout and a short timeout is enforced promptly.
 */
export function serverOptions(
  config: Pick<Config, 'requestTimeout'>,
): Omit<FastifyHttpOptions<Server>, 'logger'> {
  const { requestTimeout } = config;
  const checkEvery = Math.min(30_000, Math.max(100, Math.floor(requestTimeout / 4)));
  // Node swaps the two timeouts when headersTimeout is the larger: keep it within requestTimeout.
  const headersTimeout = requestTimeout > 0 ? Math.min(60_000, requestTimeout) : 60_000;
  return {
    connectionTimeout: 0,
    requestTimeout,
    keepAliveTimeout: 72_000,
    http: { connectionsCheckingInterval: checkEvery, headersTimeout, requestTimeout },
  };
}
