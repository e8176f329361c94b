import { createHash, randomBytes } from 'node:crypto';
import type { Agent } from 'node:http';
import { helmArtifact } from '../compare-registry.js';
import { type RawResponse, request } from '../http.js';
import { chartPackage } from '../synthetic-charts.js';

/** A chart version a client can pull: its name, version and the sha256 hex of its package. */
export interface Stored {
  name: string;
  version: string;
  digest: string;
}

/** Where the soak sends its requests. */
export interface Target {
  base: string;
  /** the classic repository; OCI names are `<repository>/<chart>` */
  repository: string;
  agent: Agent;
}

/** A request answered with a status nobody asked for: an error of the soak. */
export class Unexpected extends Error {}

/** No request may take longer: a hung request is an error, not a slow sample. */
const TIMEOUT_MS = 60_000;

async function send(
  target: Target,
  path: string,
  expected: number[],
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<RawResponse> {
  const response = await request(`${target.base}${path}`, {
    ...options,
    agent: target.agent,
    timeoutMs: TIMEOUT_MS,
  });
  if (!expected.includes(response.status)) {
    const text = response.body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ');
    throw new Unexpected(
      `${options.method ?? 'GET'} ${path.replace(/\d+/g, 'N')} answered ${response.status}: ${text}`,
    );
  }
  return response;
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function makeChart(name: string, version: string): { bytes: Buffer; stored: Stored } {
  const bytes = chartPackage(name, version, name.length + version.length);
  return { bytes, stored: { name, version, digest: sha256Hex(bytes) } };
}

/** The ChartMuseum upload as `helm cm-push` sends it: multipart/form-data, the package in `chart`. */
export function pushApi(target: Target, bytes: Buffer, expected = [201]): Promise<RawResponse> {
  const boundary = `soak${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="chart"; filename="chart.tgz"\r\n` +
        'Content-Type: application/gzip\r\n\r\n',
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  return send(target, `/api/${target.repository}/charts`, expected, { method: 'POST', headers, body });
}

/** `helm push`: each blob POSTed then PUT with its digest, then the manifest PUT by tag. */
export async function pushOci(target: Target, chart: Stored, bytes: Buffer): Promise<void> {
  const name = `${target.repository}/${chart.name}`;
  const artifact = helmArtifact(name, chart.version, bytes, {
    name: chart.name,
    version: chart.version,
    apiVersion: 'v2',
  });
  for (const blob of artifact.blobs) {
    const started = await send(target, `/v2/${name}/blobs/uploads/`, [202], { method: 'POST' });
    const location = new URL(String(started.headers.location), target.base);
    location.searchParams.set('digest', blob.digest);
    const headers = { 'content-type': 'application/octet-stream' };
    await send(target, `${location.pathname}${location.search}`, [201], {
      method: 'PUT',
      headers,
      body: blob.bytes,
    });
  }
  const headers = { 'content-type': artifact.manifestType };
  await send(target, `/v2/${name}/manifests/${chart.version}`, [201], {
    method: 'PUT',
    headers,
    body: artifact.manifest,
  });
}

export async function deleteVersion(target: Target, chart: Stored, expected = [200]): Promise<void> {
  await send(target, `/api/${target.repository}/charts/${chart.name}/${chart.version}`, expected, {
    method: 'DELETE',
  });
}

/** The package as `helm pull` fetches it from a classic repository; its bytes are checked. */
export async function pullPackage(target: Target, chart: Stored, expected = [200]): Promise<void> {
  const file = `${chart.name}-${chart.version}.tgz`;
  const response = await send(target, `/${target.repository}/charts/${file}`, expected);
  if (response.status === 200 && sha256Hex(response.body) !== chart.digest)
    throw new Unexpected(`GET ${file} answered other bytes than were pushed`);
}

/** The chart layer as `helm pull oci://` fetches it; its bytes are checked. */
export async function pullBlob(target: Target, chart: Stored): Promise<void> {
  const path = `/v2/${target.repository}/${chart.name}/blobs/sha256:${chart.digest}`;
  const response = await send(target, path, [200]);
  if (sha256Hex(response.body) !== chart.digest)
    throw new Unexpected('a blob answered other bytes than its digest');
}

/** index.yaml as Helm asks for it (gzip); with an ETag, a 304 when nothing changed since. */
export async function readIndex(target: Target, etag?: string): Promise<{ etag: string; status: number }> {
  const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
  if (etag) headers['if-none-match'] = etag;
  const response = await send(target, `/${target.repository}/index.yaml`, etag ? [200, 304] : [200], {
    headers,
  });
  return { etag: String(response.headers.etag ?? etag ?? ''), status: response.status };
}

export async function search(target: Target, text: string): Promise<void> {
  await send(target, `/api/search?q=${encodeURIComponent(text)}&limit=20`, [200]);
}
