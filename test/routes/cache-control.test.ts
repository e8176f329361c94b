import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Config } from '../../src/config/config.js';
import { cacheControlFor, overwritePossible } from '../../src/routes/cache-control.js';
import { addRepository, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestApp, type TestContext } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { makeProv, sha256 } from '../support/provenance.js';

const FOREVER_PUBLIC = 'public, max-age=31536000, immutable';
const FOREVER_PRIVATE = 'private, max-age=31536000, immutable';
const ROOT = basic('root', 'cache-password');

describe('cacheControlFor', () => {
  // written out by hand: [addressing, overwritable, audience, expected]
  const table = [
    ['digest', false, 'public', FOREVER_PUBLIC],
    ['digest', false, 'private', FOREVER_PRIVATE],
    ['digest', true, 'public', FOREVER_PUBLIC],
    ['digest', true, 'private', FOREVER_PRIVATE],
    ['name', false, 'public', FOREVER_PUBLIC],
    ['name', false, 'private', FOREVER_PRIVATE],
    ['name', true, 'public', 'no-cache'],
    ['name', true, 'private', 'no-cache'],
    ['tag', false, 'public', 'no-cache'],
    ['tag', false, 'private', 'no-cache'],
    ['tag', true, 'public', 'no-cache'],
    ['tag', true, 'private', 'no-cache'],
  ] as const;
  for (const [addressing, overwritable, audience, expected] of table) {
    test(`by ${addressing}, overwritable ${overwritable}, ${audience}: ${expected}`, () => {
      assert.equal(cacheControlFor(addressing, overwritable, audience), expected);
    });
  }

  test('only --disable-force-overwrite without --allow-overwrite makes names unchangeable', () => {
    const combos = [
      [false, false, true],
      [false, true, false],
      [true, false, true],
      [true, true, true],
    ] as const;
    for (const [allowOverwrite, disableForceOverwrite, expected] of combos) {
      assert.equal(overwritePossible({ allowOverwrite, disableForceOverwrite }), expected);
    }
  });
});

interface Published {
  h: TestApp;
  tgz: Buffer;
  /** the generated manifest's digest in each repository (its created time may differ) */
  manifestDigests: Record<'pub' | 'priv', string>;
}

/**
 * An app with `--auth on`, a public repository `pub` and a private one `priv`, each holding
 * demo-1.0.0 with its provenance file (pushed over the chart API, so pullable over OCI too).
 */
async function publish(t: TestContext, overrides: Partial<Config>): Promise<Published> {
  const h = await buildTestApp(t, { auth: 'on', ...overrides });
  await addUser(h.stores.auth, 'root', 'cache-password', true);
  const tgz = await makeChart({ name: 'demo', version: '1.0.0' });
  const manifestDigests = { pub: '', priv: '' };
  for (const [path, visibility] of [
    ['pub', 'public'],
    ['priv', 'private'],
  ] as const) {
    const headers = { authorization: ROOT, 'content-type': 'application/octet-stream' };
    const chart = await h.app.inject({ method: 'POST', url: `/api/${path}/charts`, headers, payload: tgz });
    assert.equal(chart.statusCode, 201, chart.body);
    const prov = makeProv('demo', '1.0.0', tgz);
    const saved = await h.app.inject({ method: 'POST', url: `/api/${path}/prov`, headers, payload: prov });
    assert.equal(saved.statusCode, 201, saved.body);
    await addRepository(h.stores.auth, path, visibility);
    const manifest = await h.app.inject({ url: `/v2/${path}/demo/manifests/1.0.0`, headers });
    assert.equal(manifest.statusCode, 200, manifest.body);
    manifestDigests[path] = String(manifest.headers['docker-content-digest']);
  }
  return { h, tgz, manifestDigests };
}

/** GET, HEAD and (where an ETag came) a conditional GET: each must answer `status` with `expected`. */
async function assertCacheControl(
  h: TestApp,
  request: InjectOptions & { url: string },
  expected: string | undefined,
  status = 200,
) {
  const get = await h.app.inject(request);
  assert.equal(get.statusCode, status, `${request.url}: ${get.body}`);
  assert.equal(get.headers['cache-control'], expected, `GET ${request.url}`);
  const head = await h.app.inject({ ...request, method: 'HEAD' });
  assert.equal(head.statusCode, status, `HEAD ${request.url}`);
  assert.equal(head.headers['cache-control'], expected, `HEAD ${request.url}`);
  const etag = get.headers.etag;
  if (status !== 200 || typeof etag !== 'string') return get;
  const headers = { ...(request.headers ?? {}), 'if-none-match': etag };
  const again = await h.app.inject({ ...request, headers });
  if (again.statusCode === 304) assert.equal(again.headers['cache-control'], expected, `304 ${request.url}`);
  return get;
}

const asRoot = { authorization: ROOT };

