import autocannon from 'autocannon';
import { findProgram } from './tools.js';
import { wrkOnce } from './wrk.js';

/** A figure measured in several runs: the median is what the tables show. */
export interface Figure {
  median: number;
  runs: number[];
}

/** Requests per second and response bytes per second of one load scenario. */
export interface Throughput {
  rps: Figure;
  bytesPerSec: Figure;
  /** responses with another status than expected, over all runs (should be 0) */
  unexpected: number;
}

/** Why a scenario has no figure: the feature is absent, a tool is not installed, or it failed. */
export interface NotMeasured {
  skipped: string;
}

export type Outcome<T> = T | NotMeasured;

export const isMeasured = <T extends object>(o: Outcome<T> | undefined): o is T =>
  o !== undefined && !('skipped' in o);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** p50 of `count` GETs of `url` one at a time, bodies read whole: what a person or a script waits. */
export async function sequentialP50(url: string, count: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await (await fetch(url)).arrayBuffer();
    samples.push(performance.now() - started);
  }
  return percentile(samples, 50);
}

export const figure = (runs: number[]): Figure => ({ median: median(runs), runs });

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** builds the body of each request (for pushes, a new chart version every time) */
  body?: () => Buffer;
  /** the path of each request, when it varies (pushes spread over repositories); else url's */
  path?: () => string;
  connections: number;
  /** seconds */
  duration: number;
  expectStatus: number;
}

/** What one run of a load generator measured. */
export interface LoadRun {
  rps: number;
  bytesPerSec: number;
  unexpected: number;
}

const wrk = process.env.BENCH_LOAD === 'autocannon' ? undefined : findProgram('wrk');

/**
 * The generators the bench uses: wrk from Debian for every GET scenario when it is installed
 * (BENCH_LOAD=autocannon turns it off), autocannon for pushes, whose bodies differ per request.
 */
export const loadGenerators = wrk
  ? 'wrk for GETs, autocannon for pushes'
  : `autocannon (${process.env.BENCH_LOAD === 'autocannon' ? 'BENCH_LOAD=autocannon' : 'wrk not installed'})`;

/** One run of a scenario, with wrk when it is installed and the requests carry no body. */
export function loadOnce(options: LoadOptions): Promise<LoadRun> {
  return wrk && !options.body && !options.path ? wrkOnce(wrk, options) : autocannonOnce(options);
}

async function autocannonOnce(options: LoadOptions): Promise<LoadRun> {
  const { body, path } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    requests: [
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(body || path
          ? {
              setupRequest: (request) => ({
                ...request,
                ...(body ? { body: body() } : {}),
                ...(path ? { path: path() } : {}),
              }),
            }
          : {}),
      },
    ],
  });
  const expected = result.statusCodeStats?.[`${options.expectStatus}`]?.count ?? 0;
  const answered = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + (s.count ?? 0), 0);
  // From totals, not autocannon's per-second buckets: a 150 MB body completes a few times a second.
  const seconds = result.duration > 0 ? result.duration : options.duration;
  return {
    rps: answered / seconds,
    bytesPerSec: result.throughput.total / seconds,
    unexpected: answered - expected + result.errors,
  };
}

/**
 * Seconds of the same load before a scenario's measured runs, not recorded: the server's code for
 * that request (V8 compiles a hot path only after it has run a while) and the client's are warm
 * when measuring starts. Without it the first of three runs came out up to 40% low, Charthouse's
 * and nginx's alike, and moved medians.
 */
export const WARMUP_SECONDS = 1;

/** `runs` runs of the same scenario, one after the other, after an unrecorded warm-up. */
export async function load(options: LoadOptions, runs: number): Promise<Throughput> {
  await loadOnce({ ...options, duration: WARMUP_SECONDS });
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await loadOnce(options));
  return {
    rps: figure(results.map((r) => r.rps)),
    bytesPerSec: figure(results.map((r) => r.bytesPerSec)),
    unexpected: results.reduce((sum, r) => sum + r.unexpected, 0),
  };
}

/** Runs `fn`, turning a failure into a NotMeasured with its message. */
export async function attempt<T>(label: string, fn: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`  ${label} failed: ${message}\n`);
    return { skipped: `error: ${message}` };
  }
}
