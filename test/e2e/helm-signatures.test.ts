// Signed charts end to end with the real Helm clients: `helm package --sign` (Helm 3 with RSA,
// Helm 4 with RSA and Ed25519), pushed over both protocols into repositories whose policy verifies
// or requires signatures, then `helm pull --verify` over both; and each refusal with its message.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKeyrings } from '../../src/trust/keyrings.js';
import { createSigningKey, type SigningKey } from '../support/gpg.js';
import { createHelm, type Helm, type HelmVersion } from '../support/helm.js';
import { type RunningServer, startTestServer } from '../support/listen.js';
import { writeChartDir } from '../support/make-chart-dir.js';

const cases: Array<{ helm: HelmVersion; key: 'rsa' | 'ed25519' }> = [
  { helm: '3', key: 'rsa' },
  { helm: '4', key: 'rsa' },
  { helm: '4', key: 'ed25519' },
];

async function postForm(server: RunningServer, repo: string, files: { chart: string; prov?: string }) {
  const form = new FormData();
  form.append('chart', new Blob([await readFile(files.chart)]), 'chart.tgz');
  if (files.prov) form.append('prov', new Blob([await readFile(files.prov)]), 'chart.tgz.prov');
  const res = await fetch(`${server.url}/api/${repo}/charts`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { error?: string; saved?: boolean } };
}

