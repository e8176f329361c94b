/**
 * `npm run bench:import`: `charthouse import` of a 10,000-version Helm repository served by nginx
 * on this machine, into a fresh SQLite store, against the targets: at least 100 versions
 * a second, and a peak resident memory no higher than the server's serving a store of that size.
 *
 * The source is the bench's synthetic store (synthetic-store.ts, 50 versions per chart) written
 * out with `charthouse export`, so the same command is timed on the way out too. Everything runs
 * from one bundle built for this run. Results go to bench/results/import.{json,md}.
 *
 *   BENCH_IMPORT_VERSIONS=10000   the repository's size
 *   BENCH_IMPORT_CONCURRENCY=8    the import's --concurrency
 *   BENCH_PROFILE=<dir>           write V8 CPU profiles of the export and the import there
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { startStaticNginx } from '../test/import/servers.js';
import { compiledCli } from '../test/support/compiled-cli.js';
import { memoryOf, ROOT, startCharthouse } from './server-process.js';
import { prepareStore } from './synthetic-store.js';

const VERSIONS = Number(process.env.BENCH_IMPORT_VERSIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_IMPORT_CONCURRENCY ?? 8);
const TARGET_RATE = 100;
const REPOSITORY = 'bench';
const cacheDir = join(ROOT, 'node_modules', '.cache', 'charthouse-import-bench');
const workDir = join(cacheDir, `run-${process.pid}`);
const log = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

interface Timed {
  seconds: number;
  peakMB: number;
  code: number | null;
  stdout: string;
}

/** Runs the CLI to its end, sampling its peak resident memory (VmHWM) as it goes. */
async function timedCli(cli: string, args: string[]): Promise<Timed> {
  const started = performance.now();
  // BENCH_PROFILE=<dir>: a V8 CPU profile of each command, to see where the time goes
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  let peakMB = 0;
  const sampler = setInterval(() => {
    memoryOf(child.pid as number)
      // an exited process that is not yet reaped has no VmHWM line: NaN, ignored
      .then((memory) => (peakMB = Math.max(peakMB, memory.peakMB || 0)))
      .catch(() => undefined); // exited between two samples
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  return { seconds: (performance.now() - started) / 1000, peakMB, code, stdout };
}

async function main(): Promise<void> {
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  try {
    log('building the CLI bundle');
    const cli = await compiledCli();
    log(`synthetic store of ${VERSIONS.toLocaleString('en-US')} versions`);
    const store = await prepareStore({
      storage: join(workDir, 'source'),
      repository: REPOSITORY,
      versions: VERSIONS,
      cacheRoot: join(cacheDir, 'stores'),
      fresh: false,
    });

    log('export');
    const staticDir = join(workDir, 'static');
    const exported = await timedCli(cli, ['export', REPOSITORY, staticDir, '--storage', store.storage]);
    if (exported.code !== 0) throw new Error(`export failed:\n${exported.stdout}`);

    const nginx = await startStaticNginx(staticDir);
    let imported: Timed;
    try {
      log('import');
      const target = join(workDir, 'target');
      const args = ['import', nginx.url, '--into', REPOSITORY, '--storage', target];
      imported = await timedCli(cli, [...args, '--concurrency', String(CONCURRENCY)]);
      if (imported.code !== 0) throw new Error(`import failed:\n${imported.stdout}`);
      if (!imported.stdout.includes(`imported ${VERSIONS},`))
        throw new Error(`unexpected summary:\n${imported.stdout}`);
    } finally {
      await nginx.stop();
    }

    log('the server on a store of that size');
    const server = await startCharthouse({
      storage: store.storage,
      logFile: join(workDir, 'server.log'),
      logLevel: 'warn',
      readyPath: `/${REPOSITORY}/index.yaml`,
      cli,
    });
    let serverPeakMB: number;
    try {
      // what a client of that repository asks for: the index, plain and gzipped, and the API listing
      const variants: Array<Record<string, string>> = [{}, { 'accept-encoding': 'gzip' }];
      for (const headers of variants) {
        await (await fetch(`${server.url}/${REPOSITORY}/index.yaml`, { headers })).arrayBuffer();
      }
      await (await fetch(`${server.url}/api/${REPOSITORY}/charts`)).arrayBuffer();
      serverPeakMB = (await server.memory()).peakMB;
    } finally {
      await server.stop();
    }

    const rate = VERSIONS / imported.seconds;
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGB: Math.round(totalmem() / 1e9) },
      // figures taken while other processes keep the CPUs busy come out low
      loadAverage: loadavg()[2] ?? 0,
      versions: VERSIONS,
      concurrency: CONCURRENCY,
      export: { seconds: exported.seconds, peakMB: exported.peakMB },
      import: { seconds: imported.seconds, versionsPerSecond: rate, peakMB: imported.peakMB },
      serverPeakMB,
      targets: {
        rate: { target: TARGET_RATE, met: rate >= TARGET_RATE },
        memory: { target: serverPeakMB, met: imported.peakMB <= serverPeakMB },
      },
    };
    const mark = (met: boolean) => (met ? 'met' : 'MISSED');
    const markdown = [
      `# Import bench (${results.date.slice(0, 10)})`,
      '',
      `${VERSIONS.toLocaleString('en-US')} versions from nginx on this machine (${results.machine.cpus} CPUs, load average ${results.loadAverage.toFixed(1)} over the last 15 minutes), --concurrency ${CONCURRENCY}.`,
      '',
      '| | seconds | versions/s | peak RSS (MB) | target |',
      '|---|---:|---:|---:|---|',
      `| import | ${imported.seconds.toFixed(1)} | ${rate.toFixed(0)} | ${imported.peakMB.toFixed(0)} | ≥ ${TARGET_RATE}/s: ${mark(results.targets.rate.met)}; memory ≤ server: ${mark(results.targets.memory.met)} |`,
      `| export | ${exported.seconds.toFixed(1)} | ${(VERSIONS / exported.seconds).toFixed(0)} | ${exported.peakMB.toFixed(0)} | |`,
      `| server serving it | | | ${serverPeakMB.toFixed(0)} | |`,
      '',
    ].join('\n');
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(join(ROOT, 'bench', 'results', 'import.json'), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(ROOT, 'bench', 'results', 'import.md'), markdown);
    process.stdout.write(markdown);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
