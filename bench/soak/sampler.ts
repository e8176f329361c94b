import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { memoryOf } from '../server-process.js';

/** What /proc says about the server and the machine at one moment. */
export interface ProcessSample {
  rssMB: number;
  fds: number;
  /** the server's event-loop delay over the last 10 s (bench/soak/loop-delay.mjs), ms */
  loopDelay?: {
    p50: number;
    p99: number;
    max: number;
    heapUsedMB: number;
    heapTotalMB: number;
    externalMB: number;
  };
  /** cores busy since the previous sample: the server, the soak (with its gc runs), everyone else */
  cpu: { server: number; soak: number; others: number };
  load1: number;
}

const TICKS_PER_SECOND = 100;

async function ticksOf(pid: number | 'self', withChildren: boolean): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  // utime, stime (fields 14, 15) and cutime, cstime (16, 17), counted here from the state (field 3)
  const indexes = withChildren ? [11, 12, 13, 14] : [11, 12];
  return indexes.reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
}

async function machineBusyTicks(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const cpu = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return cpu.reduce((sum, n) => sum + n, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
}

async function lastLoopDelay(file: string): Promise<ProcessSample['loopDelay']> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n');
  const last = lines.at(-1);
  return last ? (JSON.parse(last) as ProcessSample['loopDelay']) : undefined;
}

/** Samples the server `pid`; each call reports CPU since the call before. */
export function createSampler(pid: number, loopDelayFile: string) {
  let previous: { at: number; server: number; soak: number; machine: number } | undefined;
  return async function sample(): Promise<ProcessSample> {
    const now = {
      at: performance.now(),
      server: await ticksOf(pid, false),
      soak: await ticksOf('self', true),
      machine: await machineBusyTicks(),
    };
    const before = previous ?? now;
    previous = now;
    const seconds = Math.max(0.001, (now.at - before.at) / 1000);
    const cores = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100;
    const server = now.server - before.server;
    const soak = now.soak - before.soak;
    return {
      rssMB: Math.round((await memoryOf(pid)).rssMB * 10) / 10,
      fds: (await readdir(`/proc/${pid}/fd`)).length,
      loopDelay: await lastLoopDelay(loopDelayFile),
      cpu: {
        server: cores(server),
        soak: cores(soak),
        others: cores(Math.max(0, now.machine - before.machine - server - soak)),
      },
      load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    };
  };
}
