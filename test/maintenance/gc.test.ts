import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { checkStore } from '../../src/maintenance/check.js';
import { collectGarbage, reclaimBlob } from '../../src/maintenance/gc.js';
import { binary } from '../oci/oci-client.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { age, HOUR, seedStore, sha256 } from './seed.js';

const limits = { maxDecompressedSize: 100 * 1024 * 1024, maxFileSize: 5 * 1024 * 1024 };

test('gc removes only blobs no row refers to that are older than the grace period', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const { stores } = target;

  const fresh = await collectGarbage({ ...stores, graceMs: HOUR });
  assert.deepEqual(fresh.removed, []);
  assert.equal(fresh.recent, 1, 'the orphan is newer than an hour');
  assert.equal(fresh.referenced, 7);

  await age(target.dir, 2 * HOUR);
  const dry = await collectGarbage({ ...stores, graceMs: HOUR, dryRun: true });
  assert.deepEqual(
    dry.removed.map((b) => b.digest),
    [seeded.orphan],
  );
  assert.ok(await stores.blobs.stat(seeded.orphan), 'a dry run removes nothing');

  const report = await collectGarbage({ ...stores, graceMs: HOUR });
  assert.deepEqual(
    report.removed.map((b) => b.digest),
    [seeded.orphan],
  );
  assert.ok(report.bytesFreed > 0);
  assert.equal(report.referenced, 7);
  assert.equal(await stores.blobs.stat(seeded.orphan), undefined);
  // Everything still referenced is still served.
  for (const digest of [...Object.values(seeded.charts), seeded.prov, seeded.linked, ...seeded.image]) {
    assert.ok(await stores.blobs.stat(digest), digest);
  }
  const index = await target.http.get('/index.yaml').expect(200);
  assert.match(index.text, /app-1\.0\.0\.tgz/);
  await target.http.get('/charts/app-1.0.0.tgz').expect(200);
});

test('a version deleted and pushed again during gc keeps its blob: the new commit renews it', async (t) => {
  const target = await buildTestApp(t);
  const { http, stores } = target;
  const tgz = await makeChart({ name: 'phoenix', version: '1.0.0' });
  const post = () => http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz);
  await post().expect(201);
  await http.delete('/api/charts/phoenix/1.0.0').expect(200);
  await age(target.dir, 2 * HOUR);
  const cutoff = new Date(Date.now() - HOUR);
  // gc has looked at the blob (old, unreferenced) when the same bytes are published again...
  assert.equal(await stores.meta.isReferenced(sha256(tgz)), false);
  await post().expect(201);
  // ...and its removal then finds a renewed blob and keeps it.
  assert.equal(await stores.blobs.deleteIfOlder(sha256(tgz), cutoff), false);
  assert.equal(await reclaimBlob(stores.meta, stores.blobs, sha256(tgz), cutoff), 'referenced');
  const got = await http.get('/charts/phoenix-1.0.0.tgz').buffer(true).parse(binary).expect(200);
  assert.equal(sha256(got.body as Buffer), sha256(tgz));
});

test('gc removes temporary files older than the grace period only', async (t) => {
  const target = await buildTestApp(t);
  const tmp = join(target.dir, 'blobs', 'tmp');
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'old'), 'left by a crash');
  await age(target.dir, 2 * HOUR);
  await writeFile(join(tmp, 'new'), 'an upload in progress');
  const report = await collectGarbage({ ...target.stores, graceMs: HOUR });
  assert.deepEqual(report.temporaryRemoved, ['old']);
  assert.deepEqual(await readdir(tmp), ['new']);
});

test('gc keeps a blob committed moments ago whose row is not written yet; with no grace (offline) it goes', async (t) => {
  const target = await buildTestApp(t);
  const { stores } = target;
  const staged = await stores.blobs.stage(Readable.from([Buffer.from('committed, row not yet written')]));
  await staged.commit();
  const report = await collectGarbage({ ...stores, graceMs: HOUR });
  assert.equal(report.recent, 1);
  assert.ok(await stores.blobs.stat(staged.digest));
  // With no grace at all (offline use only), the same blob goes.
  const offline = await collectGarbage({ ...stores, graceMs: 0, now: () => Date.now() + 1000 });
  assert.deepEqual(
    offline.removed.map((b) => b.digest),
    [staged.digest],
  );
});

test('gc passes run beside pushes that bring back old orphaned bytes and new ones: every push stays served', async (t) => {
  const target = await buildTestApp(t, { maxConcurrentUploads: 32 });
  const { http, stores } = target;
  const post = (tgz: Buffer) =>
    http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz);
  // Old orphans whose bytes are about to be pushed again: the blobs gc is entitled to take.
  const returning = await Promise.all(
    Array.from({ length: 8 }, (_, i) => makeChart({ name: 'back', version: `1.0.${i}` })),
  );
  for (const [i, tgz] of returning.entries()) {
    await post(tgz).expect(201);
    await http.delete(`/api/charts/back/1.0.${i}`).expect(200);
  }
  const doomed = await makeChart({ name: 'gone', version: '0.0.1' });
  await post(doomed).expect(201);
  await http.delete('/api/charts/gone/0.0.1').expect(200);
  await age(target.dir, 2 * HOUR);
  const fresh = await Promise.all(
    Array.from({ length: 16 }, (_, i) => makeChart({ name: 'new', version: `2.0.${i}` })),
  );

  let pushing = true;
  const passes = (async () => {
    let count = 0;
    while (pushing || count === 0) {
      await collectGarbage({ ...stores, graceMs: HOUR });
      count++;
    }
    return count;
  })();
  const answers = await Promise.all([...returning, ...fresh].map((tgz) => post(tgz)));
  pushing = false;
  t.diagnostic(`${await passes} gc passes ran beside the pushes`);
  for (const res of answers) assert.equal(res.status, 201, res.text);

  for (const tgz of [...returning, ...fresh]) {
    assert.ok(await stores.blobs.stat(sha256(tgz)), 'an acknowledged push keeps its blob');
  }
  for (const [i, tgz] of returning.entries()) {
    const got = await http.get(`/charts/back-1.0.${i}.tgz`).buffer(true).parse(binary).expect(200);
    assert.equal(sha256(got.body as Buffer), sha256(tgz));
  }
  const report = await checkStore({ ...stores, limits });
  assert.deepEqual(report.problems, []);
  assert.equal(await stores.blobs.stat(sha256(doomed)), undefined, 'the one true orphan went');
});