for (const { helm: helmVersion, key: algorithm } of cases) {
  /** Helm 4 prints the registry's error message; Helm 3 prints only the status of the refused manifest PUT */
  const refusedPush = (message: string) =>
    helmVersion === '3'
      ? /manifests\/1\.0\.0: 400 Bad Request/
      : new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

  describe(`Helm ${helmVersion} signing with ${algorithm}`, () => {
    const cleanups: Array<() => unknown> = [];
    const t = { after: (fn: () => unknown) => cleanups.push(fn) };
    const ctx: {
      work?: string;
      key?: SigningKey;
      stranger?: SigningKey;
      server?: RunningServer;
      helm?: Helm;
      fingerprint?: string;
    } = {};

    const state = () => {
      const { work, key, stranger, server, helm, fingerprint } = ctx;
      assert.ok(work && key && stranger && server && helm && fingerprint, 'setup did not finish');
      const host = new URL(server.url).host;
      const run = (args: string[]) => helm.run(args, { allowFailure: true });
      /** packages chart `name` `version` (signed by `by`, if given) into `<work>/<out>/` */
      const pack = async (name: string, version: string, by?: SigningKey, out = 'pkg', values?: string) => {
        const dir = await writeChartDir(join(work, 'src', out, `${name}-${version}`), {
          name,
          version,
          values,
        });
        const args = ['package', dir, '-d', join(work, out)];
        if (by) args.push('--sign', '--key', by.name, '--keyring', by.secretKeyring);
        await helm.run(args);
        const tgz = join(work, out, `${name}-${version}.tgz`);
        return { chart: tgz, prov: `${tgz}.prov` };
      };
      const push = (tgz: string, repo: string) => run(['push', tgz, `oci://${host}/${repo}`, '--plain-http']);
      return { work, key, server, helm, fingerprint, host, run, pack, push };
    };

    before(async () => {
      ctx.work = await mkdtemp(join(tmpdir(), `charthouse-helm${helmVersion}-sign-`));
      ctx.key = await createSigningKey(t, algorithm);
      ctx.stranger = await createSigningKey(t, helmVersion === '3' ? 'rsa' : algorithm);
      ctx.server = await startTestServer(t);
      ctx.helm = await createHelm(helmVersion, t);
      const keyrings = createKeyrings({ trust: ctx.server.stores.trust });
      // the binary keyring gpg exports, as an operator would add it
      const keyFile = await readFile(ctx.key.publicKeyring);
      const [added] = await keyrings.addKeys({ repository: 'team' }, keyFile);
      await keyrings.addKeys({ repository: 'checked' }, keyFile);
      ctx.fingerprint = added?.fingerprint;
      await keyrings.setPolicy('team', 'require');
      await keyrings.setPolicy('checked', 'verify');
    });

    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      if (ctx.work) await rm(ctx.work, { recursive: true, force: true });
    });

    test('signed over HTTP and over OCI into a require repository; pull --verify over both protocols', async () => {
      const { server, key, fingerprint, run, pack, push, work, host } = state();
      const http = await pack('viahttp', '1.0.0', key);
      assert.deepEqual(await postForm(server, 'team', http), { status: 201, body: { saved: true } });
      const oci = await pack('viaoci', '1.0.0', key);
      const pushed = await push(oci.chart, 'team');
      assert.equal(pushed.code, 0, pushed.stderr);

      for (const name of ['viahttp', 'viaoci']) {
        const res = await fetch(`${server.url}/api/team/charts/${name}/1.0.0`);
        const { provenance } = (await res.json()) as { provenance: Record<string, unknown> };
        assert.equal(provenance.verified, true, `${name}: ${JSON.stringify(provenance)}`);
        assert.equal(provenance.fingerprint, fingerprint);
        assert.match(String(provenance.signer), /^Charthouse Test/);
      }

      await run(['repo', 'add', 'team', `${server.url}/team`]);
      for (const name of ['viahttp', 'viaoci']) {
        const classic = join(work, 'pulled', `classic-${name}`);
        await mkdir(classic, { recursive: true });
        const c = await run([
          'pull',
          `team/${name}`,
          '--version',
          '1.0.0',
          '--verify',
          '--keyring',
          key.publicKeyring,
          '-d',
          classic,
        ]);
        assert.equal(c.code, 0, c.stderr);
        assert.match(`${c.stdout}${c.stderr}`, /Signed by: Charthouse Test/);
        const overOci = join(work, 'pulled', `oci-${name}`);
        await mkdir(overOci, { recursive: true });
        const o = await run([
          'pull',
          `oci://${host}/team/${name}`,
          '--version',
          '1.0.0',
          '--verify',
          '--keyring',
          key.publicKeyring,
          '--plain-http',
          '-d',
          overOci,
        ]);
        assert.equal(o.code, 0, o.stderr);
        assert.match(`${o.stdout}${o.stderr}`, /Signed by: Charthouse Test/);
      }
    });

    test('require: a chart without its .prov is refused over HTTP and over OCI', async () => {
      const { server, pack, push } = state();
      const plain = await pack('plain', '1.0.0');
      assert.deepEqual(await postForm(server, 'team', { chart: plain.chart }), {
        status: 400,
        body: { error: 'this repository accepts signed charts only' },
      });
      const pushed = await push(plain.chart, 'team');
      assert.notEqual(pushed.code, 0);
      assert.match(pushed.stderr, refusedPush('this repository accepts signed charts only'));
      assert.equal((await fetch(`${server.url}/api/team/charts/plain`)).status, 404);
    });

    test('verify: a tampered .prov, a .prov for another package and an unknown key are refused with the reason', async () => {
      const { server, key, pack, push, work } = state();
      const stranger = ctx.stranger as SigningKey;
      const good = await pack('web', '1.0.0', key);
      const tampered = join(work, 'web-1.0.0.tgz.prov.tampered');
      const text = await readFile(good.prov, 'utf8');
      await writeFile(tampered, text.replace('name: web', 'name: web\nhome: https://evil.invalid'));
      const t1 = await postForm(server, 'checked', { chart: good.chart, prov: tampered });
      assert.equal(t1.status, 400);
      assert.match(
        t1.body.error ?? '',
        /^the provenance file's signature by key [0-9a-f]{16} is not valid: /,
      );

      const other = await pack('web', '1.0.0', key, 'other', 'replicaCount: 9\n');
      const t2 = await postForm(server, 'checked', { chart: other.chart, prov: good.prov });
      assert.deepEqual(t2, {
        status: 400,
        body: { error: 'the provenance file signs another package than web-1.0.0.tgz' },
      });

      const foreign = await pack('foreign', '1.0.0', stranger, 'foreign');
      const t3 = await postForm(server, 'checked', foreign);
      assert.equal(t3.status, 400);
      assert.match(
        t3.body.error ?? '',
        /^the provenance file is signed by key [0-9a-f]{16}, which is not trusted in repository "checked"$/,
      );
      const pushed = await push(foreign.chart, 'checked');
      assert.notEqual(pushed.code, 0);
      assert.match(pushed.stderr, refusedPush('which is not trusted in repository "checked"'));

      // nothing refused was stored; the good pair and an unsigned chart are accepted under verify
      assert.equal((await fetch(`${server.url}/api/checked/charts/foreign`)).status, 404);
      assert.equal((await postForm(server, 'checked', good)).status, 201);
      assert.equal(
        (await postForm(server, 'checked', { chart: (await pack('unsigned', '1.0.0')).chart })).status,
        201,
      );
    });
  });
}
