import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { createCleartextMessage, generateKey, readPrivateKey, sign } from 'openpgp';

export interface TestKey {
  /** ASCII-armored public key, what `charthouse key add` takes */
  publicArmored: string;
  privateArmored: string;
  /** binary public key, as `gpg --export` writes it */
  publicBinary: Buffer;
  userId: string;
}

/** A fresh signing key made by openpgp itself: RSA 2048 or Ed25519. */
export async function makeTestKey(
  type: 'rsa' | 'ed25519' = 'ed25519',
  name = 'Chart Signer',
): Promise<TestKey> {
  const userIDs = [{ name, email: 'signer@charthouse.invalid' }];
  const key =
    type === 'rsa'
      ? await generateKey({ type: 'rsa', rsaBits: 2048, userIDs, format: 'armored' })
      : await generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs, format: 'armored' });
  const binary = await generateBinary(key.publicKey);
  return {
    publicArmored: key.publicKey,
    privateArmored: key.privateKey,
    publicBinary: binary,
    userId: `${name} <signer@charthouse.invalid>`,
  };
}

async function generateBinary(armored: string): Promise<Buffer> {
  const { readKey } = await import('openpgp');
  return Buffer.from((await readKey({ armoredKey: armored })).write());
}

/**
 * A provenance file laid out as `helm package --sign` writes it (Chart.yaml as YAML, `...`, the
 * `files:` map), clear-signed with `key`. `chart` is the Chart.yaml the signer states.
 */
export async function signProvenance(
  key: TestKey,
  chart: Record<string, unknown>,
  tgz: Buffer,
  file = `${chart.name}-${chart.version}.tgz`,
): Promise<string> {
  const hex = createHash('sha256').update(tgz).digest('hex');
  const text = `${yaml.dump(chart)}\n...\nfiles:\n  ${file}: sha256:${hex}\n`;
  const signingKeys = await readPrivateKey({ armoredKey: key.privateArmored });
  return sign({ message: await createCleartextMessage({ text }), signingKeys, format: 'armored' });
}

/** The Chart.yaml makeChart writes for `name` and `version`. */
export const chartYamlOf = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v2',
  name,
  version,
  description: `The ${name} chart`,
  type: 'application',
  ...extra,
});
