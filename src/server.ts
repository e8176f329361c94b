import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { createBrowse } from './browse.js';
import type { Config } from './config.js';
import { createOciRegistry } from './oci/oci-registry.js';
import { createRegistry } from './registry.js';
import { serverOptions } from './server-options.js';
import { openStores } from './store/open-stores.js';

function loggerOptions(config: Config) {
  return { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] };
}

/**
 * Opens the stores, builds the app and listens. SIGTERM and SIGINT close it gracefully: the
 * server stops accepting, in-flight requests finish, then the database closes.
 */
export async function startServer(config: Config): Promise<{ url: string; close(): Promise<void> }> {
  const stores = openStores(config);
  const registry = createRegistry({ ...stores, config });
  const app = await buildApp({
    config,
    registry,
    oci: createOciRegistry({ ...stores, config }),
    browse: createBrowse({ ...stores, config }),
    logger: loggerOptions(config),
    server: serverOptions(config),
  });
  app.addHook('onClose', async () => stores.meta.close());
  // fastify logs the one "listening" line; the resolver words it and adds the context path.
  const address = await app.listen({
    host: config.host,
    port: config.port,
    listenTextResolver: (addr) => `Charthouse listening on ${addr}${config.contextPath}`,
  });
  const url = `${address}${config.contextPath}`;

  const closer = closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
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
  const stores = openStores(config);
  await stores.meta.close();
}
