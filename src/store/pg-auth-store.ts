import type pg from 'pg';
import type {
  AuthStore,
  RepositoryAccess,
  RepositoryAccessRecord,
  Role,
  TokenRecord,
  UserCredentials,
  Visibility,
} from '../auth/auth-store.js';
import { RegistryError } from '../errors.js';
import { repositoryNotFound } from '../repositories.js';
import { sql, type TokenRow, type UserRow } from './pg-auth-statements.js';
import { createPolledReadMemo } from './polled-read-memo.js';

function toUser(row: UserRow): UserCredentials {
  return { name: row.name, admin: row.admin, created: row.created, passwordHash: row.password_hash };
}

function toToken(row: TokenRow): TokenRecord {
  const token: TokenRecord = { id: Number(row.id), user: row.user, name: row.name, created: row.created };
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

type Member = { user: string; role: Role };

function toAccessRecord(row: RepositoryRow, members: Member[]): RepositoryAccessRecord {
  const record: RepositoryAccessRecord = { path: row.path, members };
  if (row.visibility !== null) record.visibility = row.visibility;
  return record;
}

/** PostgreSQL's SQLSTATE, and the constraint it names. */
const violation = (err: unknown) => err as { code?: string; constraint?: string };
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The AuthStore on PostgreSQL (migrations/postgres/002_auth.sql), shared by every replica. Races
 * between replicas are decided by the database's UNIQUE constraints and row locks, never by a
 * read before a write.
 *
 * The three reads access control makes on every request (the user, the token, a repository's
 * access for a user) are remembered (polled-read-memo.ts): this store's own writes forget them at
 * once, and a change made by another replica or the `charthouse` CLI moves auth_revision, which
 * is read at most once per RECHECK_OTHER_REPLICAS_MS. Remembered records are frozen, as they are
 * shared.
 *
 * The pool belongs to whoever opened it: `close()` leaves it open.
 */
export function createPostgresAuthStore(pool: pg.Pool): AuthStore {
  const memo = createPolledReadMemo(async () => {
    const { rows } = await pool.query<{ revision: number }>(sql.revision);
    return Number(rows[0]?.revision);
  });
  /** Every write runs through here: what was remembered is forgotten after it, whether it succeeded or not. */
  const writing = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } finally {
      memo.forget();
    }
  };
  const remembered = <T extends object>(key: string, read: () => Promise<T | undefined>) =>
    memo.get(key, async () => {
      const value = await read();
      return value && Object.freeze(value);
    });
  const changed = async (text: string, values: unknown[]) =>
    writing(async () => ((await pool.query(text, values)).rowCount ?? 0) > 0);
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await pool.query<R>(text, values)).rows;

  const repository = async (path: string) => (await rows<RepositoryRow>(sql.repository, [path]))[0];
  const userMissing = (name: string) => new RegistryError('USER_NOT_FOUND', `no user named "${name}"`);

  return {
    async countAdmins() {
      return (await rows<{ n: number }>(sql.countAdmins))[0]?.n ?? 0;
    },
    async createUser(user) {
      await writing(() =>
        pool.query(sql.insertUser, [user.name, user.passwordHash, user.admin, user.created]).catch((err) => {
          if (violation(err).code === UNIQUE_VIOLATION) {
            throw new RegistryError('USER_EXISTS', `a user named "${user.name}" already exists`);
          }
          throw err;
        }),
      );
    },
    async getUser(name) {
      return remembered(`user ${name}`, async () => {
        const row = (await rows<UserRow>(sql.getUser, [name]))[0];
        return row && toUser(row);
      });
    },
    async listUsers() {
      return (await rows<Omit<UserRow, 'password_hash'>>(sql.listUsers)).map((row) => ({
        name: row.name,
        admin: row.admin,
        created: row.created,
      }));
    },
    async removeUser(name) {
      return changed(sql.removeUser, [name]);
    },
    async setPassword(name, passwordHash) {
      return changed(sql.setPassword, [name, passwordHash]);
    },
    async setAdmin(name, admin) {
      return changed(sql.setAdmin, [name, admin]);
    },
    async createToken(token) {
      const values = [token.user, token.name, token.hash, token.created, token.expires ?? null];
      const inserted = await writing(() =>
        rows<{ id: number }>(sql.insertToken, values).catch((err) => {
          const { code, constraint } = violation(err);
          if (code === UNIQUE_VIOLATION && constraint === 'tokens_user_name') {
            throw new RegistryError(
              'TOKEN_EXISTS',
              `${token.user} already has a token named "${token.name}"`,
            );
          }
          // the user was removed between the insert's read of users and its foreign key check
          if (code === FOREIGN_KEY_VIOLATION) throw userMissing(token.user);
          throw err;
        }),
      );
      const id = inserted[0]?.id;
      if (id === undefined) throw userMissing(token.user);
      const created: TokenRecord = {
        id: Number(id),
        user: token.user,
        name: token.name,
        created: token.created,
      };
      if (token.expires !== undefined) created.expires = token.expires;
      return created;
    },
    async findToken(hash) {
      return remembered(`token ${hash}`, async () => {
        const row = (await rows<TokenRow>(sql.findToken, [hash]))[0];
        return row && toToken(row);
      });
    },
    async listTokens(user) {
      const found =
        user === undefined
          ? await rows<TokenRow>(sql.listTokens)
          : await rows<TokenRow>(sql.listUserTokens, [user]);
      return found.map(toToken);
    },
    async revokeToken(user, name, when) {
      return changed(sql.revokeToken, [user, name, when]);
    },
    async touchToken(id, when) {
      // This replica forgets, so its next findToken sees the use; a last use is no change to access,
      // so auth_revision stays and other replicas keep what they remember.
      await writing(() => pool.query(sql.touchToken, [id, when]));
    },
    async getRepositoryAccess(path) {
      const row = await repository(path);
      return row && toAccessRecord(row, await rows<Member>(sql.membersOf, [row.id]));
    },
    async listRepositoryAccess() {
      const members = new Map<number, Member[]>();
      for (const m of await rows<Member & { repositoryId: number }>(sql.allMembers)) {
        const list = members.get(Number(m.repositoryId)) ?? [];
        list.push({ user: m.user, role: m.role });
        members.set(Number(m.repositoryId), list);
      }
      return (await rows<RepositoryRow>(sql.listRepositories)).map((row) =>
        toAccessRecord(row, members.get(Number(row.id)) ?? []),
      );
    },
    async ensureRepository(path, visibility, created) {
      return writing(async () => {
        await pool.query(sql.insertRepository, [path, created]);
        await pool.query(sql.setVisibilityIfUnset, [path, visibility]);
        return (await repository(path))?.visibility ?? visibility;
      });
    },
    async setVisibility(path, visibility) {
      return changed(sql.setVisibility, [path, visibility]);
    },
    async grant(path, user, role) {
      await writing(async () => {
        const granted = await pool.query(sql.grant, [path, user, role]).then(
          (result) => (result.rowCount ?? 0) > 0,
          (err) => {
            if (violation(err).code === FOREIGN_KEY_VIOLATION) return false;
            throw err;
          },
        );
        if (granted) return;
        if (!(await repository(path))) {
          throw repositoryNotFound(path);
        }
        throw userMissing(user);
      });
    },
    async revoke(path, user) {
      return changed(sql.revoke, [path, user]);
    },
    async roleOf(path, user) {
      return (await rows<{ role: Role }>(sql.roleOf, [path, user]))[0]?.role;
    },
    async accessOf(path, user) {
      // neither a repository path nor a user name holds a space
      return remembered(`access ${path} ${user ?? ''}`, async () => {
        const row = (
          await rows<{ visibility: Visibility | null; role: Role | null }>(sql.accessOf, [path, user ?? null])
        )[0];
        if (!row) return undefined;
        const access: RepositoryAccess = {};
        if (row.visibility !== null) access.visibility = row.visibility;
        if (row.role !== null) access.role = row.role;
        return access;
      });
    },
    async close() {
      // the pool is the opener's to end
    },
  };
}
