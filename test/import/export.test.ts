// `charthouse export`: a repository written as a static Helm repository, served by nginx, used by
// Helm 3 and 4 with `helm repo add` and `helm pull --verify`; from SQLite and PostgreSQL + S3.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSigningKey, type SigningKey } from '../support/gpg.js';
import { createHelm, helmVersions } from '../support/helm.js';
import { fileScope, helmPackage, type Packaged } from './fixtures.js';
import { runCommand } from './run-command.js';
import { type StaticNginx, startStaticNginx } from './servers.js';
import { type TargetStore, targetStore, tempDir } from './stores.js';

const scope = fileScope();
const ctx: { nginx?: StaticNginx; root?: string; key?: SigningKey; charts?: Packaged[]; packages?: string } =
  {};
const state = () => {
  const { nginx, root, key, charts, packages } = ctx;
  assert.ok(nginx && root && key && charts && packages, 'setup did not finish');
  return { nginx, root, key, charts, packages };
};

before(async () => {
  const root = await tempDir(scope, 'charthouse-export-root-');
  ctx.nginx = await startStaticNginx(root);
  const nginx = ctx.nginx;
  scope.after(() => nginx.stop());
  const helm = await createHelm('4', scope);
  ctx.key = await createSigningKey(scope);
  const work = await tempDir(scope, 'charthouse-export-work-');
  ctx.packages = join(work, 'packages');
  ctx.charts = [
    await helmPackage(helm, work, ctx.packages, 'alpha', '1.0.0', ctx.key),
    await helmPackage(helm, work, ctx.packages, 'alpha', '1.1.0+build.1'),
    await helmPackage(helm, work, ctx.packages, 'beta', '2.0.0', ctx.key),
  ];
  ctx.root = root;
});

after(() => scope.close());

/** A store holding the packages (imported from their directory) in repository `team/apps`. */
async function filledStore(t: { after(fn: () => unknown): void }, kind: TargetStore['kind']) {
  const store = await targetStore(t, kind);
  const run = await runCommand('import', [state().packages, '--into', 'team/apps', ...store.flags]);
  assert.equal(run.code, 0, run.stderr);
  return store;
}

/** `helm repo add` of `url`, then `helm pull --verify` of every signed chart and a plain pull of the other. */
async function pullEverything(url: string, t: { after(fn: () => unknown): void }) {
  const { key, charts } = state();
  for (const version of helmVersions) {
    const helm = await createHelm(version, t);
    await helm.run(['repo', 'add', 'exported', url]);
    const out = await tempDir(t, `charthouse-pulled-${version}-`);
    for (const chart of charts) {
      const args = ['pull', `exported/${chart.name}`, '--version', chart.version, '-d', out];
      if (chart.prov) args.push('--verify', '--keyring', key.publicKeyring);
      const pulled = await helm.run(args, { allowFailure: true });
      assert.equal(pulled.code, 0, `Helm ${version} ${args.join(' ')}: ${pulled.stderr}`);
      if (chart.prov) assert.match(pulled.stdout, /Signed by: Charthouse Test/);
      assert.deepEqual(await readFile(join(out, `${chart.name}-${chart.version}.tgz`)), chart.bytes);
    }
  }
}

test('an export with relative URLs serves helm repo add and helm pull --verify with Helm 3 and 4', async (t) => {
  const { nginx, root } = state();
  const store = await filledStore(t, 'sqlite');
  const dir = join(root, 'relative');
  const run = await runCommand('export', ['team/apps', dir, ...store.flags]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /exported 3 versions \(2 with provenance, [\d.]+ KiB\)/);
  assert.deepEqual((await readdir(join(dir, 'charts'))).sort(), [
    'alpha-1.0.0.tgz',
    'alpha-1.0.0.tgz.prov',
    'alpha-1.1.0+build.1.tgz',
    'beta-2.0.0.tgz',
    'beta-2.0.0.tgz.prov',
  ]);
  assert.match(await readFile(join(dir, 'index.yaml'), 'utf8'), /urls:\n {8}- charts\/alpha-1\.0\.0\.tgz\n/);
  await pullEverything(`${nginx.url}/relative`, t);
});

test('an export from PostgreSQL + S3 with --base-url writes absolute URLs that Helm follows', async (t) => {
  const { nginx, root } = state();
  const store = await filledStore(t, 'postgres');
  const dir = join(root, 'absolute');
  const base = `${nginx.url}/absolute/`;
  const run = await runCommand('export', ['team/apps', dir, '--base-url', base, ...store.flags]);
  assert.equal(run.code, 0, run.stderr);
  const index = await readFile(join(dir, 'index.yaml'), 'utf8');
  assert.match(index, new RegExp(`- ${nginx.url}/absolute/charts/beta-2\\.0\\.0\\.tgz\\n`));
  // Helm would resolve a relative URL against the repository URL: add it under another path
  // that holds only index.yaml, so that only the absolute URLs can work
  await mkdir(join(root, 'index-only'));
  await writeFile(join(root, 'index-only', 'index.yaml'), index);
  await pullEverything(`${nginx.url}/index-only`, t);
});

test('an export refuses a directory that is not an earlier export, and a repository that is not there', async (t) => {
  const store = await filledStore(t, 'sqlite');
  const dir = await tempDir(t, 'charthouse-export-busy-');
  await writeFile(join(dir, 'notes.txt'), 'mine\n');
  const busy = await runCommand('export', ['team/apps', dir, ...store.flags]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /is not empty and holds no index\.yaml/);
  assert.deepEqual(await readdir(dir), ['notes.txt']);
  const forced = await runCommand('export', ['team/apps', dir, '--force', ...store.flags]);
  assert.equal(forced.code, 0, forced.stderr);

  const again = await runCommand('export', ['team/apps', dir, ...store.flags]);
  assert.equal(again.code, 0, 'an earlier export is written over');

  const missing = await runCommand('export', ['team/other', join(dir, 'x'), ...store.flags]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no repository "team\/other" in this store/);

  const badUrl = await runCommand('export', ['team/apps', dir, '--base-url', 'ftp://x', ...store.flags]);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /invalid value for --base-url/);
});
