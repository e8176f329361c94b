import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import type { AuthenticatorDeps } from '../../src/auth/authenticate.js';
import { type Config, defaultConfig } from '../../src/config/config.js';
import { createServices } from '../../src/services.js';
import { openLocalStores, openStores, type Stores } from '../../src/store/open-stores.js';

export interface TestContext {
  after(fn: () => unknown): void;
}

export interface TestApp {
  app: FastifyInstance;
  http: ReturnType<typeof supertest>;
  dir: string;
  config: Config;
  stores: Stores;
}

export interface TestAppOptions {
  /** a pino logger configuration, e.g. `{ level: 'info', stream }` to capture the log */
  logger?: FastifyServerOptions['logger'];
  /** the authenticator's limiter, password cache or clock */
  authenticator?: Omit<AuthenticatorDeps, 'store'>;
}

/**
 * A fresh app on its own temporary storage directory; the test's `after` closes and removes it.
 * With `database` among the overrides, the metadata lives in that PostgreSQL database instead.
 */
export async function buildTestApp(
  t: TestContext,
  overrides: Partial<Config> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-test-'));
  const config = defaultConfig({ storage: dir, logLevel: 'silent', ...overrides });
  const stores = config.database ? await openStores(config) : openLocalStores(config);
  const app = await buildApp({
    config,
    ...createServices(stores, config, options.authenticator),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  await app.ready();
  t.after(async () => {
    await app.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { app, http: supertest(app.server), dir, config, stores };
}
