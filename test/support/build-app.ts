import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { createBrowse } from '../../src/browse.js';
import { type Config, defaultConfig } from '../../src/config.js';
import { createOciRegistry } from '../../src/oci/oci-registry.js';
import { createRegistry } from '../../src/registry.js';
import { openStores, type Stores } from '../../src/store/open-stores.js';

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

/** A fresh app on its own temporary storage directory; the test's `after` closes and removes it. */
export async function buildTestApp(t: TestContext, overrides: Partial<Config> = {}): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-test-'));
  const config = defaultConfig({ storage: dir, logLevel: 'silent', ...overrides });
  const stores = openStores(config);
  const registry = createRegistry({ ...stores, config });
  const app = await buildApp({
    config,
    registry,
    oci: createOciRegistry({ ...stores, config }),
    browse: createBrowse({ ...stores, config }),
  });
  await app.ready();
  t.after(async () => {
    await app.close();
    await stores.meta.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { app, http: supertest(app.server), dir, config, stores };
}
