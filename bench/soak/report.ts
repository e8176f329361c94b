import { percentile } from '../load.js';
import type { Criterion } from './criteria.js';
import type { GcRun } from './gc-runner.js';
import { OPERATIONS, type Window } from './recorder.js';
import type { Sample } from './summary.js';

/** What soak.json holds; soak.md is written from the same object. */
export interface SoakResult {
  date: string;
  commit: string;
  setup: {
    minutes: number;
    clients: number;
    pauseMs: number;
    backend: string;
    seededVersions: number;
    gcEveryMinutes: number;
    gcGrace: string;
    cores: number;
    placement: string;
  };
  passed: boolean;
  baselineMinute: number;
  criteria: Criterion[];
  totals: Record<string, { count: number; p50: number; p99: number; errors: number }>;
  errors: Array<{ message: string; count: number }>;
  gcRuns: GcRun[];
  samples: Sample[];
}

export function totalsOf(total: Window): SoakResult['totals'] {
  return Object.fromEntries(
    OPERATIONS.map((op) => {
      const values = total.latencies[op];
      const p = (n: number) => Math.round(percentile(values, n) * 100) / 100;
      return [op, { count: values.length, p50: p(50), p99: p(99), errors: total.errors[op] }];
    }),
  );
}

const mark = (c: Criterion) => (c.pass === undefined ? 'not judged' : c.pass ? 'pass' : '**FAIL**');
const range = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;

/** The samples of minute `m` (from m-1 to m). */
const minute = (samples: Sample[], m: number) => samples.filter((s) => s.t > (m - 1) * 60 && s.t <= m * 60);
const perSecond = (samples: Sample[], m: number) =>
  (
    minute(samples, m).reduce((sum, s) => sum + Object.values(s.ops).reduce((a, o) => a + o.count, 0), 0) / 60
  ).toFixed(0);
const othersIn = (samples: Sample[], m: number) => {
  const w = minute(samples, m);
  return (w.reduce((sum, s) => sum + s.cpu.others, 0) / Math.max(1, w.length)).toFixed(2);
};

export function renderMarkdown(result: SoakResult, svgFile: string): string {
  const { setup, samples } = result;
  const others = samples.slice(1).map((s) => s.cpu.others);
  const server = samples.slice(1).map((s) => s.cpu.server);
  const avg = (v: number[]) => (v.reduce((a, b) => a + b, 0) / Math.max(1, v.length)).toFixed(2);
  const loop = samples.flatMap((s) => (s.loopDelay ? [s.loopDelay] : []));
  const lines = [
    '# Soak',
    '',
    `\`npm run soak\` on ${result.date.slice(0, 10)}, commit ${result.commit}: ${setup.minutes} minutes, ${setup.clients} clients` +
      ` (each pausing ${setup.pauseMs} ms on average between requests), ${setup.backend},` +
      ` ${setup.seededVersions} versions seeded, \`charthouse gc --grace ${setup.gcGrace}\` every ${setup.gcEveryMinutes} minutes.` +
      ` ${setup.cores} cores; ${setup.placement}.`,
    '',
    `**${result.passed ? 'PASSED' : 'FAILED'}**`,
    '',
    '| Criterion | Result | Figures |',
    '|---|---|---|',
    ...result.criteria.map((c) => `| ${c.name} | ${mark(c)} | ${c.detail} |`),
    '',
    `![resident memory and p99 latency over time](${svgFile})`,
    '',
    '## Operations over the whole run',
    '',
    '| Operation | Requests | p50 ms | p99 ms | Errors |',
    '|---|---:|---:|---:|---:|',
    ...Object.entries(result.totals).map(
      ([op, t]) => `| ${op} | ${t.count} | ${t.p50} | ${t.p99} | ${t.errors} |`,
    ),
    '',
    '## The server',
    '',
    `- Resident memory: ${range(samples.map((s) => s.rssMB))} MB; open file descriptors: ${range(samples.map((s) => s.fds))}.`,
    loop.length > 0
      ? `- V8 heap used: ${range(loop.map((l) => l.heapUsedMB))} MB (heap total ${range(loop.map((l) => l.heapTotalMB))} MB, external ${range(loop.map((l) => l.externalMB))} MB).`
      : '- V8 heap: not recorded.',
    loop.length > 0
      ? `- Event-loop delay per 10 s (bench/soak/loop-delay.mjs): p99 ${range(loop.map((l) => l.p99))} ms, max ${range(loop.map((l) => l.max))} ms.`
      : '- Event-loop delay: not recorded.',
    `- Load: ${perSecond(samples, result.baselineMinute)} requests/s in minute ${result.baselineMinute}, ${perSecond(samples, samples.length / 6)} in the last minute; other processes used ${othersIn(samples, result.baselineMinute)} and ${othersIn(samples, samples.length / 6)} cores in those minutes. Memory and latency follow the load, so compare them at equal load.`,
    `- CPU: the server used ${avg(server)} cores on average; other processes on the machine (other work sharing it, not this soak) used ${avg(others)} on average and up to ${Math.max(...others, 0).toFixed(2)}.`,
    '',
    '## gc runs',
    '',
    '| At | Seconds | Exit | Blobs scanned | Removed | Bytes freed |',
    '|---:|---:|---:|---:|---:|---:|',
    ...result.gcRuns.map(
      (g) =>
        `| ${(g.at / 60).toFixed(1)} min | ${g.seconds} | ${g.exitCode} | ${g.scanned ?? '–'} | ${g.removed ?? '–'} | ${g.bytesFreed ?? '–'} |`,
    ),
    '',
    '## Errors',
    '',
    ...(result.errors.length === 0 ? ['None.'] : result.errors.map((e) => `- ${e.count} × ${e.message}`)),
    ...result.gcRuns.filter((g) => g.failure).map((g) => `- gc at ${g.at} s: ${g.failure}`),
    '',
    'Every 10 s sample (memory, descriptors, loop delay, CPU, p50/p99 per operation) is in soak.json.',
    '',
  ];
  return lines.join('\n');
}
