import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSigningKey, type SigningKey } from '../support/gpg.js';
import { createHelm, helmVersions } from '../support/helm.js';
import { writeChartDir } from '../support/make-chart-dir.js';

// Checks the test harness itself: the bundled Helm binaries run, sign and verify, so the
// e2e suites that use them fail for server reasons only.

const expectedPrefix = { '3': 'v3.17', '4': 'v4.1' } as const;

const cleanups: Array<() => unknown> = [];
const hooks = { after: (fn: () => unknown) => void cleanups.push(fn) };
let key: SigningKey | undefined;
let work = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'charthouse-helm-binaries-'));
  // one key for the whole file: generating it is the slow part
  key = await createSigningKey(hooks);
});

after(async () => {
  for (const fn of cleanups.reverse()) await fn();
  if (work) await rm(work, { recursive: true, force: true });
});

function signingKey(): SigningKey {
  assert.ok(key, 'the signing key was not created');
  return key;
}

for (const version of helmVersions) {
  describe(`Helm ${version} binary`, () => {
    test('helm version --short reports the expected release line', async (t) => {
      const helm = await createHelm(version, t);
      const out = await helm.run(['version', '--short']);
      assert.ok(
        out.stdout.trim().startsWith(expectedPrefix[version]),
        `expected ${expectedPrefix[version]}*, got ${JSON.stringify(out.stdout)}`,
      );
    });

    test('package --sign writes a provenance file that verify accepts and a flipped byte breaks', async (t) => {
      const helm = await createHelm(version, t);
      const { name, secretKeyring, publicKeyring } = signingKey();
      const base = join(work, `helm${version}`);
      const dir = await writeChartDir(join(base, 'src'), {
        name: 'signme',
        version: '1.2.3',
        appVersion: '1.10',
      });
      const out = join(base, 'out');
      await helm.run(['package', '--sign', '--key', name, '--keyring', secretKeyring, '-d', out, dir]);

      const tgz = join(out, 'signme-1.2.3.tgz');
      const prov = `${tgz}.prov`;
      assert.ok((await stat(tgz)).size > 0, 'the package is empty');
      const provText = await readFile(prov, 'utf8');
      assert.ok(provText.startsWith('-----BEGIN PGP SIGNED MESSAGE-----'), provText);
      assert.match(provText, /^name: signme$/m);

      const verified = await helm.run(['verify', '--keyring', publicKeyring, tgz]);
      assert.match(verified.stdout, /Signed by: Charthouse Test/);

      // a tampered copy with an untouched copy of the provenance next to it
      const bytes = await readFile(tgz);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      const tamperedDir = await mkdtemp(join(base, 'tampered-'));
      const tampered = join(tamperedDir, 'signme-1.2.3.tgz');
      await writeFile(tampered, bytes);
      await copyFile(prov, `${tampered}.prov`);
      const rejected = await helm.run(['verify', '--keyring', publicKeyring, tampered], {
        allowFailure: true,
      });
      assert.notEqual(rejected.code, 0, `verify accepted a tampered package:\n${rejected.stdout}`);
      // the copy keeps its name, so the failure is the digest and not a missing entry in the .prov
      assert.match(rejected.stderr, /sha256 sum does not match/);
    });
  });
}
