import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckReport } from '../../src/maintenance/check.js';
import type { GcReport } from '../../src/maintenance/gc.js';
import { buildTestApp } from '../support/build-app.js';
import { runCharthouse } from '../support/child-server.js';
import { age, blobPath, HOUR, seedStore } from './seed.js';

const charthouse = runCharthouse;

test('check exits 0 on a clean store, 1 with the problem named, and prints JSON with --json', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  const clean = await charthouse(['check', '--storage', target.dir]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^checked 9 rows referring to 7 blobs/);
  assert.match(
    clean.stdout,
    /leftovers \(1\), invisible to clients:\n {2}orphan-blob +[0-9a-f]{64} {2}no row refers to it/,
  );
  assert.match(clean.stdout, /\nclean\n$/);
  assert.equal(clean.stderr, '', 'no progress in a pipe');

  await rm(blobPath(target.dir, seeded.charts['/app-1.1.0'] ?? ''));
  const broken = await charthouse(['check', '--storage', target.dir]);
  assert.equal(broken.code, 1);
  assert.match(
    broken.stdout,
    /problems \(1\):\n {2}missing-blob +[0-9a-f]{64} {2}missing, referenced by chart app 1\.1\.0/,
  );
  const json = await charthouse(['check', '--json', `--storage=${target.dir}`]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as CheckReport;
  assert.equal(report.clean, false);
  assert.deepEqual(
    report.problems.map((p) => p.kind),
    ['missing-blob'],
  );
});

test('check --repair and gc remove leftovers older than --grace; gc --dry-run removes nothing', async (t) => {
  const target = await buildTestApp(t);
  const seeded = await seedStore(target);
  await mkdir(join(target.dir, 'blobs', 'tmp'), { recursive: true });
  await writeFile(join(target.dir, 'blobs', 'tmp', 'crashed'), 'half');
  await age(target.dir, 2 * HOUR);

  const dry = await charthouse(['gc', '--dry-run', '--json', '--storage', target.dir]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(
    (JSON.parse(dry.stdout) as GcReport).removed.map((b) => b.digest),
    [seeded.orphan],
  );
  assert.ok(await target.stores.blobs.stat(seeded.orphan));

  const repair = await charthouse(['check', '--repair', '--grace', '1h', '--storage', target.dir]);
  assert.equal(repair.code, 0, repair.stderr);
  assert.match(repair.stdout, /orphan-blob .* \[removed\]/);
  assert.match(repair.stdout, /temporary-file +crashed .* \[removed\]/);
  const session = (await target.http.post('/v2/team/app/blobs/uploads/').expect(202)).headers[
    'docker-upload-uuid'
  ] as string;
  const idle = await charthouse(['check', '--upload-session-ttl', '1ms', '--storage', target.dir]);
  assert.equal(idle.code, 0, idle.stderr);
  assert.match(idle.stdout, new RegExp(`stale-upload +${session}  upload session in team/app, 0 bytes`));
  const swept = await charthouse(['check', '--repair', '--upload-session-ttl=1ms', '--storage', target.dir]);
  assert.match(swept.stdout, new RegExp(`stale-upload +${session} .* \\[removed\\]`));
  await target.http.get(`/v2/team/app/blobs/uploads/${session}`).expect(404);

  const gc = await charthouse(['gc', '--grace=0', '--storage', target.dir]);
  assert.equal(gc.code, 0);
  assert.match(gc.stdout, /^scanned 7 blobs: removed 0 \(0 B\), kept 7 referenced/);
});

test('backup and restore round-trip through the CLI, and their mistakes are one line', async (t) => {
  const target = await buildTestApp(t);
  await seedStore(target);
  const work = await mkdtemp(join(tmpdir(), 'charthouse-cli-backup-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const backup = await charthouse(['backup', join(work, 'copy'), '--storage', target.dir]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /blobs copied: 8 .*\n {2}database: 9 blob references, every one present/);
  const restore = await charthouse(['restore', join(work, 'copy'), '--storage', join(work, 'restored')]);
  assert.equal(restore.code, 0, restore.stderr);
  const check = await charthouse(['check', '--storage', join(work, 'restored')]);
  assert.equal(check.code, 0, check.stdout);

  const again = await charthouse(['restore', join(work, 'copy'), '--storage', join(work, 'restored')]);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /^charthouse: storage directory .* is not empty: stop the server, then restore with --force/,
  );
  const noDir = await charthouse(['backup', '--storage', target.dir]);
  assert.equal(noDir.code, 2);
  assert.equal(noDir.stderr, 'charthouse: backup takes one directory: charthouse backup DIR\n');
  const badGrace = await charthouse(['gc', '--grace', 'soon', '--storage', target.dir]);
  assert.equal(badGrace.code, 2);
  assert.match(badGrace.stderr, /^charthouse: invalid value for --grace: "soon" is not a duration/);
  // the same command line rules as `charthouse user|token|repo` (src/cli-args.ts)
  const jsonValue = await charthouse(['gc', '--json=false', '--storage', target.dir]);
  assert.equal(jsonValue.code, 2);
  assert.equal(jsonValue.stderr, 'charthouse: --json takes no value\n');
  const oneDash = await charthouse(['backup', '-storage', join(work, 'copy')]);
  assert.equal(oneDash.code, 2);
  assert.equal(oneDash.stderr, 'charthouse: unknown option -storage (did you mean --storage?)\n');
  const missing = await charthouse(['check', '--storage', join(work, 'nothing')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no Charthouse store in .*nothing: charthouse\.db is missing/);
});
