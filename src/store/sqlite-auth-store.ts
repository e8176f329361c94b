import type Database from 'better-sqlite3';
import type {
  AuthStore,
  RepositoryAccessRecord,
  Role,
  TokenRecord,
  UserCredentials,
  Visibility,
} from '../auth/auth-store.js';
import { RegistryError } from '../errors.js';
import { repositoryNotFound } from '../repositories.js';
import { openDatabase } from './database.js';
import { createReadMemo } from './read-memo.js';
import { prepareAuthStatements, type TokenRow, type UserRow } from './sqlite-auth-statements.js';

function toUser(row: UserRow): UserCredentials {
  return { name: row.name, admin: row.admin === 1, created: row.created, passwordHash: row.password_hash };
}

function toToken(row: TokenRow): TokenRecord {
  const token: TokenRecord = { id: row.id, user: row.user, name: row.name, created: row.created };
  if (row.expires !== null) token.expires = row.expires;
  if (row.revoked !== null) token.revoked = row.revoked;
  if (row.last_used !== null) token.lastUsed = row.last_used;
  return token;
}

interface RepositoryRow {
  id: number;
  path: string;
  visibility: Visibility | null;
}

function toAccessRecord(
  row: RepositoryRow,
  members: Array<{ user: string; role: Role }>,
): RepositoryAccessRecord {
  const record: RepositoryAccessRecord = { path: row.path, members };
  if (row.visibility !== null) record.visibility = row.visibility;
  return record;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * The AuthStore on charthouse.db (migrations/004_auth.sql), through its own connection so it
 * opens and closes independently of the metadata store; WAL lets both share the file.
 *
 * The three reads access control makes on every request (the user, the token, a repository's
 * access for a user) are remembered (read-memo.ts): every write through this store forgets them at
 * once, and a change made by another process (`charthouse token revoke`, `repo grant` beside the
 * server) counts within RECHECK_OTHER_WRITERS_MS. Remembered records are frozen, as they are shared.
 */
export function createSqliteAuthStore(file: string): AuthStore & { db: Database.Database } {
  const db = openDatabase(file);
  const q = prepareAuthStatements(db);
  const memo = createReadMemo(() => q.dataVersion.get() as number);
  /** Every write runs through here: what was remembered is forgotten after it, whether it succeeded or not. */
  const writing = <T>(write: () => T): T => {
    try {
      return write();
    } finally {
      memo.forget();
    }
  };
  const remembered = <T extends object>(key: string, read: () => T | undefined) =>
    memo.get(key, () => {
      const value = read();
      return value && Object.freeze(value);
    });

  const userIdOrThrow = (name: string) => {
    const id = q.userId.get(name) as number | undefined;
    if (id === undefined) throw new RegistryError('USER_NOT_FOUND', `no user named "${name}"`);
    return id;
  };

  const createToken = db.transaction(
    (token: { user: string; name: string; hash: string; created: string; expires?: string }) => {
      const userId = userIdOrThrow(token.user);
      if (q.tokenByName.get(userId, token.name) !== undefined) {
        throw new RegistryError('TOKEN_EXISTS', `${token.user} already has a token named "${token.name}"`);
      }
      const { lastInsertRowid } = q.insertToken.run({ ...token, userId, expires: token.expires ?? null });
      return toToken(q.tokenById.get(lastInsertRowid) as TokenRow);
    },
  );

  const ensureRepository = db.transaction((path: string, visibility: Visibility, created: string) => {
    q.insertRepository.run(path, created, created);
    q.setVisibilityIfUnset.run(visibility, path);
    return (q.repository.get(path) as RepositoryRow).visibility as Visibility;
  });

  const grant = db.transaction((path: string, user: string, role: Role) => {
    const repo = q.repository.get(path) as RepositoryRow | undefined;
    if (!repo) throw repositoryNotFound(path);
    q.grant.run(repo.id, userIdOrThrow(user), role);
  });

  const accessOf = db.transaction((path: string, user?: string) => {
    const repo = q.repository.get(path) as RepositoryRow | undefined;
    if (!repo) return undefined;
    const role = user === undefined ? undefined : (q.roleOf.get(path, user) as Role | undefined);
    return {
      ...(repo.visibility !== null && { visibility: repo.visibility }),
      ...(role !== undefined && { role }),
    };
  });

  return {
    db,
    async countAdmins() {
      return q.countAdmins.get() as number;
    },
    async createUser(user) {
      try {
        writing(() => q.insertUser.run({ ...user, admin: user.admin ? 1 : 0 }));
      } catch (err) {
        if (isUniqueViolation(err))
          throw new RegistryError('USER_EXISTS', `a user named "${user.name}" already exists`);
        throw err;
      }
    },
    async getUser(name) {
      return remembered(`user ${name}`, () => {
        const row = q.getUser.get(name) as UserRow | undefined;
        return row && toUser(row);
      });
    },
    async listUsers() {
      return (q.listUsers.all() as UserRow[]).map((row) => ({
        name: row.name,
        admin: row.admin === 1,
        created: row.created,
      }));
    },
    async removeUser(name) {
      return writing(() => q.removeUser.run(name).changes > 0);
    },
    async setPassword(name, passwordHash) {
      return writing(() => q.setPassword.run(passwordHash, name).changes > 0);
    },
    async setAdmin(name, admin) {
      return writing(() => q.setAdmin.run(admin ? 1 : 0, name).changes > 0);
    },
    async createToken(token) {
      return writing(() => createToken(token));
    },
    async findToken(hash) {
      return remembered(`token ${hash}`, () => {
        const row = q.findToken.get(hash) as TokenRow | undefined;
        return row && toToken(row);
      });
    },
    async listTokens(user) {
      const rows = user === undefined ? q.listTokens.all() : q.listUserTokens.all(user);
      return (rows as TokenRow[]).map(toToken);
    },
    async revokeToken(user, name, when) {
      return writing(() => q.revokeToken.run(when, name, user).changes > 0);
    },
    async touchToken(id, when) {
      writing(() => q.touchToken.run(when, id));
    },
    async getRepositoryAccess(path) {
      const row = q.repository.get(path) as RepositoryRow | undefined;
      return row && toAccessRecord(row, q.members.all(row.id) as Array<{ user: string; role: Role }>);
    },
    async listRepositoryAccess() {
      const members = new Map<number, Array<{ user: string; role: Role }>>();
      for (const m of q.allMembers.all() as Array<{ repositoryId: number; user: string; role: Role }>) {
        const list = members.get(m.repositoryId) ?? [];
        list.push({ user: m.user, role: m.role });
        members.set(m.repositoryId, list);
      }
      return (q.listRepositories.all() as RepositoryRow[]).map((row) =>
        toAccessRecord(row, members.get(row.id) ?? []),
      );
    },
    async ensureRepository(path, visibility, created) {
      return writing(() => ensureRepository(path, visibility, created));
    },
    async setVisibility(path, visibility) {
      return writing(() => q.setVisibility.run(visibility, path).changes > 0);
    },
    async grant(path, user, role) {
      writing(() => grant(path, user, role));
    },
    async revoke(path, user) {
      return writing(() => q.revoke.run(path, user).changes > 0);
    },
    async roleOf(path, user) {
      return q.roleOf.get(path, user) as Role | undefined;
    },
    async accessOf(path, user) {
      // neither a repository path nor a user name holds a space
      return remembered(`access ${path} ${user ?? ''}`, () => accessOf(path, user));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
