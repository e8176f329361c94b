import type { IndexLoads } from './compare-nginx.js';
import type { RegistryResult } from './compare-registry.js';
import { type Figure, isMeasured, type Outcome, type Throughput, WARMUP_SECONDS } from './load.js';
import { nodeHttpTarget } from './report-node-http.js';
import { renderSharedTable } from './report-shared.js';
import { type PushLatency, REPOSITORIES_SPREAD, type RunSettings } from './scenarios.js';

export interface SizeResult {
  /** sqlite: SQLite + disk (the default); postgres: PostgreSQL + Ceph RGW (absent in older results) */
  backend?: 'sqlite' | 'postgres';
  versions: number;
  charts: number;
  store: { buildSeconds: number; fromCache: boolean };
  index: { plainBytes: number; gzipBytes: number };
  coldStartMs: Figure;
  /** resident memory in MB (10^6 bytes) */
  memory: { afterStart: Figure; afterReads: number; afterPushes: number; peak: number };
  indexPlain: Outcome<Throughput>;
  indexGzip: Outcome<Throughput>;
  index304: Outcome<Throughput>;
  /** the same with access control enforced (anonymous reads of a public repository) */
  index304Enforced: Outcome<Throughput>;
  chartApi: Outcome<Throughput>;
  /** GET <repo>/charts/<file>.tgz (absent in older results) */
  packageGet?: Outcome<Throughput>;
  search: Outcome<Throughput>;
  ociManifest: Outcome<Throughput>;
  ociBlob: Outcome<Throughput>;
  nginx: Outcome<IndexLoads>;
  /** node:http alone answering from memory: the ceiling of any server built on it */
  nodeHttp: Outcome<IndexLoads>;
  /** fastify alone, one route and no hooks: the framework's own ceiling (absent in older results) */
  fastifyBare?: Outcome<IndexLoads>;
  renderAfterPushMs: Outcome<Figure>;
  /** the same with index.yaml read from a second replica on the same stores (postgres only) */
  renderOnReplicaMs?: Outcome<Figure>;
  pushLatency: Outcome<PushLatency>;
  pushThroughput: Outcome<Throughput>;
  /** the same spread over REPOSITORIES_SPREAD repositories (absent in older results) */
  pushSpread?: Outcome<Throughput>;
  /** how the PostgreSQL + Ceph copy of the store was made, and whether it serves the same index */
  shared?: {
    loadSeconds: number;
    blobsUploaded: number;
    blobsInStore: number;
    indexMatchesSqlite: boolean;
    /** pg_database_size after the copy, and the largest tables with their indexes (bytes) */
    databaseBytes?: number;
    tableBytes?: Record<string, number>;
  };
}

export interface BenchResults {
  date: string;
  commit: string;
  /** files that differ from the commit when the bench ran (git status --short) */
  uncommitted: number;
  machine: { cpus: number; cpuModel: string; memoryGB: number; os: string; node: string };
  /** CPU cores other processes kept busy on average while each store size ran (see startCpuMeter) */
  backgroundLoad: number[];
  settings: RunSettings & {
    sizes: number[];
    logLevel: string;
    server: string;
    /** the load generators (wrk or autocannon) */
    load: string;
    /** which cores the servers and the load generators ran on */
    placement: string;
    backends?: string[];
  };
  /** the SQLite + disk rows */
  sizes: SizeResult[];
  /** the PostgreSQL + Ceph rows, same sizes (absent in older results) */
  postgres?: SizeResult[];
  /** rows that could not be measured, and why */
  failures?: string[];
  registry: Outcome<RegistryResult>;
  targets: Target[];
}

