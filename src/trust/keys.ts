import { type Key, readKeys } from 'openpgp';
import { RegistryError } from '../errors.js';

/** Where a key is trusted: one repository's path ('' is the root), or every repository. */
export const GLOBAL_SCOPE = '*';

/** A public key in a keyring, as stored and listed. */
export interface TrustedKey {
  /** a repository path, or GLOBAL_SCOPE */
  scope: string;
  /** the primary key's full fingerprint, lowercase hex */
  fingerprint: string;
  /** the primary user id, `Name <email>` */
  userId: string;
  /** `rsa` with its bit length, or `ed25519` */
  algorithm: string;
  /** when the key itself was made (ISO-8601) */
  keyCreated: string;
  /** when it entered the keyring (ISO-8601) */
  added: string;
  /** the public key, ASCII-armored: what verification reads */
  armored: string;
}

const MAX_KEY_FILE = 256 * 1024;

/**
 * Reads the public keys of a key file, ASCII-armored or binary (`gpg --export` and `--armor`
 * both). Refuses, with KEY_INVALID and the reason: private keys (a keyring holds what verifies,
 * never what signs), anything that is not OpenPGP, and algorithms other than RSA and Ed25519.
 */
export async function readPublicKeys(bytes: Buffer): Promise<Array<Omit<TrustedKey, 'scope' | 'added'>>> {
  if (bytes.length === 0) throw invalid('the key file is empty');
  if (bytes.length > MAX_KEY_FILE) throw invalid(`the key file is larger than ${MAX_KEY_FILE} bytes`);
  const text = bytes.toString('latin1');
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) throw privateKey();
  let keys: Key[];
  try {
    keys = text.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----')
      ? await readKeys({ armoredKeys: text })
      : await readKeys({ binaryKeys: new Uint8Array(bytes) });
  } catch (err) {
    throw invalid(`the file is not an OpenPGP public key (${reason(err)})`);
  }
  if (keys.some((key) => key.isPrivate())) throw privateKey();
  return Promise.all(keys.map(describeKey));
}

async function describeKey(key: Key): Promise<Omit<TrustedKey, 'scope' | 'added'>> {
  const info = key.getAlgorithmInfo();
  const fingerprint = key.getFingerprint().toLowerCase();
  let algorithm: string;
  if (info.algorithm.startsWith('rsa')) algorithm = `rsa${info.bits ?? ''}`;
  else if (
    info.algorithm === 'ed25519' ||
    (info.algorithm === 'eddsaLegacy' && info.curve === 'ed25519Legacy')
  )
    algorithm = 'ed25519';
  else throw invalid(`key ${fingerprint} uses ${info.algorithm}: only RSA and Ed25519 keys are accepted`);
  const user = await key.getPrimaryUser().catch(() => undefined);
  const userId = user?.user.userID?.userID ?? key.getUserIDs()[0] ?? '';
  return {
    fingerprint,
    userId,
    algorithm,
    keyCreated: key.getCreationTime().toISOString(),
    armored: key.armor(),
  };
}

function privateKey(): RegistryError {
  return invalid(
    'the file holds a private key: add the public key only (gpg --export, not --export-secret-keys)',
  );
}

function invalid(message: string): RegistryError {
  return new RegistryError('KEY_INVALID', message);
}

export function reason(err: unknown): string {
  return (
    (err instanceof Error ? err.message : String(err)).replace(/^Error \w+ key: /, '').split('\n')[0] ?? ''
  );
}

/** A fingerprint as people write it (spaces, `0x`, upper case) in the stored form. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/^0x/i, '').replace(/\s+/g, '').toLowerCase();
}
