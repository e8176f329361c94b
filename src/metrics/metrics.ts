import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetadataStore } from '../store/metadata-store.js';
import { createInventoryReader } from './inventory.js';
import { createRepositoryLabels, gaugeLabels, type IsPublic } from './repository-labels.js';

/** What a finished request was, as the onResponse hook (instrument.ts) reads it. */
export interface RequestObservation {
  method: string;
  /** the route pattern, never the URL */
  route: string;
  status: number;
  seconds: number;
}

export type Protocol = 'http' | 'oci';

/** What the upload slots report (routes/upload-slots.ts). */
export interface SlotUsage {
  inUse: number;
  waiting: number;
}

export interface MetricsDeps {
  meta: Pick<MetadataStore, 'changeStamp' | 'storedBytes' | 'listRepositories'>;
  /** whether a stranger may read the repository: the others are summed under `(private)` */
  isPublic: IsPublic;
}

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * two apps in one process count apart). Names follow ChartMuseum where it has the same metric;
 * see the README's Metrics section for the list.
 */
export function createMetrics({ meta, isPublic }: MetricsDeps) {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'chartmuseum_requests_total',
    help: 'HTTP requests answered, by status code, method and route pattern (url)',
    labelNames: ['code', 'method', 'url'] as const,
    registers,
  });
  const durations = new Histogram({
    name: 'chartmuseum_request_duration_seconds',
    help: 'Time to answer an HTTP request, by status code, method and route pattern (url)',
    labelNames: ['code', 'method', 'url'] as const,
    registers,
  });
  const pushes = new Counter({
    name: 'charthouse_chart_pushes_total',
    help: 'Charts stored by a push, by protocol (http: the chart API; oci: a manifest PUT) and repository',
    labelNames: ['protocol', 'repo'] as const,
    registers,
  });
  const pulls = new Counter({
    name: 'charthouse_chart_pulls_total',
    help: 'Chart downloads, by protocol (http: a package GET; oci: a manifest GET) and repository',
    labelNames: ['protocol', 'repo'] as const,
    registers,
  });
  const renders = new Histogram({
    name: 'charthouse_index_render_duration_seconds',
    help: 'index.yaml renders (a render happens only when the repository changed) and their duration',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
    registers,
  });
  const failedLogins = new Counter({
    name: 'charthouse_failed_logins_total',
    help: 'Requests whose credentials did not verify (answered 401)',
    registers,
  });

  let slots: (() => SlotUsage) | undefined;
  new Gauge({
    name: 'charthouse_upload_slots_in_use',
    help: 'Uploads being received now (at most --max-concurrent-uploads)',
    registers,
    collect() {
      this.set(slots?.().inUse ?? 0);
    },
  });
  new Gauge({
    name: 'charthouse_upload_slots_waiting',
    help: 'Uploads waiting for a slot, their bodies unread (at most --upload-queue-length)',
    registers,
    collect() {
      this.set(slots?.().waiting ?? 0);
    },
  });

  const inventory = createInventoryReader(meta);
  // The three gauges of one scrape share one read of the inventory.
  let scrape: Promise<Awaited<ReturnType<typeof readGauges>> | undefined> | undefined;
  async function readGauges() {
    const { repositories, blobBytes } = await inventory.read();
    const labels = await gaugeLabels(
      repositories.map((r) => r.path),
      isPublic,
    );
    const charts = new Map<string, number>();
    const versions = new Map<string, number>();
    for (const r of repositories) {
      const label = labels.get(r.path) ?? '';
      charts.set(label, (charts.get(label) ?? 0) + r.charts);
      versions.set(label, (versions.get(label) ?? 0) + r.versions);
    }
    return { repositories: repositories.length, blobBytes, charts, versions };
  }
  const gauges = () => {
    // a database that does not answer leaves the last values read, and the rest of the scrape stands
    scrape ??= readGauges()
      .catch(() => undefined)
      .finally(() => {
        // cleared after this scrape's collectors have all read it
        setImmediate(() => {
          scrape = undefined;
        });
      });
    return scrape;
  };
  const perRepository = (gauge: Gauge<'repo'>, values: Map<string, number>) => {
    gauge.reset();
    for (const [repo, value] of values) gauge.set({ repo }, value);
  };
  new Gauge({
    name: 'charthouse_repositories',
    help: 'Repositories stored',
    registers,
    async collect() {
      const read = await gauges();
      if (read) this.set(read.repositories);
    },
  });
  new Gauge({
    name: 'chartmuseum_charts_served_total',
    help: 'Charts stored, by repository (private ones summed under "(private)")',
    labelNames: ['repo'] as const,
    registers,
    async collect() {
      const read = await gauges();
      if (read) perRepository(this, read.charts);
    },
  });
  new Gauge({
    name: 'chartmuseum_chart_versions_served_total',
    help: 'Chart versions stored, by repository (private ones summed under "(private)")',
    labelNames: ['repo'] as const,
    registers,
    async collect() {
      const read = await gauges();
      if (read) perRepository(this, read.versions);
    },
  });
  new Gauge({
    name: 'charthouse_blob_bytes',
    help: 'Bytes of the stored chart packages and provenance files, each distinct blob once',
    registers,
    async collect() {
      const read = await gauges();
      if (read) this.set(read.blobBytes);
    },
  });

  const repositoryLabel = createRepositoryLabels(isPublic);
  let defaultsStarted = false;

  return {
    observeRequest({ method, route, status, seconds }: RequestObservation): void {
      const labels = { code: String(status), method, url: route };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
    async chartPushed(protocol: Protocol, repository: string): Promise<void> {
      pushes.inc({ protocol, repo: await repositoryLabel(repository) });
    },
    async chartPulled(protocol: Protocol, repository: string): Promise<void> {
      pulls.inc({ protocol, repo: await repositoryLabel(repository) });
    },
    loginFailed(): void {
      failedLogins.inc();
    },
    indexRendered(seconds: number): void {
      renders.observe(seconds);
    },
    watchUploadSlots(usage: () => SlotUsage): void {
      slots = usage;
    },
    contentType: registry.contentType,
    /** The exposition text. The process and event-loop collectors start at the first scrape. */
    async render(): Promise<string> {
      if (!defaultsStarted) {
        defaultsStarted = true;
        collectDefaultMetrics({ register: registry });
      }
      return registry.metrics();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
