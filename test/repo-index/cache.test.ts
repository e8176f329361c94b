import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createIndexCache, type IndexSnapshot } from '../../src/repo-index/cache.js';

const UPDATED = '2024-05-01T12:00:00Z';

/** A renderer over a mutable "store": counts calls and returns the current text and revision. */
function fakeStore(initial: { text: string; revision: number }) {
  const state = { ...initial, calls: 0, repositories: [] as string[] };
  const render = async (repository: string): Promise<IndexSnapshot> => {
    state.calls++;
    state.repositories.push(repository);
    return { text: state.text, updated: UPDATED, revision: state.revision };
  };
  return { state, render };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createIndexCache', () => {
  test('repeated gets at the same revision render once', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1);
    const second = await cache.get('', 1);
    const third = await cache.get('', 1);
    assert.equal(state.calls, 1);
    assert.strictEqual(second, first);
    assert.strictEqual(third, first);
  });

  test('a get at an older revision is served from a newer render', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 5 });
    const cache = createIndexCache(render);
    await cache.get('', 5);
    await cache.get('', 3);
    assert.equal(state.calls, 1);
  });

  test('a render that read newer rows also serves that newer revision', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 7 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 4);
    assert.equal(first.revision, 7);
    assert.strictEqual(await cache.get('', 7), first);
    assert.equal(state.calls, 1);
  });

  test('the index is rendered again when the revision moves', async () => {
    const { state, render } = fakeStore({ text: 'one\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1);
    state.text = 'two\n';
    state.revision = 2;
    const second = await cache.get('', 2);
    assert.equal(state.calls, 2);
    assert.equal(first.body.toString('utf8'), 'one\n');
    assert.equal(second.body.toString('utf8'), 'two\n');
    assert.equal(second.revision, 2);
    assert.strictEqual(await cache.get('', 2), second);
    assert.equal(state.calls, 2);
  });

  test('each repository has its own cache entry', async () => {
    const { state, render } = fakeStore({ text: 'x\n', revision: 1 });
    const cache = createIndexCache(render);
    await cache.get('team/a', 1);
    await cache.get('team/b', 1);
    await cache.get('team/a', 1);
    assert.deepEqual(state.repositories, ['team/a', 'team/b']);
  });

  test('concurrent gets at the same revision share one render', async () => {
    const gate = deferred<IndexSnapshot>();
    let calls = 0;
    const cache = createIndexCache(() => {
      calls++;
      return gate.promise;
    });
    const pending = [cache.get('', 1), cache.get('', 1), cache.get('', 1)];
    gate.resolve({ text: 'shared\n', updated: UPDATED, revision: 1 });
    const [a, b, c] = await Promise.all(pending);
    assert.equal(calls, 1);
    assert.strictEqual(b, a);
    assert.strictEqual(c, a);
    assert.equal(a?.body.toString('utf8'), 'shared\n');
  });

  test('a failed render is not cached', async () => {
    let calls = 0;
    const cache = createIndexCache(async () => {
      calls++;
      if (calls === 1) throw new Error('database is locked');
      return { text: 'recovered\n', updated: UPDATED, revision: 1 };
    });
    await assert.rejects(cache.get('', 1), /database is locked/);
    const result = await cache.get('', 1);
    assert.equal(calls, 2);
    assert.equal(result.body.toString('utf8'), 'recovered\n');
  });

  test('a slow failed render does not evict a newer render that replaced it', async () => {
    const slow = deferred<IndexSnapshot>();
    let calls = 0;
    const cache = createIndexCache(async () => {
      calls++;
      if (calls === 1) return slow.promise;
      return { text: 'fresh\n', updated: UPDATED, revision: 2 };
    });
    const stale = cache.get('', 1);
    const fresh = await cache.get('', 2);
    slow.reject(new Error('timeout'));
    await assert.rejects(stale, /timeout/);
    assert.strictEqual(await cache.get('', 2), fresh);
    assert.equal(calls, 2);
  });

  test('the etag is a quoted hash that changes when the text changes', async () => {
    const { state, render } = fakeStore({ text: 'one\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1);
    assert.match(first.etag, /^"[0-9a-f]{16,64}"$/);
    state.text = 'two\n';
    state.revision = 2;
    const second = await cache.get('', 2);
    assert.match(second.etag, /^"[0-9a-f]{16,64}"$/);
    assert.notEqual(second.etag, first.etag);
  });

  test('the etag depends on the text only, not on the revision', async () => {
    const { state, render } = fakeStore({ text: 'same\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1);
    state.revision = 2;
    const second = await cache.get('', 2);
    assert.equal(state.calls, 2);
    assert.equal(second.etag, first.etag);
  });

  test('the body is the UTF-8 text and the gzip form gunzips to the body', async () => {
    const text = 'apiVersion: v1\nentries:\n  café: []\n';
    const { render } = fakeStore({ text, revision: 1 });
    const result = await createIndexCache(render).get('', 1);
    assert.deepEqual(result.body, Buffer.from(text, 'utf8'));
    assert.deepEqual(gunzipSync(result.gzip), result.body);
    assert.equal(result.gzip[0], 0x1f);
    assert.equal(result.gzip[1], 0x8b);
  });

  test('lastModified is the update time as an HTTP date', async () => {
    const { render } = fakeStore({ text: 'x\n', revision: 1 });
    const result = await createIndexCache(render).get('', 1);
    assert.equal(result.lastModified, 'Wed, 01 May 2024 12:00:00 GMT');
  });
});
