import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { backupStore, MaintenanceError, restoreStore } from '../../src/maintenance/backup.js';
import { checkStore } from '../../src/maintenance/check.js';
import { binary } from '../oci/oci-client.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { seedStore, sha256 } from './seed.js';

const limits = { maxDecompressedSize: 100 * 1024 * 1024, maxFileSize: 5 * 1024 * 1024 };

async function tempDir(t: { after(fn: () => unknown): void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface IndexDoc {
  entries: Record<string, Array<{ version: string; digest: string; urls: string[] }>>;
}

/** Every version the repository's index lists, with its digest, after checking each download. */
async function servedVersions(target: TestApp, repository: string): Promise<Record<string, string>> {
  const prefix = repository ? `/${repository}` : '';
  const index = yaml.load((await target.http.get(`${prefix}/index.yaml`).expect(200)).text) as IndexDoc;
  const out: Record<string, string> = {};
  for (const [name, versions] of Object.entries(index.entries)) {
    for (const entry of versions) {
      const got = await target.http.get(`${prefix}/${entry.urls[0]}`).buffer(true).parse(binary).expect(200);
      assert.equal(
        sha256(got.body as Buffer),
        entry.digest,
        `${name} ${entry.version} downloads with its digest`,
      );
      out[`${repository}/${name}-${entry.version}`] = entry.digest;
    }
  }
  return out;
}

test('a backup taken while charts are being pushed restores to a store that serves the same charts', async (t) => {
  const live = await buildTestApp(t);
  const seeded = await seedStore(live);
  const backupDir = join(await tempDir(t, 'charthouse-backup-'), 'copy');

  // Pushes run through the backup; whichever of them the copy holds, it must hold whole.
  const pushes = Array.from({ length: 12 }, async (_, i) => {
    const tgz = await makeChart({ name: 'during', version: `1.0.${i}` });
    return live.http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz);
  });
  // An OCI upload in progress holds bytes no client was told are stored: a backup leaves them out.
  const session = await live.http.post('/v2/team/app/blobs/uploads/').expect(202);
  await live.http
    .patch(session.headers.location as string)
    .set('content-type', 'application/octet-stream')
    .send('half a blob')
    .expect(202);
  const report = await backupStore({ from: live.dir, to: backupDir });
  for (const res of await Promise.all(pushes)) assert.equal(res.status, 201);
  assert.ok((await readdir(join(live.dir, 'uploads'))).length > 0);
  assert.deepEqual((await readdir(backupDir)).sort(), ['blobs', 'charthouse.db']);
  assert.deepEqual(report.blobs.missing, []);
  assert.deepEqual(report.blobs.corrupt, []);
  assert.ok(report.blobs.copied >= 8);

  const restoredDir = join(await tempDir(t, 'charthouse-restored-'), 'storage');
  const restoreReport = await restoreStore({ from: backupDir, to: restoredDir });
  assert.equal(restoreReport.blobs.copied, report.blobs.copied);
  const restored = await buildTestApp(t, { storage: restoredDir });

  const root = await servedVersions(restored, '');
  const team = await servedVersions(restored, 'team');
  for (const [key, digest] of Object.entries(seeded.charts)) {
    assert.equal({ ...root, ...team }[key], digest, `${key} is served from the restored store`);
  }
  const prov = await restored.http.get('/charts/app-1.0.0.tgz.prov').buffer(true).parse(binary).expect(200);
  assert.equal(sha256(prov.body as Buffer), seeded.prov);
  await restored.http.get('/v2/team/image/manifests/v1').expect(200);
  await restored.http.get(`/v2/team/image/blobs/sha256:${seeded.linked}`).expect(200);
  const unfinished = await restored.http.get(session.headers.location as string).expect(404);
  assert.equal(unfinished.body.errors[0].code, 'BLOB_UPLOAD_UNKNOWN');

  const check = await checkStore({ ...restored.stores, limits });
  assert.deepEqual(check.problems, []);
  assert.equal(check.clean, true);
});

test('restore refuses a non-empty storage directory unless forced, and then replaces it', async (t) => {
  const source = await buildTestApp(t);
  await source.http
    .post('/api/charts')
    .set('content-type', 'application/octet-stream')
    .send(await makeChart({ name: 'kept', version: '1.0.0' }))
    .expect(201);
  const backupDir = join(await tempDir(t, 'charthouse-backup-'), 'copy');
  await backupStore({ from: source.dir, to: backupDir });

  const occupied = await tempDir(t, 'charthouse-occupied-');
  await writeFile(join(occupied, 'charthouse.db'), 'not a database');
  await assert.rejects(restoreStore({ from: backupDir, to: occupied }), (err: unknown) => {
    assert.ok(err instanceof MaintenanceError);
    assert.match(err.message, /is not empty: stop the server, then restore with --force/);
    return true;
  });
  await restoreStore({ from: backupDir, to: occupied, force: true });
  const restored = await buildTestApp(t, { storage: occupied });
  assert.deepEqual(Object.keys(await servedVersions(restored, '')), ['/kept-1.0.0']);
});

test('backup refuses a non-empty directory unless forced, and a directory that holds no store', async (t) => {
  const source = await buildTestApp(t);
  const occupied = await tempDir(t, 'charthouse-occupied-');
  await writeFile(join(occupied, 'notes.txt'), 'mine');
  await assert.rejects(backupStore({ from: source.dir, to: occupied }), /is not empty \(use --force/);
  await backupStore({ from: source.dir, to: occupied, force: true });
  assert.deepEqual((await readdir(occupied)).sort(), ['charthouse.db', 'notes.txt']);
  const empty = await tempDir(t, 'charthouse-empty-');
  await assert.rejects(
    backupStore({ from: empty, to: join(empty, 'x') }),
    /no Charthouse store in .*charthouse\.db is missing/,
  );
});
