import { percentile } from '../load.js';
import { OPERATIONS, type Window } from './recorder.js';
import { allLatencies, pool, type Sample } from './summary.js';

export interface Criterion {
  name: string;
  /** undefined: not judged (too few samples) */
  pass: boolean | undefined;
  detail: string;
}

/** Fewer latencies than this in either minute and an operation's p99 is not judged: it would be its maximum. */
const MIN_SAMPLES = 100;

/** The samples of one minute: `(from, to]` seconds. */
const between = (samples: Sample[], from: number, to: number) =>
  samples.map((s, i) => ({ s, i })).filter(({ s }) => s.t > from && s.t <= to);

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/**
 * The issue's pass criteria. "At minute 5" is the minute from 4:00 to 5:00 and "the end" the last
 * minute, each pooled over its six samples: one 10 s sample's memory sits anywhere on the garbage
 * collector's saw-tooth, and one 10 s window holds too few pushes for a p99. Runs shorter than ten
 * minutes take their middle minute as the baseline.
 */
export function evaluate(
  samples: Sample[],
  windows: Window[],
  gcFailures: number,
  minutes: number,
): {
  baselineMinute: number;
  criteria: Criterion[];
} {
  const end = samples.at(-1)?.t ?? 0;
  const baselineMinute = minutes >= 10 ? 5 : Math.max(1, Math.floor(minutes / 2));
  const base = between(samples, (baselineMinute - 1) * 60, baselineMinute * 60);
  const last = between(samples, end - 60, end);
  const criteria: Criterion[] = [];

  const total = pool(windows);
  const errors = Object.values(total.errors).reduce((a, b) => a + b, 0) + gcFailures;
  const refused =
    Object.entries(total.refused)
      .map(([status, n]) => `${n} × ${status}`)
      .join(', ') || 'none';
  criteria.push({
    name: 'zero errors other than deliberate 4xx',
    pass: errors === 0,
    detail: `${errors} errors (${gcFailures} failed gc runs); deliberate: ${refused}`,
  });

  const rssBase = mean(base.map(({ s }) => s.rssMB));
  const rssEnd = mean(last.map(({ s }) => s.rssMB));
  criteria.push({
    name: `resident memory at the end within 10% of minute ${baselineMinute}`,
    pass: rssEnd <= rssBase * 1.1,
    detail: `${rssBase.toFixed(1)} MB → ${rssEnd.toFixed(1)} MB (${signed(rssEnd / rssBase - 1)}); a fall passes`,
  });

  const fdBase = Math.max(...base.map(({ s }) => s.fds));
  const fdEnd = Math.max(...last.map(({ s }) => s.fds));
  const fdAll = samples.filter((s) => s.t > (baselineMinute - 1) * 60).map((s) => s.fds);
  const slack = Math.max(5, Math.ceil(fdBase * 0.1));
  criteria.push({
    name: 'flat file descriptors',
    pass: fdEnd <= fdBase + slack,
    detail: `most open: ${fdBase} in minute ${baselineMinute}, ${fdEnd} in the last minute (allowed +${slack}); ${Math.min(...fdAll)}–${Math.max(...fdAll)} from minute ${baselineMinute} on`,
  });

  const pooledBase = pool(base.map(({ i }) => windows[i] as Window));
  const pooledEnd = pool(last.map(({ i }) => windows[i] as Window));
  const judge = (label: string, a: number[], b: number[]) => {
    const [p99a, p99b] = [percentile(a, 99), percentile(b, 99)];
    const enough = a.length >= MIN_SAMPLES && b.length >= MIN_SAMPLES;
    criteria.push({
      name: `p99 ${label} at the end within 1.5× of minute ${baselineMinute}`,
      pass: enough ? p99b <= 1.5 * p99a : undefined,
      detail: `${p99a.toFixed(1)} ms → ${p99b.toFixed(1)} ms (×${(p99b / p99a).toFixed(2)}; ${a.length} and ${b.length} requests)${enough ? '' : `: fewer than ${MIN_SAMPLES}, not judged`}`,
    });
  };
  judge('of all operations', allLatencies(pooledBase), allLatencies(pooledEnd));
  for (const op of OPERATIONS.filter((o) => o !== 'refused'))
    judge(`of ${op}`, pooledBase.latencies[op], pooledEnd.latencies[op]);
  return { baselineMinute, criteria };
}

const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
