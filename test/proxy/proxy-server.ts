/**
 * What the proxy tests run: an upstream static repository made by `helm repo index` and served by
 * nginx, and a Charthouse server on SQLite or PostgreSQL + S3 with a proxy repository of it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config/config.js';
import { proxyFromFlags } from '../../src/proxy/proxy-options.js';
import { createServices } from '../../src/services.js';
import { openStores, type Stores } from '../../src/store/open-stores.js';
import { helmPackage, type Packaged } from '../import/fixtures.js';
import { type TargetStore, type TestContextLike, tempDir } from '../import/stores.js';
import type { Helm } from '../support/helm.js';

export interface ProxyServer {
  url: string;
  /** host:port, for oci:// references */
  host: string;
  stores: Stores;
  /** makes `path` a proxy of `upstream` with the given TTL, as `repo create --proxy` does */
  createProxy(path: string, upstream: string, ttl: string): Promise<void>;
}

export async function startProxyServer(t: TestContextLike, store: TargetStore): Promise<ProxyServer> {
  const config = defaultConfig({ ...store.config, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  const stores = await openStores(store.config);
  const services = createServices(stores, config);
  const app = await buildApp({ config, ...services });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await app.close();
    await stores.close();
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    stores,
    async createProxy(path, upstream, ttl) {
      const settings = await proxyFromFlags(
        new Map([
          ['proxy', upstream],
          ['ttl', ttl],
        ]),
      );
      if (!settings) throw new Error('no proxy settings');
      await services.accounts.createRepository(path);
      await services.lifecycle.setProxy(path, settings);
    },
  };
}

/** A static Helm repository in `<root>/<name>`: the charts packaged by Helm, indexed by Helm. */
export async function staticRepository(
  t: TestContextLike,
  helm: Helm,
  root: string,
  name: string,
  versions: Array<[string, string]>,
): Promise<Packaged[]> {
  const work = await tempDir(t, 'charthouse-proxy-work-');
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const charts: Packaged[] = [];
  for (const [chart, version] of versions) charts.push(await helmPackage(helm, work, dir, chart, version));
  await helm.run(['repo', 'index', dir]);
  return charts;
}

/** Adds a version to a static repository and indexes it again, as a release upstream does. */
export async function releaseUpstream(
  t: TestContextLike,
  helm: Helm,
  root: string,
  name: string,
  chart: string,
  version: string,
): Promise<void> {
  const work = await tempDir(t, 'charthouse-proxy-work-');
  await helmPackage(helm, work, join(root, name), chart, version);
  await helm.run(['repo', 'index', join(root, name)]);
}

/** Rewrites the digest the upstream index states for `chart`, as a tampered mirror would serve. */
export async function tamperDigest(root: string, name: string, chart: Packaged, digest: string) {
  const file = join(root, name, 'index.yaml');
  const { sha256Hex } = await import('../../src/charts/digest.js');
  const text = await readFile(file, 'utf8');
  const stated = sha256Hex(chart.bytes);
  if (!text.includes(stated)) throw new Error('the index does not state the digest to tamper with');
  await writeFile(file, text.replace(stated, digest));
}

/** How many `GET <path>` requests nginx answered with `status`. */
export function countRequests(log: string, path: string, status = 200): number {
  return log.split('\n').filter((line) => line === `GET ${path} ${status}`).length;
}

/** Polls `check` until it holds, for at most `ms` (what it waits on is a TTL, not a speed). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
