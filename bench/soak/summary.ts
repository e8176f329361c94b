import { percentile } from '../load.js';
import { OPERATIONS, type Operation, type Window } from './recorder.js';
import type { ProcessSample } from './sampler.js';

/** One 10 s sample: the server's state at its end and what the clients saw during it. */
export interface Sample extends ProcessSample {
  /** seconds since the load started */
  t: number;
  ops: Partial<Record<Operation, { count: number; p50: number; p99: number }>>;
  /** p99 over every operation but the deliberate 4xx */
  p99All: number;
  errors: number;
  refused: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Latencies of every operation but the deliberate 4xx, pooled. */
export const allLatencies = (w: Window) =>
  OPERATIONS.filter((op) => op !== 'refused').flatMap((op) => w.latencies[op]);

export function summarize(t: number, process: ProcessSample, window: Window): Sample {
  const ops: Sample['ops'] = {};
  for (const op of OPERATIONS) {
    const values = window.latencies[op];
    if (values.length > 0)
      ops[op] = {
        count: values.length,
        p50: round(percentile(values, 50)),
        p99: round(percentile(values, 99)),
      };
  }
  return {
    t,
    ...process,
    ops,
    p99All: round(percentile(allLatencies(window), 99)),
    errors: Object.values(window.errors).reduce((a, b) => a + b, 0),
    refused: Object.values(window.refused).reduce((a, b) => a + b, 0),
  };
}

/** Adds up windows: every latency pooled, errors and refusals summed. */
export function pool(windows: Window[]): Window {
  const latencies = Object.fromEntries(
    OPERATIONS.map((op) => [op, windows.flatMap((w) => w.latencies[op])]),
  ) as unknown as Window['latencies'];
  const errors = Object.fromEntries(
    OPERATIONS.map((op) => [op, windows.reduce((sum, w) => sum + w.errors[op], 0)]),
  ) as Window['errors'];
  const refused: Record<string, number> = {};
  for (const w of windows)
    for (const [status, n] of Object.entries(w.refused)) refused[status] = (refused[status] ?? 0) + n;
  return { latencies, errors, refused };
}
