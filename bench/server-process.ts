import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from './http.js';
import { onServerCore } from './placement.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A port nobody listens on right now (the OS picks it; it is free again once we close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Resident memory in MB (10^6 bytes). */
export interface Memory {
  /** VmRSS: resident now */
  rssMB: number;
  /** VmHWM: the highest resident size since the process started */
  peakMB: number;
}

/** Resident memory of a process from /proc/<pid>/status (Linux). */
export async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMB: (kib('VmRSS') * 1024) / 1e6, peakMB: (kib('VmHWM') * 1024) / 1e6 };
}

/** A child process that is stopped with SIGTERM, then SIGKILL if it does not exit in time. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Polls `url` until it answers `status` (its whole body read); resolves to the milliseconds since
 * `since`. The body is not decompressed, so the client's own work stays out of the figure. With
 * `child`, gives up as soon as that process exits.
 */
export async function waitForStatus(
  url: string,
  options: {
    status: number;
    since: number;
    timeoutMs: number;
    child?: ChildProcess;
    headers?: Record<string, string>;
  },
): Promise<number> {
  const { child, since, timeoutMs } = options;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the process exited with code ${child.exitCode}`);
    try {
      if ((await request(url, { headers: options.headers })).status === options.status)
        return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs)
      throw new Error(`${url} did not answer ${options.status} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Until a freshly started `child` answers 200 at `url`. */
export const waitFor200 = (url: string, child: ChildProcess, timeoutMs: number) =>
  waitForStatus(url, { status: 200, since: performance.now(), timeoutMs, child });

export interface CharthouseProcess {
  pid: number;
  url: string;
  /** milliseconds from spawn to the first complete 200 of `readyPath` */
  coldStartMs: number;
  memory(): Promise<Memory>;
  stop(): Promise<void>;
}

/** What the bench runs, as `npm start` does: the bundle `npm run build` writes (scripts/build.ts). */
export const SERVER_COMMAND = 'node dist/cli.js serve';

/**
 * Starts the real server as its own process (SERVER_COMMAND, built beforehand), logging at
 * `logLevel` into `logFile`. Ready (and the cold start measured) when `readyPath` first answers 200.
 */
export async function startCharthouse(options: {
  storage: string;
  logFile: string;
  logLevel: string;
  readyPath: string;
  /** more options for `serve` (the PostgreSQL + Ceph rows: --database, --blob-store, --s3-*) */
  extraArgs?: string[];
  /** more environment (the AWS_* credentials of the bucket) */
  env?: Record<string, string>;
  /** the bundle to run, when not dist/cli.js (the soak runs its own copy, safe from rebuilds) */
  cli?: string;
}): Promise<CharthouseProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(options.logFile, 'a');
  // BENCH_PROFILE=<dir>: a V8 CPU profile of the server, written when it stops
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
    : [];
  const args = [...profile, options.cli ?? 'dist/cli.js', 'serve', '--storage', options.storage];
  args.push('--host', '127.0.0.1', '--port', String(port), '--log-level', options.logLevel);
  args.push(...(options.extraArgs ?? []));
  const started = performance.now();
  const child = spawn(...onServerCore(process.execPath, args), {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...options.env },
  });
  closeSync(log);
  try {
    // as Helm asks for index.yaml (Go's HTTP client sends Accept-Encoding: gzip)
    const coldStartMs = await waitForStatus(`${url}${options.readyPath}`, {
      status: 200,
      since: started,
      timeoutMs: 300_000,
      child,
      headers: { 'accept-encoding': 'gzip' },
    });
    return {
      pid: child.pid as number,
      url,
      coldStartMs,
      memory: () => memoryOf(child.pid as number),
      stop: () => stopProcess(child),
    };
  } catch (err) {
    await stopProcess(child);
    const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`charthouse did not start: ${(err as Error).message}\n${tail}`);
  }
}

/**
 * Measures the CPU that other processes use while the bench runs: the machine's busy time from
 * /proc/stat minus the bench's own, children included (/proc/self/stat counts a child once it has
 * exited and been waited for, so every server must be stopped before `stop` is called). Figures
 * measured while something else kept the CPUs busy come out low.
 */
export async function startCpuMeter(): Promise<{ stop(): Promise<number> }> {
  const machine = async () => {
    // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const cpu = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { busy: cpu.reduce((sum, n) => sum + n, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0) };
  };
  const own = async () => {
    const fields = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]?.split(' ') ?? [];
    // utime, stime, cutime, cstime: fields 14 to 17, counted from the state (field 3) here
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  };
  const [machine0, own0, started] = [await machine(), await own(), performance.now()];
  return {
    async stop() {
      const [machine1, own1] = [await machine(), await own()];
      const seconds = (performance.now() - started) / 1000;
      const ticks = machine1.busy - machine0.busy - (own1 - own0);
      return Math.max(0, ticks / 100 / seconds);
    },
  };
}
