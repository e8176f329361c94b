import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { describeAccessMode } from './auth/access-control.js';
import type { Config } from './config/config.js';
import { serverOptions } from './config/server-options.js';
import { loggerOptions } from './log-options.js';
import { listenForMetrics } from './metrics/metrics-listener.js';
import { createServices } from './services.js';
import { openStores } from './store/open-stores.js';

/**
 * Opens the stores, builds the app and listens. SIGTERM and SIGINT close it gracefully: the
 * server stops accepting, in-flight requests finish, then the database closes.
 */
export async function startServer(config: Config): Promise<{ url: string; close(): Promise<void> }> {
  const stores = await openStores(config);
  const services = createServices(stores, config);
  const app = await buildApp({
    config,
    ...services,
    logger: loggerOptions(config, { terminal: process.stdout.isTTY }),
    server: serverOptions(config),
  });
  const { mode, warning } = await describeAccessMode(services.access, config);
  app.log.info({ auth: config.auth, anonymousRead: config.anonymousRead }, mode);
  if (warning) app.log.warn(warning);
  app.addHook('onClose', async () => stores.close());
  if (config.metrics && config.metricsAddress) {
    const metrics = await listenForMetrics(services.operations.metrics, config.metricsAddress);
    app.log.info({ url: metrics.url }, 'metrics listening');
    app.addHook('onClose', metrics.close);
  }
  // Signals are handled before the "listening" line is written: a supervisor (or a test) that
  // sends SIGTERM as soon as it reads that line gets a graceful close, not a killed process.
  const closer = closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  // fastify logs the one "listening" line; the resolver words it and adds the context path.
  const address = await app.listen({
    host: config.host,
    port: config.port,
    listenTextResolver: (addr) => `Charthouse listening on ${addr}${config.contextPath}`,
  });
  const url = `${address}${config.contextPath}`;

  return {
    url,
    async close() {
      closer.uninstall();
      await app.close();
    },
  };
}

/** Creates or migrates the database under the storage directory, then closes it. */
export async function migrateStorage(config: Config): Promise<void> {
  const stores = await openStores(config);
  await stores.close();
}
