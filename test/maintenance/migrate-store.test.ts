import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateStore, migrationClean } from '../../src/maintenance/migrate-store.js';
import { createProgress, type Progress } from '../../src/maintenance/progress.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { seedFullStore, servedState } from './migrate-fixture.js';
import { blobPath } from './seed.js';

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a store migrated into a new storage directory serves the same charts, manifests, tags and logins', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const before = await servedState(live.http, seed);
  const to = join(await tempDir(t, 'charthouse-migrated-'), 'storage');

  const report = await migrateStore({ from: { storage: live.dir }, to: { storage: to } });
  assert.deepEqual(report.problems, []);
  assert.equal(report.rows.versions?.copied, 5);
  assert.equal(report.rows.users?.copied, 2);
  assert.equal(report.rows.tokens?.copied, 2);
  assert.equal(report.rows.members?.copied, 1);
  assert.ok((report.rows.manifests?.copied ?? 0) >= 2);
  assert.ok(report.blobs.copied >= 10);

  const migrated = await buildTestApp(t, { storage: to });
  assert.deepEqual(await servedState(migrated.http, seed), before);
  assert.deepEqual((before.logins as Record<string, number>).token, 200);
  assert.deepEqual((before.logins as Record<string, number>).revoked, 401);
});

test('a second run copies nothing, and a run cut short finishes when run again', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const to = join(await tempDir(t, 'charthouse-migrated-'), 'storage');

  // a progress bar that fails partway through the rows stands in for a killed process
  let pages = 0;
  let phase = '';
  const interrupting: Progress = {
    start(label) {
      phase = label;
    },
    advance() {
      // after the pages of repositories and versions are written, before the rest
      if (phase === 'rows' && ++pages === 2) throw new Error('interrupted');
    },
    done() {},
  };
  await assert.rejects(
    migrateStore({ from: { storage: live.dir }, to: { storage: to }, progress: interrupting }),
    /interrupted/,
  );

  const resumed = await migrateStore({ from: { storage: live.dir }, to: { storage: to } });
  assert.deepEqual(resumed.problems, []);
  assert.equal(resumed.blobs.copied, 0, 'the first run copied every blob before the rows');
  assert.equal(resumed.rows.versions?.present, 5, 'rows of the first run are found present');
  assert.equal(resumed.rows.versions?.copied, 0);
  assert.equal(resumed.rows.users?.copied, 2, 'the rows the first run missed are copied now');

  const again = await migrateStore({ from: { storage: live.dir }, to: { storage: to } });
  assert.ok(migrationClean(again));
  assert.equal(again.blobs.copied, 0);
  for (const [table, counts] of Object.entries(again.rows)) {
    assert.equal(counts.copied, 0, `${table}: nothing copied on the second run`);
    assert.equal(counts.skipped, 0, `${table}: nothing skipped`);
  }
  const migrated = await buildTestApp(t, { storage: to });
  assert.deepEqual(await servedState(migrated.http, seed), await servedState(live.http, seed));
});

test('a corrupt blob in the source is reported by digest, not copied, and its row stays out', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const digest = seed.charts['/app-1.1.0'] as string;
  await writeFile(blobPath(live.dir, digest), 'not the package any more');
  const to = join(await tempDir(t, 'charthouse-migrated-'), 'storage');

  const report = await migrateStore({ from: { storage: live.dir }, to: { storage: to } });
  assert.deepEqual(report.blobs.corrupt, [digest]);
  assert.equal(existsSync(blobPath(to, digest)), false);
  assert.ok(report.problems.some((line) => line.includes(digest) && line.includes('blob')));
  assert.ok(report.problems.some((line) => line.startsWith('chart app 1.1.0') && line.includes(digest)));
  assert.equal(migrationClean(report), false);
  const migrated = await buildTestApp(t, { storage: to });
  await migrated.http.get('/charts/app-1.1.0.tgz').expect(404);
  await migrated.http.get('/charts/app-1.0.0.tgz').expect(200);
});

test('a version the destination holds with another package is reported and left as it is', async (t) => {
  const live = await buildTestApp(t);
  await seedFullStore(live);
  const other = await buildTestApp(t);
  const { makeChart } = await import('../support/make-chart.js');
  const tgz = await makeChart({ name: 'app', version: '1.0.0', files: { 'extra.txt': 'another package' } });
  await other.http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz).expect(201);
  const kept = (await other.http.get('/api/charts/app/1.0.0').expect(200)).body.digest;
  await other.app.close();
  await other.stores.close();

  const report = await migrateStore({ from: { storage: live.dir }, to: { storage: other.dir } });
  assert.ok(report.problems.some((line) => line.startsWith('chart app 1.0.0') && line.includes(kept)));
  const reopened = await buildTestApp(t, { storage: other.dir });
  assert.equal((await reopened.http.get('/api/charts/app/1.0.0').expect(200)).body.digest, kept);
  await reopened.http.get('/charts/app-1.1.0.tgz').expect(200);
});

test('the same store on both sides is refused', async (t) => {
  const live = await buildTestApp(t);
  await assert.rejects(
    migrateStore({ from: { storage: live.dir }, to: { storage: `${live.dir}/` } }),
    /same store/,
  );
  await assert.rejects(
    migrateStore({ from: { storage: join(live.dir, 'nothing') }, to: { storage: live.dir } }),
    /charthouse.db is missing/,
  );
});

test('on a terminal the copy draws a progress bar for the blobs and for the rows', async (t) => {
  const live = await buildTestApp(t);
  await seedFullStore(live);
  let drawn = '';
  const terminal = { isTTY: true, columns: 100, write: (text: string) => (drawn += text) };
  const to = join(await tempDir(t, 'charthouse-migrated-'), 'storage');
  await migrateStore({
    from: { storage: live.dir },
    to: { storage: to },
    progress: createProgress(terminal),
  });
  assert.match(drawn, /blobs \[#+\] \d+\/\d+/);
  assert.match(drawn, /rows \[#+\] \d+\/\d+/);
});
