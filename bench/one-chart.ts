/**
 * `npm run bench:one-chart`: the routes whose cost used to grow with a chart's history (issue 16),
 * measured beside each other on one SQLite + disk server, each ratio within the same run:
 *
 * - one version and `latest` of a chart of 10 versions and of a chart of 10,000, against /health;
 * - a chart's JSON (`GET /api/charts/<name>`) against index.yaml of a repository holding only it;
 * - the same page of `GET /api/charts` in a repository of 20 charts and in one of 2,000;
 * - pushes/s of 16 clients all pushing new versions of one chart, and spread over many charts;
 * - the UI page of a chart with 1,000 versions (p50 of sequential requests).
 *
 *   npm run bench:one-chart -- --quick    1 run of 2 s per row (results: bench/results/one-chart.*)
 *   BENCH_RUNS, BENCH_DURATION, BENCH_CONNECTIONS as for `npm run bench`
 *   BENCH_SERVER_ARGS="--max-concurrent-uploads 16"   more options for the server
 *   BENCH_ONLY=pushes                                  the push rows alone, printed only
 *   BENCH_PROFILE=<dir>                                a V8 CPU profile of the server there
 *
 * Versions are published through the metadata store with made-up digests (no blob is read by these
 * routes), concurrently, so that the store's group commit rebuilds each chart's index block once
 * per batch; pushes go over HTTP with real packages.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../scripts/build.js';
import { defaultConfig } from '../src/config/config.js';
import { openLocalStores } from '../src/store/open-stores.js';
import { closeConnections, expectStatus } from './http.js';
import { load, loadGenerators, sequentialP50, type Throughput } from './load.js';
import { pinBenchProcess, placement } from './placement.js';
import { ROOT, startCharthouse } from './server-process.js';
import { chartPackage } from './synthetic-charts.js';

const quick = process.argv.includes('--quick');
const pushesOnly = process.env.BENCH_ONLY === 'pushes';
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const runs = env('BENCH_RUNS', quick ? 1 : 3);
const duration = env('BENCH_DURATION', quick ? 2 : 3);
const connections = env('BENCH_CONNECTIONS', 16);
const progress = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** `count` versions 1.0.0, 1.0.1, … with every tenth a release candidate of the next minor. */
const versionsOf = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 10 === 9
      ? `${Math.floor(i / 100) + 1}.${(i % 100) + 1}.0-rc.1`
      : `${Math.floor(i / 100) + 1}.${i % 100}.${i % 7}`,
  );

async function seed(storage: string): Promise<void> {
  const { meta, close } = openLocalStores(defaultConfig({ storage }));
  const publish = (repository: string, name: string, versions: string[]) =>
    Promise.all(
      versions.map((version, i) =>
        meta.publish({
          repository,
          overwrite: false,
          chart: {
            name,
            version,
            digest: (i + 1).toString(16).padStart(64, '0'),
            size: 1000,
            created: '2026-01-01T00:00:00.000Z',
            metadata: { apiVersion: 'v2', name, version, description: `${name} chart`, appVersion: '1.0' },
            readme: `# ${name}\n`,
            values: 'replicaCount: 1\n',
          },
        }),
      ),
    );
  try {
    await publish('bench', 'small', versionsOf(10));
    const large = versionsOf(10_000);
    for (let start = 0; start < large.length; start += 1000) {
      await publish('bench', 'large', large.slice(start, start + 1000));
    }
    await publish('bench', 'ui', versionsOf(1000));
    await publish('solo', 'solo', versionsOf(100));
    for (const [repository, charts] of [
      ['few', 20],
      ['many', 2000],
    ] as const) {
      for (let start = 0; start < charts; start += 500) {
        const names = Array.from(
          { length: Math.min(500, charts - start) },
          (_, i) => `chart-${String(start + i).padStart(5, '0')}`,
        );
        await Promise.all(names.map((name) => publish(repository, name, ['1.0.0', '1.1.0'])));
      }
    }
  } finally {
    await close();
  }
}

interface Row {
  label: string;
  rps?: number;
  p50Ms?: number;
  note?: string;
}

