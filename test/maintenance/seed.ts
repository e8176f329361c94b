import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { provenance } from '../hostile/archives.js';
import { pushBlob, pushImage } from '../oci/oci-client.js';
import type { TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
export const HOUR = 3_600_000;

export interface Seeded {
  /** hex digest of each package by `<repository>/<name>-<version>` */
  charts: Record<string, string>;
  prov: string;
  /** a blob only an OCI blob link keeps */
  linked: string;
  /** blobs of an OCI image (config, layer) */
  image: string[];
  /** the package of a deleted version: an orphan */
  orphan: string;
}

/** A store with a bit of everything: charts in two repositories, a provenance file, OCI content, an orphan. */
export async function seedStore({ http }: TestApp): Promise<Seeded> {
  const charts: Record<string, string> = {};
  const push = async (path: string, key: string, tgz: Buffer) => {
    const res = await http.post(path).set('content-type', 'application/octet-stream').send(tgz);
    assert.equal(res.status, 201, res.text);
    charts[key] = sha256(tgz);
  };
  const app1 = await makeChart({ name: 'app', version: '1.0.0' });
  await push('/api/charts', '/app-1.0.0', app1);
  await push('/api/charts', '/app-1.1.0', await makeChart({ name: 'app', version: '1.1.0' }));
  await push('/api/team/charts', 'team/lib-0.1.0', await makeChart({ name: 'lib', version: '0.1.0' }));
  const prov = provenance('app', '1.0.0', { 'app-1.0.0.tgz': sha256(app1) });
  const provRes = await http
    .post('/api/prov')
    .set('content-type', 'application/octet-stream')
    .send(Buffer.from(prov));
  assert.equal(provRes.status, 201, provRes.text);

  const linkedBlob = await pushBlob(http, 'team/image', 'only a blob link keeps me');
  const image = await pushImage(http, 'team/image', 'v1');

  const doomed = await makeChart({ name: 'doomed', version: '0.0.1' });
  await push('/api/charts', '/doomed-0.0.1', doomed);
  await http.delete('/api/charts/doomed/0.0.1').expect(200);
  const orphan = charts['/doomed-0.0.1'] ?? '';
  delete charts['/doomed-0.0.1'];
  return {
    charts,
    prov: sha256(prov),
    linked: linkedBlob.digest.slice(7),
    image: [image.config.digest.slice(7), image.layer.digest.slice(7)],
    orphan,
  };
}

export const blobPath = (dir: string, digest: string) =>
  join(dir, 'blobs', 'sha256', digest.slice(0, 2), digest);

/** Makes every blob and temp file under `dir` look `ms` old. */
export async function age(dir: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  for (const sub of ['blobs/sha256', 'blobs/tmp']) {
    const files = await readdir(join(dir, sub), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const file of files) if (file.isFile()) await utimes(join(file.parentPath, file.name), when, when);
  }
}
