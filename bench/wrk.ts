import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from './http.js';
import type { LoadOptions, LoadRun } from './load.js';
import { onClientCores, placement } from './placement.js';

const run = promisify(execFile);
const STATUS_SCRIPT = fileURLToPath(new URL('wrk-status.lua', import.meta.url));

/** What wrk-status.lua prints when a run ends. */
interface WrkSummary {
  requests: number;
  bytes: number;
  durationUs: number;
  /** answers of status 400 and over */
  statusErrors: number;
  socketErrors: number;
}

/**
 * One wrk run of a GET scenario. wrk is a C program with an event loop per thread: for the same
 * request rate it takes a fraction of the CPU autocannon does, so the server, not the client, is
 * what runs out first. wrk counts only the answers of status 400 and over, so the same request is
 * sent once before the run and must answer the status expected (a 200 where a 304 is expected
 * would go unnoticed otherwise); the servers answer the same request the same way throughout.
 */
export async function wrkOnce(wrk: string, options: LoadOptions): Promise<LoadRun> {
  const probe = await request(options.url, { method: options.method, headers: options.headers });
  if (probe.status !== options.expectStatus)
    throw new Error(`${options.url} answered ${probe.status}, not ${options.expectStatus}`);
  const threads = Math.max(1, Math.min(placement.clientCores, options.connections));
  const args = [`-t${threads}`, `-c${options.connections}`, `-d${options.duration}s`];
  // wrk's default timeout (2 s) is shorter than one 148 MB body to a slow connection
  args.push('--timeout', '60s', '-s', STATUS_SCRIPT);
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  // a failed run rejects with wrk's exit code and its stderr
  const { stdout: output } = await run(...onClientCores(wrk, args));
  const line = output.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no summary:\n${output}`);
  const summary = JSON.parse(line) as WrkSummary;
  const seconds = summary.durationUs / 1e6;
  return {
    rps: summary.requests / seconds,
    bytesPerSec: summary.bytes / seconds,
    unexpected: summary.statusErrors + summary.socketErrors,
  };
}
