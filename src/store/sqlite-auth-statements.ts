import type Database from 'better-sqlite3';

export interface UserRow {
  name: string;
  password_hash: string;
  admin: number;
  created: string;
}

export interface TokenRow {
  id: number;
  user: string;
  name: string;
  created: string;
  expires: string | null;
  revoked: string | null;
  last_used: string | null;
}

const TOKEN_COLUMNS =
  't.id AS id, u.name AS user, t.name AS name, t.created AS created, t.expires AS expires, t.revoked AS revoked, t.last_used AS last_used';

/** Every statement the SQLite auth store runs, prepared once when the store opens. */
export function prepareAuthStatements(db: Database.Database) {
  return {
    countAdmins: db.prepare('SELECT COUNT(*) AS n FROM users WHERE admin = 1').pluck(),
    /** moves when another connection commits (read-memo.ts) */
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    insertUser: db.prepare(
      'INSERT INTO users (name, password_hash, admin, created) VALUES (@name, @passwordHash, @admin, @created)',
    ),
    getUser: db.prepare('SELECT name, password_hash, admin, created FROM users WHERE name = ?'),
    userId: db.prepare('SELECT id FROM users WHERE name = ?').pluck(),
    listUsers: db.prepare('SELECT name, password_hash, admin, created FROM users ORDER BY name'),
    removeUser: db.prepare('DELETE FROM users WHERE name = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE name = ?'),
    setAdmin: db.prepare('UPDATE users SET admin = ? WHERE name = ?'),

    tokenByName: db.prepare('SELECT id FROM tokens WHERE user_id = ? AND name = ?').pluck(),
    insertToken: db.prepare(
      'INSERT INTO tokens (user_id, name, hash, created, expires) VALUES (@userId, @name, @hash, @created, @expires)',
    ),
    tokenById: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`,
    ),
    findToken: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`,
    ),
    listTokens: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY u.name, t.name`,
    ),
    listUserTokens: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.name = ? ORDER BY t.name`,
    ),
    // The first revocation time stays: revoking twice is not a new event.
    revokeToken: db.prepare(`
      UPDATE tokens SET revoked = COALESCE(revoked, ?)
      WHERE name = ? AND user_id = (SELECT id FROM users WHERE name = ?)`),
    touchToken: db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?'),

    repository: db.prepare('SELECT id, path, visibility FROM repositories WHERE path = ?'),
    listRepositories: db.prepare('SELECT id, path, visibility FROM repositories ORDER BY path'),
    members: db.prepare(`
      SELECT u.name AS user, m.role AS role FROM repository_members m JOIN users u ON u.id = m.user_id
      WHERE m.repository_id = ? ORDER BY u.name`),
    allMembers: db.prepare(`
      SELECT m.repository_id AS repositoryId, u.name AS user, m.role AS role
      FROM repository_members m JOIN users u ON u.id = m.user_id ORDER BY u.name`),
    insertRepository: db.prepare(
      'INSERT INTO repositories (path, created, updated) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING',
    ),
    setVisibilityIfUnset: db.prepare(
      'UPDATE repositories SET visibility = ? WHERE path = ? AND visibility IS NULL',
    ),
    setVisibility: db.prepare('UPDATE repositories SET visibility = ? WHERE path = ?'),
    grant: db.prepare(`
      INSERT INTO repository_members (repository_id, user_id, role) VALUES (?, ?, ?)
      ON CONFLICT (repository_id, user_id) DO UPDATE SET role = excluded.role`),
    revoke: db.prepare(`
      DELETE FROM repository_members
      WHERE repository_id = (SELECT id FROM repositories WHERE path = ?)
        AND user_id = (SELECT id FROM users WHERE name = ?)`),
    roleOf: db
      .prepare(`
      SELECT m.role FROM repository_members m
      JOIN repositories r ON r.id = m.repository_id JOIN users u ON u.id = m.user_id
      WHERE r.path = ? AND u.name = ?`)
      .pluck(),
  };
}
