import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import { createMemoryUploadSessions } from '../../src/store/memory-upload-sessions.js';
import { createDiskUploadSessions, type UploadSessionStore } from '../../src/store/upload-sessions.js';

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

type Open = (t: {
  after(fn: () => unknown): void;
}) => Promise<{ store: UploadSessionStore; files(): Promise<string[]> }>;

function uploadSessionContract(kind: string, open: Open) {
  describe(`${kind} UploadSessionStore`, () => {
    test('a session starts empty, grows by appended chunks and reads back in order', async (t) => {
      const { store } = await open(t);
      const id = await store.create('team/demo');
      assert.deepEqual(
        { ...(await store.get(id)), updated: 0 },
        { id, name: 'team/demo', size: 0, updated: 0 },
      );
      assert.equal(await store.append(id, Readable.from([Buffer.from('abc')])), 3);
      assert.equal(await store.append(id, Readable.from([Buffer.from('de')])), 5);
      assert.equal(await readAll(store.open(id)), 'abcde');
      assert.deepEqual(
        (await store.list()).map((s) => s.id),
        [id],
      );
    });

    test('a chunk that would pass maxBytes fails with UPLOAD_TOO_LARGE and leaves the session as it was', async (t) => {
      const { store } = await open(t);
      const id = await store.create('demo');
      await store.append(id, Readable.from([Buffer.from('1234')]), { maxBytes: 6 });
      await assert.rejects(store.append(id, Readable.from([Buffer.from('567')]), { maxBytes: 6 }), (err) =>
        isRegistryError(err, 'UPLOAD_TOO_LARGE'),
      );
      assert.equal((await store.get(id))?.size, 4);
      assert.equal(await readAll(store.open(id)), '1234');
    });

    test('a removed session is gone with its bytes, and unknown ids are simply absent', async (t) => {
      const { store, files } = await open(t);
      const id = await store.create('demo');
      await store.append(id, Readable.from([Buffer.from('x')]));
      await store.remove(id);
      await store.remove(id);
      assert.equal(await store.get(id), undefined);
      assert.equal(await store.get('../../etc/passwd'), undefined);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await files(), []);
    });
  });
}

uploadSessionContract('disk', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-uploads-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return {
    store: createDiskUploadSessions(join(dir, 'uploads')),
    files: () => readdir(join(dir, 'uploads')),
  };
});

uploadSessionContract('memory', async () => {
  const store = createMemoryUploadSessions();
  return { store, files: async () => (await store.list()).map((s) => s.id) };
});
