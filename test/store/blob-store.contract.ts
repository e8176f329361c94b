import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import type { BlobStore } from '../../src/store/blob-store.js';

export interface BlobStoreHarness {
  store: BlobStore;
  /** names of temporary files left behind, for stores that have them */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable | undefined): Promise<Buffer> {
  assert.ok(stream, 'expected a stream');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The behaviour every BlobStore implementation promises; a backend's test calls this once. */
export function blobStoreContract(name: string, open: () => Promise<BlobStoreHarness>): void {
  describe(`${name} BlobStore contract`, () => {
    async function harness(t: { after(fn: () => unknown): void }) {
      const h = await open();
      t.after(async () => {
        assert.deepEqual(await h.leftovers(), [], 'the store left temporary files behind');
        await h.close();
      });
      return h;
    }

    test('a staged blob is hashed, readable back, and invisible until committed', async (t) => {
      const { store } = await harness(t);
      const bytes = Buffer.from('chart bytes');
      const staged = await store.stage(Readable.from([bytes]));
      assert.equal(staged.digest, hex(bytes));
      assert.equal(staged.size, bytes.length);
      assert.deepEqual(await readAll(staged.open()), bytes);
      assert.equal(await store.stat(staged.digest), undefined);
      await staged.commit();
      assert.deepEqual(await store.stat(staged.digest), { size: bytes.length });
      assert.deepEqual(await readAll(await store.open(staged.digest)), bytes);
    });

    test('a discarded blob leaves nothing behind', async (t) => {
      const { store } = await harness(t);
      const staged = await store.stage(Readable.from([Buffer.from('discard me')]));
      await staged.discard();
      await staged.discard();
      assert.equal(await store.stat(staged.digest), undefined);
      assert.deepEqual(await collect(store.list()), []);
    });

    test('committing a digest that is already stored keeps one copy', async (t) => {
      const { store } = await harness(t);
      const bytes = Buffer.from('same bytes');
      const first = await store.stage(Readable.from([bytes]));
      const second = await store.stage(Readable.from([bytes]));
      await first.commit();
      await second.commit();
      assert.deepEqual(await collect(store.list()), [hex(bytes)]);
    });

    test('a source larger than maxBytes fails with UPLOAD_TOO_LARGE and stores nothing', async (t) => {
      const { store } = await harness(t);
      await assert.rejects(
        store.stage(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), { maxBytes: 15 }),
        (err) => isRegistryError(err, 'UPLOAD_TOO_LARGE'),
      );
      assert.deepEqual(await collect(store.list()), []);
    });

    test('a source that fails midway stores nothing', async (t) => {
      const { store } = await harness(t);
      const failing = new Readable({
        read() {
          this.push(Buffer.from('partial'));
          this.destroy(new Error('client went away'));
        },
      });
      await assert.rejects(store.stage(failing), /client went away/);
      assert.deepEqual(await collect(store.list()), []);
    });

    test('a range read returns the inclusive byte range', async (t) => {
      const { store } = await harness(t);
      const staged = await store.stage(Readable.from([Buffer.from('0123456789')]));
      await staged.commit();
      assert.equal((await readAll(await store.open(staged.digest, { start: 2, end: 5 }))).toString(), '2345');
    });

    test('unknown digests are absent, and delete reports whether it removed anything', async (t) => {
      const { store } = await harness(t);
      const missing = 'a'.repeat(64);
      assert.equal(await store.stat(missing), undefined);
      assert.equal(await store.open(missing), undefined);
      assert.equal(await store.delete(missing), false);
      const staged = await store.stage(Readable.from([Buffer.from('x')]));
      await staged.commit();
      assert.equal(await store.delete(staged.digest), true);
      assert.equal(await store.stat(staged.digest), undefined);
    });
  });
}

async function collect(items: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item);
  return out.sort();
}
