import type pg from 'pg';
import type { RepositorySettingsStore } from '../lifecycle/repository-settings.js';
import { inTransaction } from './postgres.js';
import {
  type ProxyIndexRow,
  proxyFromColumn,
  proxyIndexFromRow,
  type SettingsRow,
  settingsFromRow,
  settingsToColumns,
} from './settings-rows.js';

const selectSettings = `
  SELECT r.id, r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, s.artifacthub, s.proxy
    FROM repositories r LEFT JOIN repository_settings s ON s.repository_id = r.id
   WHERE r.path = $1`;

/**
 * RepositorySettingsStore on PostgreSQL (migrations/postgres/004_repository_settings.sql). An
 * update locks the repository's row, so two admins changing settings at once apply one after the
 * other. The pool belongs to whoever opened it: `close()` leaves it open.
 */
export function createPostgresRepositorySettings(pool: pg.Pool): RepositorySettingsStore {
  return {
    async get(path) {
      const { rows } = await pool.query<SettingsRow>(selectSettings, [path]);
      return rows[0] && settingsFromRow(rows[0]);
    },
    async update(path, change, updated) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<SettingsRow & { id: number }>(
          `${selectSettings} FOR UPDATE OF r`,
          [path],
        );
        const row = rows[0];
        if (!row) return undefined;
        const c = settingsToColumns(settingsFromRow(row), change, row.proxy);
        await client.query(
          `INSERT INTO repository_settings
             (repository_id, immutable, keep_last, keep_prereleases, max_age_ms, artifacthub, proxy, updated)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (repository_id) DO UPDATE SET
             immutable = excluded.immutable, keep_last = excluded.keep_last,
             keep_prereleases = excluded.keep_prereleases, max_age_ms = excluded.max_age_ms,
             artifacthub = excluded.artifacthub, proxy = excluded.proxy, updated = excluded.updated`,
          [
            row.id,
            c.immutable,
            c.keep_last,
            c.keep_prereleases,
            c.max_age_ms,
            c.artifacthub,
            c.proxy,
            updated,
          ],
        );
        const after = await client.query<SettingsRow>(selectSettings, [path]);
        return after.rows[0] && settingsFromRow(after.rows[0]);
      });
    },
    async listRetention() {
      const { rows } = await pool.query<SettingsRow>(
        `SELECT r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, NULL AS artifacthub, NULL AS proxy
           FROM repository_settings s JOIN repositories r ON r.id = s.repository_id
          WHERE s.keep_last IS NOT NULL ORDER BY r.path`,
      );
      return rows.flatMap((r) => {
        const { path, retention } = settingsFromRow(r);
        return retention ? [{ path, retention }] : [];
      });
    },
    async retire(path, name, version, digest, retired) {
      await pool.query(
        `INSERT INTO retired_versions (repository_id, name, version, digest, retired)
         SELECT id, $2, $3, $4, $5 FROM repositories WHERE path = $1
         ON CONFLICT (repository_id, name, version) DO NOTHING`,
        [path, name, version, digest, retired],
      );
    },
    async retiredDigest(path, name, version) {
      const { rows } = await pool.query<{ digest: string }>(
        `SELECT v.digest FROM retired_versions v JOIN repositories r ON r.id = v.repository_id
          WHERE r.path = $1 AND v.name = $2 AND v.version = $3`,
        [path, name, version],
      );
      return rows[0]?.digest;
    },
    async proxyUpstream(path) {
      const { rows } = await pool.query<{ proxy: string | null }>(
        `SELECT s.proxy FROM repository_settings s JOIN repositories r ON r.id = s.repository_id
          WHERE r.path = $1`,
        [path],
      );
      return proxyFromColumn(rows[0]?.proxy ?? null);
    },
    async proxyIndex(path, options) {
      const { rows } = await pool.query<ProxyIndexRow>(
        `SELECT ${options.body ? 'p.body, ' : ''}p.digest, p.etag, p.last_modified, p.checked_at
           FROM proxy_indexes p JOIN repositories r ON r.id = p.repository_id WHERE r.path = $1`,
        [path],
      );
      return rows[0] && proxyIndexFromRow(rows[0]);
    },
    async saveProxyIndex(path, state) {
      await pool.query(
        `INSERT INTO proxy_indexes (repository_id, body, digest, etag, last_modified, checked_at)
         SELECT id, $2, $3, $4, $5, $6 FROM repositories WHERE path = $1
         ON CONFLICT (repository_id) DO UPDATE SET body = excluded.body, digest = excluded.digest,
           etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at`,
        [path, state.body, state.digest, state.etag ?? null, state.lastModified ?? null, state.checkedAt],
      );
    },
    async touchProxyIndex(path, checkedAt) {
      await pool.query(
        `UPDATE proxy_indexes SET checked_at = GREATEST(checked_at, $2)
          WHERE repository_id = (SELECT id FROM repositories WHERE path = $1)`,
        [path, checkedAt],
      );
    },
    async close() {},
  };
}
