/**
 * `npm run bench:search`: `GET /api/search` on a repository of 100,000 versions (the bench's
 * synthetic store, 2,000 charts of 50 versions), on one SQLite + disk server, against the targets
 * of issue 16: p50 ≤ 5 ms and ≥ 2,000 req/s. Throughput is measured with 16 connections (wrk),
 * p50 with one request at a time, as a person or a script searching sees it; /health in the same
 * run says what the machine gave. Results go to bench/results/search.{md,json}.
 *
 *   npm run bench:search -- --quick   1 run of 2 s per row
 *   BENCH_SEARCH_VERSIONS=100000      the repository's size
 *   BENCH_RUNS, BENCH_DURATION, BENCH_CONNECTIONS as for `npm run bench`
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../scripts/build.js';
import { closeConnections, expectStatus } from './http.js';
import { load, loadGenerators, sequentialP50 } from './load.js';
import { pinBenchProcess, placement } from './placement.js';
import { ROOT, startCharthouse } from './server-process.js';
import { prepareStore } from './synthetic-store.js';

const quick = process.argv.includes('--quick');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const VERSIONS = env('BENCH_SEARCH_VERSIONS', 100_000);
const runs = env('BENCH_RUNS', quick ? 1 : 3);
const duration = env('BENCH_DURATION', quick ? 2 : 3);
const connections = env('BENCH_CONNECTIONS', 16);
const REPOSITORY = 'bench';
const cacheDir = join(ROOT, 'node_modules', '.cache', 'charthouse-bench');
const progress = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** The searches: a word many charts hold, a typo of it, one chart's whole name, the whole list. */
const queries = (oneChart: string) => [
  ['a common word', 'q=kafka'],
  ['a typo ("Did you mean")', 'q=kafak'],
  ['one chart by name', `q=${oneChart}`],
  ['every chart, first page', 'q='],
];
const P50_TARGET_MS = 5;
const RPS_TARGET = 2000;

interface Row {
  label: string;
  rps: number;
  p50Ms?: number;
  results?: number;
}

async function main() {
  pinBenchProcess();
  const started = loadavg();
  const dir = join(cacheDir, `search-${process.pid}`);
  progress(`load: ${loadGenerators}; ${placement.describe}`);
  await buildBundle(join(ROOT, 'dist'));
  progress(`synthetic store of ${VERSIONS.toLocaleString('en-US')} versions (cached after the first run)`);
  const store = await prepareStore({
    storage: dir,
    repository: REPOSITORY,
    versions: VERSIONS,
    cacheRoot: join(cacheDir, 'stores'),
    fresh: false,
    onProgress: (done) => done % 10_000 === 0 && progress(`  ${done} versions`),
  });
  const server = await startCharthouse({
    storage: store.storage,
    logFile: join(dir, 'server.log'),
    logLevel: 'warn',
    readyPath: `/${REPOSITORY}/index.yaml`,
  });
  const rows: Row[] = [];
  try {
    const measure = async (label: string, path: string): Promise<Row> => {
      const url = `${server.url}${path}`;
      const answer = await expectStatus(200, url);
      progress(`  ${label}`);
      const measured = await load({ url, connections, duration, expectStatus: 200 }, runs);
      const row: Row = { label, rps: measured.rps.median };
      if (path.startsWith('/api/search')) {
        row.results = (JSON.parse(answer.body.toString('utf8')) as { total: number }).total;
        // after the throughput run has warmed every cache a client could
        row.p50Ms = await sequentialP50(url, quick ? 50 : 200);
      }
      rows.push(row);
      return row;
    };
    const health = await measure('GET /health', '/health');
    for (const [what, query] of queries(store.sample.name)) {
      await measure(`GET /api/search?${query} (${what})`, `/api/search?repo=${REPOSITORY}&${query}`);
    }
    const searches = rows.filter((r) => r.p50Ms !== undefined);
    const worstP50 = Math.max(...searches.map((r) => r.p50Ms as number));
    const slowest = Math.min(...searches.map((r) => r.rps));
    const ended = loadavg();
    const md = [
      `# Search at ${VERSIONS.toLocaleString('en-US')} versions (${new Date().toISOString().slice(0, 10)}${quick ? ', --quick' : ''})`,
      '',
      `${store.charts.length.toLocaleString('en-US')} charts; ${runs} run(s) of ${duration} s, ${connections} connections for req/s, one request at a time for p50; ${loadGenerators}; ${placement.describe}.`,
      `Load average before ${started.map((l) => l.toFixed(1)).join(' ')}, after ${ended.map((l) => l.toFixed(1)).join(' ')}.`,
      '',
      '| Request | results | req/s | p50 (sequential) |',
      '|---|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.results ?? ''} | ${r.rps.toFixed(0)} | ${r.p50Ms === undefined ? '' : `${r.p50Ms.toFixed(2)} ms`} |`,
      ),
      '',
      '| Target | Measured | Met |',
      '|---|---:|---|',
      `| p50 ≤ ${P50_TARGET_MS} ms (slowest search) | ${worstP50.toFixed(2)} ms | ${worstP50 <= P50_TARGET_MS ? 'yes' : '**no**'} |`,
      `| ≥ ${RPS_TARGET} req/s (slowest search) | ${slowest.toFixed(0)} (${(slowest / health.rps).toFixed(2)}× /health) | ${slowest >= RPS_TARGET ? 'yes' : '**no**'} |`,
      '',
    ].join('\n');
    const out = join(ROOT, 'bench', 'results', 'search');
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(`${out}.md`, md);
    await writeFile(
      `${out}.json`,
      `${JSON.stringify({ versions: VERSIONS, runs, duration, connections, loadBefore: started, loadAfter: ended, rows }, null, 2)}\n`,
    );
    process.stdout.write(md);
  } finally {
    closeConnections();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