async function main() {
  pinBenchProcess();
  const started = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-one-chart-'));
  progress(
    `load: ${loadGenerators}; ${placement.describe}; load average ${started.map((l) => l.toFixed(1)).join(' ')}`,
  );
  progress('building dist/');
  await buildBundle(join(ROOT, 'dist'));
  progress('seeding 10 + 10,000 + 1,000 versions, a 100-version repository, 20 and 2,000 charts');
  const seedStart = performance.now();
  await seed(dir);
  progress(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const server = await startCharthouse({
    storage: dir,
    logFile: join(dir, 'server.log'),
    logLevel: 'warn',
    readyPath: '/bench/index.yaml',
    extraArgs: process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [],
  });
  const rows: Row[] = [];
  const get = async (label: string, path: string, headers: Record<string, string> = {}, status = 200) => {
    await expectStatus(status, `${server.url}${path}`, { headers });
    progress(`  ${label}`);
    const measured: Throughput = await load(
      { url: `${server.url}${path}`, headers, connections, duration, expectStatus: status },
      runs,
    );
    const row: Row = { label, rps: measured.rps.median };
    if (measured.unexpected > 0) row.note = `${measured.unexpected} unexpected answers`;
    rows.push(row);
    return measured.rps.median;
  };
  try {
    let n = 0;
    const pushes = async (label: string, nameOf: (k: number) => string) => {
      progress(`  ${label}`);
      const measured = await load(
        {
          url: `${server.url}/api/bench/charts`,
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: () => {
            const k = n++;
            return chartPackage(nameOf(k), `${2000 + k}.0.0`, k % 50);
          },
          connections,
          duration,
          expectStatus: 201,
        },
        runs,
      );
      rows.push({
        label,
        rps: measured.rps.median,
        ...(measured.unexpected > 0 && { note: `${measured.unexpected} unexpected answers` }),
      });
      return measured.rps.median;
    };
    if (pushesOnly) {
      // the push rows alone, printed, not written over the results (a profile of the push path)
      await pushes(`pushes/s, ${connections} clients, one chart`, () => 'pushed');
      await pushes(`pushes/s, ${connections} clients, 50 charts`, (k) => `spread-${k % 50}`);
      process.stdout.write(`${rows.map((r) => `| ${r.label} | ${r.rps?.toFixed(0)} |`).join('\n')}\n`);
      return;
    }
    const health = await get('GET /health', '/health');
    const small = await get(
      'GET /api/bench/charts/small/1.5.5 (10 versions)',
      '/api/bench/charts/small/1.5.5',
    );
    const large = await get(
      'GET /api/bench/charts/large/50.40.5 (10,000 versions)',
      '/api/bench/charts/large/50.40.5',
    );
    const smallLatest = await get(
      'GET /api/bench/charts/small/latest (10 versions)',
      '/api/bench/charts/small/latest',
    );
    const largeLatest = await get(
      'GET /api/bench/charts/large/latest (10,000 versions)',
      '/api/bench/charts/large/latest',
    );
    const index = await get('GET /solo/index.yaml (one chart, 100 versions)', '/solo/index.yaml');
    const chart = await get('GET /api/solo/charts/solo (the same chart as JSON)', '/api/solo/charts/solo');
    const etag = (await expectStatus(200, `${server.url}/api/solo/charts/solo`)).headers.etag as string;
    await get(
      'GET /api/solo/charts/solo with If-None-Match (304)',
      '/api/solo/charts/solo',
      { 'if-none-match': etag },
      304,
    );
    const few = await get(
      'GET /api/few/charts?offset=10&limit=10 (20 charts)',
      '/api/few/charts?offset=10&limit=10',
    );
    const many = await get(
      'GET /api/many/charts?offset=10&limit=10 (2,000 charts)',
      '/api/many/charts?offset=10&limit=10',
    );
    const ui = await uiPage(server.url);
    rows.push({
      label: 'UI chart page, 1,000 versions (sequential)',
      p50Ms: ui.p50,
      ...(ui.note && { note: ui.note }),
    });
    const oneChart = await pushes(`pushes/s, ${connections} clients, one chart`, () => 'pushed');
    const manyCharts = await pushes(`pushes/s, ${connections} clients, 50 charts`, (k) => `spread-${k % 50}`);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    const targets = [
      [
        'one version ≥ 0.5× /health',
        ratio(Math.min(small, large), health),
        Math.min(small, large) >= 0.5 * health,
      ],
      ['one version flat 10 → 10,000 (within 20%)', ratio(large, small), large >= 0.8 * small],
      [
        'latest ≥ 0.5× /health',
        ratio(Math.min(smallLatest, largeLatest), health),
        Math.min(smallLatest, largeLatest) >= 0.5 * health,
      ],
      [
        'latest flat 10 → 10,000 (within 20%)',
        ratio(largeLatest, smallLatest),
        largeLatest >= 0.8 * smallLatest,
      ],
      ['chart JSON ≥ 0.8× index.yaml', ratio(chart, index), chart >= 0.8 * index],
      ['/api/charts page, 2,000 vs 20 charts (within 20%)', ratio(many, few), many >= 0.8 * few],
      ['pushes/s one chart ≥ 150', oneChart.toFixed(0), oneChart >= 150],
      ['pushes/s spread (no regression)', manyCharts.toFixed(0), true],
      ['UI chart page p50 ≤ 20 ms', `${ui.p50.toFixed(1)} ms`, ui.p50 <= 20],
    ] as const;
    const ended = loadavg();
    const md = [
      `# One chart of 10,000 versions (${new Date().toISOString().slice(0, 10)}${quick ? ', --quick' : ''})`,
      '',
      `${runs} run(s) of ${duration} s, ${connections} connections; ${loadGenerators}; ${placement.describe}.`,
      `Load average before ${started.map((l) => l.toFixed(1)).join(' ')}, after ${ended.map((l) => l.toFixed(1)).join(' ')} (other processes share the machine).`,
      '',
      '| Request | req/s | p50 | Note |',
      '|---|---:|---:|---|',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.rps?.toFixed(0) ?? ''} | ${r.p50Ms !== undefined ? `${r.p50Ms.toFixed(1)} ms` : ''} | ${r.note ?? ''} |`,
      ),
      '',
      '| Target | Measured | Met |',
      '|---|---:|---|',
      ...targets.map(([what, value, met]) => `| ${what} | ${value} | ${met ? 'yes' : '**no**'} |`),
      '',
    ].join('\n');
    // committed whatever the settings: the title says --quick and the load the machine was under
    const out = join(ROOT, 'bench', 'results', 'one-chart');
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(`${out}.md`, md);
    await writeFile(
      `${out}.json`,
      `${JSON.stringify({ runs, duration, connections, loadBefore: started, loadAfter: ended, rows }, null, 2)}\n`,
    );
    process.stdout.write(md);
  } finally {
    closeConnections();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** p50 of sequential GETs of the UI page of the 1,000-version chart (as a person opens it). */
async function uiPage(base: string): Promise<{ p50: number; note?: string }> {
  const url = `${base}/ui/charts/bench/ui`;
  const first = await fetch(url);
  const note = first.status === 200 ? undefined : `answered ${first.status}`;
  await first.arrayBuffer();
  return { p50: await sequentialP50(url, quick ? 30 : 100), ...(note && { note }) };
}

await main();
