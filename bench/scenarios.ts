import { expectStatus, type RawResponse, request } from './http.js';
import {
  attempt,
  type Figure,
  figure,
  type LoadOptions,
  load,
  type Outcome,
  percentile,
  type Throughput,
} from './load.js';
import type { CharthouseProcess } from './server-process.js';
import { chartPackage } from './synthetic-charts.js';
import type { SyntheticStore } from './synthetic-store.js';

/** What Helm (oras-go) asks for when it resolves a chart reference. */
export const HELM_MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');
export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/**
 * Concurrent connections for a GET of `bodyBytes`: `settings.connections`, fewer for big bodies so
 * that at most 32 MB are in flight and every run completes responses (16 clients sharing a 150 MB
 * index.yaml finish none in 3 s). nginx gets the same number for the same file.
 */
export function connectionsFor(bodyBytes: number, settings: { connections: number }): number {
  return Math.max(1, Math.min(settings.connections, Math.floor(32e6 / Math.max(1, bodyBytes))));
}

export interface RunSettings {
  runs: number;
  /** seconds per load run */
  duration: number;
  connections: number;
  /** sequential pushes per latency run */
  pushes: number;
}

/** New versions of the store's charts, one per call, never seen before. */
export function pushSource(store: SyntheticStore): () => Buffer {
  let next = 0;
  return () => {
    const n = next++;
    const chart = n % store.charts.length;
    return chartPackage(store.charts[chart] as string, `${1000 + n}.0.0`, chart);
  };
}

export interface OciSample {
  manifest: RawResponse;
  /** `sha256:<hex>` of the chart layer and of the config */
  layer: string;
  config: string;
}

export interface ReadResults {
  index: { plainBytes: number; gzipBytes: number; etag: string; plain: Buffer; gzip: Buffer };
  indexPlain: Outcome<Throughput>;
  indexGzip: Outcome<Throughput>;
  index304: Outcome<Throughput>;
  chartApi: Outcome<Throughput>;
  /** the sample's .tgz by file name, as `helm pull` fetches it from a classic repository */
  packageGet: Outcome<Throughput>;
  search: Outcome<Throughput>;
  ociManifest: Outcome<Throughput>;
  ociBlob: Outcome<Throughput>;
  oci?: OciSample;
}

/** Every read scenario against a running server. Reads change nothing, so their order is free. */
export async function readScenarios(
  server: CharthouseProcess,
  store: SyntheticStore,
  settings: RunSettings,
): Promise<ReadResults> {
  const base = server.url;
  const indexUrl = `${base}/${store.repository}/index.yaml`;
  const gzipHeaders = { 'accept-encoding': 'gzip' };
  const plain = await expectStatus(200, indexUrl);
  const gzip = await expectStatus(200, indexUrl, { headers: gzipHeaders });
  const etag = String(plain.headers.etag);
  const run = (label: string, options: Omit<LoadOptions, 'connections' | 'duration'>, bodyBytes = 0) =>
    attempt(label, () =>
      load(
        { connections: connectionsFor(bodyBytes, settings), duration: settings.duration, ...options },
        settings.runs,
      ),
    );

  const results: ReadResults = {
    index: {
      plainBytes: plain.body.length,
      gzipBytes: gzip.body.length,
      etag,
      plain: plain.body,
      gzip: gzip.body,
    },
    indexPlain: await run('index.yaml', { url: indexUrl, expectStatus: 200 }, plain.body.length),
    indexGzip: await run(
      'index.yaml gzip',
      { url: indexUrl, headers: gzipHeaders, expectStatus: 200 },
      gzip.body.length,
    ),
    index304: await run('index.yaml 304', {
      url: indexUrl,
      headers: { ...gzipHeaders, 'if-none-match': etag },
      expectStatus: 304,
    }),
    chartApi: await run('chart API', {
      url: `${base}/api/${store.repository}/charts/${store.sample.name}`,
      expectStatus: 200,
    }),
    packageGet: await run('package GET', {
      url: `${base}/${store.repository}/charts/${store.sample.name}-${store.sample.version}.tgz`,
      expectStatus: 200,
    }),
    search: { skipped: 'not measured' },
    ociManifest: { skipped: 'not measured' },
    ociBlob: { skipped: 'not measured' },
  };

  const searchUrl = await findSearchRoute(base, store.repository, 'kafka');
  results.search = searchUrl
    ? await run('search', { url: searchUrl, expectStatus: 200 })
    : { skipped: 'skipped: no search route (GET /api/search and /api/<repo>/search answer 404)' };

  const oci = await attempt('OCI manifest probe', () => probeOci(base, store));
  if ('skipped' in oci) {
    results.ociManifest = oci;
    results.ociBlob = oci;
  } else {
    results.oci = oci;
    const name = `${store.repository}/${store.sample.name}`;
    results.ociManifest = await run('OCI manifest', {
      url: `${base}/v2/${name}/manifests/${store.sample.version}`,
      headers: { accept: HELM_MANIFEST_ACCEPT },
      expectStatus: 200,
    });
    results.ociBlob = await run('OCI blob', {
      url: `${base}/v2/${name}/blobs/${oci.layer}`,
      expectStatus: 200,
    });
  }
  return results;
}

