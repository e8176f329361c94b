import { startBenchEngines } from '../shared-engines.js';

/** The stores the soak's server and its gc runs open: `serve` options and environment. */
export interface SoakStores {
  args: string[];
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * SQLite and blobs on disk under --storage (the default), or PostgreSQL and Ceph RGW started for
 * this run by scripts/engines.mjs (as `npm run bench` does), with a database and a bucket of its own.
 */
export async function startSoakStores(
  backend: 'sqlite' | 'postgres',
  _storage: string,
  progress: (message: string) => void,
): Promise<SoakStores> {
  if (backend === 'sqlite') return { args: [], env: {}, stop: async () => {} };
  progress('starting PostgreSQL and Ceph RGW (scripts/engines.mjs)');
  const engines = await startBenchEngines();
  try {
    const name = `soak${process.pid}`;
    const database = await engines.createDatabase(name);
    await engines.createBucket(name);
    return {
      args: [
        '--database',
        database,
        '--blob-store',
        `s3://${name}`,
        '--s3-endpoint',
        engines.s3.endpoint,
        '--s3-force-path-style',
      ],
      env: engines.s3Env,
      stop: () => engines.stop(),
    };
  } catch (err) {
    await engines.stop();
    throw err;
  }
}
