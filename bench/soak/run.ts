/**
 * `npm run soak`: a long mixed load against the real server (the built bundle, as `npm start`
 * runs it), to find what only time shows: memory or descriptors that grow, latency that creeps.
 *
 *   npm run soak -- [--minutes 30] [--clients 32] [--pause-ms 25] [--backend sqlite|postgres]
 *                   [--gc-every 3] [--gc-grace 30s] [--out bench/results]
 *
 * Writes soak.md, soak.json and soak.svg into --out; exits 1 when a pass criterion fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle } from '../../scripts/build.js';
import { pinBenchProcess, placement } from '../placement.js';
import { ROOT, startCharthouse } from '../server-process.js';
import { chartNames } from '../synthetic-charts.js';
import { startSoakStores } from './backends.js';
import { runClient } from './clients.js';
import { evaluate } from './criteria.js';
import { type GcRun, runGc } from './gc-runner.js';
import { makeChart, pushApi, type Stored, type Target } from './operations.js';
import { createRecorder, type Window } from './recorder.js';
import { renderMarkdown, type SoakResult, totalsOf } from './report.js';
import { createSampler } from './sampler.js';
import { pool, type Sample, summarize } from './summary.js';
import { drawSvg } from './svg.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    clients: { type: 'string', default: '32' },
    'pause-ms': { type: 'string', default: '25' },
    backend: { type: 'string', default: 'sqlite' },
    'gc-every': { type: 'string', default: '3' },
    'gc-grace': { type: 'string', default: '30s' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results') },
  },
});
const number = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (!(value > 0))
    throw new Error(`--${name} must be a positive number, not ${JSON.stringify(flags[name])}`);
  return value;
};
const minutes = number('minutes');
const clients = number('clients');
const pauseMs = number('pause-ms');
const gcEvery = number('gc-every');
const backend = ((name: string | undefined) => {
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`--backend: sqlite or postgres, not ${name}`);
  return name;
})(flags.backend);

const SAMPLE_MS = 10_000;
const REPOSITORY = 'soak';
const SEED_CHARTS = 50;
const SEED_VERSIONS = 10;
const progress = (message: string) =>
  process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function seed(target: Target): Promise<Stored[]> {
  const charts = chartNames(SEED_CHARTS).flatMap((name) =>
    Array.from({ length: SEED_VERSIONS }, (_, v) => makeChart(name, `1.${v}.0`)),
  );
  for (let i = 0; i < charts.length; i += 8)
    await Promise.all(charts.slice(i, i + 8).map((chart) => pushApi(target, chart.bytes)));
  return charts.map((chart) => chart.stored);
}

async function main(): Promise<number> {
  const workDir = join(ROOT, 'node_modules', '.cache', 'charthouse-soak', `run-${process.pid}`);
  const storage = join(workDir, 'storage');
  await mkdir(storage, { recursive: true });
  pinBenchProcess();
  // Its own bundle: a helper rebuilding dist/ meanwhile cannot change the server or the gc runs.
  progress(`building the bundle into ${workDir}/dist`);
  await buildBundle(join(workDir, 'dist'));
  const cli = join(workDir, 'dist', 'cli.js');
  const stores = await startSoakStores(backend, storage, progress);
  const loopDelayFile = join(workDir, 'loop-delay.jsonl');
  const server = await startCharthouse({
    cli,
    storage,
    logFile: join(workDir, 'server.log'),
    logLevel: 'warn',
    readyPath: '/health',
    extraArgs: stores.args,
    env: {
      ...stores.env,
      NODE_OPTIONS: `--import ${join(ROOT, 'bench', 'soak', 'loop-delay.mjs')}`,
      SOAK_LOOP_DELAY_FILE: loopDelayFile,
    },
  });
  // Ctrl-C stops the server too: it is a process of its own and would outlive the soak.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void server.stop().finally(() => process.exit(130)));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target: Target = { base: server.url, repository: REPOSITORY, agent };
  const recorder = createRecorder();
  const samples: Sample[] = [];
  const windows: Window[] = [];
  const gcRuns: GcRun[] = [];
  try {
    progress(`server pid ${server.pid} at ${server.url}; seeding ${SEED_CHARTS * SEED_VERSIONS} versions`);
    const seeded = await seed(target);
    const sample = createSampler(server.pid, loopDelayFile);
    await sample();
    let stopped = false;
    const startedAt = performance.now();
    progress(`${clients} clients for ${minutes} minutes`);
    const running = Array.from({ length: clients }, (_, id) =>
      runClient(id, { target, recorder, seeded, pauseMs, isStopped: () => stopped }),
    );
    const gcArgs = {
      cli,
      storeArgs: ['--storage', storage, ...stores.args],
      env: stores.env,
      grace: flags['gc-grace'] as string,
      startedAt,
    };
    let gcRunning: Promise<void> | undefined;
    for (let n = 1; n * SAMPLE_MS <= minutes * 60_000; n++) {
      await new Promise((resolve) => setTimeout(resolve, startedAt + n * SAMPLE_MS - performance.now()));
      const window = recorder.take();
      const s = summarize(n * 10, await sample(), window);
      samples.push(s);
      windows.push(window);
      if (n % 6 === 0)
        progress(
          `${n / 6} min: rss ${s.rssMB} MB, fds ${s.fds}, p99 ${s.p99All} ms, loop p99 ${s.loopDelay?.p99 ?? '?'} ms, errors ${s.errors}, others' CPU ${s.cpu.others}`,
        );
      if (n % (gcEvery * 6) === 0 && !gcRunning)
        gcRunning = runGc(gcArgs).then((run) => {
          gcRuns.push(run);
          progress(
            `gc at ${run.at} s: exit ${run.exitCode}, ${run.removed ?? '?'} removed in ${run.seconds} s`,
          );
          gcRunning = undefined;
        });
    }
    stopped = true;
    await Promise.all([...running, gcRunning]);
  } finally {
    await server.stop();
    agent.destroy();
  }
  const check = storeCheck(cli, ['--storage', storage, ...stores.args], stores.env);
  const logged = await loggedErrors(join(workDir, 'server.log'));
  await stores.stop();

  const { baselineMinute, criteria } = evaluate(
    samples,
    windows,
    gcRuns.filter((g) => g.failure).length,
    minutes,
  );
  criteria.push({
    name: 'charthouse check after the soak finds nothing wrong',
    pass: check.ok,
    detail: check.detail,
  });
  criteria.push({
    name: 'no error logged by the server',
    pass: logged.length === 0,
    detail: logged.length === 0 ? 'none' : logged.slice(0, 3).join(' | '),
  });
  const result: SoakResult = {
    date: new Date().toISOString(),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
    setup: {
      minutes,
      clients,
      pauseMs,
      backend: backend === 'sqlite' ? 'SQLite and blobs on disk' : 'PostgreSQL and Ceph RGW (S3)',
      seededVersions: SEED_CHARTS * SEED_VERSIONS,
      gcEveryMinutes: gcEvery,
      gcGrace: flags['gc-grace'] as string,
      cores: cpus().length, // not availableParallelism(): pinned by taskset, that says 1
      placement: placement.describe,
    },
    passed: criteria.every((c) => c.pass !== false),
    baselineMinute,
    criteria,
    totals: totalsOf(pool(windows)),
    errors: recorder.errorMessages(),
    gcRuns,
    samples,
  };
  const out = flags.out as string;
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'soak.json'), `${JSON.stringify(result, null, 1)}\n`);
  await writeFile(join(out, 'soak.svg'), drawSvg(samples, gcRuns, minutes));
  await writeFile(join(out, 'soak.md'), renderMarkdown(result, 'soak.svg'));
  for (const c of criteria)
    progress(`${c.pass === undefined ? 'n/a ' : c.pass ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}`);
  progress(`${result.passed ? 'PASSED' : 'FAILED'}; ${join(out, 'soak.md')}`);
  await rm(workDir, { recursive: true, force: true });
  return result.passed ? 0 : 1;
}

/** `charthouse check` on the stopped server's stores: the soak must leave them consistent. */
function storeCheck(cli: string, storeArgs: string[], env: Record<string, string>) {
  try {
    execFileSync(process.execPath, [cli, 'check', ...storeArgs], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { ok: true, detail: 'exit 0' };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return {
      ok: false,
      detail: `exit ${e.status}: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.replace(/\s+/g, ' ').slice(0, 300)}`,
    };
  }
}

/** Lines the server logged at error level or above (pino: 50 error, 60 fatal). */
async function loggedErrors(logFile: string): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l))
    .map((l) => l.slice(0, 300));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
