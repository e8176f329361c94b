import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CheckReport, checkStore } from '../../src/maintenance/check.js';
import { createDiskUploadSessions } from '../../src/store/upload-sessions.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { age, blobPath, HOUR, seedStore } from './seed.js';

const limits = { maxDecompressedSize: 100 * 1024 * 1024, maxFileSize: 5 * 1024 * 1024 };
const check = (target: TestApp, extra: Partial<Parameters<typeof checkStore>[0]> = {}) =>
  checkStore({ ...target.stores, limits, ...extra });
const kinds = (report: CheckReport) => ({
  problems: report.problems.map((f) => [f.kind, f.subject]),
  leftovers: report.leftovers.map((f) => [f.kind, f.subject, f.repaired]),
});

test('a store in use is clean: every row has its blob, and only the deleted version is left over', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const report = await check(target);
  assert.equal(report.clean, true);
  assert.deepEqual(report.problems, []);
  assert.deepEqual(kinds(report).leftovers, [['orphan-blob', seeded.orphan, undefined]]);
  // rows: charts (3), provenance (1), OCI blob links (3: one alone, two of the image), image manifest blobs (2)
  assert.equal(report.references, 9);
  assert.equal(report.blobs, 7);
});

test('a missing, truncated or altered blob is a problem naming the rows that refer to it', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const app10 = seeded.charts['/app-1.0.0'] ?? '';
  const app11 = seeded.charts['/app-1.1.0'] ?? '';
  const lib = seeded.charts['team/lib-0.1.0'] ?? '';
  await rm(blobPath(target.dir, app10));
  await truncate(blobPath(target.dir, app11), 10);
  // the stored bytes altered in place, same size (a chart made again could differ in size: its
  // tar and gzip headers carry the time it was made)
  const stored = await readFile(blobPath(target.dir, lib));
  await writeFile(blobPath(target.dir, lib), Buffer.from(stored).fill(0x41, 40, 60));
  const report = await check(target);
  assert.equal(report.clean, false);
  const byKind = Object.fromEntries(report.problems.map((f) => [f.kind, f]));
  assert.equal(byKind['missing-blob']?.subject, app10);
  assert.match(
    byKind['missing-blob']?.detail ?? '',
    /referenced by chart app 1\.0\.0 in the root repository/,
  );
  assert.equal(byKind['size-mismatch']?.subject, app11);
  assert.equal(byKind['digest-mismatch']?.subject, lib);
  assert.match(
    byKind['digest-mismatch']?.detail ?? '',
    /hash to [0-9a-f]{64}; referenced by chart lib 0\.1\.0 in repository "team"/,
  );
  assert.equal(report.problems.length, 3);
});

test('a stored package that no longer loads under the current limits is a problem', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const report = await check(target, { limits: { maxDecompressedSize: 100 * 1024 * 1024, maxFileSize: 10 } });
  assert.deepEqual(
    report.problems.map((f) => f.kind),
    Object.keys(seeded.charts).map(() => 'invalid-package'),
  );
  assert.match(
    report.problems[0]?.detail ?? '',
    /no longer loads as a chart \(.*10-byte limit for one file\)/,
  );
});

test('repair removes leftovers older than the grace period and nothing else', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const tmp = join(target.dir, 'blobs', 'tmp');
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'left-by-a-crash'), 'half a package');

  const young = await check(target, { repair: true, graceMs: HOUR });
  assert.deepEqual(kinds(young).leftovers, [
    ['orphan-blob', seeded.orphan, false],
    ['temporary-file', 'left-by-a-crash', false],
  ]);

  await age(target.dir, 2 * HOUR);
  const repaired = await check(target, { repair: true, graceMs: HOUR });
  assert.deepEqual(kinds(repaired).leftovers, [
    ['orphan-blob', seeded.orphan, true],
    ['temporary-file', 'left-by-a-crash', true],
  ]);
  const after = await check(target);
  assert.equal(after.clean, true);
  assert.deepEqual(after.leftovers, []);
  assert.equal(after.blobs, 7);
});

test('upload sessions idle past the TTL are stale leftovers; repair removes them and keeps live ones', async (t) => {
  const target = await buildTestApp(t);
  const start = async () =>
    (await target.http.post('/v2/team/app/blobs/uploads/').expect(202)).headers[
      'docker-upload-uuid'
    ] as string;
  const stale = await start();
  const live = await start();
  const uploads = createDiskUploadSessions(join(target.dir, 'uploads'));
  const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
  for (const file of [`${stale}.data`, `${stale}.json`]) {
    await utimes(join(target.dir, 'uploads', file), twoHoursAgo, twoHoursAgo);
  }

  const seen = await check(target, { uploads, uploadTtlMs: HOUR });
  assert.equal(seen.clean, true, 'invisible to clients: not a problem');
  assert.deepEqual(kinds(seen).leftovers, [['stale-upload', stale, undefined]]);
  assert.match(seen.leftovers[0]?.detail ?? '', /^upload session in team\/app, 0 bytes, written 2 h ago$/);
  // within a longer TTL, the same session is still in progress
  assert.deepEqual((await check(target, { uploads, uploadTtlMs: 3 * HOUR })).leftovers, []);

  const repaired = await check(target, { uploads, uploadTtlMs: HOUR, repair: true, graceMs: HOUR });
  assert.deepEqual(kinds(repaired).leftovers, [['stale-upload', stale, true]]);
  assert.deepEqual((await readdir(join(target.dir, 'uploads'))).sort(), [`${live}.data`, `${live}.json`]);
  await target.http.get(`/v2/team/app/blobs/uploads/${live}`).expect(204);
});

test('repair never removes a referenced blob, even a corrupt one, and reports the problem', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const app10 = seeded.charts['/app-1.0.0'] ?? '';
  await writeFile(blobPath(target.dir, app10), 'corrupted');
  await age(target.dir, 2 * HOUR);
  const report = await check(target, { repair: true, graceMs: 0 });
  assert.deepEqual(kinds(report).problems, [['size-mismatch', app10]]);
  assert.ok(await target.stores.blobs.stat(app10), 'the corrupt blob is still there');
  for (const digest of [seeded.linked, ...seeded.image, seeded.prov]) {
    assert.ok(await target.stores.blobs.stat(digest), `${digest} is still there`);
  }
});
