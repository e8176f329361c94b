// Real Helm 3.17 and 4.1 against the OCI surface, on the same store as the classic repository:
// push, pull (exact, ranges, latest, --devel), show, template, signed charts, and visibility of
// pushes and deletes across both protocols. Every request the server saw is printed when Helm fails.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { buildApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config/config.js';
import { createOciRegistry } from '../../src/oci/oci-registry.js';
import { createRegistry } from '../../src/registry.js';
import { openLocalStores } from '../../src/store/open-stores.js';
import { createSigningKey } from '../support/gpg.js';
import { createHelm, type Helm, type HelmRunOptions, helmVersions } from '../support/helm.js';
import { writeChartDir } from '../support/make-chart-dir.js';

type Cleanup = { after(fn: () => unknown): void };

/** The real server on 127.0.0.1 and a free port, recording every request it answers. */
async function startServer(t: Cleanup, contextPath = '') {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-helm-oci-'));
  const config = defaultConfig({ storage: dir, host: '127.0.0.1', port: 0, logLevel: 'silent', contextPath });
  const stores = openLocalStores(config);
  const app = await buildApp({
    config,
    registry: createRegistry({ ...stores, config }),
    oci: createOciRegistry({ ...stores, config }),
  });
  const requests: string[] = [];
  app.addHook('onResponse', async (request, reply) => {
    requests.push(`${request.method} ${request.url} → ${reply.statusCode}`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await app.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests };
}

type Server = Awaited<ReturnType<typeof startServer>>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const version of helmVersions) {
  describe(`Helm ${version} against the OCI registry`, () => {
    const cleanups: Array<() => unknown> = [];
    const t: Cleanup = { after: (fn) => cleanups.push(fn) };
    const ctx: { work?: string; server?: Server; helm?: Helm; keyring?: string; pushed?: string } = {};

    const state = () => {
      const { work, server, helm, keyring } = ctx;
      assert.ok(work && server && helm && keyring, 'setup did not finish');
      const oci = (path: string) => `oci://${server.host}/${path}`;
      /** runs Helm; on failure the error lists the requests the server answered during the run */
      const run = async (args: string[], opts: HelmRunOptions = {}) => {
        const seen = server.requests.length;
        try {
          return await helm.run(args, opts);
        } catch (err) {
          const log = server.requests.slice(seen).join('\n');
          throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- requests ---\n${log}`);
        }
      };
      const pkg = (file: string) => readFile(join(work, 'pkg', file));
      const index = async (repo: string) => {
        const res = await fetch(`${server.url}/${repo}/index.yaml`);
        assert.equal(res.status, 200);
        return yaml.load(await res.text()) as {
          entries: Record<string, Array<{ version: string; digest: string }>>;
        };
      };
      const dest = async (name: string) => {
        const dir = join(work, `${name}-${version}`);
        await mkdir(dir, { recursive: true });
        return dir;
      };
      return { work, server, helm, keyring, oci, run, pkg, index, dest };
    };
    /** `helm pull --verify` of a signed chart into a fresh directory named after the chart */
    const pullVerified = async (chart: string, chartVersion: string) => {
      const { run, oci, keyring, dest } = state();
      const dir = await dest(chart.replaceAll('/', '-'));
      const args = ['pull', oci(chart), '--version', chartVersion, '--verify', '--keyring', keyring];
      const out = await run([...args, '--plain-http', '-d', dir]);
      return { dir, output: `${out.stdout}${out.stderr}` };
    };

    before(async () => {
      ctx.work = await mkdtemp(join(tmpdir(), `charthouse-helm${version}-oci-`));
      const key = await createSigningKey(t);
      ctx.keyring = key.publicKeyring;
      ctx.server = await startServer(t);
      ctx.helm = await createHelm(version, t);
      const { work, helm, server } = ctx;
      const pack = async (
        name: string,
        v: string,
        extra: { sign?: boolean; values?: string; readme?: string } = {},
      ) => {
        const dir = await writeChartDir(join(work, 'src', `${name}-${v}`), {
          name,
          version: v,
          appVersion: '1.10',
          values: extra.values,
          readme: extra.readme,
        });
        const args = ['package', dir, '-d', join(work, 'pkg')];
        if (extra.sign) args.push('--sign', '--key', key.name, '--keyring', key.secretKeyring);
        await helm.run(args);
      };
      await pack('mychart', '0.1.0');
      await pack('mychart', '0.2.0', { values: 'replicaCount: 7\n', readme: '# mychart two\n' });
      await pack('mychart', '0.3.0-rc.1');
      await pack('build', '0.2.0+build.5');
      await pack('signed', '1.0.0', { sign: true });
      await pack('uploaded', '1.0.0');
      await pack('signedhttp', '2.0.0', { sign: true });
      const { run, oci } = state();
      const pushes: string[] = [];
      for (const file of [
        'mychart-0.1.0.tgz',
        'mychart-0.2.0.tgz',
        'mychart-0.3.0-rc.1.tgz',
        'build-0.2.0+build.5.tgz',
        'signed-1.0.0.tgz',
      ]) {
        const out = await run(['push', join(work, 'pkg', file), oci('team'), '--plain-http']);
        pushes.push(`${out.stdout}${out.stderr}`);
      }
      ctx.pushed = pushes.join('\n');
      const uploaded = await readFile(join(work, 'pkg', 'uploaded-1.0.0.tgz'));
      const res = await fetch(`${server.url}/api/team/charts`, { method: 'POST', body: uploaded });
      assert.equal(res.status, 201, await res.text());
      const form = new FormData();
      form.append(
        'chart',
        new Blob([await readFile(join(work, 'pkg', 'signedhttp-2.0.0.tgz'))]),
        'chart.tgz',
      );
      form.append(
        'prov',
        new Blob([await readFile(join(work, 'pkg', 'signedhttp-2.0.0.tgz.prov'))]),
        'chart.tgz.prov',
      );
      const signed = await fetch(`${server.url}/api/team/charts`, { method: 'POST', body: form });
      assert.equal(signed.status, 201, await signed.text());
    });

    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      if (ctx.work) await rm(ctx.work, { recursive: true, force: true });
    });

    test('push reports each chart, and index.yaml lists them with the package digests', async () => {
      const { server, pkg, index } = state();
      assert.match(ctx.pushed ?? '', new RegExp(`Pushed: ${server.host}/team/mychart:0\\.1\\.0`));
      const entries = (await index('team')).entries;
      assert.deepEqual(entries.mychart?.map((e) => e.version).sort(), ['0.1.0', '0.2.0', '0.3.0-rc.1']);
      assert.equal(
        entries.mychart?.find((e) => e.version === '0.1.0')?.digest,
        sha256(await pkg('mychart-0.1.0.tgz')),
      );
      assert.deepEqual(
        entries.build?.map((e) => e.version),
        ['0.2.0+build.5'],
      );
    });

    test('pull --version downloads the exact bytes that were pushed', async () => {
      const { run, oci, pkg, dest } = state();
      const dir = await dest('exact');
      await run(['pull', oci('team/mychart'), '--version', '0.1.0', '--plain-http', '-d', dir]);
      assert.deepEqual(await readFile(join(dir, 'mychart-0.1.0.tgz')), await pkg('mychart-0.1.0.tgz'));
    });

    test('pull resolves a range, no version, and --devel through the tag list', async () => {
      const { run, oci, dest } = state();
      const cases: Array<[string[], string]> = [
        [['--version', '^0.1'], 'mychart-0.1.0.tgz'],
        [[], 'mychart-0.2.0.tgz'],
        [['--devel'], 'mychart-0.3.0-rc.1.tgz'],
      ];
      for (const [flags, file] of cases) {
        const dir = await dest(`range-${flags.join('') || 'latest'}`);
        await run(['pull', oci('team/mychart'), ...flags, '--plain-http', '-d', dir]);
        await readFile(join(dir, file));
      }
    });

    test('show chart, values and readme read the chart over OCI', async () => {
      const { run, oci } = state();
      const chart = yaml.load(
        (await run(['show', 'chart', oci('team/mychart'), '--version', '0.2.0', '--plain-http'])).stdout,
      ) as Record<string, unknown>;
      assert.equal(chart.name, 'mychart');
      assert.equal(chart.version, '0.2.0');
      assert.equal(chart.appVersion, '1.10');
      const values = await run(['show', 'values', oci('team/mychart'), '--version', '0.2.0', '--plain-http']);
      assert.match(values.stdout, /replicaCount: 7/);
      const readme = await run(['show', 'readme', oci('team/mychart'), '--version', '0.2.0', '--plain-http']);
      assert.match(readme.stdout, /# mychart two/);
    });

    test('template renders a chart from oci://', async () => {
      const { run, oci } = state();
      const out = await run(['template', 'rel', oci('team/mychart'), '--version', '0.2.0', '--plain-http']);
      assert.match(out.stdout, /name: rel-mychart/);
      assert.match(out.stdout, /replicas: "7"/);
    });

    test('a version with build metadata is pushed as its _ tag and pulled with +', async () => {
      const { run, oci, pkg, dest } = state();
      const dir = await dest('build');
      await run(['pull', oci('team/build'), '--version', '0.2.0+build.5', '--plain-http', '-d', dir]);
      assert.deepEqual(
        await readFile(join(dir, 'build-0.2.0+build.5.tgz')),
        await pkg('build-0.2.0+build.5.tgz'),
      );
    });

    test('a chart pushed over OCI is pulled from the classic repository', async () => {
      const { run, server, pkg, dest } = state();
      await run(['repo', 'add', 'team', `${server.url}/team`]);
      const dir = await dest('classic');
      await run(['pull', 'team/mychart', '--version', '0.2.0', '-d', dir]);
      assert.deepEqual(await readFile(join(dir, 'mychart-0.2.0.tgz')), await pkg('mychart-0.2.0.tgz'));
    });

    test('a chart uploaded over HTTP is pulled over OCI', async () => {
      const { run, oci, pkg, dest } = state();
      const dir = await dest('uploaded');
      await run(['pull', oci('team/uploaded'), '--version', '1.0.0', '--plain-http', '-d', dir]);
      assert.deepEqual(await readFile(join(dir, 'uploaded-1.0.0.tgz')), await pkg('uploaded-1.0.0.tgz'));
    });

    test('a signed chart pushed with its .prov verifies over OCI and serves the .prov classically', async () => {
      const { server, pkg } = state();
      const { output } = await pullVerified('team/signed', '1.0.0');
      assert.match(output, /Signed by: Charthouse Test/);
      const prov = await fetch(`${server.url}/team/charts/signed-1.0.0.tgz.prov`);
      assert.equal(prov.status, 200);
      assert.equal(await prov.text(), (await pkg('signed-1.0.0.tgz.prov')).toString());
    });

    test('a signed chart uploaded over HTTP verifies over OCI: its .prov is the provenance layer', async () => {
      const { pkg } = state();
      const { dir, output } = await pullVerified('team/signedhttp', '2.0.0');
      assert.match(output, /Signed by: Charthouse Test/);
      assert.deepEqual(await readFile(join(dir, 'signedhttp-2.0.0.tgz')), await pkg('signedhttp-2.0.0.tgz'));
    });

    test('pushing the same chart again succeeds and changes nothing', async () => {
      const { run, oci, work, server } = state();
      const indexText = async () => (await fetch(`${server.url}/team/index.yaml`)).text();
      const before = await indexText();
      await run(['push', join(work, 'pkg', 'mychart-0.1.0.tgz'), oci('team'), '--plain-http']);
      assert.equal(await indexText(), before);
    });

    test('with a context path, OCI stays at /v2/ on the host root and pushes reach the prefixed index', async () => {
      const { helm, work } = state();
      const prefixed = await startServer(t, '/charthouse');
      await helm.run([
        'push',
        join(work, 'pkg', 'mychart-0.1.0.tgz'),
        `oci://${prefixed.host}/team`,
        '--plain-http',
      ]);
      const res = await fetch(`${prefixed.url}/charthouse/team/index.yaml`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /mychart:[\s\S]*version: 0\.1\.0/);
      assert.ok(prefixed.requests.some((r) => r.startsWith('PUT /v2/team/mychart/manifests/')));
    });

    test('a delete over /api or over /v2 removes the chart from both views', async () => {
      const { run, oci, server, dest, index } = state();
      const viaApi = await fetch(`${server.url}/api/team/charts/mychart/0.3.0-rc.1`, { method: 'DELETE' });
      assert.equal(viaApi.status, 200);
      const gone = await run(
        ['pull', oci('team/mychart'), '--version', '0.3.0-rc.1', '--plain-http', '-d', await dest('gone')],
        {
          allowFailure: true,
        },
      );
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /not found/);

      const viaOci = await fetch(`${server.url}/v2/team/uploaded/manifests/1.0.0`, { method: 'DELETE' });
      assert.equal(viaOci.status, 202);
      assert.equal((await index('team')).entries.uploaded, undefined);
      await run(['repo', 'update', 'team']);
      const classic = await run(['pull', 'team/uploaded', '--version', '1.0.0', '-d', await dest('gone2')], {
        allowFailure: true,
      });
      assert.notEqual(classic.code, 0);
    });
  });
}
