// `charthouse import oci://…` from Debian's docker-registry (the distribution registry), holding
// charts pushed by Helm 4 with `helm push oci:// --plain-http`, one of them signed.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sha256Hex } from '../../src/charts/digest.js';
import { createSigningKey } from '../support/gpg.js';
import { createHelm } from '../support/helm.js';
import { fileScope, helmPackage, type Packaged } from './fixtures.js';
import { pairs, readReport, runCommand } from './run-command.js';
import { type ServedProcess, startDockerRegistry } from './servers.js';
import { storedVersions, targetStore, tempDir } from './stores.js';

const scope = fileScope();
const ctx: { registry?: ServedProcess; charts?: Packaged[] } = {};
const state = () => {
  const { registry, charts } = ctx;
  assert.ok(registry && charts, 'setup did not finish');
  return { registry, charts };
};

before(async () => {
  const registry = await startDockerRegistry();
  scope.after(() => registry.stop());
  const helm = await createHelm('4', scope);
  const key = await createSigningKey(scope);
  const work = await tempDir(scope, 'charthouse-oci-work-');
  const out = join(work, 'out');
  const charts = [
    await helmPackage(helm, work, out, 'alpha', '1.0.0', key),
    await helmPackage(helm, work, out, 'alpha', '1.1.0+build.2'),
    await helmPackage(helm, work, out, 'beta', '0.3.0'),
  ];
  for (const chart of charts) {
    await helm.run(['push', chart.file, `oci://${registry.host}/charts`, '--plain-http']);
  }
  ctx.registry = registry;
  ctx.charts = charts;
});

after(() => scope.close());

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`one chart's repository: every tag with its provenance layer, into ${kind}; a re-run skips`, async (t) => {
    const { registry, charts } = state();
    const store = await targetStore(t, kind);
    const source = `oci://${registry.host}/charts/alpha`;
    const run = await runCommand('import', [source, '--plain-http', '--into', 'o', '--json', ...store.flags]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(pairs(readReport(run).imported), ['alpha 1.0.0', 'alpha 1.1.0+build.2']);
    const held = await storedVersions(store, 'o');
    assert.equal(held.versions.get('alpha 1.0.0'), sha256Hex(charts[0]?.bytes ?? ''));
    assert.deepEqual(held.signed, ['alpha 1.0.0']);

    const again = await runCommand('import', [
      source,
      '--plain-http',
      '--into',
      'o',
      '--json',
      ...store.flags,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(pairs(readReport(again).skipped), ['alpha 1.0.0', 'alpha 1.1.0+build.2']);
  });
}

test('a namespace: every chart repository under it, found through the catalog', async (t) => {
  const { registry } = state();
  const store = await targetStore(t, 'sqlite');
  const run = await runCommand('import', [
    `oci://${registry.host}/charts`,
    '--plain-http',
    '--into',
    'all',
    '--exclude',
    'beta',
    '--json',
    ...store.flags,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(pairs(readReport(run).imported), ['alpha 1.0.0', 'alpha 1.1.0+build.2']);
  assert.equal(readReport(run).excluded, 1);
});

test('credentials come from a Docker config file; a wrong one is refused by name, a missing repository is named', async (t) => {
  const { registry } = state();
  const store = await targetStore(t, 'sqlite');
  const dir = await tempDir(t, 'charthouse-docker-config-');
  const file = join(dir, 'config.json');
  // the registry asks for none: these are sent, and ignored, only when it challenges
  await writeFile(
    file,
    JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('u:p').toString('base64') } } }),
  );
  const run = await runCommand('import', [
    `oci://${registry.host}/charts/beta`,
    '--plain-http',
    '--registry-config',
    file,
    '--into',
    'b',
    ...store.flags,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /imported 1/);

  await writeFile(file, '{ not json');
  const broken = await runCommand('import', [
    `oci://${registry.host}/charts/beta`,
    '--plain-http',
    '--registry-config',
    file,
    '--into',
    'b',
    ...store.flags,
  ]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /the registry config .*config\.json is not JSON/);

  const missing = await runCommand('import', [
    `oci://${registry.host}/nothing/here`,
    '--plain-http',
    '--into',
    'b',
    ...store.flags,
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no repository nothing\/here at http:\/\/127\.0\.0\.1:\d+/);

  const tls = await runCommand('import', [
    `oci://${registry.host}/charts/beta`,
    '--into',
    'b',
    ...store.flags,
  ]);
  assert.equal(tls.code, 1, 'without --plain-http the registry is spoken to over TLS');
  assert.match(tls.stderr, /cannot reach https:\/\/127\.0\.0\.1:\d+\/v2\/charts\/beta\/tags\/list/);
});
