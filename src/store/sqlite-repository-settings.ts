import type {
  RepositorySettings,
  RepositorySettingsStore,
  SettingsChange,
} from '../lifecycle/repository-settings.js';
import { openDatabase } from './database.js';
import {
  type ProxyIndexRow,
  proxyFromColumn,
  proxyIndexFromRow,
  type SettingsRow,
  settingsFromRow,
  settingsToColumns,
} from './settings-rows.js';

/**
 * RepositorySettingsStore on charthouse.db (migrations/sqlite/007_repository_settings.sql),
 * through its own connection, as the auth store does; WAL lets the connections share the file.
 */
export function createSqliteRepositorySettings(file: string): RepositorySettingsStore {
  const db = openDatabase(file);
  const repositoryId = db.prepare('SELECT id FROM repositories WHERE path = ?').pluck();
  const row = db.prepare(
    `SELECT r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, s.artifacthub, s.proxy
       FROM repositories r LEFT JOIN repository_settings s ON s.repository_id = r.id
      WHERE r.path = ?`,
  );
  const upsert = db.prepare(
    `INSERT INTO repository_settings
       (repository_id, immutable, keep_last, keep_prereleases, max_age_ms, artifacthub, proxy, updated)
     VALUES (@id, @immutable, @keep_last, @keep_prereleases, @max_age_ms, @artifacthub, @proxy, @updated)
     ON CONFLICT (repository_id) DO UPDATE SET
       immutable = excluded.immutable, keep_last = excluded.keep_last,
       keep_prereleases = excluded.keep_prereleases, max_age_ms = excluded.max_age_ms,
       artifacthub = excluded.artifacthub, proxy = excluded.proxy, updated = excluded.updated`,
  );
  const proxyColumn = db
    .prepare(
      `SELECT s.proxy FROM repository_settings s JOIN repositories r ON r.id = s.repository_id
        WHERE r.path = ?`,
    )
    .pluck();
  const proxyIndexState = db.prepare(
    `SELECT p.digest, p.etag, p.last_modified, p.checked_at
       FROM proxy_indexes p JOIN repositories r ON r.id = p.repository_id WHERE r.path = ?`,
  );
  const proxyIndexWhole = db.prepare(
    `SELECT p.body, p.digest, p.etag, p.last_modified, p.checked_at
       FROM proxy_indexes p JOIN repositories r ON r.id = p.repository_id WHERE r.path = ?`,
  );
  const saveProxyIndex = db.prepare(
    `INSERT INTO proxy_indexes (repository_id, body, digest, etag, last_modified, checked_at)
     SELECT id, @body, @digest, @etag, @lastModified, @checkedAt FROM repositories WHERE path = @path
     ON CONFLICT (repository_id) DO UPDATE SET body = excluded.body, digest = excluded.digest,
       etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at`,
  );
  const touchProxyIndex = db.prepare(
    `UPDATE proxy_indexes SET checked_at = MAX(checked_at, ?)
      WHERE repository_id = (SELECT id FROM repositories WHERE path = ?)`,
  );
  const withRetention = db.prepare(
    `SELECT r.path, s.immutable, s.keep_last, s.keep_prereleases, s.max_age_ms, NULL AS artifacthub, NULL AS proxy
       FROM repository_settings s JOIN repositories r ON r.id = s.repository_id
      WHERE s.keep_last IS NOT NULL ORDER BY r.path`,
  );
  const retire = db.prepare(
    `INSERT INTO retired_versions (repository_id, name, version, digest, retired)
     SELECT id, ?, ?, ?, ? FROM repositories WHERE path = ?
     ON CONFLICT (repository_id, name, version) DO NOTHING`,
  );
  const retired = db
    .prepare(
      `SELECT v.digest FROM retired_versions v JOIN repositories r ON r.id = v.repository_id
        WHERE r.path = ? AND v.name = ? AND v.version = ?`,
    )
    .pluck();

  const read = (path: string): RepositorySettings | undefined => {
    const found = row.get(path) as SettingsRow | undefined;
    return found && settingsFromRow(found);
  };
  const update = db.transaction((path: string, change: SettingsChange, updated: string) => {
    const id = repositoryId.get(path) as number | undefined;
    const current = read(path);
    if (id === undefined || !current) return undefined;
    const stored = (proxyColumn.get(path) as string | null | undefined) ?? null;
    const columns = settingsToColumns(current, change, stored);
    upsert.run({ id, ...columns, immutable: columns.immutable ? 1 : 0, updated });
    return read(path);
  });

  return {
    async get(path) {
      return read(path);
    },
    async update(path, change, updated) {
      return update(path, change, updated);
    },
    async listRetention() {
      return (withRetention.all() as SettingsRow[]).flatMap((r) => {
        const { path, retention } = settingsFromRow(r);
        return retention ? [{ path, retention }] : [];
      });
    },
    async retire(path, name, version, digest, when) {
      retire.run(name, version, digest, when, path);
    },
    async retiredDigest(path, name, version) {
      return retired.get(path, name, version) as string | undefined;
    },
    async proxyUpstream(path) {
      return proxyFromColumn((proxyColumn.get(path) as string | null | undefined) ?? null);
    },
    async proxyIndex(path, options) {
      const found = (options.body ? proxyIndexWhole : proxyIndexState).get(path) as ProxyIndexRow | undefined;
      return found && proxyIndexFromRow(found);
    },
    async saveProxyIndex(path, state) {
      saveProxyIndex.run({ etag: null, lastModified: null, ...state, path });
    },
    async touchProxyIndex(path, checkedAt) {
      touchProxyIndex.run(checkedAt, path);
    },
    async close() {
      db.close();
    },
  };
}
