import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

/*
 * Every principal × operation × repository visibility with `--auth on`, each cell the exact
 * status. The expected table is written out by hand, not derived from src/auth/policy.ts.
 */

type Principal =
  | 'anonymous'
  | 'reader'
  | 'writer'
  | 'repoAdmin'
  | 'serverAdmin'
  | 'outsider'
  | 'revokedToken'
  | 'expiredToken';
type Operation = 'index' | 'package' | 'apiRead' | 'upload' | 'delete' | 'ociPull' | 'ociPush' | 'v2';

const operations: Operation[] = [
  'index',
  'package',
  'apiRead',
  'upload',
  'delete',
  'ociPull',
  'ociPush',
  'v2',
];

// Columns in the order of `operations`: index, package, apiRead, upload, delete, ociPull, ociPush, v2.
const expected: Record<Principal, { public: number[]; private: number[] }> = {
  anonymous: {
    public: [200, 200, 200, 401, 401, 200, 401, 401],
    private: [401, 401, 401, 401, 401, 401, 401, 401],
  },
  reader: {
    public: [200, 200, 200, 403, 403, 200, 403, 200],
    private: [200, 200, 200, 403, 403, 200, 403, 200],
  },
  writer: {
    public: [200, 200, 200, 201, 403, 200, 202, 200],
    private: [200, 200, 200, 201, 403, 200, 202, 200],
  },
  repoAdmin: {
    public: [200, 200, 200, 201, 200, 200, 202, 200],
    private: [200, 200, 200, 201, 200, 200, 202, 200],
  },
  serverAdmin: {
    public: [200, 200, 200, 201, 200, 200, 202, 200],
    private: [200, 200, 200, 201, 200, 200, 202, 200],
  },
  // signed in, but no role in either repository: the private one does not exist for them
  outsider: {
    public: [200, 200, 200, 403, 403, 200, 403, 200],
    private: [404, 404, 404, 404, 404, 404, 404, 200],
  },
  revokedToken: {
    public: [401, 401, 401, 401, 401, 401, 401, 401],
    private: [401, 401, 401, 401, 401, 401, 401, 401],
  },
  expiredToken: {
    public: [401, 401, 401, 401, 401, 401, 401, 401],
    private: [401, 401, 401, 401, 401, 401, 401, 401],
  },
};

const PASSWORD = 'matrix-password';
const repos = { public: 'pub', private: 'priv' } as const;