export interface Target {
  target: string;
  measured: string;
  result: 'PASS' | 'MISS' | 'SKIPPED';
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
export const mb = (bytes: number) => (bytes / 1e6 >= 10 ? int(bytes / 1e6) : (bytes / 1e6).toFixed(2));
const size = (n: number) => int(n);
export const why = (o: { skipped: string }) => o.skipped.replace(/^skipped: /, '');

export function cell<T extends object>(outcome: Outcome<T> | undefined, show: (t: T) => string): string {
  if (outcome === undefined) return '–';
  return isMeasured(outcome) ? show(outcome) : `skipped (${why(outcome)})`;
}

export const rps = (t: Throughput) =>
  `${int(t.rps.median)}/s${t.unexpected ? ` ⚠ ${t.unexpected} unexpected` : ''}`;
export const rpsBytes = (t: Throughput) => `${rps(t)} · ${mb(t.bytesPerSec.median)} MB/s`;

/** The issue's targets, each against the value measured. */
export function evaluateTargets(sizes: SizeResult[], registry: Outcome<RegistryResult>): Target[] {
  const targets: Target[] = [];
  const smallest = sizes[0];
  const largest = sizes.at(-1);
  if (!smallest || !largest) return targets;
  const at = (s: SizeResult) => `at ${size(s.versions)}`;
  const verdict = (ok: boolean): Target['result'] => (ok ? 'PASS' : 'MISS');
  const skip = (target: string, measured: string): Target => ({ target, measured, result: 'SKIPPED' });

  const small = smallest.pushLatency;
  const big = largest.pushLatency;
  const latencyTarget = `Push latency p50 at ${size(largest.versions)} versions within 1.5× of that at ${size(smallest.versions)}`;
  if (isMeasured(small) && isMeasured(big) && smallest !== largest) {
    const ratio = big.p50Ms.median / small.p50Ms.median;
    targets.push({
      target: latencyTarget,
      measured: `${ms(big.p50Ms.median)} ms vs ${ms(small.p50Ms.median)} ms (${ratio.toFixed(2)}×; p99 ${ms(big.p99Ms.median)} vs ${ms(small.p99Ms.median)} ms)`,
      result: verdict(ratio <= 1.5),
    });
  } else targets.push(skip(latencyTarget, 'needs two store sizes with push latencies'));

  const render = largest.renderAfterPushMs;
  const renderTarget = `Render after a push ${at(largest)} versions under 1 s`;
  targets.push(
    isMeasured(render)
      ? { target: renderTarget, measured: `${ms(render.median)} ms`, result: verdict(render.median < 1000) }
      : skip(renderTarget, why(render)),
  );

  const nginxRatios = sizes.flatMap((s) =>
    isMeasured(s.nginx) && isMeasured(s.indexPlain) && isMeasured(s.indexGzip)
      ? [
          {
            s,
            plain: s.indexPlain.rps.median / s.nginx.plain.rps.median,
            gzip: s.indexGzip.rps.median / s.nginx.gzip.rps.median,
          },
        ]
      : [],
  );
  const nginxTarget =
    'index.yaml from cache ≥ 80% of the req/s of nginx serving the file (plain and gzip, every size)';
  const firstNginx = sizes[0]?.nginx;
  if (nginxRatios.length === sizes.length) {
    targets.push({
      target: nginxTarget,
      measured: nginxRatios.map((r) => `${size(r.s.versions)}: ${pct(r.plain)} / ${pct(r.gzip)}`).join('; '),
      result: verdict(nginxRatios.every((r) => r.plain >= 0.8 && r.gzip >= 0.8)),
    });
  } else
    targets.push(skip(nginxTarget, firstNginx && !isMeasured(firstNginx) ? why(firstNginx) : 'not measured'));

  targets.push(nodeHttpTarget(sizes));

  const notModified = sizes.map((s) => s.index304);
  const target304 = '304 answers (If-None-Match) over 10,000/s at every size';
  if (notModified.every(isMeasured)) {
    const lowest = Math.min(...notModified.map((t) => t.rps.median));
    targets.push({
      target: target304,
      measured: sizes.map((s) => `${size(s.versions)}: ${cell(s.index304, rps)}`).join('; '),
      result: verdict(lowest > 10_000),
    });
  } else targets.push(skip(target304, 'not measured'));

  for (const [kind, pick] of [
    ['manifest', (s: SizeResult) => s.ociManifest],
    ['blob', (s: SizeResult) => s.ociBlob],
  ] as const) {
    const target = `OCI ${kind} GET ≥ the req/s of docker-registry serving the same chart`;
    const ours = sizes.map(pick);
    if (!isMeasured(registry)) targets.push(skip(target, why(registry)));
    else if (!ours.every(isMeasured)) {
      const first = ours.find((o) => !isMeasured(o));
      targets.push(skip(target, first && !isMeasured(first) ? why(first) : 'not measured'));
    } else {
      const theirs = registry[kind].rps.median;
      const measured = ours.map((o, i) => `${size(sizes[i]?.versions ?? 0)}: ${int(o.rps.median)}/s`);
      targets.push({
        target,
        measured: `${measured.join('; ')} vs ${int(theirs)}/s`,
        result: verdict(ours.every((o) => o.rps.median >= theirs)),
      });
    }
  }

  targets.push({
    target: `Cold start to the first index.yaml ${at(largest)} versions under 1 s`,
    measured: `${ms(largest.coldStartMs.median)} ms`,
    result: verdict(largest.coldStartMs.median < 1000),
  });
  const resident = Math.max(largest.memory.afterReads, largest.memory.afterPushes);
  targets.push({
    target: `Resident memory ${at(largest)} versions under 300 MB`,
    measured: `${int(resident)} MB after serving and pushing (peak ${int(largest.memory.peak)} MB)`,
    result: verdict(resident < 300),
  });
  return targets;
}

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

export function renderMarkdown(results: BenchResults): string {
  const { sizes } = results;
  const row = (label: string, show: (s: SizeResult) => string) =>
    `| ${label} | ${sizes.map(show).join(' | ')} |`;
  const registry = results.registry;
  const lines = [
    `| Scenario (median of ${results.settings.runs} runs) | ${sizes.map((s) => `${size(s.versions)} versions`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    row('Charts × versions', (s) => `${size(s.charts)} × ${Math.round(s.versions / s.charts)}`),
    row('index.yaml size (plain / gzip)', (s) => `${mb(s.index.plainBytes)} / ${mb(s.index.gzipBytes)} MB`),
    row('Push latency p50 / p99', (s) =>
      cell(s.pushLatency, (p) => `${ms(p.p50Ms.median)} / ${ms(p.p99Ms.median)} ms`),
    ),
    row(`Pushes/s, ${results.settings.connections} clients`, (s) => cell(s.pushThroughput, rps)),
    row(`Pushes/s, ${results.settings.connections} clients over ${REPOSITORIES_SPREAD} repositories`, (s) =>
      cell(s.pushSpread, rps),
    ),
    row('Render after a push (push → next index.yaml)', (s) =>
      cell(s.renderAfterPushMs, (f) => `${ms(f.median)} ms`),
    ),
    row('GET index.yaml', (s) => cell(s.indexPlain, rpsBytes)),
    row('GET index.yaml, nginx', (s) => cell(s.nginx, (n) => rpsBytes(n.plain))),
    row('GET index.yaml, node:http alone from memory', (s) => cell(s.nodeHttp, (n) => rpsBytes(n.plain))),
    row('GET index.yaml, fastify alone (one route, no hooks)', (s) =>
      cell(s.fastifyBare, (n) => rpsBytes(n.plain)),
    ),
    row('GET index.yaml gzip', (s) => cell(s.indexGzip, rpsBytes)),
    row('GET index.yaml gzip, nginx gzip_static', (s) => cell(s.nginx, (n) => rpsBytes(n.gzip))),
    row('GET index.yaml gzip, node:http alone', (s) => cell(s.nodeHttp, (n) => rpsBytes(n.gzip))),
    row('GET index.yaml gzip, fastify alone', (s) => cell(s.fastifyBare, (n) => rpsBytes(n.gzip))),
    row('GET index.yaml → 304', (s) => cell(s.index304, rps)),
    row('GET index.yaml → 304, nginx', (s) => cell(s.nginx, (n) => rps(n.notModified))),
    row('GET index.yaml → 304, node:http alone', (s) => cell(s.nodeHttp, (n) => rps(n.notModified))),
    row('GET index.yaml → 304, fastify alone', (s) => cell(s.fastifyBare, (n) => rps(n.notModified))),
    row('GET index.yaml → 304, access control enforced', (s) => cell(s.index304Enforced, rps)),
    row('GET /api/charts/&lt;name&gt;', (s) => cell(s.chartApi, rps)),
    row('GET /api/search?q=', (s) => cell(s.search, rps)),
    row('GET &lt;repo&gt;/charts/&lt;file&gt;.tgz', (s) => cell(s.packageGet, rpsBytes)),
    row('OCI manifest GET', (s) => cell(s.ociManifest, rps)),
    row('OCI manifest GET, docker-registry', () => cell(registry, (r) => rps(r.manifest))),
    row('OCI blob GET', (s) => cell(s.ociBlob, rpsBytes)),
    row('OCI blob GET, docker-registry', () => cell(registry, (r) => rpsBytes(r.blob))),
    row('Cold start to first index.yaml', (s) => `${ms(s.coldStartMs.median)} ms`),
    row('RSS after start / after reads / after pushes', (s) => {
      const m = s.memory;
      return `${int(m.afterStart.median)} / ${int(m.afterReads)} / ${int(m.afterPushes)} MB`;
    }),
    row('Peak RSS (VmHWM)', (s) => `${int(s.memory.peak)} MB`),
    '',
    ...renderSharedTable(results),
    '| Target | Measured | Result |',
    '|---|---|---|',
    ...results.targets.map(
      (t) =>
        `| ${t.target} | ${t.measured} | ${t.result === 'PASS' ? '✅ PASS' : t.result === 'MISS' ? '❌ MISS' : 'SKIPPED'} |`,
    ),
    '',
    ...(results.failures ?? []).map((f) => `**Not measured: ${f}**\n`),
    machineLine(results),
    '',
  ];
  return lines.join('\n');
}

function machineLine(results: BenchResults): string {
  const { machine: m, settings: s } = results;
  const dirty = results.uncommitted ? ` plus ${results.uncommitted} uncommitted files` : '';
  const built = results.sizes
    .map((r) => `${size(r.versions)}: ${r.store.buildSeconds.toFixed(0)} s`)
    .join(', ');
  const load = Math.max(0, ...results.backgroundLoad);
  const busy =
    load > 0.25
      ? [
          `**Warning: other processes kept ${load.toFixed(1)} CPU cores busy on average during a store size; its figures are low.**`,
        ]
      : [];
  return [
    ...busy,
    `Measured ${results.date.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGB.toFixed(0)} GB RAM, ${m.os}, Node ${m.node};`,
    `commit ${results.commit.slice(0, 12)}${dirty}. Server: \`${s.server}\` as its own process, log level`,
    `\`${s.logLevel}\`; load: ${s.load} (${s.connections} connections, ${s.duration} s per run,`,
    `${s.runs} runs per figure after a ${WARMUP_SECONDS} s warm-up, median shown), ${s.pushes} sequential pushes per latency run. Store generation`,
    `through the upload path (${built}) is cached between runs and not part of any figure.`,
    `Cores: ${s.placement}.`,
  ].join('\n');
}
