import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { findProgram } from './tools.js';

/**
 * Which cores the bench's processes run on. A load generator that shares the server's cores is
 * measured together with the server: on a 2-core machine autocannon took about half of the CPU,
 * and the figures moved with whatever the two happened to contend for (nginx's own 304s ranged
 * from 23k to 43k per second across four runs of the same commit).
 *
 * So, with taskset installed and two cores or more, every server measured (Charthouse, nginx,
 * docker-registry, the bare node:http baseline) runs on the last core, alone, as one nginx worker
 * runs on one core; the load generators (wrk, and the bench process with autocannon, its push
 * clients and its probes) run on the others. `BENCH_PIN=0` turns this off.
 */
export interface Placement {
  /** taskset's list for the servers, when pinned */
  server?: string;
  /** taskset's list for the load generators, when pinned */
  client?: string;
  /** how many cores the load generators have */
  clientCores: number;
  /** one line for the results */
  describe: string;
}

function choosePlacement(): Placement {
  const cores = availableParallelism();
  const taskset = findProgram('taskset');
  if (process.env.BENCH_PIN === '0')
    return { clientCores: cores, describe: 'servers and load generators share all cores (BENCH_PIN=0)' };
  if (!taskset || cores < 2)
    return {
      clientCores: cores,
      describe: `servers and load generators share all cores (${taskset ? 'one core' : 'taskset not installed'})`,
    };
  const last = cores - 1;
  const client = last === 1 ? '0' : `0-${last - 1}`;
  return {
    server: String(last),
    client,
    clientCores: last,
    describe: `each server pinned to core ${last} alone, load generators to core${last === 1 ? '' : 's'} ${client} (taskset)`,
  };
}

export const placement = choosePlacement();

/** The command that runs `program` on `cores` (unchanged when nothing is pinned). */
const pinnedTo =
  (cores: string | undefined) =>
  (program: string, args: string[]): [string, string[]] =>
    cores ? ['taskset', ['-c', cores, program, ...args]] : [program, args];

/** The command that runs a server on the servers' core. */
export const onServerCore = pinnedTo(placement.server);

/** The command that runs a load generator on the clients' cores. */
export const onClientCores = pinnedTo(placement.client);

/**
 * Moves the bench process, all its threads, to the clients' cores: autocannon, the push clients
 * and the probes run in it. Servers started afterwards are moved to their own core by onServerCore.
 */
export function pinBenchProcess(): void {
  if (!placement.client) return;
  execFileSync('taskset', ['-a', '-cp', placement.client, String(process.pid)], { stdio: 'ignore' });
}
