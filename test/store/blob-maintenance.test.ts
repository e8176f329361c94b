import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import type { BlobStore } from '../../src/store/blob-store.js';
import { createDiskBlobStore } from '../../src/store/disk-blob-store.js';
import { createMemoryBlobStore } from '../support/memory-blob-store.js';

const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.now() + ms);

async function commit(store: BlobStore, text: string): Promise<string> {
  const staged = await store.stage(Readable.from([Buffer.from(text)]));
  await staged.commit();
  return staged.digest;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const stores: Array<[string, (t: { after(fn: () => unknown): void }) => Promise<BlobStore>]> = [
  ['memory', async () => createMemoryBlobStore()],
  [
    'disk',
    async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'charthouse-blobs-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      return createDiskBlobStore(dir);
    },
  ],
];

for (const [name, open] of stores) {
  describe(`${name} BlobStore maintenance`, () => {
    test('committedAt is the commit time; deleteIfOlder removes only blobs committed before the cutoff', async (t) => {
      const store = await open(t);
      const before = Date.now();
      const digest = await commit(store, 'aging bytes');
      const at = await store.committedAt(digest);
      assert.ok(at && at.getTime() >= before - 1000 && at.getTime() <= Date.now() + 1000);
      assert.equal(await store.committedAt('0'.repeat(64)), undefined);
      assert.equal(await store.deleteIfOlder(digest, new Date(before - HOUR)), false);
      assert.ok(await store.stat(digest));
      assert.equal(await store.deleteIfOlder(digest, later(HOUR)), true);
      assert.equal(await store.stat(digest), undefined);
      assert.equal(await store.deleteIfOlder(digest, later(HOUR)), false);
    });

    test('a stage in progress or discarded leaves no temporary file listed once settled', async (t) => {
      const store = await open(t);
      const staged = await store.stage(Readable.from([Buffer.from('pending')]));
      await staged.discard();
      assert.deepEqual(await collect(store.listTemporary()), []);
      assert.equal(await store.removeTemporary('nothing-here', later(HOUR)), false);
    });
  });
}

describe('disk BlobStore maintenance', () => {
  async function disk(t: { after(fn: () => unknown): void }) {
    const dir = await mkdtemp(join(tmpdir(), 'charthouse-blobs-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    return { dir, store: createDiskBlobStore(dir) };
  }

  test('committing bytes already stored renews their commit time, so gc keeps them', async (t) => {
    const { dir, store } = await disk(t);
    const digest = await commit(store, 'published twice');
    const path = join(dir, 'blobs', 'sha256', digest.slice(0, 2), digest);
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await utimes(path, twoHoursAgo, twoHoursAgo);
    assert.ok(((await store.committedAt(digest))?.getTime() ?? 0) < Date.now() - HOUR);
    // A new publish of the same bytes stages and commits them again.
    await commit(store, 'published twice');
    assert.equal(await store.deleteIfOlder(digest, new Date(Date.now() - HOUR)), false);
    assert.ok(await store.stat(digest));
  });

  test('temporary files are listed with size and age, and removed only when older than the cutoff', async (t) => {
    const { dir, store } = await disk(t);
    const tmp = join(dir, 'blobs', 'tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'left-by-a-crash'), 'half an upload');
    await writeFile(join(tmp, 'in-progress'), 'x');
    const old = new Date(Date.now() - 2 * HOUR);
    await utimes(join(tmp, 'left-by-a-crash'), old, old);
    const listed = await collect(store.listTemporary());
    assert.deepEqual(
      listed.map((f) => [f.id, f.size]),
      [
        ['in-progress', 1],
        ['left-by-a-crash', 14],
      ],
    );
    const cutoff = new Date(Date.now() - HOUR);
    assert.equal(await store.removeTemporary('in-progress', cutoff), false);
    assert.equal(await store.removeTemporary('left-by-a-crash', cutoff), true);
    assert.equal(await store.removeTemporary('../charthouse.db', later(HOUR)), false);
    assert.deepEqual(await readdir(tmp), ['in-progress']);
  });

  test('deleteIfOlder leaves no file of its own behind, removed or kept', async (t) => {
    const { dir, store } = await disk(t);
    const kept = await commit(store, 'kept');
    const gone = await commit(store, 'gone');
    assert.equal(await store.deleteIfOlder(kept, new Date(Date.now() - HOUR)), false);
    assert.equal(await store.deleteIfOlder(gone, later(HOUR)), true);
    assert.deepEqual(await readdir(join(dir, 'blobs', 'tmp')).catch(() => []), []);
    assert.deepEqual(await collect(store.list()), [kept]);
  });
});
