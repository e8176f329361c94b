/**
 * `npm run bench`: builds synthetic stores of 100, 10,000 and 100,000 chart versions, runs every
 * scenario against the real server (its own process, on loopback), compares with nginx and
 * Debian's docker-registry when they are installed, and writes bench/results/latest.{md,json}.
 *
 *   npm run bench -- --quick          100 and 10,000 versions, 2 s runs → bench/results/partial.*
 *   BENCH_SIZES=100,10000             any sizes (results go to partial.* unless they are the defaults)
 *   BENCH_RUNS, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_PUSHES, BENCH_LOG_LEVEL, BENCH_FRESH=1
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../scripts/build.js';
import { enforcedNotModified } from './access-scenario.js';
import { compareNginx } from './compare-nginx.js';
import { compareNodeHttp } from './compare-node-http.js';
import { compareRegistry, helmArtifact, type RegistryResult } from './compare-registry.js';
import { closeConnections, expectStatus } from './http.js';
import { attempt, figure, loadGenerators, type Outcome } from './load.js';
import { pinBenchProcess, placement } from './placement.js';
import { type BenchResults, evaluateTargets, renderMarkdown, type SizeResult } from './report.js';
import {
  pushLatency,
  pushSource,
  pushThroughput,
  type ReadResults,
  type RunSettings,
  readScenarios,
  renderAfterPush,
} from './scenarios.js';
import {
  type CharthouseProcess,
  ROOT,
  SERVER_COMMAND,
  startCharthouse,
  startCpuMeter,
} from './server-process.js';
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

async function benchSize(versions: number, registryDone: boolean) {
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
  const start = () =>
    startCharthouse({
      storage: store.storage,
      logFile: join(workDir, `server-${versions}.log`),
      logLevel,
      readyPath: `/${REPOSITORY}/index.yaml`,
    });

  const coldStarts: number[] = [];
  const memoryAfterStart: number[] = [];
  let server: CharthouseProcess | undefined;
  try {
    for (let run = 0; run < settings.runs; run++) {
      await server?.stop();
      server = await start();
      coldStarts.push(server.coldStartMs);
      memoryAfterStart.push((await server.memory()).rssMB);
    }
    if (!server) throw new Error('no run');
    progress(`  cold start ${coldStarts.map((t) => t.toFixed(0)).join(', ')} ms; reads`);
    const reads = await readScenarios(server, store, settings);
    const afterReads = await server.memory();
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
    const registry = registryDone ? undefined : await registryComparison(server, store, reads);
    progress('  pushes');
    // Pushes first: a render of a large index leaves garbage that the next pushes would pay for.
    const nextChart = pushSource(store);
    const latency = await pushLatency(server, store, nextChart, settings);
    const throughput = await pushThroughput(server, store, nextChart, settings);
    const renderAfterPushMs = await renderAfterPush(server, store, nextChart, Math.max(5, settings.runs));
    const afterPushes = await server.memory();
    progress('  access control');
    const index304Enforced = await enforcedNotModified(server, store, settings);
    const result: SizeResult = {
      versions,
      charts: store.charts.length,
      store: { buildSeconds: store.buildSeconds, fromCache: store.fromCache },
      index: { plainBytes: reads.index.plainBytes, gzipBytes: reads.index.gzipBytes },
      coldStartMs: figure(coldStarts),
      memory: {
        afterStart: figure(memoryAfterStart),
        afterReads: afterReads.rssMB,
        afterPushes: afterPushes.rssMB,
        peak: afterPushes.peakMB,
      },
      indexPlain: reads.indexPlain,
      indexGzip: reads.indexGzip,
      index304: reads.index304,
      index304Enforced,
      chartApi: reads.chartApi,
      search: reads.search,
      ociManifest: reads.ociManifest,
      ociBlob: reads.ociBlob,
      nginx,
      nodeHttp,
      renderAfterPushMs,
      pushLatency: latency,
      pushThroughput: throughput,
    };
    return { result, registry };
  } finally {
    await server?.stop();
    await rm(store.storage, { recursive: true, force: true });
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

async function main(): Promise<void> {
  const started = performance.now();
  await mkdir(workDir, { recursive: true });
  const results: SizeResult[] = [];
  const background: number[] = [];
  let registry: Outcome<RegistryResult> = { skipped: 'not measured' };
  try {
    // The server measured is the one `npm start` runs: built now, so it is this checkout's code.
    pinBenchProcess();
    progress(`load: ${loadGenerators}; ${placement.describe}`);
    progress('building dist/ (npm run build)');
    await buildBundle(join(ROOT, 'dist'));
    // One throwaway start, so that the first measured cold start finds the page cache warm.
    await warmUp();
    for (const versions of sizes) {
      const meter = await startCpuMeter();
      const { result, registry: compared } = await benchSize(versions, results.length > 0);
      background.push(await meter.stop());
      results.push(result);
      if (compared) registry = compared;
    }
  } finally {
    closeConnections();
    await rm(workDir, { recursive: true, force: true });
  }
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
    },
    sizes: results,
    registry,
    targets: evaluateTargets(results, registry),
  };
  const full = sizes.join() === DEFAULT_SIZES.join();
  const base = join(ROOT, 'bench', 'results', full ? 'latest' : 'partial');
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  const markdown = renderMarkdown(output);
  await writeFile(`${base}.md`, markdown);
  await writeFile(`${base}.json`, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`\n${markdown}\n`);
  progress(`wrote ${base}.md and .json in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
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
