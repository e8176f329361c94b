import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config/config.js';
import { createServices } from '../../src/services.js';
import { openLocalStores } from '../../src/store/open-stores.js';
import { bufferSource } from '../../src/upload.js';
import { makeChart } from '../support/make-chart.js';
import { chartYamlOf, makeTestKey, signProvenance } from '../support/openpgp-sign.js';
import { runCli, runInProcess } from './run-cli.js';

async function storage(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('key add, list and remove: per repository and --global, armored or binary; refusals say why', async (t) => {
  const dir = await storage(t);
  const rsa = await makeTestKey('rsa', 'Release Team');
  const ed = await makeTestKey('ed25519', 'Global Signer');
  await writeFile(join(dir, 'rsa.asc'), rsa.publicArmored);
  await writeFile(join(dir, 'ed.gpg'), ed.publicBinary);
  await writeFile(join(dir, 'secret.asc'), rsa.privateArmored);
  await writeFile(join(dir, 'junk.txt'), 'not a key\n');

  const added = await runInProcess(dir, ['key', 'add', 'team/apps', join(dir, 'rsa.asc')]);
  assert.equal(added.code, 0, added.stderr);
  assert.match(
    added.stdout,
    /^added rsa2048 key [0-9a-f]{40} \(Release Team <signer@charthouse\.invalid>\) to the keyring of repository "team\/apps"\n$/,
  );
  const global = await runInProcess(dir, ['key', 'add', '--global', join(dir, 'ed.gpg')]);
  assert.match(
    global.stdout,
    /^added ed25519 key [0-9a-f]{40} \(Global Signer .*\) to the server-wide keyring\n$/,
  );

  const again = await runInProcess(dir, ['key', 'add', 'team/apps', join(dir, 'rsa.asc')]);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /^charthouse: key [0-9a-f]{40} is already in the keyring of repository "team\/apps"\n$/,
  );
  const secret = await runInProcess(dir, ['key', 'add', 'team/apps', join(dir, 'secret.asc')]);
  assert.deepEqual(
    [secret.code, secret.stderr],
    [
      1,
      'charthouse: the file holds a private key: add the public key only (gpg --export, not --export-secret-keys)\n',
    ],
  );
  const junk = await runInProcess(dir, ['key', 'add', 'team/apps', join(dir, 'junk.txt')]);
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /^charthouse: the file is not an OpenPGP public key \(/);
  const both = await runInProcess(dir, ['key', 'add', '--global', 'team', join(dir, 'ed.gpg')]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /with --global, give the key file only/);

  const listed = await runInProcess(dir, ['key', 'list', '--json']);
  const keys = JSON.parse(listed.stdout) as Array<{
    scope: string;
    fingerprint: string;
    algorithm: string;
    armored?: string;
  }>;
  assert.deepEqual(
    keys.map((k) => [k.scope, k.algorithm]),
    [
      ['*', 'ed25519'],
      ['team/apps', 'rsa2048'],
    ],
  );
  assert.equal(keys[0]?.armored, undefined, 'lists never print the key material');
  const text = await runInProcess(dir, ['key', 'list', 'team/apps']);
  assert.match(
    text.stdout,
    /^KEYRING +FINGERPRINT +ALGORITHM +USER ID\nteam\/apps +[0-9a-f]{40} +rsa2048 +Release Team/,
  );

  const fingerprint = keys[1]?.fingerprint ?? '';
  const missing = await runInProcess(dir, ['key', 'remove', 'other', fingerprint]);
  assert.deepEqual(
    [missing.code, missing.stderr],
    [1, `charthouse: no key ${fingerprint} in the keyring of repository "other"\n`],
  );
  const removed = await runInProcess(dir, ['key', 'remove', 'team/apps', fingerprint.toUpperCase()]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(
    JSON.parse((await runInProcess(dir, ['key', 'list', 'team/apps', '--json'])).stdout).length,
    0,
  );
});

test('repo set-policy takes off, verify or require, and refuses anything else', async (t) => {
  const dir = await storage(t);
  const set = await runInProcess(dir, ['repo', 'set-policy', 'team', '--signatures', 'require']);
  assert.deepEqual([set.code, set.stdout], [0, 'repository "team" now has signature policy require\n']);
  const bad = await runInProcess(dir, ['repo', 'set-policy', 'team', '--signatures', 'strict']);
  assert.deepEqual(
    [bad.code, bad.stderr],
    [1, 'charthouse: the signature policy must be off, verify or require, not "strict"\n'],
  );
  const none = await runInProcess(dir, ['repo', 'set-policy', 'team']);
  assert.equal(none.code, 2);
  const listed = JSON.parse((await runInProcess(dir, ['repo', 'policies', '--json'])).stdout) as Array<{
    repository: string;
    signatures: string;
  }>;
  assert.deepEqual(
    listed.map((p) => [p.repository, p.signatures]),
    [['team', 'require']],
  );
});

test('check --signatures re-verifies what is stored: after a key is removed it reports the version and exits 1', async (t) => {
  const dir = await storage(t);
  const key = await makeTestKey('ed25519');
  await writeFile(join(dir, 'key.asc'), key.publicArmored);
  assert.equal((await runInProcess(dir, ['key', 'add', 'team', join(dir, 'key.asc')])).code, 0);
  const config = defaultConfig({ storage: dir, logLevel: 'silent' });
  const stores = openLocalStores(config);
  const { registry } = createServices(stores, config);
  const tgz = await makeChart({ name: 'web', version: '1.0.0' });
  const upload = registry.beginUpload('team');
  await upload.addChart(bufferSource(tgz));
  await upload.addProvenance(bufferSource(await signProvenance(key, chartYamlOf('web', '1.0.0'), tgz)));
  await upload.commit({ overwrite: false });
  assert.equal(JSON.parse(await registry.getVersionJson('team', 'web', '1.0.0')).provenance?.verified, true);

  const clean = runCli(dir, ['check', '--signatures']);
  assert.deepEqual([clean.code, clean.stdout], [0, '1 provenance files checked, 1 verified\n']);
  const fingerprint = JSON.parse((await runInProcess(dir, ['key', 'list', '--json'])).stdout)[0].fingerprint;
  assert.equal((await runInProcess(dir, ['key', 'remove', 'team', fingerprint])).code, 0);
  const failed = runCli(dir, ['check', '--signatures']);
  assert.equal(failed.code, 1);
  assert.equal(
    failed.stdout,
    '1 provenance files checked, 0 verified\nunverified: web 1.0.0 in repository "team": no signing key is trusted in repository "team": add one with "charthouse key add"\n',
  );
  // the version shows as signed but no longer verified
  assert.deepEqual(JSON.parse(await registry.getVersionJson('team', 'web', '1.0.0')).provenance, {
    signed: true,
    verified: false,
    signer: null,
    fingerprint: null,
  });
  await stores.close();
});
