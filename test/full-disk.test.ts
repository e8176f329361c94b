import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import supertest from 'supertest';
import type { CheckReport } from '../src/maintenance/check.js';
import { mediaTypes } from '../src/oci/media-types.js';
import { binary, descriptor, pushBlob, pushChart, putManifest, sha256 } from './oci/oci-client.js';
import { runCharthouse, spawnServer } from './support/child-server.js';
import { makeChart } from './support/make-chart.js';

/**
 * A full disk, on real filesystems: the storage directory (database, WAL, upload sessions) is one
 * small tmpfs and its `blobs/` another, each filled to the last byte by a filler file in turn.
 * Mounting needs root, which CI has; without it the test fails and says so, rather than skip.
 */
function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(
      `the full-disk test mounts a small tmpfs and needs root (CI runs as root): mount failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`,
    );
  }
}

/** Writes `<dir>/filler` until the filesystem refuses one more byte. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'a');
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const chunk = randomBytes(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Chart text that does not compress, so its size on disk is known. */
const noise = (bytes: number) => randomBytes(bytes).toString('base64');

async function check(storage: string): Promise<CheckReport> {
  const run = await runCharthouse(['check', '--json', '--storage', storage]);
  assert.equal(run.code, 0, `check: ${run.stderr}${run.stdout}`);
  const report = JSON.parse(run.stdout) as CheckReport;
  assert.deepEqual(report.problems, []);
  assert.deepEqual(
    report.leftovers.filter((l) => l.kind !== 'orphan-blob'),
    [],
    'nothing half-written: no temp file, no upload session',
  );
  return report;
}

test('a full disk answers 507 STORAGE_FULL, keeps nothing of the upload, still serves what is stored, and recovers once space is freed', {
  timeout: 120_000,
}, async (t) => {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-full-'));
  const blobs = join(storage, 'blobs');
  t.after(async () => {
    for (const dir of [blobs, storage]) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    await rm(storage, { recursive: true, force: true });
  });
  mountTmpfs(storage, '24m');
  mkdirSync(blobs);
  mountTmpfs(blobs, '8m');

  const server = await spawnServer(storage);
  t.after(() => server.child.kill('SIGKILL'));
  const http = supertest(server.url);
  const stored = await makeChart({ name: 'stored', version: '1.0.0', readme: noise(50_000) });
  assert.equal((await http.post('/api/charts').send(stored).type('application/gzip')).status, 201);
  const ociChart = await makeChart({ name: 'ocichart', version: '1.0.0' });
  const first = await pushChart(http, 'team/ocichart', ociChart, { name: 'ocichart', version: '1.0.0' });
  assert.equal(first.res.status, 201, first.res.text);

  async function stillServed() {
    const index = await http.get('/index.yaml');
    assert.equal(index.status, 200);
    assert.match(index.text, /stored/);
    const tgz = await http.get('/charts/stored-1.0.0.tgz').buffer(true).parse(binary);
    assert.equal(tgz.status, 200);
    assert.equal(sha256(tgz.body as Buffer), sha256(stored));
    const manifest = await http.get('/v2/team/ocichart/manifests/1.0.0').buffer(true);
    assert.equal(manifest.status, 200);
  }

  async function ociBlobPush(bytes: Buffer) {
    const start = await http.post('/v2/team/ocichart/blobs/uploads/');
    if (start.status !== 202) return start;
    const location = start.headers.location as string;
    const sep = location.includes('?') ? '&' : '?';
    return http
      .put(`${location}${sep}digest=${encodeURIComponent(sha256(bytes))}`)
      .set('content-type', 'application/octet-stream')
      .send(bytes);
  }

  await t.test('blobs/ full: both protocols answer 507 and keep nothing', async () => {
    const filler = fill(blobs);
    const big = await makeChart({ name: 'big', version: '1.0.0', readme: noise(400_000) });
    const refused = await http.post('/api/charts').send(big).type('application/gzip');
    assert.equal(refused.status, 507, refused.text);
    assert.match(refused.body.error, /no space left/);
    const oci = await ociBlobPush(randomBytes(300_000));
    assert.equal(oci.status, 507, oci.text);
    assert.equal(oci.body.errors[0].code, 'STORAGE_FULL');
    assert.match(oci.body.errors[0].message, /no space left/);
    assert.deepEqual(await readdir(join(blobs, 'tmp')), [], 'no temp file stays');
    await stillServed();
    await check(storage);
    await rm(filler);
    assert.equal((await http.post('/api/charts').send(big).type('application/gzip')).status, 201);
    const again = await ociBlobPush(randomBytes(300_000));
    assert.equal(again.status, 201, again.text);
  });

  await t.test(
    'the database full (blobs/ has room): 507, the committed blob is only an orphan',
    async (t) => {
      // OCI: the blobs go in while there is room; the manifest's rows are what meets the full disk
      const ociNext = await makeChart({ name: 'ocichart', version: '2.0.0', readme: noise(20_000) });
      const config = await pushBlob(
        http,
        'team/ocichart',
        '{"name":"ocichart","version":"2.0.0","apiVersion":"v2"}',
      );
      const layer = await pushBlob(http, 'team/ocichart', ociNext);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          config: descriptor(mediaTypes.helmConfig, config),
          layers: [descriptor(mediaTypes.helmChart, layer)],
          annotations: { 'org.opencontainers.image.description': noise(1_200_000) },
        }),
      );
      const before = await check(storage);
      const filler = fill(storage);
      // metadata larger than anything written before: whatever room the WAL kept, the rows cannot fit
      const wide = await makeChart({
        name: 'wide',
        version: '1.0.0',
        chart: { description: noise(1_200_000) },
      });
      const refused = await http.post('/api/charts').send(wide).type('application/gzip');
      assert.equal(refused.status, 507, refused.text);
      assert.match(refused.body.error, /no space left/);
      const put = await putManifest(http, 'team/ocichart', '2.0.0', manifest, mediaTypes.ociManifest);
      t.diagnostic(`OCI manifest PUT with the database full: ${put.status} ${put.text.slice(0, 200)}`);
      assert.ok(put.status === 507 || put.status === 201, put.text);
      if (put.status === 507) assert.equal(put.body.errors[0].code, 'STORAGE_FULL');
      await stillServed();
      const after = await check(storage);
      assert.equal(
        after.references,
        before.references + (put.status === 201 ? 3 : 0),
        'no row of the refused push',
      );
      assert.ok(
        after.leftovers.some((l) => l.kind === 'orphan-blob' && l.subject === sha256(wide).slice(7)),
        'the package committed before its row failed is an orphan for gc',
      );
      await rm(filler);
      const pushed = await http.post('/api/charts').send(wide).type('application/gzip');
      assert.equal(pushed.status, 201, pushed.text);
      const oci = await putManifest(http, 'team/ocichart', '2.0.0', manifest, mediaTypes.ociManifest);
      assert.equal(oci.status, 201, oci.text);
      await stillServed();
      await check(storage);
    },
  );
});
