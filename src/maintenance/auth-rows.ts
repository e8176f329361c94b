/**
 * Users (with their password hashes), tokens (hashes, expiry, revocation) and repository roles, as
 * migrate-store copies them. A user whose name the destination gives to another account (another
 * password hash) is a conflict, and that user's tokens and roles are not copied onto that account.
 */
import { describePath, flag, insertIfAbsent, type RowTable, text } from './row-table.js';

const users: RowTable = {
  name: 'users',
  select: 'SELECT u.id, u.name, u.password_hash, u.admin, u.created FROM users u',
  key: [{ column: 'u.id', field: 'id' }],
  describe: (row) => `user ${JSON.stringify(row.name)}`,
  async write(target, row) {
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO users (name, password_hash, admin, created) VALUES (?, ?, ?, ?)',
      [row.name, row.password_hash, flag(row.admin), row.created],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{ password_hash: string; admin: unknown }>(
      'SELECT password_hash, admin FROM users WHERE name = ?',
      [row.name],
    );
    if (there && there.password_hash === row.password_hash && flag(there.admin) === flag(row.admin)) {
      return 'present';
    }
    target.conflictedUsers.add(String(row.name));
    return { skipped: 'the destination has another account of that name' };
  },
};

const tokens: RowTable = {
  name: 'tokens',
  select: `SELECT t.id, u.name AS user_name, t.name, t.hash, t.created, t.expires, t.revoked, t.last_used
           FROM tokens t JOIN users u ON u.id = t.user_id`,
  key: [{ column: 't.id', field: 'id' }],
  describe: (row) => `token ${JSON.stringify(row.name)} of user ${JSON.stringify(row.user_name)}`,
  async write(target, row) {
    const userId = await target.userId(String(row.user_name));
    if (userId === undefined) return { skipped: 'its user was not copied' };
    const inserted = await insertIfAbsent(
      target,
      `INSERT INTO tokens (user_id, name, hash, created, expires, revoked, last_used)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [userId, row.name, row.hash, row.created, text(row.expires), text(row.revoked), text(row.last_used)],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{
      user_id: number;
      name: string;
      expires: string | null;
      revoked: string | null;
    }>('SELECT user_id, name, expires, revoked FROM tokens WHERE hash = ?', [row.hash]);
    if (!there) return { skipped: 'the user has another token of that name in the destination' };
    if (there.user_id !== userId || there.name !== row.name || there.expires !== text(row.expires)) {
      return { skipped: 'the destination holds the same secret as another token' };
    }
    // a revocation made in the source since an earlier run must count in the destination too
    if (there.revoked === null && row.revoked !== null) {
      await target.query('UPDATE tokens SET revoked = ? WHERE hash = ?', [row.revoked, row.hash]);
      return 'copied';
    }
    return 'present';
  },
};

const members: RowTable = {
  name: 'members',
  select: `SELECT m.repository_id, m.user_id, r.path AS repository, u.name AS user_name, m.role
           FROM repository_members m JOIN repositories r ON r.id = m.repository_id
           JOIN users u ON u.id = m.user_id`,
  key: [
    { column: 'm.repository_id', field: 'repository_id' },
    { column: 'm.user_id', field: 'user_id' },
  ],
  describe: (row) => `role of user ${JSON.stringify(row.user_name)} in ${describePath(row.repository)}`,
  async write(target, row) {
    const userId = await target.userId(String(row.user_name));
    if (userId === undefined) return { skipped: 'its user was not copied' };
    const repositoryId = (await target.repositoryId(String(row.repository))) as number;
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO repository_members (repository_id, user_id, role) VALUES (?, ?, ?)',
      [repositoryId, userId, row.role],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{ role: string }>(
      'SELECT role FROM repository_members WHERE repository_id = ? AND user_id = ?',
      [repositoryId, userId],
    );
    if (there?.role === row.role) return 'present';
    return { skipped: `the destination gives the role ${there?.role}, the source ${String(row.role)}` };
  },
};

export const authTables = [users, tokens, members];
