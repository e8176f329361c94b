import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { CreateMultipartUploadCommand, HeadObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { isRegistryError } from '../../src/errors.js';
import type { BlobStore } from '../../src/store/blob-store.js';
import { createS3BlobStore } from '../../src/store/s3-blob-store.js';
import { createS3Client, type S3ClientOptions } from '../../src/store/s3-client.js';
import { closedPort } from '../support/closed-port.js';
import { freshBucket, testS3 } from '../support/engines.js';
import { blobStoreContract } from './blob-store.contract.js';

type After = { after(fn: () => unknown): void };
const MIB = 1024 * 1024;
const HOUR = 3_600_000;

const clientOptions = (): S3ClientOptions => {
  const s3 = testS3();
  return { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3 };
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function readAll(stream: Readable | undefined): Promise<Buffer> {
  assert.ok(stream, 'expected a stream');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** One replica: its own client and temp dir, on a shared bucket. */
async function replica(
  t: After,
  bucket: string,
  extra: { prefix?: string; multipartThreshold?: number; client?: S3ClientOptions } = {},
) {
  const client = createS3Client(extra.client ?? clientOptions());
  const tempDir = await mkdtemp(join(tmpdir(), 'charthouse-s3-staging-'));
  t.after(async () => {
    client.destroy();
    await rm(tempDir, { recursive: true, force: true });
  });
  const prefix = extra.prefix ?? 'charts';
  const store = createS3BlobStore({
    client,
    bucket,
    prefix,
    tempDir,
    multipartThreshold: extra.multipartThreshold,
  });
  return { client, store, tempDir };
}

async function commit(store: BlobStore, bytes: Buffer): Promise<string> {
  const staged = await store.stage(Readable.from([bytes]));
  await staged.commit();
  return staged.digest;
}

blobStoreContract('s3', async () => {
  const bucket = await freshBucket();
  const cleanups: Array<() => unknown> = [];
  const { store } = await replica({ after: (fn) => cleanups.push(fn) }, bucket);
  return {
    store,
    leftovers: async () => (await collect(store.listTemporary())).map((f) => f.id),
    close: async () => {
      for (const fn of cleanups) await fn();
    },
  };
});

describe('S3 BlobStore', () => {
  test('a blob above the multipart threshold goes up in parts and reads back whole and by range', async (t) => {
    const bucket = await freshBucket();
    const { client, store } = await replica(t, bucket, { multipartThreshold: MIB });
    const bytes = randomBytes(6 * MIB);
    const digest = await commit(store, bytes);
    assert.equal(digest, createHash('sha256').update(bytes).digest('hex'));
    const key = `charts/blobs/sha256/${digest.slice(0, 2)}/${digest}`;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.match(head.ETag ?? '', /-2"$/, 'a multipart ETag names its part count');
    assert.deepEqual(await store.stat(digest), { size: bytes.length });
    assert.ok((await readAll(await store.open(digest))).equals(bytes));
    const range = { start: 5 * MIB - 3, end: 5 * MIB + 3 };
    assert.ok(
      (await readAll(await store.open(digest, range))).equals(bytes.subarray(range.start, range.end + 1)),
    );
    assert.deepEqual(await collect(store.listTemporary()), []);
  });

  test('two replicas committing the same digest at once keep one blob that both can read', async (t) => {
    const bucket = await freshBucket();
    const a = await replica(t, bucket, { multipartThreshold: MIB });
    const b = await replica(t, bucket, { multipartThreshold: MIB });
    for (const bytes of [Buffer.from('the same chart, twice'), randomBytes(6 * MIB)]) {
      const staged = await Promise.all([
        a.store.stage(Readable.from([bytes])),
        b.store.stage(Readable.from([bytes])),
      ]);
      await Promise.all(staged.map((s) => s.commit()));
      const digest = staged[0]?.digest ?? '';
      assert.ok((await readAll(await a.store.open(digest))).equals(bytes));
      assert.ok((await readAll(await b.store.open(digest))).equals(bytes));
    }
    assert.equal((await collect(a.store.list())).length, 2);
    assert.deepEqual(await collect(a.store.listTemporary()), []);
    assert.deepEqual(await collect(b.store.listTemporary()), []);
  });

  test('a blob committed by one replica is visible to another at once, and a prefix keeps stores apart', async (t) => {
    const bucket = await freshBucket();
    const writer = await replica(t, bucket);
    const reader = await replica(t, bucket);
    const elsewhere = await replica(t, bucket, { prefix: 'other/place' });
    const digest = await commit(writer.store, Buffer.from('published on replica A'));
    assert.deepEqual(await reader.store.stat(digest), { size: 22 });
    assert.equal(
      (await readAll(await reader.store.open(digest, { start: 13, end: 21 }))).toString(),
      'replica A',
    );
    assert.deepEqual(await collect(reader.store.list()), [digest]);
    assert.equal(await elsewhere.store.stat(digest), undefined);
    assert.deepEqual(await collect(elsewhere.store.list()), []);
  });

  test('a new commit of stored bytes renews their commit time, so deleteIfOlder keeps them', async (t) => {
    const { store } = await replica(t, await freshBucket());
    const bytes = Buffer.from('published, deleted from the index, published again');
    const digest = await commit(store, bytes);
    const first = await store.committedAt(digest);
    assert.ok(first);
    // S3 keeps LastModified to the second: wait past it so the renewal can show
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await commit(store, bytes);
    const second = await store.committedAt(digest);
    assert.ok(
      second && second.getTime() > first.getTime(),
      `${second?.toISOString()} after ${first.toISOString()}`,
    );
    assert.equal(await store.deleteIfOlder(digest, new Date(first.getTime() + 1)), false);
    assert.equal(await store.deleteIfOlder(digest, new Date(Date.now() - HOUR)), false);
    assert.equal(await store.deleteIfOlder(digest, new Date(Date.now() + HOUR)), true);
    assert.equal(await store.stat(digest), undefined);
    assert.equal(await store.committedAt(digest), undefined);
    assert.equal(await store.deleteIfOlder(digest, new Date(Date.now() + HOUR)), false);
  });

  test('an abandoned multipart upload is a temporary file that gc removes only after its cutoff', async (t) => {
    const bucket = await freshBucket();
    const { client, store } = await replica(t, bucket);
    const key = `charts/blobs/sha256/ab/${'ab'.repeat(32)}`;
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.from('half') }),
    );
    const [found, ...rest] = await collect(store.listTemporary());
    assert.deepEqual(rest, []);
    assert.equal(found?.id, `multipart:${key}#${UploadId}`);
    assert.equal(found?.size, 4);
    assert.ok(found && Math.abs(found.modified.getTime() - Date.now()) < HOUR);
    assert.equal(await store.removeTemporary(found.id, new Date(Date.now() - HOUR)), false);
    assert.equal(
      await store.removeTemporary(`multipart:other/${key}#${UploadId}`, new Date(Date.now() + HOUR)),
      false,
    );
    assert.equal(await store.removeTemporary(found.id, new Date(Date.now() + HOUR)), true);
    assert.deepEqual(await collect(store.listTemporary()), []);
    assert.equal(await store.removeTemporary(found.id, new Date(Date.now() + HOUR)), false);
  });

  test('a store that cannot be reached fails with STORE_UNAVAILABLE and keeps the staged bytes until discarded', async (t) => {
    const port = await closedPort();
    const { store } = await replica(t, 'unreachable', {
      client: {
        ...clientOptions(),
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
        connectionTimeout: 1000,
      },
    });
    const unavailable = (err: unknown) =>
      isRegistryError(err, 'STORE_UNAVAILABLE') &&
      /blob store is unavailable: ECONNREFUSED/.test(err.message);
    await assert.rejects(store.stat('a'.repeat(64)), unavailable);
    await assert.rejects(store.open('a'.repeat(64)), unavailable);
    await assert.rejects(collect(store.list()), unavailable);
    const staged = await store.stage(Readable.from([Buffer.from('not acknowledged')]));
    await assert.rejects(staged.commit(), unavailable);
    assert.equal((await readAll(staged.open())).toString(), 'not acknowledged');
    await staged.discard();
    await assert.rejects(collect(store.listTemporary()), unavailable);
  });
});
