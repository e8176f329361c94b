import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import { UploadOffsetConflict, type UploadSessionStore } from '../../src/store/upload-sessions.js';

export interface UploadSessionHarness {
  store: UploadSessionStore;
  /** Another instance over the same storage, as a second replica opens it (memory has none). */
  replica?(): UploadSessionStore;
  /** whatever the store keeps, to show that nothing is left */
  files(): Promise<string[]>;
}

type After = { after(fn: () => unknown): void };

export async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const body = (text: string) => Readable.from([Buffer.from(text)]);

/** The behaviour every UploadSessionStore promises; a backend's test calls this once. */
export function uploadSessionContract(
  kind: string,
  open: (t: After) => Promise<UploadSessionHarness>,
  options: { sharedByReplicas: boolean },
): void {
  describe(`${kind} UploadSessionStore contract`, () => {
    test('a session starts empty, grows by appended chunks and reads back in order', async (t) => {
      const { store } = await open(t);
      const id = await store.create('team/demo');
      assert.deepEqual(
        { ...(await store.get(id)), updated: 0 },
        { id, name: 'team/demo', size: 0, updated: 0 },
      );
      assert.equal(await store.append(id, body('abc')), 3);
      assert.equal(await store.append(id, Readable.from([])), 3);
      assert.equal(await store.append(id, body('de'), { offset: 3 }), 5);
      assert.equal(await readText(store.open(id)), 'abcde');
      const listed = await store.list();
      assert.deepEqual(
        listed.map((s) => [s.id, s.name, s.size]),
        [[id, 'team/demo', 5]],
      );
      assert.ok(Math.abs((listed[0]?.updated ?? 0) - Date.now()) < 60_000, 'updated is the last change');
    });

    test('a chunk that would pass maxBytes fails with UPLOAD_TOO_LARGE and leaves the session as it was', async (t) => {
      const { store } = await open(t);
      const id = await store.create('demo');
      await store.append(id, body('1234'), { maxBytes: 6 });
      await assert.rejects(store.append(id, body('567'), { maxBytes: 6 }), (err) =>
        isRegistryError(err, 'UPLOAD_TOO_LARGE'),
      );
      assert.equal((await store.get(id))?.size, 4);
      assert.equal(await readText(store.open(id)), '1234');
    });

    test('a chunk whose source fails midway leaves the session as it was', async (t) => {
      const { store } = await open(t);
      const id = await store.create('demo');
      await store.append(id, body('kept'));
      const failing = new Readable({
        read() {
          this.push(Buffer.from('lost'));
          this.destroy(new Error('client went away'));
        },
      });
      await assert.rejects(store.append(id, failing), /client went away/);
      assert.equal((await store.get(id))?.size, 4);
      assert.equal(await store.append(id, body('+more')), 9);
      assert.equal(await readText(store.open(id)), 'kept+more');
    });

    test('a chunk meant for another offset fails with UploadOffsetConflict and changes nothing', async (t) => {
      const { store } = await open(t);
      const id = await store.create('demo');
      await store.append(id, body('abc'));
      for (const offset of [0, 2, 4]) {
        await assert.rejects(store.append(id, body('x'), { offset }), UploadOffsetConflict);
      }
      assert.equal(await readText(store.open(id)), 'abc');
    });

    test('a removed session is gone with its bytes, and unknown ids are simply absent', async (t) => {
      const { store, files } = await open(t);
      const id = await store.create('demo');
      await store.append(id, body('x'));
      await store.remove(id);
      await store.remove(id);
      await store.remove('../../etc/passwd');
      assert.equal(await store.get(id), undefined);
      assert.equal(await store.get('../../etc/passwd'), undefined);
      await assert.rejects(store.append(id, body('y')), /does not exist/);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await files(), []);
    });

    if (!options.sharedByReplicas) return;

    test('a session opened on one replica is continued on a second and read back on a third', async (t) => {
      const harness = await open(t);
      assert.ok(harness.replica, 'a store shared by replicas can open a second instance');
      const id = await harness.store.create('team/shared');
      await harness.store.append(id, body('from A;'));
      const second = harness.replica();
      assert.equal((await second.get(id))?.size, 7);
      assert.equal(await second.append(id, body('from B'), { offset: 7 }), 13);
      const third = harness.replica();
      assert.deepEqual(
        { ...(await third.get(id)), updated: 0 },
        { id, name: 'team/shared', size: 13, updated: 0 },
      );
      assert.equal(await readText(third.open(id)), 'from A;from B');
      assert.deepEqual(
        (await third.list()).map((s) => s.id),
        [id],
      );
      await third.remove(id);
      assert.equal(await harness.store.get(id), undefined);
    });
  });
}
