/**
 * `npm run bench`: builds synthetic stores of 100, 10,000 and 100,000 chart versions, runs every
 * scenario against the real server (its own process, on loopback), compares with nginx and
 * Debian's docker-registry when they are installed, and writes bench/results/latest.{md,json}.
 * Each store is measured on SQLite + disk, then copied into PostgreSQL 15 and Ceph RGW (started
 * once per run by scripts/engines.mjs, see shared-engines.ts) and measured there.
 *
 *   npm run bench -- --quick          100 and 10,000 versions, 2 s runs → bench/results/partial.*
 *   BENCH_SIZES=100,10000             any sizes (results go to partial.* unless they are the defaults)
 *   BENCH_BACKENDS=sqlite,postgres   the backends measured (default both; one alone → partial.*)
 *   BENCH_S3_ALL_BLOBS=1              upload every blob of stores over 10,000 versions (shared-store.ts)
 *   BENCH_RUNS, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_PUSHES, BENCH_LOG_LEVEL, BENCH_FRESH=1
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../scripts/build.js';
import { compareNginx } from './compare-nginx.js';
import { compareFastifyBare, compareNodeHttp } from './compare-node-http.js';
import { compareRegistry, helmArtifact, type RegistryResult } from './compare-registry.js';
import { closeConnections, expectStatus } from './http.js';
import { attempt, loadGenerators, type Outcome } from './load.js';
import { measureServer } from './measure.js';
import { pinBenchProcess, placement } from './placement.js';
import { type BenchResults, evaluateTargets, renderMarkdown, type SizeResult } from './report.js';
import { evaluateSharedTargets } from './report-shared.js';
import type { ReadResults, RunSettings } from './scenarios.js';
import {
  type CharthouseProcess,
  ROOT,
  SERVER_COMMAND,
  startCharthouse,
  startCpuMeter,
} from './server-process.js';
import { type BenchEngines, startBenchEngines } from './shared-engines.js';
import { loadShared, sameIndex, sharedStarter } from './shared-row.js';
import { prepareStore, type SyntheticStore } from './synthetic-store.js';

const DEFAULT_SIZES = [100, 10_000, 100_000];
const REPOSITORY = 'bench';
const quick = process.argv.includes('--quick');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const sizes = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : quick
    ? [100, 10_000]
    : DEFAULT_SIZES;
const settings: RunSettings = {
  runs: env('BENCH_RUNS', 3),
  duration: env('BENCH_DURATION', quick ? 2 : 3),
  connections: env('BENCH_CONNECTIONS', 16),
  pushes: env('BENCH_PUSHES', quick ? 50 : 100),
};
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const cacheDir = join(ROOT, 'node_modules', '.cache', 'charthouse-bench');
const workDir = join(cacheDir, `run-${process.pid}`);
const progress = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

type Backend = 'sqlite' | 'postgres';
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => {
  if (b !== 'sqlite' && b !== 'postgres')
    throw new Error(`BENCH_BACKENDS: unknown backend "${b}" (sqlite, postgres)`);
  return b as Backend;
});

/** One store size: the SQLite + disk row (with its comparisons), then the PostgreSQL + Ceph row. */
async function benchSize(versions: number, registryDone: boolean, engines: BenchEngines | undefined) {
  progress(`store of ${versions.toLocaleString('en-US')} versions`);
  const store = await prepareStore({
    storage: join(workDir, `store-${versions}`),
    repository: REPOSITORY,
    versions,
    cacheRoot: join(cacheDir, 'stores'),
    fresh: process.env.BENCH_FRESH === '1',
    onProgress: (done) =>
      progress(`  generated ${done.toLocaleString('en-US')} / ${versions.toLocaleString('en-US')}`),
  });
  progress(`  ${store.fromCache ? 'from the cache' : `generated in ${store.buildSeconds.toFixed(0)} s`}`);
  const identity = {
    versions,
    charts: store.charts.length,
    store: { buildSeconds: store.buildSeconds, fromCache: store.fromCache },
  };
  const notHere = { skipped: 'measured on the SQLite row' };
  try {
    // copied before the SQLite row's pushes change the store
    const shared = engines && (await loadShared(store, engines, progress));
    let sqlite: SizeResult | undefined;
    let registry: Outcome<RegistryResult> | undefined;
    let referenceIndex: Buffer | undefined;
    if (backends.includes('sqlite')) {
      progress('  SQLite + disk');
      let nginx: SizeResult['nginx'] = { skipped: 'not measured' };
      let nodeHttp: SizeResult['nodeHttp'] = { skipped: 'not measured' };
      let fastifyBare: SizeResult['fastifyBare'] = { skipped: 'not measured' };
      const { measured, reads } = await measureServer(
        { start: () => startSqlite(store, versions) },
        store,
        settings,
        progress,
        async (server, reads) => {
          ({ nginx, nodeHttp, fastifyBare } = await comparisons(versions, reads));
          registry = registryDone ? undefined : await registryComparison(server, store, reads);
        },
      );
      referenceIndex = reads.index.plain;
      sqlite = { ...identity, backend: 'sqlite', ...measured, nginx, nodeHttp, fastifyBare };
    }
    let postgres: SizeResult | undefined;
    let failure: string | undefined;
    // an engine that dies (another process on a shared machine) costs this row, not the run
    if (shared && engines) {
      referenceIndex ??= await sqliteIndex(store, versions);
      progress('  PostgreSQL + Ceph');
      const outcome = await measureServer(
        sharedStarter(shared, engines, { dir: workDir, logLevel, readyPath: `/${REPOSITORY}/index.yaml` }),
        store,
        settings,
        progress,
      ).catch((err: Error) => {
        failure = `PostgreSQL + Ceph at ${versions} versions: ${err.message.split('\n').slice(0, 2).join(' ')}`;
        progress(`  ${failure}`);
        return undefined;
      });
      if (outcome)
        postgres = {
          ...identity,
          backend: 'postgres',
          ...outcome.measured,
          nginx: notHere,
          nodeHttp: notHere,
          fastifyBare: notHere,
          shared: {
            loadSeconds: shared.loadSeconds,
            blobsUploaded: shared.blobsUploaded,
            blobsInStore: shared.blobsInStore,
            indexMatchesSqlite: sameIndex(outcome.reads.index.plain, referenceIndex),
            databaseBytes: shared.databaseBytes,
            tableBytes: shared.tableBytes,
          },
        };
    }
    return { sqlite, postgres, registry, failure };
  } finally {
    await rm(store.storage, { recursive: true, force: true });
  }
}

