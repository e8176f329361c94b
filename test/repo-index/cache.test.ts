import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createIndexCache, type RenderedIndex } from '../../src/repo-index/cache.js';

/** A render of `text` at `revision`, with its plain document when asked for. */
function rendered(text: string, revision: number, plain: boolean): RenderedIndex {
  const body = Buffer.from(text, 'utf8');
  return {
    revision,
    etag: `"${text}"`,
    lastModified: 'Wed, 01 May 2024 12:00:00 GMT',
    length: body.length,
    gzip: Buffer.alloc(0),
    ...(plain && { plain: body }),
    retire: () => undefined,
  };
}

/** A renderer over a mutable "store": counts calls and renders the current text and revision. */
function fakeStore(initial: { text: string; revision: number }) {
  const state = { ...initial, calls: 0, repositories: [] as string[], plain: [] as boolean[] };
  const render = async (repository: string, plain: boolean) => {
    state.calls++;
    state.repositories.push(repository);
    state.plain.push(plain);
    return rendered(state.text, state.revision, plain);
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

const GZIP = { plain: false };
const PLAIN = { plain: true };

describe('createIndexCache', () => {
  test('repeated gets at the same revision render once', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1, GZIP);
    assert.strictEqual(await cache.get('', 1, GZIP), first);
    assert.strictEqual(await cache.get('', 1, GZIP), first);
    assert.equal(state.calls, 1);
  });

  test('a get at an older revision is served from a newer render', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 5 });
    const cache = createIndexCache(render);
    await cache.get('', 5, GZIP);
    await cache.get('', 3, GZIP);
    assert.equal(state.calls, 1);
  });

  test('a render that read newer rows also serves that newer revision', async () => {
    const { state, render } = fakeStore({ text: 'apiVersion: v1\n', revision: 7 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 4, GZIP);
    assert.equal(first.revision, 7);
    assert.strictEqual(await cache.get('', 7, GZIP), first);
    assert.equal(state.calls, 1);
  });

  test('the index is rendered again when the revision moves', async () => {
    const { state, render } = fakeStore({ text: 'one\n', revision: 1 });
    const cache = createIndexCache(render);
    const first = await cache.get('', 1, GZIP);
    state.text = 'two\n';
    state.revision = 2;
    const second = await cache.get('', 2, GZIP);
    assert.equal(state.calls, 2);
    assert.equal(first.etag, '"one\n"');
    assert.equal(second.etag, '"two\n"');
    assert.strictEqual(await cache.get('', 2, GZIP), second);
  });

  test('a plain get after a gzip-only render renders the plain document, then both are served', async () => {
    const { state, render } = fakeStore({ text: 'x\n', revision: 1 });
    const cache = createIndexCache(render);
    const gzipOnly = await cache.get('', 1, GZIP);
    assert.equal(gzipOnly.plain, undefined);
    const withPlain = await cache.get('', 1, PLAIN);
    assert.deepEqual(withPlain.plain, Buffer.from('x\n'));
    assert.strictEqual(await cache.get('', 1, GZIP), withPlain);
    assert.strictEqual(await cache.get('', 1, PLAIN), withPlain);
    assert.deepEqual(state.plain, [false, true]);
  });

  test('a gzip-only request whose render read the plain document anyway serves later plain gets', async () => {
    let calls = 0;
    const cache = createIndexCache(async () => {
      calls++;
      return rendered('small\n', 1, true);
    });
    const first = await cache.get('', 1, GZIP);
    assert.strictEqual(await cache.get('', 1, PLAIN), first);
    assert.equal(calls, 1);
  });

  test('a replaced render is retired, so that its file can be let go', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const retired: string[] = [];
    let text = 'one\n';
    let revision = 1;
    const cache = createIndexCache(async () => {
      const mine = text;
      return { ...rendered(mine, revision, false), retire: () => retired.push(mine) };
    });
    await cache.get('', 1, GZIP);
    text = 'two\n';
    revision = 2;
    await cache.get('', 2, GZIP);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(retired, []);
    t.mock.timers.tick(1000);
    assert.deepEqual(retired, ['one\n']);
  });

  test('each repository has its own cache entry', async () => {
    const { state, render } = fakeStore({ text: 'x\n', revision: 1 });
    const cache = createIndexCache(render);
    await cache.get('team/a', 1, GZIP);
    await cache.get('team/b', 1, GZIP);
    await cache.get('team/a', 1, GZIP);
    assert.deepEqual(state.repositories, ['team/a', 'team/b']);
  });

  test('concurrent gets at the same revision share one render', async () => {
    const gate = deferred<RenderedIndex>();
    let calls = 0;
    const cache = createIndexCache(() => {
      calls++;
      return gate.promise;
    });
    const pending = [cache.get('', 1, GZIP), cache.get('', 1, GZIP), cache.get('', 1, GZIP)];
    gate.resolve(rendered('shared\n', 1, false));
    const [a, b, c] = await Promise.all(pending);
    assert.equal(calls, 1);
    assert.strictEqual(b, a);
    assert.strictEqual(c, a);
  });

  test('a failed render is not cached', async () => {
    let calls = 0;
    const cache = createIndexCache(async () => {
      calls++;
      if (calls === 1) throw new Error('database is locked');
      return rendered('recovered\n', 1, false);
    });
    await assert.rejects(cache.get('', 1, GZIP), /database is locked/);
    const result = await cache.get('', 1, GZIP);
    assert.equal(calls, 2);
    assert.equal(result.etag, '"recovered\n"');
  });

  test('a slow failed render does not evict a newer render that replaced it', async () => {
    const slow = deferred<RenderedIndex>();
    let calls = 0;
    const cache = createIndexCache(async () => {
      calls++;
      if (calls === 1) return slow.promise;
      return rendered('fresh\n', 2, false);
    });
    const stale = cache.get('', 1, GZIP);
    const fresh = await cache.get('', 2, GZIP);
    slow.reject(new Error('timeout'));
    await assert.rejects(stale, /timeout/);
    assert.strictEqual(await cache.get('', 2, GZIP), fresh);
    assert.equal(calls, 2);
  });
});
