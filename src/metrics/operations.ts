import type { AccessControl } from '../auth/access-control.js';
import type { Stores } from '../store/open-stores.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createReadinessProbe, type FailedCheck, type ReadinessProbe } from './readiness.js';

/** What the operations surface serves: /metrics and /ready (health.ts, metrics-route.ts). */
export interface Operations {
  metrics: Metrics;
  readiness: ReadinessProbe;
  /** set by the app once it has a logger: where readiness failures are explained */
  reportFailure(report: (check: FailedCheck['check'], err: unknown) => void): void;
}

export function createOperations(stores: Pick<Stores, 'meta' | 'blobs'>, access: AccessControl): Operations {
  let report: (check: FailedCheck['check'], err: unknown) => void = () => undefined;
  return {
    metrics: createMetrics({ meta: stores.meta, isPublic: (path) => access.readableByAnyone(path) }),
    readiness: createReadinessProbe({
      meta: stores.meta,
      blobs: stores.blobs,
      onFailure: (check, err) => report(check, err),
    }),
    reportFailure(next) {
      report = next;
    },
  };
}