function startSqlite(store: SyntheticStore, versions: number, tag = '') {
  return startCharthouse({
    storage: store.storage,
    logFile: join(workDir, `server-${versions}${tag}.log`),
    logLevel,
    readyPath: `/${REPOSITORY}/index.yaml`,
  });
}

async function comparisons(versions: number, reads: ReadResults) {
  progress('  nginx');
  const nginx = await attempt('nginx', () =>
    compareNginx({
      dir: join(workDir, `nginx-${versions}`),
      repository: REPOSITORY,
      plain: reads.index.plain,
      gzip: reads.index.gzip,
      ...settings,
    }),
  );
  progress('  node:http alone');
  const nodeHttp = await attempt('node:http', () =>
    compareNodeHttp({ dir: join(workDir, `node-http-${versions}`), ...reads.index, ...settings }),
  );
  progress('  fastify alone');
  const fastifyBare = await attempt('fastify alone', () =>
    compareFastifyBare({ dir: join(workDir, `fastify-bare-${versions}`), ...reads.index, ...settings }),
  );
  return { nginx, nodeHttp, fastifyBare };
}

/** The SQLite server's index.yaml of the untouched store, when the SQLite row was not measured. */
async function sqliteIndex(store: SyntheticStore, versions: number): Promise<Buffer> {
  const server = await startSqlite(store, versions, '-reference');
  try {
    return (await expectStatus(200, `${server.url}/${REPOSITORY}/index.yaml`)).body;
  } finally {
    await server.stop();
  }
}

/** docker-registry serving the chart Charthouse serves: its manifest and blobs when /v2 works. */
async function registryComparison(
  server: CharthouseProcess,
  store: SyntheticStore,
  reads: ReadResults,
): Promise<Outcome<RegistryResult>> {
  progress('  docker-registry');
  return attempt('docker-registry', async () => {
    const name = `${REPOSITORY}/${store.sample.name}`;
    const { oci } = reads;
    const blob = async (digest: string) =>
      (await expectStatus(200, `${server.url}/v2/${name}/blobs/${digest}`)).body;
    const artifact = oci
      ? {
          name,
          tag: store.sample.version,
          manifest: oci.manifest.body,
          manifestType: String(oci.manifest.headers['content-type']),
          blobs: [
            { digest: oci.config, bytes: await blob(oci.config) },
            { digest: oci.layer, bytes: await blob(oci.layer) },
          ],
          layer: oci.layer,
        }
      : await artifactFromClassicApi(server, store, name);
    return compareRegistry({
      dir: join(workDir, 'registry'),
      artifact,
      source: oci ? "Charthouse's manifest and blobs" : 'the chart packaged as `helm push` does',
      ...settings,
    });
  });
}

