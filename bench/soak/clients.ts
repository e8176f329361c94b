import { random } from '../synthetic-charts.js';
import {
  deleteVersion,
  makeChart,
  pullBlob,
  pullPackage,
  pushApi,
  pushOci,
  readIndex,
  type Stored,
  search,
  type Target,
  Unexpected,
} from './operations.js';
import type { Operation, Recorder } from './recorder.js';

/**
 * How often each client picks each operation. Deletes are not picked: a client deletes its oldest
 * version whenever it holds more than OWNED_CAP, so the store stays the same size for the whole
 * soak and a growing figure means a leak, not a growing index.
 */
const WEIGHTS: Array<[Operation, number]> = [
  ['index', 18],
  ['index-conditional', 14],
  ['pull-package', 16],
  ['pull-blob', 10],
  ['search', 10],
  ['push-api', 12],
  ['push-oci', 6],
  ['refused', 2],
];
const OWNED_CAP = 10;
const SEARCH_WORDS = ['kafka', 'redis', 'grafana', 'vault', 'operator', 'nope-nothing'];

export interface ClientOptions {
  target: Target;
  recorder: Recorder;
  /** versions pushed before the soak and never deleted */
  seeded: Stored[];
  /** mean pause between two operations of one client, ms (each pause is uniform in 0..2×) */
  pauseMs: number;
  isStopped: () => boolean;
}

/** One of the soak's clients: picks operations until stopped; pushes versions only it deletes. */
export async function runClient(id: number, options: ClientOptions): Promise<void> {
  const { target, recorder, seeded } = options;
  const rand = random(7919 * (id + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const owned: Stored[] = [];
  let pushed = 0;
  let etag: string | undefined;
  const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const choose = (): Operation => {
    let r = rand() * total;
    for (const [op, w] of WEIGHTS) {
      r -= w;
      if (r < 0) return op;
    }
    return 'index';
  };
  // Client ids make versions unique: client 3 pushes 103.0.0, 103.1.0, … of the seeded charts.
  const nextChart = () => makeChart(pick(seeded).name, `${100 + id}.${pushed++}.0`);
  const pullable = () => (owned.length > 0 && rand() < 0.5 ? pick(owned) : pick(seeded));

  const actions: Record<Operation, () => Promise<unknown>> = {
    index: () => readIndex(target),
    'index-conditional': async () => {
      etag = (await readIndex(target, etag)).etag;
    },
    'pull-package': () => pullPackage(target, pullable()),
    'pull-blob': () => pullBlob(target, pullable()),
    search: () => search(target, pick(SEARCH_WORDS)),
    'push-api': async () => {
      const chart = nextChart();
      await pushApi(target, chart.bytes);
      owned.push(chart.stored);
    },
    'push-oci': async () => {
      const chart = nextChart();
      await pushOci(target, chart.stored, chart.bytes);
      owned.push(chart.stored);
    },
    delete: async () => {
      await deleteVersion(target, owned[0] as Stored);
      owned.shift();
    },
    refused: () => refuse(target, rand, pick(seeded), recorder),
  };

  while (!options.isStopped()) {
    let op = choose();
    if (owned.length > OWNED_CAP) op = 'delete';
    const started = performance.now();
    try {
      await actions[op]();
      if (op !== 'refused') recorder.done(op, performance.now() - started);
    } catch (err) {
      recorder.failed(
        op,
        err instanceof Unexpected ? err.message : `${(err as Error).name}: ${(err as Error).message}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, rand() * 2 * options.pauseMs));
  }
}

/** A deliberate 4xx: a version pushed again (409), or a missing version deleted or pulled (404). */
async function refuse(target: Target, rand: () => number, chart: Stored, recorder: Recorder): Promise<void> {
  const started = performance.now();
  const missing = { ...chart, version: '0.0.0-missing' };
  const kind = Math.floor(rand() * 3);
  if (kind === 0) {
    const response = await pushApi(target, makeChart(chart.name, chart.version).bytes, [409]);
    recorder.refused(response.status, performance.now() - started);
  } else {
    await (kind === 1 ? deleteVersion(target, missing, [404]) : pullPackage(target, missing, [404]));
    recorder.refused(404, performance.now() - started);
  }
}
