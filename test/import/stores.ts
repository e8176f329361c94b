import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStores, type StoreConfig } from '../../src/store/open-stores.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from '../support/engines.js';

export interface TestContextLike {
  after(fn: () => unknown): void;
}

export async function tempDir(t: TestContextLike, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A store to import into: a SQLite directory, or a fresh PostgreSQL database and S3 bucket. */
export interface TargetStore {
  kind: 'sqlite' | 'postgres';
  config: StoreConfig;
  /** the command-line flags that name it */
  flags: string[];
}

export async function targetStore(t: TestContextLike, kind: TargetStore['kind']): Promise<TargetStore> {
  const storage = await tempDir(t, 'charthouse-import-store-');
  if (kind === 'sqlite') return { kind, config: { storage }, flags: ['--storage', storage] };
  // the AWS SDK reads its credentials from the environment, as the server does
  Object.assign(process.env, s3Env());
  const [database, bucket] = await Promise.all([freshDatabase(), freshBucket()]);
  const config = {
    storage,
    database,
    blobStore: `s3://${bucket}/charts`,
    s3Endpoint: testS3().endpoint,
    s3ForcePathStyle: true,
  };
  const flags = [
    '--storage',
    storage,
    '--database',
    database,
    '--blob-store',
    config.blobStore,
    '--s3-endpoint',
    config.s3Endpoint,
    '--s3-force-path-style',
  ];
  return { kind, config, flags };
}

/** What a repository holds: `name version` → package digest, and which versions have a .prov. */
export async function storedVersions(store: TargetStore, repository: string) {
  const stores = await openStores(store.config);
  try {
    const versions = new Map<string, string>();
    const signed: string[] = [];
    for (const record of await stores.meta.listVersions(repository)) {
      versions.set(`${record.name} ${record.version}`, record.digest);
      if (await stores.meta.getProvenance(repository, record.name, record.version)) {
        signed.push(`${record.name} ${record.version}`);
      }
    }
    return { versions, signed: signed.sort() };
  } finally {
    await stores.close();
  }
}
