import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, defaultConfig } from '../../src/config/config.js';
import { createServices } from '../../src/services.js';
import { openLocalStores, type Stores } from '../../src/store/open-stores.js';
import type { TestContext } from './build-app.js';

export interface RunningServer {
  url: string;
  dir: string;
  app: FastifyInstance;
  config: Config;
  stores: Stores;
  /** closes the server and its database (the storage directory stays until the test ends) */
  stop(): Promise<void>;
}

/**
 * Starts the real server on 127.0.0.1 and a free port, on `storage` or a fresh temporary
 * directory, for clients that need a socket (Helm). The test's `after` stops it and removes the
 * directory it made.
 */
export async function startTestServer(
  t: TestContext,
  overrides: Partial<Config> = {},
): Promise<RunningServer> {
  const made = overrides.storage ? undefined : await mkdtemp(join(tmpdir(), 'charthouse-e2e-'));
  const config = defaultConfig({
    storage: made,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    ...overrides,
  });
  const stores = openLocalStores(config);
  const app = await buildApp({ config, ...createServices(stores, config) });
  await app.listen({ host: config.host, port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
    await stores.close();
  };
  t.after(async () => {
    await stop();
    if (made) await rm(made, { recursive: true, force: true });
  });
  return {
    url: `http://127.0.0.1:${port}${config.contextPath}`,
    dir: config.storage,
    app,
    config,
    stores,
    stop,
  };
}
