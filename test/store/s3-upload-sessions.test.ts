import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isRegistryError } from '../../src/errors.js';
import { createS3Client } from '../../src/store/s3-client.js';
import { createS3UploadSessions } from '../../src/store/s3-upload-sessions.js';
import { UploadOffsetConflict } from '../../src/store/upload-sessions.js';
import { closedPort } from '../support/closed-port.js';
import { freshBucket, testS3 } from '../support/engines.js';
import { readText, uploadSessionContract } from './upload-sessions.contract.js';

type After = { after(fn: () => unknown): void };
const PREFIX = 'charts';

function client(t: After, endpoint?: string): S3Client {
  const s3 = testS3();
  const created = createS3Client({
    endpoint: endpoint ?? s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: s3,
    ...(endpoint ? { maxAttempts: 1, connectionTimeout: 1000 } : {}),
  });
  t.after(() => created.destroy());
  return created;
}

/** A replica's session store: its own S3 client, the shared bucket. */
const replica = (t: After, bucket: string) =>
  createS3UploadSessions({ client: client(t), bucket, prefix: PREFIX });

async function keys(s3: S3Client, bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${PREFIX}/uploads/` }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

uploadSessionContract(
  's3',
  async (t) => {
    const bucket = await freshBucket();
    return {
      store: replica(t, bucket),
      replica: () => replica(t, bucket),
      files: () => keys(client(t), bucket),
    };
  },
  { sharedByReplicas: true },
);

describe('S3 UploadSessionStore', () => {
  test('two replicas appending at the same offset at once: one chunk lands, the other is refused', async (t) => {
    const bucket = await freshBucket();
    const a = replica(t, bucket);
    const b = replica(t, bucket);
    const id = await a.create('race');
    await a.append(id, Readable.from([Buffer.from('head:')]));
    const outcomes = await Promise.allSettled([
      a.append(id, Readable.from([Buffer.from('AAAA')]), { offset: 5 }),
      b.append(id, Readable.from([Buffer.from('BBBBBB')]), { offset: 5 }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(won.length, 1, JSON.stringify(outcomes));
    assert.ok(lost[0]?.reason instanceof UploadOffsetConflict, String(lost[0]?.reason));
    const content = await readText(b.open(id));
    assert.ok(content === 'head:AAAA' || content === 'head:BBBBBB', content);
    assert.equal((await a.get(id))?.size, content.length);
    assert.equal(won[0]?.value, content.length);
  });

  test('chunks read back in byte order past nine of them, streamed one object at a time', async (t) => {
    const bucket = await freshBucket();
    const store = replica(t, bucket);
    const id = await store.create('many');
    const parts = Array.from({ length: 12 }, (_, i) => `<${i}>`);
    for (const part of parts) await store.append(id, Readable.from([Buffer.from(part)]));
    assert.equal(await readText(store.open(id)), parts.join(''));
    assert.equal((await keys(client(t), bucket)).length, 13);
  });

  test('chunks without their info object still list, nameless, so the expiry sweep removes them', async (t) => {
    const bucket = await freshBucket();
    const s3 = client(t);
    const store = createS3UploadSessions({ client: s3, bucket, prefix: PREFIX });
    const id = '0b7c8a52-3f0e-4d53-9a41-7d1c1c4f5e10';
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${PREFIX}/uploads/${id}/${'0'.repeat(16)}`,
        Body: 'orphan',
      }),
    );
    assert.equal(await store.get(id), undefined);
    assert.deepEqual(
      (await store.list()).map((s) => [s.id, s.name, s.size]),
      [[id, '', 6]],
    );
    await store.remove(id);
    assert.deepEqual(await keys(s3, bucket), []);
  });

  test('a bucket that cannot be reached fails with STORE_UNAVAILABLE', async (t) => {
    const store = createS3UploadSessions({
      client: client(t, `http://127.0.0.1:${await closedPort()}`),
      bucket: 'none',
      prefix: '',
    });
    const unavailable = (err: unknown) => isRegistryError(err, 'STORE_UNAVAILABLE');
    await assert.rejects(store.create('demo'), unavailable);
    await assert.rejects(store.get('0b7c8a52-3f0e-4d53-9a41-7d1c1c4f5e10'), unavailable);
    await assert.rejects(store.list(), unavailable);
    await assert.rejects(readText(store.open('0b7c8a52-3f0e-4d53-9a41-7d1c1c4f5e10')), unavailable);
  });
});
