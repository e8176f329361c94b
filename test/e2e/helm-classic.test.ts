import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { createSigningKey } from '../support/gpg.js';
import { createHelm, type HelmVersion, helmVersions } from '../support/helm.js';
import { type RunningServer, startTestServer } from '../support/listen.js';
import { writeChartDir } from '../support/make-chart-dir.js';

type SigningKey = Awaited<ReturnType<typeof createSigningKey>>;

async function upload(server: RunningServer, repo: string, file: string, field?: 'chart' | 'prov') {
  const bytes = await readFile(file);
  const url = `${server.url}/api/${repo}/${field === 'prov' ? 'prov' : 'charts'}`;
  const response = await fetch(url, { method: 'POST', body: bytes });
  assert.equal(response.status, 201, `upload of ${file}: ${await response.text()}`);
}

async function uploadForm(server: RunningServer, repo: string, chart: string, prov: string) {
  const form = new FormData();
  form.append('chart', new Blob([await readFile(chart)]), 'chart.tgz');
  form.append('prov', new Blob([await readFile(prov)]), 'chart.tgz.prov');
  const response = await fetch(`${server.url}/api/${repo}/charts`, { method: 'POST', body: form });
  assert.equal(response.status, 201, await response.text());
}

for (const version of helmVersions) {
  describe(`Helm ${version} against a classic repository`, () => {
    const ctx: {
      work?: string;
      key?: SigningKey;
      server?: RunningServer;
      helm?: Awaited<ReturnType<typeof createHelm>>;
    } = {};
    const cleanups: Array<() => unknown> = [];
    const t = { after: (fn: () => unknown) => cleanups.push(fn) };

    before(async () => {
      ctx.work = await mkdtemp(join(tmpdir(), `charthouse-helm${version}-`));
      ctx.key = await createSigningKey(t);
      ctx.server = await startTestServer(t);
      ctx.helm = await createHelm(version as HelmVersion, t);
      const { work, helm, server, key } = ctx;
      const pkg = async (dir: string, sign = false) => {
        const args = ['package', dir, '-d', join(work, 'pkg')];
        if (sign) args.push('--sign', '--key', key.name, '--keyring', key.secretKeyring);
        await helm.run(args);
      };
      await pkg(
        await writeChartDir(join(work, 'src'), { name: 'mychart', version: '0.1.0', appVersion: '1.10' }),
      );
      await pkg(
        await writeChartDir(join(work, 'src2'), {
          name: 'mychart',
          version: '0.2.0',
          values: 'replicaCount: 7\n',
        }),
      );
      await pkg(await writeChartDir(join(work, 'src3'), { name: 'mychart', version: '0.3.0-rc.1' }));
      await pkg(await writeChartDir(join(work, 'src4'), { name: 'signed', version: '1.0.0' }), true);
      for (const file of ['mychart-0.1.0.tgz', 'mychart-0.2.0.tgz', 'mychart-0.3.0-rc.1.tgz']) {
        await upload(server, 'team', join(work, 'pkg', file));
      }
      await uploadForm(
        server,
        'team',
        join(work, 'pkg', 'signed-1.0.0.tgz'),
        join(work, 'pkg', 'signed-1.0.0.tgz.prov'),
      );
      await helm.run(['repo', 'add', 'team', `${server.url}/team`]);
    });

    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      if (ctx.work) await rm(ctx.work, { recursive: true, force: true });
    });

    const state = () => {
      const { work, key, server, helm } = ctx;
      assert.ok(work && key && server && helm, 'setup did not finish');
      return { work, key, server, helm };
    };

    test('repo update and search list the stable versions, and --devel adds prereleases', async () => {
      const { helm } = state();
      const update = await helm.run(['repo', 'update', 'team']);
      assert.match(update.stdout, /Successfully got an update from the "team"/);
      const latest = await helm.run(['search', 'repo', 'team/mychart', '-o', 'json']);
      assert.deepEqual(
        (JSON.parse(latest.stdout) as Array<{ version: string }>).map((c) => c.version),
        ['0.2.0'],
      );
      const all = await helm.run(['search', 'repo', 'team/mychart', '--versions', '-o', 'json']);
      assert.deepEqual(
        (JSON.parse(all.stdout) as Array<{ version: string }>).map((c) => c.version),
        ['0.2.0', '0.1.0'],
      );
      const devel = await helm.run(['search', 'repo', 'team/mychart', '--devel', '-o', 'json']);
      assert.deepEqual(
        (JSON.parse(devel.stdout) as Array<{ version: string }>).map((c) => c.version),
        ['0.3.0-rc.1'],
      );
    });

    test('pull --version downloads the exact bytes that were uploaded', async () => {
      const { helm, work } = state();
      const dest = join(work, `pulled-${version}`);
      await mkdir(dest);
      await helm.run(['pull', 'team/mychart', '--version', '0.1.0', '-d', dest]);
      assert.deepEqual(
        await readFile(join(dest, 'mychart-0.1.0.tgz')),
        await readFile(join(work, 'pkg', 'mychart-0.1.0.tgz')),
      );
    });

    test('show chart and show values read the package from the repository', async () => {
      const { helm } = state();
      const chart = yaml.load(
        (await helm.run(['show', 'chart', 'team/mychart', '--version', '0.1.0'])).stdout,
      ) as Record<string, unknown>;
      assert.equal(chart.name, 'mychart');
      assert.equal(chart.appVersion, '1.10');
      const values = await helm.run(['show', 'values', 'team/mychart', '--version', '0.2.0']);
      assert.match(values.stdout, /replicaCount: 7/);
    });

    test('template renders the chart from the repository', async () => {
      const { helm } = state();
      const out = await helm.run(['template', 'rel', 'team/mychart', '--version', '0.2.0']);
      assert.match(out.stdout, /name: rel-mychart/);
      assert.match(out.stdout, /replicas: "7"/);
    });

    test('dependency update fetches a dependency that lives in the repository', async () => {
      const { helm, server, work } = state();
      const parent = await writeChartDir(join(work, `parent-${version}`), {
        name: 'parent',
        version: '1.0.0',
        dependencies: [{ name: 'mychart', version: '^0.1.0', repository: `${server.url}/team` }],
      });
      await helm.run(['dependency', 'update', parent]);
      assert.deepEqual(
        await readFile(join(parent, 'charts', 'mychart-0.1.0.tgz')),
        await readFile(join(work, 'pkg', 'mychart-0.1.0.tgz')),
      );
    });

    test('pull --verify accepts a chart signed with helm package --sign', async () => {
      const { helm, key, work } = state();
      const dest = join(work, `verified-${version}`);
      await mkdir(dest);
      const out = await helm.run([
        'pull',
        'team/signed',
        '--version',
        '1.0.0',
        '--verify',
        '--keyring',
        key.publicKeyring,
        '-d',
        dest,
      ]);
      assert.match(`${out.stdout}${out.stderr}`, /Signed by: Charthouse Test/);
    });

    test('pull --verify fails for a chart that has no provenance file', async () => {
      const { helm, key, work } = state();
      const dest = join(work, `unverified-${version}`);
      await mkdir(dest);
      const out = await helm.run(
        [
          'pull',
          'team/mychart',
          '--version',
          '0.1.0',
          '--verify',
          '--keyring',
          key.publicKeyring,
          '-d',
          dest,
        ],
        { allowFailure: true },
      );
      assert.notEqual(out.code, 0);
      assert.match(out.stderr, /\.prov|provenance|404/i);
    });

    test('a deleted version disappears from search after repo update', async () => {
      const { helm, server } = state();
      const response = await fetch(`${server.url}/api/team/charts/mychart/0.1.0`, { method: 'DELETE' });
      assert.equal(response.status, 200);
      await helm.run(['repo', 'update', 'team']);
      const all = await helm.run(['search', 'repo', 'team/mychart', '--versions', '-o', 'json']);
      assert.deepEqual(
        (JSON.parse(all.stdout) as Array<{ version: string }>).map((c) => c.version),
        ['0.2.0'],
      );
    });

    test('repo add of a repository that does not exist fails', async () => {
      const { helm, server } = state();
      const out = await helm.run(['repo', 'add', 'nope', `${server.url}/nope`], { allowFailure: true });
      assert.notEqual(out.code, 0);
      assert.match(`${out.stdout}${out.stderr}`, /404|not a valid chart repository|cannot be reached/i);
    });
  });
}
