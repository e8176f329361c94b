import { openDatabase } from './database.js';
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

/** The trust store in charthouse.db (migration 006), on its own connection like the auth store. */
export function createSqliteTrustStore(file: string): TrustStore {
  const db = openDatabase(file);
  const q = {
    listAll: db.prepare(`SELECT ${KEY_COLUMNS} FROM signing_keys ORDER BY scope, fingerprint`),
    listScope: db.prepare(`SELECT ${KEY_COLUMNS} FROM signing_keys WHERE scope = ? ORDER BY fingerprint`),
    keysFor: db.prepare(
      `SELECT ${KEY_COLUMNS} FROM signing_keys WHERE scope IN (?, '*') ORDER BY scope, fingerprint`,
    ),
    addKey: db.prepare(
      `INSERT INTO signing_keys (${KEY_COLUMNS}) VALUES (@scope, @fingerprint, @user_id, @algorithm, @key_created, @added, @armored)
       ON CONFLICT DO NOTHING`,
    ),
    removeKey: db.prepare('DELETE FROM signing_keys WHERE scope = ? AND fingerprint = ?'),
    getPolicy: db.prepare('SELECT signatures FROM signature_policies WHERE repository = ?').pluck(),
    setPolicy: db.prepare(
      `INSERT INTO signature_policies (repository, signatures, updated) VALUES (?, ?, ?)
       ON CONFLICT (repository) DO UPDATE SET signatures = excluded.signatures, updated = excluded.updated`,
    ),
    listPolicies: db.prepare(
      'SELECT repository, signatures, updated FROM signature_policies ORDER BY repository',
    ),
    recordVerification: db.prepare(
      `INSERT INTO provenance_verifications (repository, digest, signer, fingerprint, verified_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (repository, digest) DO UPDATE SET signer = excluded.signer,
         fingerprint = excluded.fingerprint, verified_at = excluded.verified_at`,
    ),
    forgetVerification: db.prepare(
      'DELETE FROM provenance_verifications WHERE repository = ? AND digest = ?',
    ),
    getVerification: db.prepare(
      `SELECT ${VERIFICATION_COLUMNS} FROM provenance_verifications WHERE repository = ? AND digest = ?`,
    ),
  };
  return {
    async listKeys(scope) {
      const rows = (scope === undefined ? q.listAll.all() : q.listScope.all(scope)) as KeyRow[];
      return rows.map(keyOfRow);
    },
    async keysFor(repository) {
      return (q.keysFor.all(repository) as KeyRow[]).map(keyOfRow);
    },
    async addKey(key) {
      const result = q.addKey.run({
        scope: key.scope,
        fingerprint: key.fingerprint,
        user_id: key.userId,
        algorithm: key.algorithm,
        key_created: key.keyCreated,
        added: key.added,
        armored: key.armored,
      });
      return result.changes === 1;
    },
    async removeKey(scope, fingerprint) {
      return q.removeKey.run(scope, fingerprint).changes === 1;
    },
    async getPolicy(repository) {
      return (q.getPolicy.get(repository) as SignaturePolicy | undefined) ?? 'off';
    },
    async setPolicy(repository, signatures) {
      const record: PolicyRecord = { repository, signatures, updated: new Date().toISOString() };
      q.setPolicy.run(repository, signatures, record.updated);
      return record;
    },
    async listPolicies() {
      return q.listPolicies.all() as PolicyRecord[];
    },
    async recordVerification(repository, digest, v) {
      if (v) q.recordVerification.run(repository, digest, v.signer, v.fingerprint, v.verifiedAt);
      else q.forgetVerification.run(repository, digest);
    },
    async getVerification(repository, digest) {
      return q.getVerification.get(repository, digest) as Verification | undefined;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
