import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { type Config, defaultConfig } from '../../src/config/config.js';
import { runMaintenanceCommand } from '../../src/maintenance/commands.js';
import { migrateStore } from '../../src/maintenance/migrate-store.js';
import type { Progress } from '../../src/maintenance/progress.js';
import { createServices } from '../../src/services.js';
import { openStores, type StoreConfig } from '../../src/store/open-stores.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { runCharthouse } from '../support/child-server.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from '../support/engines.js';
import { seedFullStore, servedState } from './migrate-fixture.js';

// the AWS SDK reads its credentials from the environment, as the server does
Object.assign(process.env, s3Env());

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh PostgreSQL database and bucket, as a store configuration. */
async function sharedStore(t: TestContext): Promise<StoreConfig> {
  const [database, bucket] = await Promise.all([freshDatabase(), freshBucket()]);
  return {
    storage: await tempDir(t, 'charthouse-scratch-'),
    database,
    blobStore: `s3://${bucket}/charts`,
    s3Endpoint: testS3().endpoint,
    s3ForcePathStyle: true,
  };
}

const s3Flags = (store: StoreConfig) => [
  '--database',
  store.database ?? '',
  '--blob-store',
  store.blobStore ?? '',
  '--s3-endpoint',
  store.s3Endpoint ?? '',
  '--s3-force-path-style',
  '--storage',
  store.storage,
];

/** The app on a store configuration, as `serve` builds it. */
async function serveStore(t: TestContext, store: StoreConfig) {
  const config: Config = defaultConfig({ ...store, logLevel: 'silent' });
  const stores = await openStores(config);
  const app = await buildApp({ config, ...createServices(stores, config) });
  await app.ready();
  t.after(async () => {
    await app.close();
    await stores.close();
  });
  return supertest(app.server);
}

function captureIo() {
  const out = { stdout: '', stderr: '' };
  const io = {
    env: {},
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  return { out, io };
}

test('a store moves from SQLite and disk to PostgreSQL and S3 and back, serving the same everything', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const before = await servedState(live.http, seed);
  const shared = await sharedStore(t);

  const up = await migrateStore({ from: { storage: live.dir }, to: shared });
  assert.deepEqual(up.problems, []);
  assert.equal(up.rows.versions?.copied, 5);
  assert.deepEqual(await servedState(await serveStore(t, shared), seed), before);

  const again = await migrateStore({ from: { storage: live.dir }, to: shared });
  assert.equal(again.blobs.copied, 0);
  for (const [table, counts] of Object.entries(again.rows))
    assert.equal(counts.copied, 0, `${table} copied again`);

  const down = join(await tempDir(t, 'charthouse-down-'), 'storage');
  const back = await migrateStore({ from: shared, to: { storage: down } });
  assert.deepEqual(back.problems, []);
  assert.equal(back.blobs.copied, up.blobs.copied);
  const final = await buildTestApp(t, { storage: down });
  assert.deepEqual(await servedState(final.http, seed), before);

  // check and gc go through the store interfaces, on PostgreSQL and S3 alike
  const check = captureIo();
  assert.equal(
    await runMaintenanceCommand('check', [...s3Flags(shared), '--json'], check.io),
    0,
    check.out.stdout,
  );
  const gc = captureIo();
  assert.equal(await runMaintenanceCommand('gc', [...s3Flags(shared), '--json'], gc.io), 0, gc.out.stderr);
  const kept = JSON.parse(gc.out.stdout) as { removed: unknown[]; recent: number };
  assert.deepEqual(kept.removed, [], 'the orphan was committed within the grace period');
  assert.ok(kept.recent >= 1);
  const swept = captureIo();
  assert.equal(
    await runMaintenanceCommand('gc', [...s3Flags(shared), '--json', '--grace', '0'], swept.io),
    0,
  );
  const removed = (JSON.parse(swept.out.stdout) as { removed: Array<{ digest: string }> }).removed;
  assert.deepEqual(
    removed.map((blob) => blob.digest),
    [seed.orphan],
  );
});

test('a migration into PostgreSQL and S3 cut short finishes when run again', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const shared = await sharedStore(t);
  let pages = 0;
  let phase = '';
  const interrupting: Progress = {
    start(label) {
      phase = label;
    },
    advance() {
      if (phase === 'rows' && ++pages === 3) throw new Error('interrupted');
    },
    done() {},
  };
  await assert.rejects(
    migrateStore({ from: { storage: live.dir }, to: shared, progress: interrupting }),
    /interrupted/,
  );
  const resumed = await migrateStore({ from: { storage: live.dir }, to: shared });
  assert.deepEqual(resumed.problems, []);
  assert.equal(resumed.rows.versions?.present, 5);
  assert.equal(resumed.rows.users?.copied, 2);
  assert.deepEqual(await servedState(await serveStore(t, shared), seed), await servedState(live.http, seed));
});

