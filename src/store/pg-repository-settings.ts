import type pg from 'pg';
import type { RepositorySettingsStore } from '../lifecycle/repository-settings.js';
import { inTransaction } from './postgres.js';
import { type SettingsRow, settingsFromRow, settingsToColumns } from './settings-rows.js';

const selectSettings = `
  SELECT r.id, r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, s.artifacthub
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
        const c = settingsToColumns(settingsFromRow(row), change);
        await client.query(
          `INSERT INTO repository_settings
             (repository_id, immutable, keep_last, keep_prereleases, max_age_ms, artifacthub, updated)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (repository_id) DO UPDATE SET
             immutable = excluded.immutable, keep_last = excluded.keep_last,
             keep_prereleases = excluded.keep_prereleases, max_age_ms = excluded.max_age_ms,
             artifacthub = excluded.artifacthub, updated = excluded.updated`,
          [row.id, c.immutable, c.keep_last, c.keep_prereleases, c.max_age_ms, c.artifacthub, updated],
        );
        const after = await client.query<SettingsRow>(selectSettings, [path]);
        return after.rows[0] && settingsFromRow(after.rows[0]);
      });
    },
    async listRetention() {
      const { rows } = await pool.query<SettingsRow>(
        `SELECT r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, NULL AS artifacthub
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
    async close() {},
  };
}
