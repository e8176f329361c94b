import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChartYaml } from '../../src/charts/metadata.js';
import { isRegistryError } from '../../src/errors.js';
import { readPublicKeys, type TrustedKey } from '../../src/trust/keys.js';
import { verifyProvenance } from '../../src/trust/verify-provenance.js';
import { makeChart } from '../support/make-chart.js';
import { chartYamlOf, makeTestKey, signProvenance } from '../support/openpgp-sign.js';
import { sha256 } from '../support/provenance.js';

async function trusted(armored: string): Promise<TrustedKey[]> {
  const keys = await readPublicKeys(Buffer.from(armored));
  return keys.map((k) => ({ ...k, scope: '*', added: new Date().toISOString() }));
}

const metadataOf = (chart: Record<string, unknown>) =>
  parseChartYaml(
    Object.entries(chart)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n'),
  );

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isRegistryError(err, 'PROVENANCE_UNVERIFIED'), String(err));
    return err.message;
  }
  assert.fail('the provenance file verified');
}

for (const type of ['rsa', 'ed25519'] as const) {
  test(`a ${type} signature over the chart's own Chart.yaml and sha256 verifies, naming its signer`, async () => {
    const key = await makeTestKey(type);
    const tgz = await makeChart({ name: 'web', version: '1.0.0' });
    const chart = chartYamlOf('web', '1.0.0');
    const prov = await signProvenance(key, chart, tgz);
    const keys = await trusted(key.publicArmored);
    const v = await verifyProvenance(prov, keys, { metadata: metadataOf(chart), digest: sha256(tgz) }, 'x');
    assert.equal(v.signer, key.userId);
    assert.equal(v.fingerprint, keys[0]?.fingerprint);
    assert.match(v.fingerprint, /^[0-9a-f]{40,64}$/);
  });
}

test('a provenance file is refused with its reason: tampered, another package, unknown key, no key', async () => {
  const key = await makeTestKey();
  const stranger = await makeTestKey('ed25519', 'Stranger');
  const tgz = await makeChart({ name: 'web', version: '1.0.0' });
  const other = await makeChart({ name: 'web', version: '1.0.0', values: 'other: 1\n' });
  const chart = chartYamlOf('web', '1.0.0');
  const target = { metadata: metadataOf(chart), digest: sha256(tgz) };
  const keys = await trusted(key.publicArmored);
  const prov = await signProvenance(key, chart, tgz);

  const tampered = prov.replace('description: The web chart', 'description: The evil chart');
  assert.notEqual(tampered, prov);
  assert.match(
    await refusal(verifyProvenance(tampered, keys, target, 'x')),
    /signature by key [0-9a-f]+ is not valid/,
  );

  const forOther = await signProvenance(key, chart, other);
  assert.match(
    await refusal(verifyProvenance(forOther, keys, target, 'x')),
    /signs another package than web-1\.0\.0\.tgz \(sha256 differs\)/,
  );

  const lying = await signProvenance(key, chartYamlOf('web', '1.0.0', { appVersion: '9.9' }), tgz);
  assert.match(
    await refusal(verifyProvenance(lying, keys, target, 'x')),
    /the signed Chart\.yaml does not match the package's: appVersion is "9\.9" in the provenance file and "" in the package/,
  );

  const bySomeoneElse = await signProvenance(stranger, chart, tgz);
  assert.match(
    await refusal(verifyProvenance(bySomeoneElse, keys, target, 'repository "team"')),
    /is signed by key [0-9a-f]{16}, which is not trusted in repository "team"/,
  );
  assert.match(
    await refusal(verifyProvenance(prov, [], target, 'repository "team"')),
    /no signing key is trusted/,
  );
  // among several trusted keys (a repository's and the global ones), the signer's is found
  const both = [...(await trusted(stranger.publicArmored)), ...keys];
  assert.equal((await verifyProvenance(prov, both, target, 'x')).fingerprint, keys[0]?.fingerprint);
});

test('key files: armored and binary public keys are read; private keys and garbage are refused', async () => {
  const key = await makeTestKey('rsa');
  const [armored] = await readPublicKeys(Buffer.from(key.publicArmored));
  const [binary] = await readPublicKeys(key.publicBinary);
  assert.equal(armored?.fingerprint, binary?.fingerprint);
  assert.equal(armored?.algorithm, 'rsa2048');
  assert.equal(armored?.userId, key.userId);
  assert.equal(
    (await readPublicKeys(Buffer.from((await makeTestKey()).publicArmored)))[0]?.algorithm,
    'ed25519',
  );
  await assert.rejects(readPublicKeys(Buffer.from(key.privateArmored)), {
    code: 'KEY_INVALID',
    message: /holds a private key/,
  });
  await assert.rejects(readPublicKeys(Buffer.from('hello, world\n')), {
    code: 'KEY_INVALID',
    message: /not an OpenPGP public key/,
  });
  await assert.rejects(readPublicKeys(Buffer.alloc(0)), { code: 'KEY_INVALID', message: /empty/ });
});
