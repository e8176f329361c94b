/**
 * Preloaded into the soak's server (NODE_OPTIONS=--import …): every 10 s it appends one JSON line
 * with the event-loop delay of those 10 s and V8's heap figures to $SOAK_LOOP_DELAY_FILE. The server has no metrics
 * endpoint, and a probe request's latency would mix the loop's delay with the request's own work.
 * Plain JavaScript because the server runs the built bundle with plain node, not tsx.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.SOAK_LOOP_DELAY_FILE;
if (file && isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const mb = (bytes) => Math.round(bytes / 1e5) / 10;
  const heap = () => {
    const usage = process.memoryUsage();
    return {
      heapUsedMB: mb(usage.heapUsed),
      heapTotalMB: mb(usage.heapTotal),
      externalMB: mb(usage.external),
    };
  };
  setInterval(() => {
    const sample = {
      at: Date.now(),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      // where resident memory goes: V8's heap, or buffers and native memory outside it
      ...heap(),
    };
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
    histogram.reset();
  }, 10_000).unref();
}
