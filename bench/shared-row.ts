import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerStarter } from './measure.js';
import { startCharthouse } from './server-process.js';
import type { BenchEngines } from './shared-engines.js';
import { loadSharedStore, type SharedStore } from './shared-store.js';
import type { SyntheticStore } from './synthetic-store.js';

/** The synthetic store copied into a database and a bucket of its own on the bench's engines. */
export async function loadShared(
  store: SyntheticStore,
  engines: BenchEngines,
  progress: (message: string) => void,
): Promise<SharedStore> {
  progress('  copying into PostgreSQL and Ceph');
  const allBlobs = process.env.BENCH_S3_ALL_BLOBS === '1' || store.versions <= 10_000;
  const shared = await loadSharedStore({ store, engines, name: `bench${store.versions}`, allBlobs });
  progress(`  copied in ${shared.loadSeconds.toFixed(0)} s (${shared.blobsUploaded} blobs uploaded)`);
  return shared;
}

/**
 * Starts replicas on the copied store, as `charthouse serve --database … --blob-store …` with the
 * bucket's AWS_* variables. Each gets its own --storage (temporary files only), as pods would.
 */
export function sharedStarter(
  shared: SharedStore,
  engines: BenchEngines,
  options: { dir: string; logLevel: string; readyPath: string },
): ServerStarter {
  const stores = {
    args: ['--database', shared.database, '--blob-store', shared.blobStore],
    env: engines.s3Env,
  };
  stores.args.push('--s3-endpoint', engines.s3.endpoint, '--s3-force-path-style');
  let replicas = 0;
  return {
    stores,
    replicas: true,
    async start() {
      const storage = join(
        options.dir,
        `${shared.blobStore.slice(5).replace(/\W/g, '-')}-replica-${replicas++}`,
      );
      await mkdir(storage, { recursive: true });
      return startCharthouse({
        storage,
        logFile: join(options.dir, `server-${shared.blobStore.slice(5).replace(/\W/g, '-')}.log`),
        logLevel: options.logLevel,
        readyPath: options.readyPath,
        extraArgs: stores.args,
        env: stores.env,
      });
    },
  };
}

/** The two servers answer the same index.yaml but for its `generated:` time. */
export function sameIndex(a: Buffer, b: Buffer): boolean {
  const strip = (body: Buffer) => body.toString('utf8').replace(/^generated: .*$/m, '');
  return strip(a) === strip(b);
}
