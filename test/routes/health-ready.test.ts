import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config/config.js';
import { createServices } from '../../src/services.js';
import { openLocalStores } from '../../src/store/open-stores.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import {
  freshBucket,
  freshDatabase,
  postgresAdminUrl,
  s3Env,
  testS3,
  testS3Client,
} from '../support/engines.js';

Object.assign(process.env, s3Env());

async function sharedApp(t: TestContext) {
  const [database, bucket] = await Promise.all([freshDatabase(), freshBucket()]);
  const built = await buildTestApp(t, {
    database,
    blobStore: `s3://${bucket}/charts`,
    s3Endpoint: testS3().endpoint,
    s3ForcePathStyle: true,
  });
  return { ...built, database, bucket };
}

async function ready(app: { inject(o: { url: string }): Promise<{ statusCode: number; body: string }> }) {
  const response = await app.inject({ url: '/ready' });
  return {
    status: response.statusCode,
    body: JSON.parse(response.body) as { ready: boolean; failed: unknown[] },
  };
}

async function onAdminDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

test('/ready answers 200 on SQLite and disk once the stores answer, and leaves no probe bytes behind', async (t) => {
  const { app, stores } = await buildTestApp(t);
  assert.deepEqual(await ready(app), { status: 200, body: { ready: true, failed: [] } });
  const temporary = [];
  for await (const file of stores.blobs.listTemporary()) temporary.push(file);
  assert.deepEqual(temporary, [], 'the write probe was discarded');
  const blobs = [];
  for await (const digest of stores.blobs.list()) blobs.push(digest);
  assert.deepEqual(blobs, [], 'and never committed');
});

test('/ready answers 503 naming the blob store when the disk takes no write, and /health stays 200', async (t) => {
  const { app, dir } = await buildTestApp(t);
  await rm(join(dir, 'blobs'), { recursive: true, force: true });
  await writeFile(join(dir, 'blobs'), 'a file where the blob directory was');
  const { status, body } = await ready(app);
  assert.equal(status, 503);
  assert.deepEqual(body, {
    ready: false,
    failed: [{ check: 'blob-store', message: 'the blob store did not take a write' }],
  });
  assert.ok(!JSON.stringify(body).includes(dir), 'a filesystem path reached the answer');
  assert.equal((await app.inject({ url: '/health' })).statusCode, 200, 'liveness does not check the stores');
});

test('/ready answers 503 when the SQLite schema is not the one this build knows', async (t) => {
  const { app, stores } = await buildTestApp(t);
  const { known } = await stores.meta.schemaStatus();
  (stores.meta as unknown as { db: { pragma(s: string): unknown } }).db.pragma(`user_version = ${known + 1}`);
  const { status, body } = await ready(app);
  assert.equal(status, 503);
  assert.equal(body.failed.length, 1);
  assert.match(JSON.stringify(body.failed[0]), /"check":"migrations".*newer than this build knows/);
});

test('/ready on PostgreSQL and S3: 200, then 503 for a future migration, a dropped database and a deleted bucket', async (t) => {
  const { app, database, bucket } = await sharedApp(t);
  assert.deepEqual(await ready(app), { status: 200, body: { ready: true, failed: [] } });
  const name = new URL(database).pathname.slice(1);

  const future = await buildTestApp(t, { database });
  const pool = new pg.Pool({ connectionString: database });
  await pool.query("INSERT INTO schema_migrations (number, file) VALUES (9999, '9999_future.sql')");
  await pool.end();
  const migrations = await ready(future.app);
  assert.equal(migrations.status, 503);
  assert.match(JSON.stringify(migrations.body.failed), /"check":"migrations"/);

  const s3 = testS3Client();
  t.after(() => s3.destroy());
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key ?? '' }));
  if (objects.length > 0)
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  await onAdminDatabase((client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));

  // the other app's answer is cached for a few seconds; a fresh probe reads the stores again
  await new Promise((resolve) => setTimeout(resolve, 3100));
  const gone = await ready(app);
  assert.equal(gone.status, 503);
  assert.deepEqual(gone.body.failed, [
    { check: 'database', message: 'the database did not answer' },
    { check: 'blob-store', message: 'the blob store did not take a write' },
  ]);
  assert.ok(!JSON.stringify(gone.body).includes(name) && !JSON.stringify(gone.body).includes(bucket));
  assert.equal((await app.inject({ url: '/health' })).statusCode, 200);
});

test('/ready answers 503 once the server is shutting down', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-ready-'));
  const config = defaultConfig({ storage: dir, logLevel: 'silent' });
  const stores = openLocalStores(config);
  t.after(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });
  const app = await buildApp({ config, ...createServices(stores, config) });
  let answered: number | undefined;
  // registered after the health routes' own preClose hook, so it runs once closing has begun
  app.addHook('preClose', async () => {
    answered = (await fetch(`${url}/ready`)).status;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  assert.equal((await fetch(`${url}/ready`)).status, 200);
  await app.close();
  assert.equal(answered, 503);
});