async function artifactFromClassicApi(server: CharthouseProcess, store: SyntheticStore, name: string) {
  const { sample } = store;
  const chart = await expectStatus(
    200,
    `${server.url}/${REPOSITORY}/charts/${sample.name}-${sample.version}.tgz`,
  );
  const entry = await expectStatus(
    200,
    `${server.url}/api/${REPOSITORY}/charts/${sample.name}/${sample.version}`,
  );
  const {
    urls: _u,
    created: _c,
    digest: _d,
    ...metadata
  } = JSON.parse(entry.body.toString('utf8')) as Record<string, unknown>;
  return helmArtifact(name, sample.version, chart.body, metadata);
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const results: SizeResult[] = [];
const postgresResults: SizeResult[] = [];
const failures: string[] = [];
const background: number[] = [];
let registry: Outcome<RegistryResult> = { skipped: 'not measured' };

async function main(): Promise<void> {
  const started = performance.now();
  await mkdir(workDir, { recursive: true });
  let engines: BenchEngines | undefined;
  try {
    // The server measured is the one `npm start` runs: built now, so it is this checkout's code.
    pinBenchProcess();
    progress(`load: ${loadGenerators}; ${placement.describe}`);
    progress('building dist/ (npm run build)');
    await buildBundle(join(ROOT, 'dist'));
    // One throwaway start, so that the first measured cold start finds the page cache warm.
    await warmUp();
    if (backends.includes('postgres')) {
      progress('starting PostgreSQL 15 and Ceph RGW (scripts/engines.mjs)');
      engines = await startBenchEngines();
    }
    for (const versions of sizes) {
      const meter = await startCpuMeter();
      const measured = await benchSize(versions, results.length > 0, engines);
      background.push(await meter.stop());
      if (measured.sqlite) results.push(measured.sqlite);
      if (measured.postgres) postgresResults.push(measured.postgres);
      if (measured.failure) failures.push(measured.failure);
      if (measured.registry) registry = measured.registry;
      await writeResults();
    }
  } finally {
    closeConnections();
    await engines?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  const markdown = await writeResults();
  process.stdout.write(`\n${markdown}\n`);
  progress(`wrote bench/results/ in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
}

/** Writes what has been measured so far (after every store size, so a run cut short keeps it). */
async function writeResults(): Promise<string> {
  const cpu = cpus();
  const output: BenchResults = {
    date: new Date().toISOString(),
    commit: git('rev-parse', 'HEAD'),
    uncommitted: git('status', '--porcelain').split('\n').filter(Boolean).length,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGB: totalmem() / 1e9,
      os: `${type()} ${release()}`,
      node: process.version,
    },
    backgroundLoad: background,
    settings: {
      ...settings,
      sizes,
      logLevel,
      server: SERVER_COMMAND,
      load: loadGenerators,
      placement: placement.describe,
      backends,
    },
    sizes: results,
    postgres: postgresResults,
    ...(failures.length > 0 ? { failures } : {}),
    registry,
    targets: [...evaluateTargets(results, registry), ...evaluateSharedTargets(results, postgresResults)],
  };
  const full = sizes.join() === DEFAULT_SIZES.join() && backends.length === 2;
  const base = join(ROOT, 'bench', 'results', full ? 'latest' : 'partial');
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  const markdown = renderMarkdown(output);
  await writeFile(`${base}.md`, markdown);
  await writeFile(`${base}.json`, `${JSON.stringify(output, null, 2)}\n`);
  return markdown;
}

async function warmUp(): Promise<void> {
  const storage = join(workDir, 'warm-up');
  await prepareStore({
    storage,
    repository: REPOSITORY,
    versions: 100,
    cacheRoot: join(cacheDir, 'stores'),
    fresh: false,
  });
  const server = await startCharthouse({
    storage,
    logFile: join(workDir, 'warm-up.log'),
    logLevel,
    readyPath: `/${REPOSITORY}/index.yaml`,
  });
  await server.stop();
  await rm(storage, { recursive: true, force: true });
}

await main();