describe('access matrix with --auth on', () => {
  let h: TestApp;
  const credentials = {} as Record<Principal, string | undefined>;
  let seeded = 0;
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const inject = (options: InjectOptions) => h.app.inject(options);
  const asAdmin = { authorization: basic('root', PASSWORD) };

  async function publish(repository: string, version: string) {
    const res = await inject({
      method: 'POST',
      url: `/api/${repository}/charts`,
      headers: { ...asAdmin, 'content-type': 'application/gzip' },
      payload: await makeChart({ name: 'demo', version }),
    });
    assert.equal(res.statusCode, 201, res.body);
  }

  before(async () => {
    // the limiter would otherwise stop the revoked and expired tokens' 32 failures at 10
    h = await buildTestApp(
      { after: (fn) => cleanups.push(fn) },
      { auth: 'on' },
      {
        authenticator: { limiter: createLoginLimiter({ maxFailures: 1_000_000 }) },
      },
    );
    const store = h.stores.auth;
    for (const user of ['reader', 'writer', 'repoadmin', 'outsider']) await addUser(store, user, PASSWORD);
    await addUser(store, 'root', PASSWORD, true);
    for (const [visibility, path] of Object.entries(repos)) {
      await publish(path, '1.0.0');
      await addRepository(store, path, visibility as 'public' | 'private', {
        reader: 'read',
        writer: 'write',
        repoadmin: 'admin',
      });
    }
    credentials.anonymous = undefined;
    credentials.reader = basic('reader', PASSWORD);
    credentials.writer = basic('writer', PASSWORD);
    credentials.repoAdmin = basic('repoadmin', PASSWORD);
    credentials.serverAdmin = basic('root', PASSWORD);
    credentials.outsider = basic('outsider', PASSWORD);
    credentials.revokedToken = basic('writer', await addToken(store, 'writer', 'old', { revoked: true }));
    credentials.expiredToken = `Bearer ${await addToken(store, 'writer', 'gone', { expires: '2020-01-01T00:00:00.000Z' })}`;
  });

  async function run(operation: Operation, repository: string, authorization: string | undefined) {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    switch (operation) {
      case 'index':
        return inject({ url: `/${repository}/index.yaml`, headers });
      case 'package':
        return inject({ url: `/${repository}/charts/demo-1.0.0.tgz`, headers });
      case 'apiRead':
        return inject({ url: `/api/${repository}/charts/demo`, headers });
      case 'upload':
        seeded++;
        return inject({
          method: 'POST',
          url: `/api/${repository}/charts`,
          headers: { ...headers, 'content-type': 'application/gzip' },
          payload: await makeChart({ name: 'demo', version: `2.0.${seeded}` }),
        });
      case 'delete': {
        seeded++;
        await publish(repository, `0.1.${seeded}`);
        return inject({ method: 'DELETE', url: `/api/${repository}/charts/demo/0.1.${seeded}`, headers });
      }
      case 'ociPull':
        return inject({ url: `/v2/${repository}/demo/manifests/1.0.0`, headers });
      case 'ociPush':
        return inject({ method: 'POST', url: `/v2/${repository}/demo/blobs/uploads/`, headers });
      case 'v2':
        return inject({ url: '/v2/', headers });
    }
  }

  for (const principal of Object.keys(expected) as Principal[]) {
    for (const visibility of ['public', 'private'] as const) {
      operations.forEach((operation, column) => {
        const status = expected[principal][visibility][column];
        test(`${principal} × ${operation} on the ${visibility} repository → ${status}`, async () => {
          const res = await run(operation, repos[visibility], credentials[principal]);
          assert.equal(res.statusCode, status, res.body);
          const oci = operation.startsWith('oci') || operation === 'v2';
          if (status === 401) {
            assert.equal(res.headers['www-authenticate'], 'Basic realm="Charthouse"');
            if (oci) assert.equal(res.json().errors[0].code, 'UNAUTHORIZED');
            else assert.deepEqual(res.json(), { error: 'unauthorized' });
          }
          if (status === 403) {
            if (oci) assert.equal(res.json().errors[0].code, 'DENIED');
            else assert.deepEqual(res.json(), { error: 'forbidden' });
          }
        });
      });
    }
  }

  test('a private repository answers an outsider exactly as a missing one does', async () => {
    const authorization = credentials.outsider ?? '';
    const remove = (repository: string) =>
      inject({ method: 'DELETE', url: `/api/${repository}/charts/demo/1.0.0`, headers: { authorization } });
    for (const operation of operations) {
      // run() would publish the version to delete first, and so create the missing repository
      const hidden =
        operation === 'delete' ? await remove('priv') : await run(operation, 'priv', authorization);
      const missing =
        operation === 'delete' ? await remove('nowhere') : await run(operation, 'nowhere', authorization);
      assert.equal(hidden.statusCode, missing.statusCode, operation);
      assert.equal(hidden.body.replaceAll('priv', 'X'), missing.body.replaceAll('nowhere', 'X'), operation);
    }
  });

  test('HEAD requests are checked too, and a 401 to HEAD carries the challenge and no body', async () => {
    for (const url of [
      '/priv/index.yaml',
      '/priv/charts/demo-1.0.0.tgz',
      '/v2/priv/demo/manifests/1.0.0',
      '/v2/',
    ]) {
      const res = await inject({ method: 'HEAD', url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="Charthouse"', url);
      assert.equal(res.body, '', url);
      const allowed = await inject({
        method: 'HEAD',
        url,
        headers: { authorization: credentials.reader ?? '' },
      });
      assert.equal(allowed.statusCode, 200, url);
    }
  });
});