test('backup of PostgreSQL and S3 writes a storage directory, and restore into a fresh pair round-trips', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const before = await servedState(live.http, seed);
  const shared = await sharedStore(t);
  assert.deepEqual((await migrateStore({ from: { storage: live.dir }, to: shared })).problems, []);

  const backupDir = join(await tempDir(t, 'charthouse-backup-'), 'copy');
  const backup = captureIo();
  assert.equal(await runMaintenanceCommand('backup', [...s3Flags(shared), backupDir], backup.io), 0);
  assert.match(backup.out.stdout, /^backup: /);
  const refused = captureIo();
  assert.equal(await runMaintenanceCommand('backup', [...s3Flags(shared), backupDir], refused.io), 1);
  assert.match(refused.out.stderr, /is not empty/);
  assert.deepEqual(await servedState((await buildTestApp(t, { storage: backupDir })).http, seed), before);

  const restoredStore = await sharedStore(t);
  const restore = captureIo();
  assert.equal(
    await runMaintenanceCommand('restore', [...s3Flags(restoredStore), backupDir], restore.io),
    0,
    restore.out.stderr,
  );
  assert.deepEqual(await servedState(await serveStore(t, restoredStore), seed), before);

  const again = captureIo();
  assert.equal(await runMaintenanceCommand('restore', [...s3Flags(restoredStore), backupDir], again.io), 1);
  assert.match(again.out.stderr, /is not empty: stop the servers, then restore with --force/);
  const forced = captureIo();
  assert.equal(
    await runMaintenanceCommand('restore', [...s3Flags(restoredStore), '--force', backupDir], forced.io),
    0,
  );
  assert.deepEqual(await servedState(await serveStore(t, restoredStore), seed), before);
});

test('a second gc on the same PostgreSQL store refuses while the first holds the lock', async (t) => {
  const shared = await sharedStore(t);
  const stores = await openStores(shared);
  t.after(() => stores.close());
  const release = await stores.lockTask?.('gc');
  assert.ok(release, 'the first gc takes the lock');
  assert.equal(await stores.lockTask?.('gc'), undefined, 'the lock is not taken twice');

  const second = captureIo();
  assert.equal(await runMaintenanceCommand('gc', s3Flags(shared), second.io), 1);
  assert.match(second.out.stderr, /another gc is running/);

  await release();
  const after = captureIo();
  assert.equal(await runMaintenanceCommand('gc', s3Flags(shared), after.io), 0, after.out.stderr);
});

test('charthouse migrate-store moves a storage directory onto PostgreSQL, prints a summary, and a re-run copies nothing', async (t) => {
  const live = await buildTestApp(t);
  const seed = await seedFullStore(live);
  const database = await freshDatabase();
  const blobs = await tempDir(t, 'charthouse-pg-blobs-');
  const args = ['migrate-store', '--from', live.dir, '--to', database, '--to-storage', blobs];

  const first = await runCharthouse(args);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^migrate-store: .* → postgres:\/\//);
  assert.match(first.stdout, /versions: +copied 5, already there: 0/);
  assert.equal(first.stderr, '', 'no progress bar in a pipe');
  const second = await runCharthouse([...args, '--json']);
  assert.equal(second.code, 0, second.stderr);
  const report = JSON.parse(second.stdout) as {
    rows: Record<string, { copied: number }>;
    blobs: { copied: number };
  };
  assert.equal(report.blobs.copied, 0);
  assert.deepEqual(
    Object.values(report.rows).map((counts) => counts.copied),
    Object.values(report.rows).map(() => 0),
  );
  const served = await serveStore(t, { storage: blobs, database });
  assert.deepEqual(await servedState(served, seed), await servedState(live.http, seed));
});

test('charthouse migrate-store names what is wrong with its sides', async () => {
  const noFrom = await runCharthouse(['migrate-store', '--to', '/tmp/x']);
  assert.equal(noFrom.code, 2);
  assert.match(noFrom.stderr, /--from is required/);
  const noBlobs = await runCharthouse(['migrate-store', '--from', '/tmp/x', '--to', 'postgres://h/db']);
  assert.equal(noBlobs.code, 2);
  assert.match(noBlobs.stderr, /--to names a database, not where its blobs are: add --to-blob-store/);
  const missing = await runCharthouse(['migrate-store', '--from', '/nonexistent/store', '--to', '/tmp/x']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no Charthouse store in \/nonexistent\/store: charthouse.db is missing/);
});
