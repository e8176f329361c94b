import type pg from 'pg';
import {
  KEY_COLUMNS,
  type KeyRow,
  keyOfRow,
  type PolicyRecord,
  type SignaturePolicy,
  type TrustStore,
  VERIFICATION_COLUMNS,
  type Verification,
} from './trust-store.js';

/** The trust store on PostgreSQL (migration 003); the same statements as SQLite's, in $n form. */
export function createPostgresTrustStore(pool: pg.Pool): TrustStore {
  const keys = async (sql: string, params: unknown[]) =>
    (await pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM signing_keys ${sql}`, params)).rows.map(keyOfRow);
  return {
    listKeys: (scope) =>
      scope === undefined
        ? keys('ORDER BY scope, fingerprint', [])
        : keys('WHERE scope = $1 ORDER BY fingerprint', [scope]),
    keysFor: (repository) => keys(`WHERE scope IN ($1, '*') ORDER BY scope, fingerprint`, [repository]),
    async addKey(key) {
      const result = await pool.query(
        `INSERT INTO signing_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [key.scope, key.fingerprint, key.userId, key.algorithm, key.keyCreated, key.added, key.armored],
      );
      return result.rowCount === 1;
    },
    async removeKey(scope, fingerprint) {
      const result = await pool.query('DELETE FROM signing_keys WHERE scope = $1 AND fingerprint = $2', [
        scope,
        fingerprint,
      ]);
      return result.rowCount === 1;
    },
    async getPolicy(repository) {
      const { rows } = await pool.query<{ signatures: SignaturePolicy }>(
        'SELECT signatures FROM signature_policies WHERE repository = $1',
        [repository],
      );
      return rows[0]?.signatures ?? 'off';
    },
    async setPolicy(repository, signatures) {
      const record: PolicyRecord = { repository, signatures, updated: new Date().toISOString() };
      await pool.query(
        `INSERT INTO signature_policies (repository, signatures, updated) VALUES ($1, $2, $3)
         ON CONFLICT (repository) DO UPDATE SET signatures = excluded.signatures, updated = excluded.updated`,
        [repository, signatures, record.updated],
      );
      return record;
    },
    async listPolicies() {
      const { rows } = await pool.query<PolicyRecord>(
        'SELECT repository, signatures, updated FROM signature_policies ORDER BY repository',
      );
      return rows;
    },
    async recordVerification(repository, digest, v) {
      if (!v) {
        await pool.query('DELETE FROM provenance_verifications WHERE repository = $1 AND digest = $2', [
          repository,
          digest,
        ]);
        return;
      }
      await pool.query(
        `INSERT INTO provenance_verifications (repository, digest, signer, fingerprint, verified_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (repository, digest) DO UPDATE SET signer = excluded.signer,
           fingerprint = excluded.fingerprint, verified_at = excluded.verified_at`,
        [repository, digest, v.signer, v.fingerprint, v.verifiedAt],
      );
    },
    async getVerification(repository, digest) {
      const { rows } = await pool.query<Verification>(
        `SELECT ${VERIFICATION_COLUMNS} FROM provenance_verifications WHERE repository = $1 AND digest = $2`,
        [repository, digest],
      );
      return rows[0];
    },
    async close() {},
  };
}