async function findSearchRoute(base: string, repository: string, query: string): Promise<string | undefined> {
  for (const path of [`/api/${repository}/search`, '/api/search']) {
    const url = `${base}${path}?q=${query}`;
    const response = await request(url);
    if (response.status === 200) return url;
  }
  return undefined;
}

/** The chart's manifest as Helm asks for it; skipped when /v2 does not serve it. */
export async function probeOci(base: string, store: SyntheticStore): Promise<Outcome<OciSample>> {
  const url = `${base}/v2/${store.repository}/${store.sample.name}/manifests/${store.sample.version}`;
  const manifest = await request(url, { headers: { accept: HELM_MANIFEST_ACCEPT } });
  if (manifest.status !== 200) {
    const why = manifest.body.subarray(0, 120).toString('utf8').replace(/\s+/g, ' ');
    return { skipped: `skipped: GET /v2/…/manifests answered ${manifest.status} ${why}` };
  }
  const parsed = JSON.parse(manifest.body.toString('utf8')) as {
    config?: { digest?: string };
    layers?: Array<{ mediaType?: string; digest?: string }>;
  };
  const layer = parsed.layers?.find((l) => l.mediaType === HELM_CHART_LAYER)?.digest;
  const config = parsed.config?.digest;
  if (!layer || !config) throw new Error('the manifest has no Helm chart layer or no config');
  return { manifest, layer, config };
}

/**
 * After each push returns, the time until the next index.yaml (gzip, as Helm asks) has arrived,
 * from `reader` (another replica on the same stores) or else from the server pushed to. Each
 * index.yaml must carry a new ETag: read-after-write is checked, not assumed.
 */
export async function renderAfterPush(
  server: CharthouseProcess,
  store: SyntheticStore,
  nextChart: () => Buffer,
  iterations: number,
  reader: CharthouseProcess = server,
): Promise<Outcome<Figure>> {
  return attempt('render after push', async () => {
    const indexUrl = `${reader.url}/${store.repository}/index.yaml`;
    const gzip = { headers: { 'accept-encoding': 'gzip' } };
    // catch up with earlier pushes, so that each sample renders the one push before it
    let etag = (await expectStatus(200, indexUrl, gzip)).headers.etag;
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      await push(server, store, nextChart());
      const started = performance.now();
      const response = await expectStatus(200, indexUrl, gzip);
      samples.push(performance.now() - started);
      if (response.headers.etag === etag)
        throw new Error('index.yaml after a push kept the ETag from before it');
      etag = response.headers.etag;
    }
    return figure(samples);
  });
}

export interface PushLatency {
  p50Ms: Figure;
  p99Ms: Figure;
}

/** `settings.pushes` sequential pushes per run; p50 and p99 of each run, median over the runs. */
export async function pushLatency(
  server: CharthouseProcess,
  store: SyntheticStore,
  nextChart: () => Buffer,
  settings: RunSettings,
): Promise<Outcome<PushLatency>> {
  return attempt('push latency', async () => {
    const p50: number[] = [];
    const p99: number[] = [];
    for (let run = 0; run < settings.runs; run++) {
      const samples: number[] = [];
      for (let i = 0; i < settings.pushes; i++) {
        const body = nextChart();
        const started = performance.now();
        await push(server, store, body);
        samples.push(performance.now() - started);
      }
      p50.push(percentile(samples, 50));
      p99.push(percentile(samples, 99));
    }
    return { p50Ms: figure(p50), p99Ms: figure(p99) };
  });
}

/** Pushes per second from `settings.connections` concurrent clients, each push a new version. */
export function pushThroughput(
  server: CharthouseProcess,
  store: SyntheticStore,
  nextChart: () => Buffer,
  settings: RunSettings,
): Promise<Outcome<Throughput>> {
  return attempt('push throughput', () =>
    load(
      {
        url: `${server.url}/api/${store.repository}/charts`,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: nextChart,
        connections: settings.connections,
        duration: settings.duration,
        expectStatus: 201,
      },
      settings.runs,
    ),
  );
}

/** REPOSITORIES_SPREAD repositories that pushSpread writes to, one after the other per request. */
export const REPOSITORIES_SPREAD = 8;

/**
 * pushThroughput, with the pushes spread round-robin over REPOSITORIES_SPREAD repositories: writers
 * of one repository take its row lock one after the other on PostgreSQL (SQLite has one writer for
 * the whole database), so this shows what that lock costs.
 */
export function pushSpread(
  server: CharthouseProcess,
  store: SyntheticStore,
  nextChart: () => Buffer,
  settings: RunSettings,
): Promise<Outcome<Throughput>> {
  let next = 0;
  return attempt('push throughput over repositories', () =>
    load(
      {
        url: `${server.url}/api/${store.repository}/charts`,
        path: () => `/api/${store.repository}-spread-${next++ % REPOSITORIES_SPREAD}/charts`,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: nextChart,
        connections: settings.connections,
        duration: settings.duration,
        expectStatus: 201,
      },
      settings.runs,
    ),
  );
}

function push(server: CharthouseProcess, store: SyntheticStore, body: Buffer): Promise<RawResponse> {
  return expectStatus(201, `${server.url}/api/${store.repository}/charts`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
}
