// `charthouse import https://…`: a static repository made by `helm repo index` (one absolute URL,
// one signed version) served by nginx, into SQLite, PostgreSQL + S3 and a running server; Basic
// auth, a tampered package, and sources that are not repositories.
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../src/charts/digest.js';
import { closedPort } from '../support/closed-port.js';
import { createSigningKey } from '../support/gpg.js';
import { createHelm } from '../support/helm.js';
import { startTestServer } from '../support/listen.js';
import { fileScope, helmPackage, type Packaged } from './fixtures.js';
import { pairs, readReport, runCommand } from './run-command.js';
import { PRIVATE_PASSWORD, type StaticNginx, startStaticNginx } from './servers.js';
import { storedVersions, targetStore, tempDir } from './stores.js';

const scope = fileScope();
const ctx: { nginx?: StaticNginx; charts?: Packaged[] } = {};
const state = () => {
  const { nginx, charts } = ctx;
  assert.ok(nginx && charts, 'setup did not finish');
  return { nginx, charts };
};

before(async () => {
  const root = await tempDir(scope, 'charthouse-static-repo-');
  const nginx = await startStaticNginx(root);
  scope.after(() => nginx.stop());
  const helm = await createHelm('4', scope);
  const key = await createSigningKey(scope);
  const work = await tempDir(scope, 'charthouse-helm-work-');
  const repo = join(root, 'repo');
  await mkdir(repo);
  const charts = [
    await helmPackage(helm, work, repo, 'alpha', '1.0.0', key),
    await helmPackage(helm, work, repo, 'alpha', '1.1.0'),
    await helmPackage(helm, work, repo, 'beta', '0.2.0+build.3'),
  ];
  await helm.run(['repo', 'index', repo]);
  // one entry with an absolute URL, as chart-releaser writes them
  const indexFile = join(repo, 'index.yaml');
  const index = await readFile(indexFile, 'utf8');
  assert.match(index, /- alpha-1\.1\.0\.tgz\n/);
  await writeFile(indexFile, index.replace('- alpha-1.1.0.tgz\n', `- ${nginx.url}/repo/alpha-1.1.0.tgz\n`));
  // the same repository behind Basic auth
  await cp(repo, join(root, 'private'), { recursive: true });
  // the same repository where a missing .prov answers 403, as on S3
  await cp(repo, join(root, 's3like'), { recursive: true });
  // a copy whose index states another digest for beta
  await cp(repo, join(root, 'tampered'), { recursive: true });
  const tampered = join(root, 'tampered', 'index.yaml');
  const betaDigest = sha256Hex(charts[2]?.bytes ?? '');
  await writeFile(tampered, (await readFile(tampered, 'utf8')).replace(betaDigest, 'f'.repeat(64)));
  // a copy whose index lists beta's package as another version
  await cp(repo, join(root, 'mislabelled'), { recursive: true });
  const mislabelled = join(root, 'mislabelled', 'index.yaml');
  const listed = await readFile(mislabelled, 'utf8');
  assert.match(listed, /version: 0\.2\.0\+build\.3\n/);
  await writeFile(mislabelled, listed.replace('version: 0.2.0+build.3\n', 'version: 0.2.1\n'));
  // an HTML page where the index should be (a Pages site without a repository)
  await mkdir(join(root, 'html'));
  await writeFile(join(root, 'html', 'index.yaml'), '<html><body>Not here</body></html>\n');
  ctx.nginx = nginx;
  ctx.charts = charts;
});

after(() => scope.close());

