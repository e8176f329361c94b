/** Every statement the PostgreSQL auth store runs (migrations/postgres/002_auth.sql). */

export interface UserRow {
  name: string;
  password_hash: string;
  admin: boolean;
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

const TOKEN_COLUMNS = 't.id, u.name AS user, t.name AS name, t.created, t.expires, t.revoked, t.last_used';

export const sql = {
  revision: 'SELECT revision FROM auth_revision',
  countAdmins: 'SELECT count(*)::int AS n FROM users WHERE admin',
  insertUser: 'INSERT INTO users (name, password_hash, admin, created) VALUES ($1, $2, $3, $4)',
  getUser: 'SELECT name, password_hash, admin, created FROM users WHERE name = $1',
  listUsers: 'SELECT name, admin, created FROM users ORDER BY name',
  removeUser: 'DELETE FROM users WHERE name = $1',
  setPassword: 'UPDATE users SET password_hash = $2 WHERE name = $1',
  setAdmin: 'UPDATE users SET admin = $2 WHERE name = $1',

  /** no row when the user does not exist; tokens_user_name decides a race between two creators */
  insertToken: `
    INSERT INTO tokens (user_id, name, hash, created, expires)
    SELECT id, $2, $3, $4, $5 FROM users WHERE name = $1
    RETURNING id`,
  findToken: `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`,
  listTokens: `SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY u.name, t.name`,
  listUserTokens: `
    SELECT ${TOKEN_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE u.name = $1 ORDER BY t.name`,
  // The first revocation time stays: revoking twice is not a new event.
  revokeToken: `
    UPDATE tokens SET revoked = COALESCE(revoked, $3)
    WHERE name = $2 AND user_id = (SELECT id FROM users WHERE name = $1)`,
  touchToken: 'UPDATE tokens SET last_used = $2 WHERE id = $1',

  repository: 'SELECT id, path, visibility FROM repositories WHERE path = $1',
  listRepositories: 'SELECT id, path, visibility FROM repositories ORDER BY path',
  allMembers: `
    SELECT m.repository_id AS "repositoryId", u.name AS user, m.role
    FROM repository_members m JOIN users u ON u.id = m.user_id ORDER BY u.name`,
  membersOf: `
    SELECT u.name AS user, m.role FROM repository_members m JOIN users u ON u.id = m.user_id
    WHERE m.repository_id = $1 ORDER BY u.name`,
  insertRepository:
    'INSERT INTO repositories (path, created, updated) VALUES ($1, $2, $2) ON CONFLICT (path) DO NOTHING',
  // A concurrent caller waits on the row and then finds the visibility set: the first one stays.
  setVisibilityIfUnset: 'UPDATE repositories SET visibility = $2 WHERE path = $1 AND visibility IS NULL',
  setVisibility: 'UPDATE repositories SET visibility = $2 WHERE path = $1',
  /** no row when the repository or the user is missing (or went in a race: a foreign key violation) */
  grant: `
    INSERT INTO repository_members (repository_id, user_id, role)
    SELECT r.id, u.id, $3 FROM repositories r, users u WHERE r.path = $1 AND u.name = $2
    ON CONFLICT (repository_id, user_id) DO UPDATE SET role = excluded.role`,
  revoke: `
    DELETE FROM repository_members
    WHERE repository_id = (SELECT id FROM repositories WHERE path = $1)
      AND user_id = (SELECT id FROM users WHERE name = $2)`,
  roleOf: `
    SELECT m.role FROM repository_members m
    JOIN repositories r ON r.id = m.repository_id JOIN users u ON u.id = m.user_id
    WHERE r.path = $1 AND u.name = $2`,
  /** the repository's visibility and the user's role there (NULL for no user), in one read */
  accessOf: `
    SELECT r.visibility, m.role FROM repositories r
    LEFT JOIN repository_members m
      ON m.repository_id = r.id AND m.user_id = (SELECT id FROM users WHERE name = $2::text)
    WHERE r.path = $1`,
} as const;