describe('Cache-Control of package answers', () => {
  test('with --disable-force-overwrite, packages by name are kept forever: public in a public repository, private in a private one', async (t) => {
    const { h } = await publish(t, { disableForceOverwrite: true });
    for (const file of ['demo-1.0.0.tgz', 'demo-1.0.0.tgz.prov']) {
      const res = await assertCacheControl(h, { url: `/pub/charts/${file}` }, FOREVER_PUBLIC);
      // the 304 exists and carries the header (checked inside); make sure it was really a 304
      const etag = String(res.headers.etag);
      const again = await h.app.inject({ url: `/pub/charts/${file}`, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      // a public repository stays public for a caller who sent credentials: anyone could read it
      await assertCacheControl(h, { url: `/pub/charts/${file}`, headers: asRoot }, FOREVER_PUBLIC);
      await assertCacheControl(h, { url: `/priv/charts/${file}`, headers: asRoot }, FOREVER_PRIVATE);
    }
  });

  test('while an overwrite is possible, packages by name are revalidated in every repository', async (t) => {
    const configs: Array<Partial<Config>> = [
      {},
      { allowOverwrite: true },
      { allowOverwrite: true, disableForceOverwrite: true },
    ];
    for (const config of configs) {
      const { h } = await publish(t, config);
      for (const file of ['demo-1.0.0.tgz', 'demo-1.0.0.tgz.prov']) {
        await assertCacheControl(h, { url: `/pub/charts/${file}` }, 'no-cache');
        await assertCacheControl(h, { url: `/priv/charts/${file}`, headers: asRoot }, 'no-cache');
      }
    }
  });

  test('blobs and manifests by digest are kept forever whatever the overwrite flags; manifests by tag are revalidated', async (t) => {
    for (const config of [{}, { disableForceOverwrite: true }, { allowOverwrite: true }]) {
      const { h, tgz, manifestDigests } = await publish(t, config);
      const layer = `sha256:${sha256(tgz)}`;
      for (const [path, headers, audience] of [
        ['pub', {}, FOREVER_PUBLIC],
        ['priv', asRoot, FOREVER_PRIVATE],
      ] as const) {
        await assertCacheControl(h, { url: `/v2/${path}/demo/blobs/${layer}`, headers }, audience);
        const byDigest = `/v2/${path}/demo/manifests/${manifestDigests[path]}`;
        await assertCacheControl(h, { url: byDigest, headers }, audience);
        await assertCacheControl(h, { url: `/v2/${path}/demo/manifests/1.0.0`, headers }, 'no-cache');
      }
    }
  });

  test('a byte range of a blob carries the same header as the whole blob', async (t) => {
    const { h, tgz } = await publish(t, {});
    const url = `/v2/pub/demo/blobs/sha256:${sha256(tgz)}`;
    const res = await h.app.inject({ url, headers: { range: 'bytes=0-9' } });
    assert.equal(res.statusCode, 206);
    assert.equal(res.headers['cache-control'], FOREVER_PUBLIC);
  });

  test('index.yaml keeps no-cache and its ETag, whatever the flags and visibility', async (t) => {
    for (const config of [{}, { disableForceOverwrite: true }]) {
      const { h } = await publish(t, config);
      for (const [path, headers] of [
        ['pub', {}],
        ['priv', asRoot],
      ] as const) {
        const res = await assertCacheControl(h, { url: `/${path}/index.yaml`, headers }, 'no-cache');
        assert.match(String(res.headers.etag), /^".+"$/);
        const again = await h.app.inject({
          url: `/${path}/index.yaml`,
          headers: { ...headers, 'if-none-match': String(res.headers.etag) },
        });
        assert.equal(again.statusCode, 304);
        assert.equal(again.headers['cache-control'], 'no-cache');
      }
    }
  });

  test('without access control every repository is public to caches', async (t) => {
    const h = await buildTestApp(t, { auth: 'off', disableForceOverwrite: true });
    const tgz = await makeChart({ name: 'demo', version: '1.0.0' });
    const headers = { 'content-type': 'application/octet-stream' };
    const res = await h.app.inject({ method: 'POST', url: '/api/team/charts', headers, payload: tgz });
    assert.equal(res.statusCode, 201, res.body);
    await assertCacheControl(h, { url: '/team/charts/demo-1.0.0.tgz' }, FOREVER_PUBLIC);
    await assertCacheControl(h, { url: `/v2/team/demo/blobs/sha256:${sha256(tgz)}` }, FOREVER_PUBLIC);
  });
});

describe('error answers never carry the immutable header', () => {
  const unknownDigest = `sha256:${'0'.repeat(64)}`;
  const notImmutable = (res: LightMyRequestResponse, what: string) =>
    assert.doesNotMatch(String(res.headers['cache-control'] ?? ''), /immutable/, what);

  test('unknown packages, blobs and manifests, and refused requests', async (t) => {
    const { h, tgz } = await publish(t, { disableForceOverwrite: true });
    const cases: Array<[InjectOptions & { url: string }, number]> = [
      [{ url: '/pub/charts/demo-9.9.9.tgz' }, 404],
      [{ url: '/pub/charts/demo-9.9.9.tgz.prov' }, 404],
      [{ url: `/v2/pub/demo/blobs/${unknownDigest}` }, 404],
      [{ url: `/v2/pub/demo/manifests/${unknownDigest}` }, 404],
      [{ url: '/v2/pub/demo/manifests/9.9.9' }, 404],
      [{ url: `/v2/pub/demo/blobs/sha256:${sha256(tgz)}`, headers: { range: 'bytes=99999999-' } }, 416],
      // credentials needed: the challenge is not cached either
      [{ url: '/priv/charts/demo-1.0.0.tgz' }, 401],
      [{ url: `/v2/priv/demo/blobs/sha256:${sha256(tgz)}` }, 401],
    ];
    for (const [request, status] of cases) {
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await h.app.inject({ ...request, method });
        assert.equal(res.statusCode, status, `${method} ${request.url}`);
        notImmutable(res, `${method} ${request.url}`);
      }
    }
  });

  test('a package whose bytes vanished from the blob store answers 500 without the immutable header', async (t) => {
    const { h, tgz } = await publish(t, { disableForceOverwrite: true });
    assert.equal(await h.stores.blobs.delete(sha256(tgz)), true);
    const file = await h.app.inject({ url: '/pub/charts/demo-1.0.0.tgz' });
    assert.equal(file.statusCode, 500);
    notImmutable(file, 'the package');
  });
});
