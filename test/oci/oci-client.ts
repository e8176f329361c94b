import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type supertest from 'supertest';
import { mediaTypes } from '../../src/oci/media-types.js';

type Http = ReturnType<typeof supertest>;

export const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
export const hexOf = (digest: string) => digest.slice('sha256:'.length);

/** A supertest parser that keeps any body as raw bytes. */
export function binary(res: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as Readable;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('error', (err) => done(err, Buffer.alloc(0)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

export interface Pushed {
  digest: string;
  size: number;
}

/** POST + monolithic PUT, as Helm pushes every blob; asserts the 201. */
export async function pushBlob(http: Http, name: string, bytes: Buffer | string): Promise<Pushed> {
  const body = Buffer.from(bytes);
  const start = await http.post(`/v2/${name}/blobs/uploads/`).expect(202);
  const location = start.headers.location as string;
  const digest = sha256(body);
  const sep = location.includes('?') ? '&' : '?';
  await http
    .put(`${location}${sep}digest=${encodeURIComponent(digest)}`)
    .set('content-type', 'application/octet-stream')
    .send(body)
    .expect(201)
    .expect('docker-content-digest', digest);
  return { digest, size: body.length };
}

export function descriptor(mediaType: string, blob: Pushed) {
  return { mediaType, digest: blob.digest, size: blob.size };
}

/** An OCI image manifest in the shape the upstream conformance suite pushes. */
export function imageManifest(config: Pushed, layers: Pushed[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: descriptor('application/vnd.oci.image.config.v1+json', config),
      layers: layers.map((l) => descriptor('application/vnd.oci.image.layer.v1.tar+gzip', l)),
      ...extra,
    }),
  );
}

export function putManifest(
  http: Http,
  name: string,
  reference: string,
  bytes: Buffer,
  type: string = mediaTypes.ociManifest,
) {
  // as a string: superagent would JSON-encode a Buffer sent with a +json type
  return http
    .put(`/v2/${name}/manifests/${reference}`)
    .set('content-type', type)
    .send(bytes.toString('utf8'));
}

/** Pushes a generic image (config + one layer + manifest) and returns its parts. */
export async function pushImage(http: Http, name: string, tag: string, seed = tag) {
  const config = await pushBlob(http, name, `{"architecture":"amd64","seed":"${seed}"}`);
  const layer = await pushBlob(http, name, `layer of ${seed}`);
  const bytes = imageManifest(config, [layer]);
  const res = await putManifest(http, name, tag, bytes);
  assert.equal(res.status, 201, res.text);
  return { config, layer, bytes, digest: sha256(bytes) };
}

export interface ChartPushOptions {
  /** the tag to PUT (default: the version with + as _) */
  tag?: string;
  /** PUT the manifest by its digest instead of a tag, as Helm 4 does first */
  byDigest?: boolean;
  prov?: string;
  created?: string;
  /** overrides the config JSON */
  config?: Record<string, unknown>;
}

/** Pushes a chart the way Helm does: config, chart (and prov) blobs, then the manifest by tag. */
export async function pushChart(
  http: Http,
  name: string,
  tgz: Buffer,
  meta: { name: string; version: string },
  options: ChartPushOptions = {},
) {
  const config = await pushBlob(
    http,
    name,
    JSON.stringify(options.config ?? { name: meta.name, version: meta.version, apiVersion: 'v2' }),
  );
  const chart = await pushBlob(http, name, tgz);
  const layers = [descriptor(mediaTypes.helmChart, chart)];
  if (options.prov !== undefined)
    layers.push(descriptor(mediaTypes.helmProvenance, await pushBlob(http, name, options.prov)));
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: descriptor(mediaTypes.helmConfig, config),
      layers,
      annotations: {
        'org.opencontainers.image.created': options.created ?? '2026-11-23T07:25:05Z',
        'org.opencontainers.image.title': meta.name,
        'org.opencontainers.image.version': meta.version,
      },
    }),
  );
  const tag = options.byDigest ? sha256(bytes) : (options.tag ?? meta.version.replaceAll('+', '_'));
  const res = await putManifest(http, name, tag, bytes);
  return { res, bytes, digest: sha256(bytes), config, chart };
}
