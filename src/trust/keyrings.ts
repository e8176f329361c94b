import { normaliseRepositoryPath } from '../auth/account-rules.js';
import { RegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import { type SignaturePolicy, signaturePolicies, type TrustStore } from '../store/trust-store.js';
import { GLOBAL_SCOPE, normaliseFingerprint, readPublicKeys, type TrustedKey } from './keys.js';

/** A keyring: one repository's (`/` or '' the root), or the server-wide one. */
export type KeyringName = { global: true } | { repository: string };

/** What lists and answers show of a key: everything but the key material. */
export type KeyInfo = Omit<TrustedKey, 'armored'>;

const info = ({ armored: _armored, ...rest }: TrustedKey): KeyInfo => rest;

export function scopeOf(keyring: KeyringName): string {
  return 'global' in keyring ? GLOBAL_SCOPE : normaliseRepositoryPath(keyring.repository);
}

export function describeScope(scope: string): string {
  return scope === GLOBAL_SCOPE ? 'the server-wide keyring' : `the keyring of ${describeRepository(scope)}`;
}

/** Managing keyrings and signature policies, for the CLI and the admin API. No HTTP here. */
export function createKeyrings(deps: { trust: TrustStore }) {
  const { trust } = deps;
  return {
    /** Adds every public key of a key file; refuses the whole file when one key is already there. */
    async addKeys(keyring: KeyringName, file: Buffer): Promise<KeyInfo[]> {
      const scope = scopeOf(keyring);
      const keys = await readPublicKeys(file);
      if (keys.length === 0) throw new RegistryError('KEY_INVALID', 'the key file holds no public key');
      const existing = new Set((await trust.listKeys(scope)).map((k) => k.fingerprint));
      const dup = keys.find((k) => existing.has(k.fingerprint));
      if (dup)
        throw new RegistryError('KEY_EXISTS', `key ${dup.fingerprint} is already in ${describeScope(scope)}`);
      const added = new Date().toISOString();
      const stored = keys.map((k) => ({ ...k, scope, added }));
      for (const key of stored) await trust.addKey(key);
      return stored.map(info);
    },

    /** Keys of one keyring, or of every keyring. */
    async listKeys(keyring?: KeyringName): Promise<KeyInfo[]> {
      return (await trust.listKeys(keyring && scopeOf(keyring))).map(info);
    },

    async removeKey(keyring: KeyringName, fingerprint: string): Promise<void> {
      const scope = scopeOf(keyring);
      const wanted = normaliseFingerprint(fingerprint);
      if (!(await trust.removeKey(scope, wanted)))
        throw new RegistryError('KEY_NOT_FOUND', `no key ${wanted} in ${describeScope(scope)}`);
    },

    async setPolicy(repository: string, signatures: string) {
      if (!(signaturePolicies as readonly string[]).includes(signatures)) {
        throw new RegistryError(
          'POLICY_INVALID',
          `the signature policy must be off, verify or require, not ${JSON.stringify(signatures)}`,
        );
      }
      return trust.setPolicy(normaliseRepositoryPath(repository), signatures as SignaturePolicy);
    },

    async getPolicy(repository: string): Promise<{ repository: string; signatures: SignaturePolicy }> {
      const path = normaliseRepositoryPath(repository);
      return { repository: path, signatures: await trust.getPolicy(path) };
    },

    listPolicies: () => trust.listPolicies(),
  };
}

export type Keyrings = ReturnType<typeof createKeyrings>;