const allVersions = ['alpha 1.0.0', 'alpha 1.1.0', 'beta 0.2.0+build.3'];
const packageGets = async (nginx: StaticNginx) =>
  (await nginx.accessLog()).split('\n').filter((line) => /^GET \S+\.tgz /.test(line)).length;

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`every version of the index, its .prov and an absolute URL are imported into ${kind}; a re-run downloads no package`, async (t) => {
    const { nginx, charts } = state();
    const store = await targetStore(t, kind);
    const run = await runCommand('import', [
      `${nginx.url}/repo`,
      '--into',
      'mirror',
      '--json',
      ...store.flags,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(pairs(readReport(run).imported), allVersions);
    const held = await storedVersions(store, 'mirror');
    for (const chart of charts) {
      assert.equal(held.versions.get(`${chart.name} ${chart.version}`), sha256Hex(chart.bytes));
    }
    assert.deepEqual(held.signed, ['alpha 1.0.0']);

    const before = await packageGets(nginx);
    const again = await runCommand('import', [
      `${nginx.url}/repo/index.yaml`,
      '--into',
      'mirror',
      '--json',
      ...store.flags,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(pairs(readReport(again).skipped), allVersions);
    assert.equal(await packageGets(nginx), before, 'the digests in the index decide the skip');
  });
}

test('a repository behind Basic auth: refused with a clear message, imported with the credentials', async (t) => {
  const { nginx } = state();
  const store = await targetStore(t, 'sqlite');
  const url = `${nginx.url}/private/`;
  const anonymous = await runCommand('import', [url, '--into', 'p', ...store.flags]);
  assert.equal(anonymous.code, 1);
  assert.match(
    anonymous.stderr,
    /the repository index \(.*\/private\/index\.yaml\) answered 401: check the credentials/,
  );
  const wrong = await runCommand('import', [
    url,
    '--into',
    'p',
    '--username',
    'importer',
    '--password',
    'nope',
    ...store.flags,
  ]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /answered 401/);
  // the password may come from the environment instead of the command line
  const env = { CHARTHOUSE_IMPORT_PASSWORD: PRIVATE_PASSWORD };
  const right = await runCommand(
    'import',
    [url, '--into', 'p', '--username', 'importer', ...store.flags],
    env,
  );
  assert.equal(right.code, 0, right.stderr);
  assert.match(right.stdout, /imported 3/);
});

test('a .prov answering 403, as S3 does for a missing key, is taken as no provenance file', async (t) => {
  const { nginx } = state();
  const store = await targetStore(t, 'sqlite');
  const run = await runCommand('import', [`${nginx.url}/s3like`, '--into', 's', '--json', ...store.flags]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(pairs(readReport(run).imported), allVersions);
  assert.deepEqual((await storedVersions(store, 's')).signed, []);
  assert.match(await nginx.accessLog(), /GET \/s3like\/alpha-1\.0\.0\.tgz\.prov 403/);
});

test('a package that does not match the digest its index states fails, and nothing of it is stored', async (t) => {
  const { nginx } = state();
  const store = await targetStore(t, 'sqlite');
  const run = await runCommand('import', [`${nginx.url}/tampered`, '--into', 't', '--json', ...store.flags]);
  assert.equal(run.code, 1);
  const report = readReport(run);
  assert.deepEqual(pairs(report.imported), ['alpha 1.0.0', 'alpha 1.1.0']);
  assert.equal(report.failed.length, 1);
  assert.match(
    report.failed[0]?.reason ?? '',
    /beta 0\.2\.0\+build\.3 .* does not match its digest: expected sha256:f{64}, downloaded sha256:[0-9a-f]{64}/,
  );
  assert.deepEqual([...(await storedVersions(store, 't')).versions.keys()].sort(), [
    'alpha 1.0.0',
    'alpha 1.1.0',
  ]);
});

test('a package the index lists as another version fails, into the store and into a server', async (t) => {
  const { nginx } = state();
  const store = await targetStore(t, 'sqlite');
  const server = await startTestServer(t);
  for (const into of [store.flags, ['--server', server.url]]) {
    const run = await runCommand('import', [`${nginx.url}/mislabelled`, '--into', 'm', '--json', ...into]);
    assert.equal(run.code, 1, run.stderr);
    const report = readReport(run);
    assert.deepEqual(pairs(report.imported), ['alpha 1.0.0', 'alpha 1.1.0']);
    assert.deepEqual(
      report.failed.map((f) => f.reason),
      ['the source lists beta 0.2.1, but the package holds beta 0.2.0+build.3'],
    );
  }
  assert.equal((await storedVersions(store, 'm')).versions.size, 2);
  assert.equal((await fetch(`${server.url}/api/m/charts/beta`)).status, 404);
});

test('sources that are not Helm repositories are refused with the reason', async (t) => {
  const { nginx } = state();
  const store = await targetStore(t, 'sqlite');
  const cases: Array<[string, RegExp]> = [
    [`${nginx.url}/html`, /html\/index\.yaml is not a Helm repository index: it has no "entries" map/],
    [`${nginx.url}/missing`, /the repository index \(.*\/missing\/index\.yaml\) was not found \(404\)/],
    [
      `http://127.0.0.1:${await closedPort()}/charts`,
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/charts\/index\.yaml: ECONNREFUSED/,
    ],
  ];
  for (const [url, message] of cases) {
    const run = await runCommand('import', [url, '--into', 'x', ...store.flags]);
    assert.equal(run.code, 1, url);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '');
  }
});

describe('into a running server', () => {
  test('versions are pushed through the ChartMuseum API; a re-run skips them', async (t) => {
    const { nginx, charts } = state();
    const server = await startTestServer(t);
    const args = [`${nginx.url}/repo`, '--into', 'pushed', '--server', server.url, '--json'];
    const run = await runCommand('import', args);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(pairs(readReport(run).imported), allVersions);
    const listed = (await (await fetch(`${server.url}/api/pushed/charts/alpha/1.0.0`)).json()) as {
      digest: string;
    };
    assert.equal(listed.digest, sha256Hex(charts[0]?.bytes ?? ''));
    const prov = await fetch(`${server.url}/pushed/charts/alpha-1.0.0.tgz.prov`);
    assert.equal(prov.status, 200);
    assert.equal(await prov.text(), await readFile(charts[0]?.prov ?? '', 'utf8'));

    const again = await runCommand('import', args);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(pairs(readReport(again).skipped), allVersions);

    const closed = await runCommand('import', [
      `${nginx.url}/repo`,
      '--into',
      'x',
      '--server',
      `http://127.0.0.1:${await closedPort()}`,
    ]);
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /cannot reach the server http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
