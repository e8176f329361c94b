import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectStatus } from './http.js';
import { load, type Outcome, type Throughput } from './load.js';
import { onServerCore } from './placement.js';
import { HELM_CHART_LAYER, HELM_MANIFEST_ACCEPT } from './scenarios.js';
import { freePort, stopProcess, waitFor200 } from './server-process.js';
import { findProgram, startProgram } from './tools.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';

/** An OCI artifact: the manifest bytes and every blob it names. */
export interface OciArtifact {
  /** OCI repository name, `bench/mychart` */
  name: string;
  tag: string;
  manifest: Buffer;
  manifestType: string;
  blobs: Array<{ digest: string; bytes: Buffer }>;
  /** `sha256:<hex>` of the chart layer, the blob Helm pulls */
  layer: string;
}

export interface RegistryResult {
  manifest: Throughput;
  blob: Throughput;
  /** where the artifact came from: Charthouse's own manifest, or one the bench built as Helm does */
  source: string;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The artifact `helm push` makes of a package: a Helm config blob and the chart layer. */
export function helmArtifact(name: string, tag: string, chart: Buffer, metadata: object): OciArtifact {
  const config = Buffer.from(JSON.stringify(metadata));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: HELM_CONFIG, digest: sha256(config), size: config.length },
      layers: [{ mediaType: HELM_CHART_LAYER, digest: sha256(chart), size: chart.length }],
    }),
  );
  return {
    name,
    tag,
    manifest,
    manifestType: OCI_MANIFEST,
    blobs: [
      { digest: sha256(config), bytes: config },
      { digest: sha256(chart), bytes: chart },
    ],
    layer: sha256(chart),
  };
}

/**
 * Debian's docker-registry (distribution 2.8) with its packaged defaults (filesystem storage,
 * in-memory blob descriptor cache) on loopback, serving the same chart: pushed with the OCI push
 * flow (POST an upload, PUT it with its digest, then PUT the manifest), then its manifest and its
 * chart layer read by tag and digest as Helm does.
 */
export async function compareRegistry(options: {
  dir: string;
  artifact: OciArtifact;
  source: string;
  runs: number;
  duration: number;
  connections: number;
}): Promise<Outcome<RegistryResult>> {
  const program = findProgram('docker-registry');
  if (!program) return { skipped: 'skipped: docker-registry not installed' };
  const { dir, artifact } = options;
  await mkdir(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
  secret: charthouse-bench
`,
  );
  const args = ['serve', join(dir, 'config.yml')];
  const child = startProgram(...onServerCore(program, args), join(dir, 'registry.log'));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor200(`${base}/v2/`, child, 20_000);
    await pushArtifact(base, artifact);
    const settings = { connections: options.connections, duration: options.duration, expectStatus: 200 };
    return {
      manifest: await load(
        {
          ...settings,
          url: `${base}/v2/${artifact.name}/manifests/${artifact.tag}`,
          headers: { accept: HELM_MANIFEST_ACCEPT },
        },
        options.runs,
      ),
      blob: await load(
        { ...settings, url: `${base}/v2/${artifact.name}/blobs/${artifact.layer}` },
        options.runs,
      ),
      source: options.source,
    };
  } finally {
    await stopProcess(child);
  }
}

async function pushArtifact(base: string, artifact: OciArtifact): Promise<void> {
  for (const blob of artifact.blobs) {
    const started = await expectStatus(202, `${base}/v2/${artifact.name}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(String(started.headers.location), base);
    location.searchParams.set('digest', blob.digest);
    await expectStatus(201, location.href, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: blob.bytes,
    });
  }
  await expectStatus(201, `${base}/v2/${artifact.name}/manifests/${artifact.tag}`, {
    method: 'PUT',
    headers: { 'content-type': artifact.manifestType },
    body: artifact.manifest,
  });
}
