// Proxy repositories against real servers: nginx serving a `helm repo index` directory as the
// upstream, Charthouse on SQLite and on PostgreSQL + S3, Helm 3 and 4 pulling through it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../src/charts/digest.js';
import { fileScope, type Packaged } from '../import/fixtures.js';
import { type StaticNginx, startStaticNginx } from '../import/servers.js';
import { targetStore, tempDir } from '../import/stores.js';
import { createHelm, type Helm } from '../support/helm.js';
import { makeChart } from '../support/make-chart.js';
import {
  countRequests,
  eventually,
  type ProxyServer,
  releaseUpstream,
  startProxyServer,
  staticRepository,
  tamperDigest,
} from './proxy-server.js';

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`proxy repositories on ${backend}`, () => {
    const scope = fileScope();
    const ctx: {
      nginx?: StaticNginx;
      server?: ProxyServer;
      helm?: Record<'3' | '4', Helm>;
      root?: string;
      charts?: Packaged[];
    } = {};
    const state = () => {
      const { nginx, server, helm, root, charts } = ctx;
      assert.ok(nginx && server && helm && root && charts, 'setup did not finish');
      return { nginx, server, helm, root, charts };
    };

    before(async () => {
      const root = await tempDir(scope, 'charthouse-upstream-');
      const helm = { '3': await createHelm('3', scope), '4': await createHelm('4', scope) };
      const charts = await staticRepository(scope, helm['4'], root, 'repo', [
        ['alpha', '1.0.0'],
        ['alpha', '1.1.0'],
      ]);
      const tampered = await staticRepository(scope, helm['4'], root, 'tampered', [['gamma', '2.0.0']]);
      await tamperDigest(root, 'tampered', tampered[0] as Packaged, 'f'.repeat(64));
      const nginx = await startStaticNginx(root);
      scope.after(() => nginx.stop());
      const server = await startProxyServer(scope, await targetStore(scope, backend));
      Object.assign(ctx, { nginx, server, helm, root, charts });
    });
    after(() => scope.close());

    test('Helm 3 and 4 pull through the proxy: fetched from upstream once, then served from the store over HTTP and OCI', async (t) => {
      const { nginx, server, helm, charts } = state();
      await server.createProxy('mirror/first', `${nginx.url}/repo`, '10m');
      const expected = charts[0]?.bytes ?? Buffer.alloc(0);
      for (const version of ['3', '4'] as const) {
        const out = await tempDir(t, 'charthouse-pulled-');
        await helm[version].run(['repo', 'add', `first${version}`, `${server.url}/mirror/first`]);
        await helm[version].run(['pull', `first${version}/alpha`, '--version', '1.0.0', '-d', out]);
        assert.deepEqual(await readFile(join(out, 'alpha-1.0.0.tgz')), expected, `Helm ${version}`);
      }
      const log = await nginx.accessLog();
      assert.equal(countRequests(log, '/repo/alpha-1.0.0.tgz'), 1, log);
      // the index Helm read names Charthouse, never upstream
      const index = await (await fetch(`${server.url}/mirror/first/index.yaml`)).text();
      assert.match(index, /- charts\/alpha-1\.0\.0\.tgz\n/);
      assert.ok(!index.includes(nginx.url), index);
      const stored = await server.stores.meta.getVersion('mirror/first', 'alpha', '1.0.0');
      assert.equal(stored?.digest, sha256Hex(expected));
      // stored like a push: OCI serves it too
      const out = await tempDir(t, 'charthouse-pulled-');
      await helm['4'].run([
        'pull',
        `oci://${server.host}/mirror/first/alpha`,
        '--version',
        '1.0.0',
        '--plain-http',
        '-d',
        out,
      ]);
      assert.deepEqual(await readFile(join(out, 'alpha-1.0.0.tgz')), expected);
      assert.equal(countRequests(await nginx.accessLog(), '/repo/alpha-1.0.0.tgz'), 1);
    });

    test('an OCI pull is a first pull too: a version never pulled over HTTP is fetched by Helm 4 over /v2/', async (t) => {
      const { nginx, server, helm, charts } = state();
      await server.createProxy('mirror/ocifirst', `${nginx.url}/repo`, '10m');
      const before = countRequests(await nginx.accessLog(), '/repo/alpha-1.1.0.tgz');
      const out = await tempDir(t, 'charthouse-pulled-');
      const oci = `oci://${server.host}/mirror/ocifirst/alpha`;
      await helm['4'].run(['pull', oci, '--version', '1.1.0', '--plain-http', '-d', out]);
      assert.deepEqual(await readFile(join(out, 'alpha-1.1.0.tgz')), charts[1]?.bytes);
      assert.equal(countRequests(await nginx.accessLog(), '/repo/alpha-1.1.0.tgz') - before, 1);
      assert.ok(await server.stores.meta.getVersion('mirror/ocifirst', 'alpha', '1.1.0'), 'stored');
      // a version upstream does not list is an unknown tag, not an error of the proxy
      const missing = await fetch(`${server.url}/v2/mirror/ocifirst/alpha/manifests/9.9.9`);
      assert.equal(missing.status, 404);
      assert.equal(
        ((await missing.json()) as { errors: { code: string }[] }).errors[0]?.code,
        'MANIFEST_UNKNOWN',
      );
    });

    test('concurrent first pulls of one package fetch it once and all get its bytes', async () => {
      const { nginx, server, charts } = state();
      await server.createProxy('mirror/burst', `${nginx.url}/repo`, '10m');
      const before = countRequests(await nginx.accessLog(), '/repo/alpha-1.1.0.tgz');
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${server.url}/mirror/burst/charts/alpha-1.1.0.tgz`)),
      );
      for (const res of answers) {
        assert.equal(res.status, 200);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), charts[1]?.bytes);
      }
      assert.equal(countRequests(await nginx.accessLog(), '/repo/alpha-1.1.0.tgz') - before, 1);
    });

    test('a new upstream release shows in the proxied index once the TTL has run out, asked with a conditional GET', async (t) => {
      const { nginx, server, helm, root } = state();
      await server.createProxy('mirror/ttl', `${nginx.url}/repo`, '1s');
      const first = await (await fetch(`${server.url}/mirror/ttl/index.yaml`)).text();
      assert.ok(!first.includes('9.9.9'));
      // unchanged upstream: after the TTL the index is asked again, and nginx answers 304
      await eventually(async () => {
        await (await fetch(`${server.url}/mirror/ttl/index.yaml`)).arrayBuffer();
        return countRequests(await nginx.accessLog(), '/repo/index.yaml', 304) > 0 || undefined;
      }, 'a conditional GET of the upstream index');
      await releaseUpstream(t, helm['4'], root, 'repo', 'alpha', '9.9.9');
      await eventually(async () => {
        const text = await (await fetch(`${server.url}/mirror/ttl/index.yaml`)).text();
        return text.includes('version: 9.9.9') || undefined;
      }, 'the new release in the proxied index');
      const res = await fetch(`${server.url}/mirror/ttl/charts/alpha-9.9.9.tgz`);
      assert.equal(res.status, 200);
    });

    test('a package whose bytes do not match the digest upstream states is refused with 502, and nothing is stored', async () => {
      const { nginx, server } = state();
      await server.createProxy('mirror/tampered', `${nginx.url}/tampered`, '10m');
      const res = await fetch(`${server.url}/mirror/tampered/charts/gamma-2.0.0.tgz`);
      assert.equal(res.status, 502);
      assert.match(((await res.json()) as { error: string }).error, /does not match its digest/);
      assert.equal(await server.stores.meta.getVersion('mirror/tampered', 'gamma', '2.0.0'), undefined);
      // a file the upstream index does not list is a plain 404, without asking upstream
      assert.equal((await fetch(`${server.url}/mirror/tampered/charts/nope-1.0.0.tgz`)).status, 404);
    });

    test('pushes and deletes are refused with the reason, over the chart API and OCI', async (t) => {
      const { nginx, server, helm } = state();
      await server.createProxy('mirror/readonly', `${nginx.url}/repo`, '10m');
      await (await fetch(`${server.url}/mirror/readonly/charts/alpha-1.0.0.tgz`)).arrayBuffer();
      const form = new FormData();
      form.append(
        'chart',
        new Blob([new Uint8Array(await makeChart({ name: 'mine', version: '1.0.0' }))]),
        'mine-1.0.0.tgz',
      );
      const push = await fetch(`${server.url}/api/mirror/readonly/charts`, { method: 'POST', body: form });
      assert.equal(push.status, 405);
      assert.match(((await push.json()) as { error: string }).error, /read-only proxy/);
      const remove = await fetch(`${server.url}/api/mirror/readonly/charts/alpha/1.0.0`, {
        method: 'DELETE',
      });
      assert.equal(remove.status, 405);
      assert.ok(await server.stores.meta.getVersion('mirror/readonly', 'alpha', '1.0.0'));
      const dir = await tempDir(t, 'charthouse-push-');
      const file = join(dir, 'mine-1.0.0.tgz');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, await makeChart({ name: 'mine', version: '1.0.0' }));
      const pushed = await helm['4'].run(
        ['push', file, `oci://${server.host}/mirror/readonly`, '--plain-http'],
        {
          allowFailure: true,
        },
      );
      assert.notEqual(pushed.code, 0);
      assert.match(pushed.stderr, /read-only proxy/);
      assert.equal(await server.stores.meta.getVersion('mirror/readonly', 'mine', '1.0.0'), undefined);
    });

    test('with upstream down, the last index and the stored packages are served marked stale', async () => {
      const { server, root, charts } = state();
      // an upstream of its own, to stop without disturbing the other tests
      const upstream = await startStaticNginx(root);
      let stopped = false;
      scope.after(() => (stopped ? undefined : upstream.stop()));
      await server.createProxy('mirror/stale', `${upstream.url}/repo`, '1s');
      const fresh = await fetch(`${server.url}/mirror/stale/charts/alpha-1.0.0.tgz`);
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('x-charthouse-stale'), null);
      await fresh.arrayBuffer();
      await upstream.stop();
      stopped = true;
      const index = await eventually(async () => {
        const res = await fetch(`${server.url}/mirror/stale/index.yaml`);
        return res.headers.get('x-charthouse-stale') === 'true' ? res : undefined;
      }, 'a stale index');
      assert.equal(index.status, 200);
      assert.equal(index.headers.get('warning'), '110 - "Response is Stale"');
      assert.match(await index.text(), /alpha-1\.0\.0\.tgz/);
      const cached = await fetch(`${server.url}/mirror/stale/charts/alpha-1.0.0.tgz`);
      assert.equal(cached.status, 200);
      assert.equal(cached.headers.get('x-charthouse-stale'), 'true');
      assert.deepEqual(Buffer.from(await cached.arrayBuffer()), charts[0]?.bytes);
      // a package never fetched cannot be had: the reason names the upstream
      const missing = await fetch(`${server.url}/mirror/stale/charts/alpha-1.1.0.tgz`);
      assert.equal(missing.status, 502);
      assert.match(((await missing.json()) as { error: string }).error, /cannot reach/);
    });
  });
}
