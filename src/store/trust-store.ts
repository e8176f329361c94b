import type { TrustedKey } from '../trust/keys.js';
import type { Verification } from '../trust/verify-provenance.js';

export type { TrustedKey, Verification };

export const signaturePolicies = ['off', 'verify', 'require'] as const;
/** off: provenance files are stored as they come; verify: one that fails is refused; require: no chart without one. */
export type SignaturePolicy = (typeof signaturePolicies)[number];

export interface PolicyRecord {
  repository: string;
  signatures: SignaturePolicy;
  updated: string;
}

/**
 * Keyrings, signature policies and provenance verifications, in the database that holds the
 * metadata (SQLite or PostgreSQL). Repositories are named by path; a key's scope is a path or
 * GLOBAL_SCOPE ('*'). Each method is one statement or one transaction.
 */
export interface TrustStore {
  /** Keys of one scope, or of every scope when `scope` is undefined, by scope then fingerprint. */
  listKeys(scope?: string): Promise<TrustedKey[]>;
  /** The keys that verify in `repository`: its own and the server-wide ones. */
  keysFor(repository: string): Promise<TrustedKey[]>;
  /** Adds a key; false, writing nothing, when the scope already holds that fingerprint. */
  addKey(key: TrustedKey): Promise<boolean>;
  /** Removes a key from one scope; false when it was not there. */
  removeKey(scope: string, fingerprint: string): Promise<boolean>;
  /** The repository's policy; 'off' where none was set. */
  getPolicy(repository: string): Promise<SignaturePolicy>;
  setPolicy(repository: string, signatures: SignaturePolicy): Promise<PolicyRecord>;
  listPolicies(): Promise<PolicyRecord[]>;
  /**
   * Records that the provenance file `digest` (hex) verified in `repository`, replacing what was
   * recorded for it; with `undefined`, forgets it (it no longer verifies).
   */
  recordVerification(
    repository: string,
    digest: string,
    verification: Verification | undefined,
  ): Promise<void>;
  getVerification(repository: string, digest: string): Promise<Verification | undefined>;
  close(): Promise<void>;
}

/** A signing_keys row, in both dialects. */
export interface KeyRow {
  scope: string;
  fingerprint: string;
  user_id: string;
  algorithm: string;
  key_created: string;
  added: string;
  armored: string;
}

export const keyOfRow = (row: KeyRow): TrustedKey => ({
  scope: row.scope,
  fingerprint: row.fingerprint,
  userId: row.user_id,
  algorithm: row.algorithm,
  keyCreated: row.key_created,
  added: row.added,
  armored: row.armored,
});

export const KEY_COLUMNS = 'scope, fingerprint, user_id, algorithm, key_created, added, armored';
export const VERIFICATION_COLUMNS = 'signer, fingerprint, verified_at AS "verifiedAt"';
