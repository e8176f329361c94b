import { enforcedNotModified } from './access-scenario.js';
import { figure, type Outcome } from './load.js';
import type { SizeResult } from './report.js';
import {
  pushLatency,
  pushSource,
  pushSpread,
  pushThroughput,
  type ReadResults,
  type RunSettings,
  readScenarios,
  renderAfterPush,
} from './scenarios.js';
import type { CharthouseProcess } from './server-process.js';
import type { SyntheticStore } from './synthetic-store.js';

/** How to start one more server on the store being measured, and what its commands need. */
export interface ServerStarter {
  start(): Promise<CharthouseProcess>;
  /** options and environment that name the stores, for the CLI commands run beside the server */
  stores?: { args: string[]; env: Record<string, string> };
  /** a second replica on the same stores reads index.yaml after each push (shared stores only) */
  replicas?: boolean;
}

/** What runs between the reads and the pushes, with the server still up (the SQLite row's comparisons). */
export type BetweenReadsAndPushes = (server: CharthouseProcess, reads: ReadResults) => Promise<void>;

type Measured = Omit<SizeResult, 'versions' | 'charts' | 'store' | 'nginx' | 'nodeHttp' | 'fastifyBare'>;

/**
 * Every scenario of one store size against one backend: `settings.runs` cold starts, the reads,
 * then pushes (latency, throughput to one repository and spread over several, render after a
 * push) and last the 304s with access control enforced, after which pushes need credentials.
 */
export async function measureServer(
  starter: ServerStarter,
  store: SyntheticStore,
  settings: RunSettings,
  progress: (message: string) => void,
  between?: BetweenReadsAndPushes,
): Promise<{ measured: Measured; reads: ReadResults }> {
  const coldStarts: number[] = [];
  const memoryAfterStart: number[] = [];
  let server: CharthouseProcess | undefined;
  try {
    for (let run = 0; run < settings.runs; run++) {
      await server?.stop();
      server = await starter.start();
      coldStarts.push(server.coldStartMs);
      memoryAfterStart.push((await server.memory()).rssMB);
    }
    if (!server) throw new Error('no run');
    progress(`  cold start ${coldStarts.map((t) => t.toFixed(0)).join(', ')} ms; reads`);
    const reads = await readScenarios(server, store, settings);
    const afterReads = await server.memory();
    await between?.(server, reads);
    progress('  pushes');
    // Pushes first: a render of a large index leaves garbage that the next pushes would pay for.
    const nextChart = pushSource(store);
    const latency = await pushLatency(server, store, nextChart, settings);
    const throughput = await pushThroughput(server, store, nextChart, settings);
    const spread = await pushSpread(server, store, nextChart, settings);
    const iterations = Math.max(5, settings.runs);
    const renderAfterPushMs = await renderAfterPush(server, store, nextChart, iterations);
    const afterPushes = await server.memory();
    let renderOnReplicaMs: Outcome<ReturnType<typeof figure>> | undefined;
    if (starter.replicas) {
      progress('  a second replica reads after each push');
      const replica = await starter.start();
      try {
        renderOnReplicaMs = await renderAfterPush(server, store, nextChart, iterations, replica);
      } finally {
        await replica.stop();
      }
    }
    progress('  access control');
    const index304Enforced = await enforcedNotModified(server, store, settings, starter.stores);
    const measured: Measured = {
      index: { plainBytes: reads.index.plainBytes, gzipBytes: reads.index.gzipBytes },
      coldStartMs: figure(coldStarts),
      memory: {
        afterStart: figure(memoryAfterStart),
        afterReads: afterReads.rssMB,
        afterPushes: afterPushes.rssMB,
        peak: afterPushes.peakMB,
      },
      indexPlain: reads.indexPlain,
      indexGzip: reads.indexGzip,
      index304: reads.index304,
      index304Enforced,
      chartApi: reads.chartApi,
      packageGet: reads.packageGet,
      search: reads.search,
      ociManifest: reads.ociManifest,
      ociBlob: reads.ociBlob,
      renderAfterPushMs,
      ...(renderOnReplicaMs ? { renderOnReplicaMs } : {}),
      pushLatency: latency,
      pushThroughput: throughput,
      pushSpread: spread,
    };
    return { measured, reads };
  } finally {
    await server?.stop();
  }
}
