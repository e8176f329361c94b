/**
 * The lifecycle tables for `migrate-store` (src/lifecycle/): each repository's settings and the
 * versions retired from immutable repositories, matched by repository path (and chart name and
 * version), as every other table is. A destination that already holds other settings for a
 * repository keeps them, and the conflict is reported.
 */
import { describePath, flag, insertIfAbsent, type RowTable, text } from './row-table.js';

const settingColumns = ['immutable', 'keep_last', 'keep_prereleases', 'max_age_ms', 'artifacthub'] as const;

/** The settings as comparable values, whichever dialect read them. */
const comparable = (row: Record<string, unknown>) =>
  JSON.stringify([
    flag(row.immutable),
    ...['keep_last', 'keep_prereleases', 'max_age_ms'].map((c) => (row[c] === null ? null : Number(row[c]))),
    text(row.artifacthub),
  ]);

const repositorySettings: RowTable = {
  name: 'repository settings',
  select: `SELECT s.repository_id, r.path AS repository, s.immutable, s.keep_last, s.keep_prereleases,
                  s.max_age_ms, s.artifacthub, s.updated
           FROM repository_settings s JOIN repositories r ON r.id = s.repository_id`,
  key: [{ column: 's.repository_id', field: 'repository_id' }],
  describe: (row) => `settings of ${describePath(row.repository)}`,
  async write(target, row) {
    const repositoryId = await target.repositoryId(String(row.repository));
    if (repositoryId === undefined) return { skipped: 'its repository was not copied' };
    const immutable = target.dialect === 'postgres' ? flag(row.immutable) : flag(row.immutable) ? 1 : 0;
    const inserted = await insertIfAbsent(
      target,
      `INSERT INTO repository_settings (repository_id, ${settingColumns.join(', ')}, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        repositoryId,
        immutable,
        row.keep_last,
        row.keep_prereleases,
        row.max_age_ms,
        row.artifacthub,
        row.updated,
      ],
    );
    if (inserted) return 'copied';
    const [there] = await target.query(
      `SELECT ${settingColumns.join(', ')} FROM repository_settings WHERE repository_id = ?`,
      [repositoryId],
    );
    if (there && comparable(there) === comparable(row)) return 'present';
    return { skipped: 'the destination holds other settings for the repository' };
  },
};

const retiredVersions: RowTable = {
  name: 'retired versions',
  select: `SELECT v.repository_id, r.path AS repository, v.name, v.version, v.digest, v.retired
           FROM retired_versions v JOIN repositories r ON r.id = v.repository_id`,
  key: [
    { column: 'v.repository_id', field: 'repository_id' },
    { column: 'v.name', field: 'name' },
    { column: 'v.version', field: 'version' },
  ],
  describe: (row) =>
    `retired version ${String(row.name)} ${String(row.version)} of ${describePath(row.repository)}`,
  async write(target, row) {
    const repositoryId = await target.repositoryId(String(row.repository));
    if (repositoryId === undefined) return { skipped: 'its repository was not copied' };
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO retired_versions (repository_id, name, version, digest, retired) VALUES (?, ?, ?, ?, ?)',
      [repositoryId, row.name, row.version, row.digest, row.retired],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{ digest: string }>(
      'SELECT digest FROM retired_versions WHERE repository_id = ? AND name = ? AND version = ?',
      [repositoryId, row.name, row.version],
    );
    return there?.digest === row.digest
      ? 'present'
      : { skipped: 'the destination retired it with another package' };
  },
};

export const settingsTables = [repositorySettings, retiredVersions];
