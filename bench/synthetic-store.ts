import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defaultConfig } from '../src/config/config.js';
import type { MetadataStore } from '../src/store/metadata-store.js';
import { openLocalStores } from '../src/store/open-stores.js';
import { createUpload } from '../src/upload.js';
import { ROOT } from './server-process.js';
import { chartNames, chartPackage, versionLine } from './synthetic-charts.js';

export const VERSIONS_PER_CHART = 50;

export interface SyntheticStore {
  storage: string;
  repository: string;
  versions: number;
  charts: string[];
  /** one stored version, for the per-chart and OCI scenarios */
  sample: { name: string; version: string; digest: string; size: number };
  /** seconds the store took to generate (when it came from the cache, when it was generated) */
  buildSeconds: number;
  fromCache: boolean;
}

/** The SQLite store exposes its better-sqlite3 handle; batching uses it when it is there. */
interface WithDatabase {
  db: { exec(sql: string): unknown; inTransaction: boolean };
}
const hasDatabase = (meta: MetadataStore): meta is MetadataStore & WithDatabase =>
  'db' in meta && typeof (meta as Partial<WithDatabase>).db?.exec === 'function';

/**
 * Fills `storage` with `versions` chart versions (charts of VERSIONS_PER_CHART versions each) in
 * `repository`, through the server's own upload path: every package is staged in the blob store,
 * validated by loadChart and published by the MetadataStore, so the database and the blobs are
 * exactly what pushes over HTTP leave. Publishes run in batches inside one outer transaction (each
 * publish becomes a savepoint of it), which saves a WAL fsync per version and nothing else.
 */
export async function generateStore(options: {
  storage: string;
  repository: string;
  versions: number;
  onProgress?: (done: number) => void;
}): Promise<Omit<SyntheticStore, 'fromCache'>> {
  const started = performance.now();
  const { storage, repository, versions } = options;
  const config = defaultConfig({ storage });
  const stores = openLocalStores(config);
  const { blobs, meta } = stores;
  const names = chartNames(Math.ceil(versions / VERSIONS_PER_CHART));
  const jobs = names.flatMap((name, chart) =>
    versionLine(chart, VERSIONS_PER_CHART).map((version) => ({ name, version, chart })),
  );
  jobs.length = versions;

  const batch = hasDatabase(meta) ? meta.db : undefined;
  const BATCH = 5000;
  try {
    for (let start = 0; start < jobs.length; start += BATCH) {
      const slice = jobs.slice(start, start + BATCH);
      let next = 0;
      const worker = async () => {
        for (let job = slice[next++]; job; job = slice[next++]) {
          const upload = createUpload({ meta, blobs, limits: config }, repository);
          try {
            await upload.addChart(Readable.from([chartPackage(job.name, job.version, job.chart)]));
            await upload.commit({ overwrite: false });
          } finally {
            await upload.discard();
          }
        }
      };
      batch?.exec('BEGIN');
      try {
        await Promise.all(Array.from({ length: 16 }, worker));
        batch?.exec('COMMIT');
      } catch (err) {
        if (batch?.inTransaction) batch.exec('ROLLBACK');
        throw err;
      }
      options.onProgress?.(Math.min(start + BATCH, jobs.length));
    }
    const first = jobs[0];
    const stored = first && (await meta.getVersion(repository, first.name, first.version));
    if (!stored) throw new Error('the synthetic store holds no version');
    return {
      storage,
      repository,
      versions,
      charts: names,
      sample: { name: stored.name, version: stored.version, digest: stored.digest, size: stored.size },
      buildSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    // every connection: the last one to close checkpoints the WAL into charthouse.db, which is the
    // only file prepareStore copies
    await stores.close();
  }
}

/** Everything that decides the bytes of a generated store; a change to any of them regenerates. */
async function storeFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const dirs: Array<[string, RegExp]> = [
    ['migrations/sqlite', /\.sql$/],
    // not open-stores.ts: it only picks the implementations, and it changes with every new backend
    ['src/store', /^(sqlite-.*|database|disk-blob-store|hashing-limiter)\.ts$/],
    ['src/charts', /\.ts$/],
    ['src', /^upload\.ts$/],
    ['bench', /^(synthetic-.*|tar)\.ts$/],
    ['.', /^package-lock\.json$/],
  ];
  for (const [dir, pattern] of dirs) {
    for (const file of (await readdir(join(ROOT, dir))).filter((f) => pattern.test(f)).sort()) {
      hash.update(`${dir}/${file}\0`).update(await readFile(join(ROOT, dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A fresh copy of the synthetic store of `versions` versions in `storage`, generated once into
 * `cacheRoot` and reused while the code that writes stores is unchanged (`fresh` regenerates).
 * The database is copied; blobs, which are immutable and only ever renamed in or unlinked, are
 * hard-linked (copied across filesystems).
 */
export async function prepareStore(options: {
  storage: string;
  repository: string;
  versions: number;
  cacheRoot: string;
  fresh: boolean;
  onProgress?: (done: number) => void;
}): Promise<SyntheticStore> {
  const fingerprint = await storeFingerprint();
  const cached = join(options.cacheRoot, fingerprint, `${options.repository}-${options.versions}`);
  const describe = join(cached, 'store.json');
  let info = options.fresh ? undefined : await readStoreInfo(describe);
  const fromCache = info !== undefined;
  if (!info) {
    await pruneOtherFingerprints(options.cacheRoot, fingerprint);
    const partial = `${cached}.partial`;
    await rm(partial, { recursive: true, force: true });
    await rm(cached, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const { storage: _, ...generated } = await generateStore({ ...options, storage: partial });
    await writeFile(join(partial, 'store.json'), JSON.stringify(generated));
    await rename(partial, cached);
    info = generated;
  }
  await mkdir(options.storage, { recursive: true });
  await copyFile(join(cached, 'charthouse.db'), join(options.storage, 'charthouse.db'));
  await linkTree(join(cached, 'blobs', 'sha256'), join(options.storage, 'blobs', 'sha256'));
  return { ...info, storage: options.storage, fromCache };
}

async function readStoreInfo(
  file: string,
): Promise<Omit<SyntheticStore, 'storage' | 'fromCache'> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Omit<SyntheticStore, 'storage' | 'fromCache'>;
  } catch {
    return undefined;
  }
}

async function pruneOtherFingerprints(cacheRoot: string, keep: string): Promise<void> {
  const entries = await readdir(cacheRoot).catch(() => [] as string[]);
  for (const entry of entries) {
    if (/^[0-9a-f]{16}$/.test(entry) && entry !== keep) await rm(join(cacheRoot, entry), { recursive: true });
  }
}

async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}
