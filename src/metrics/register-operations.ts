import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { UploadSlots } from '../routes/upload-slots.js';
import { instrumentRequests } from './instrument.js';
import type { Metrics } from './metrics.js';
import type { Operations } from './operations.js';
import { registerRequestLog } from './request-log.js';

const PROBES = ['/health', '/ready', '/metrics'];

/**
 * The app-wide hooks of the operations surface: the request log always; with --metrics, the
 * request metrics and the upload slots' gauges. Resolves to the metrics to serve on the main
 * port: none with --metrics=false, nor with --metrics-address (server.ts listens for them there).
 */
export function registerOperations(
  app: FastifyInstance,
  config: Pick<Config, 'contextPath' | 'metrics' | 'metricsAddress'>,
  operations: Operations | undefined,
  slots: UploadSlots,
): Metrics | undefined {
  registerRequestLog(app, new Set(PROBES.map((path) => `${config.contextPath}${path}`)));
  if (!operations) return undefined;
  operations.reportFailure((check, err) => app.log.warn({ err, check }, 'readiness check failed'));
  if (!config.metrics) return undefined;
  instrumentRequests(app, operations.metrics);
  operations.metrics.watchUploadSlots(slots.usage);
  return config.metricsAddress ? undefined : operations.metrics;
}
