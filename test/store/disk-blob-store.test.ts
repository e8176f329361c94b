import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createDiskBlobStore } from '../../src/store/disk-blob-store.js';
import { blobStoreContract } from './blob-store.contract.js';

blobStoreContract('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-blobs-'));
  return {
    store: createDiskBlobStore(dir),
    leftovers: () => readdir(join(dir, 'blobs', 'tmp')).catch(() => []),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

// The directories are made when first missing, not checked on every upload: they must still be
// made again when something removes them while the server runs.
test('blobs are stored after their directories are removed under the running store', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-blobs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = createDiskBlobStore(dir);
  const put = async (text: string) => {
    const staged = await store.stage(Readable.from([Buffer.from(text)]));
    await staged.commit();
    return staged.digest;
  };
  const first = await put('first');
  await rm(join(dir, 'blobs'), { recursive: true });
  const second = await put('second');
  assert.equal(await text(await store.open(second)), 'second');
  assert.equal(await store.open(first), undefined);
  assert.deepEqual(await readdir(join(dir, 'blobs', 'tmp')), []);
});

async function text(stream: Readable | undefined): Promise<string> {
  assert.ok(stream, 'the blob is not stored');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
