import { createHash } from 'node:crypto';
import type { HostileCase } from './corpus.js';
import { get, send } from './requests.js';

const digestOf = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Bytes the runner pushes into OCI repository `other/app` before the cases run. */
export const foreignBlob = Buffer.from('a layer that belongs to other/app');
const missing = digestOf('bytes nobody ever pushed');

function manifest(
  layers: Array<{ digest: string; size: number }>,
  config = { digest: missing, size: 2 },
): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
  });
}

const putManifest = (name: string, reference: string, body: string | Buffer) =>
  send('PUT', `/v2/${name}/manifests/${reference}`, body, {
    'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
  });

/** The OCI distribution surface under /v2/ (present in this checkout: GET /v2/ answers 200). */
export const ociCases: HostileCase[] = [
  {
    name: 'an OCI manifest referencing a blob that does not exist',
    send: putManifest('attacker/app', 'v1', manifest([{ digest: missing, size: 10 }])),
    status: 400,
    error: /^MANIFEST_BLOB_UNKNOWN: /,
  },
  {
    name: "an OCI manifest referencing another repository's blob",
    send: putManifest(
      'attacker/app',
      'v1',
      manifest([{ digest: digestOf(foreignBlob), size: foreignBlob.length }], {
        digest: digestOf(foreignBlob),
        size: foreignBlob.length,
      }),
    ),
    status: 400,
    error: /^MANIFEST_BLOB_UNKNOWN: /,
  },
  {
    name: "an OCI GET of another repository's blob",
    send: get(`/v2/attacker/app/blobs/${digestOf(foreignBlob)}`),
    status: 404,
    error: /^BLOB_UNKNOWN: /,
  },
  {
    name: 'an OCI blob whose digest lies',
    send: send('POST', `/v2/attacker/app/blobs/uploads/?digest=${digestOf('what I claim')}`, 'what I send'),
    status: 400,
    error: /^DIGEST_INVALID: the uploaded bytes hash to sha256:/,
  },
  {
    name: 'an OCI manifest PUT by a digest that lies',
    send: putManifest('attacker/app', digestOf('another manifest'), manifest([])),
    status: 400,
    error: /^DIGEST_INVALID: /,
  },
  {
    name: 'an OCI manifest of 5 MiB',
    send: putManifest('attacker/app', 'huge', Buffer.alloc(5 * 1024 * 1024, 0x20)),
    status: 413,
    error: /^SIZE_INVALID: the manifest is larger than the 4194304-byte limit/,
  },
  {
    name: 'an OCI manifest that is not JSON',
    send: putManifest('attacker/app', 'v1', '{"schemaVersion": 2, "layers": ['),
    status: 400,
    error: /^MANIFEST_INVALID: /,
  },
  {
    name: 'an OCI path with a broken escape (%zz)',
    send: get('/v2/attacker/%zz/manifests/latest'),
    status: 400,
    error: /^NAME_INVALID: the URL path is not valid/,
  },
  {
    name: 'an OCI repository name with ../',
    send: get('/v2/attacker/..%2f..%2fother/app/manifests/latest'),
    status: 400,
    error: /^NAME_INVALID: /,
  },
];
