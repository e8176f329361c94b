/** Users and their API tokens: the half of accounts.ts that hashes secrets. */
import { RegistryError } from '../errors.js';
import { checkPassword, checkTokenName, checkUserName, type Expiry, resolveExpiry } from './account-rules.js';
import type { AuthStore, TokenRecord, UserRecord } from './auth-store.js';
import { hashPassword } from './passwords.js';
import { generateToken } from './tokens.js';

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** A token as listed: never its secret nor its hash (the store keeps only the hash anyway). */
export interface TokenInfo extends Omit<TokenRecord, 'id'> {
  status: TokenStatus;
}

/** The user without their password hash; USER_INVALID for a malformed name, USER_NOT_FOUND. */
export async function existingUser(store: AuthStore, name: string): Promise<UserRecord> {
  const user = await store.getUser(checkUserName(name));
  if (!user) throw new RegistryError('USER_NOT_FOUND', `no user "${name}"`);
  return { name: user.name, admin: user.admin, created: user.created };
}

export function createUserAccounts(store: AuthStore, now: () => Date) {
  const getUser = (name: string) => existingUser(store, name);
  const missing = (name: string) => new RegistryError('USER_NOT_FOUND', `no user "${name}"`);

  /** With `--auth auto`, removing or demoting the last admin would silently open the server to everyone. */
  async function keepAnAdmin(user: UserRecord, action: string): Promise<void> {
    if (user.admin && (await store.countAdmins()) <= 1) {
      throw new RegistryError(
        'LAST_ADMIN',
        `cannot ${action} "${user.name}": it is the last server admin (add another admin first)`,
      );
    }
  }

  async function setPassword(name: string, password: string): Promise<void> {
    await getUser(name);
    const passwordHash = await hashPassword(checkPassword(password));
    if (!(await store.setPassword(name, passwordHash))) throw missing(name);
  }

  async function setAdmin(name: string, admin: boolean): Promise<UserRecord> {
    const user = await getUser(name);
    if (!admin) await keepAnAdmin(user, 'demote');
    if (!(await store.setAdmin(name, admin))) throw missing(name);
    return { ...user, admin };
  }

  function tokenInfo(token: TokenRecord): TokenInfo {
    const { id: _id, ...rest } = token;
    const expired = token.expires !== undefined && Date.parse(token.expires) <= now().getTime();
    return { ...rest, status: token.revoked ? 'revoked' : expired ? 'expired' : 'active' };
  }

  return {
    async addUser(name: string, password: string, { admin = false } = {}): Promise<UserRecord> {
      const user = { name: checkUserName(name), admin, created: now().toISOString() };
      const passwordHash = await hashPassword(checkPassword(password));
      await store.createUser({ ...user, passwordHash });
      return user;
    },

    getUser,

    listUsers: (): Promise<UserRecord[]> => store.listUsers(),

    /** Removes the user with their tokens and repository roles. */
    async removeUser(name: string): Promise<void> {
      await keepAnAdmin(await getUser(name), 'remove');
      if (!(await store.removeUser(name))) throw missing(name);
    },

    setPassword,

    setAdmin,

    /** Changes the password and/or the admin flag: both are checked before either is changed. */
    async updateUser(name: string, change: { password?: string; admin?: boolean }): Promise<UserRecord> {
      const user = await getUser(name);
      const { password, admin } = change;
      if (password !== undefined) checkPassword(password);
      if (admin === false) await keepAnAdmin(user, 'demote');
      if (password !== undefined) await setPassword(name, password);
      return admin === undefined ? user : setAdmin(name, admin);
    },

    /** The secret is in this answer only; the store keeps its hash. */
    async createToken(
      user: string,
      name: string,
      expiry: Expiry = {},
    ): Promise<{ token: TokenInfo; secret: string }> {
      await getUser(user);
      const when = now();
      const expires = resolveExpiry(expiry, when);
      const { secret, hash } = generateToken();
      const record = await store.createToken({
        user,
        name: checkTokenName(name),
        hash,
        created: when.toISOString(),
        ...(expires === undefined ? {} : { expires }),
      });
      return { token: tokenInfo(record), secret };
    },

    /** Every token of one user (who must exist), or of every user. */
    async listTokens(user?: string): Promise<TokenInfo[]> {
      if (user !== undefined) await getUser(user);
      return (await store.listTokens(user)).map(tokenInfo);
    },

    async revokeToken(user: string, name: string): Promise<void> {
      await getUser(user);
      if (!(await store.revokeToken(user, name, now().toISOString()))) {
        throw new RegistryError('TOKEN_NOT_FOUND', `user "${user}" has no token "${name}"`);
      }
    },
  };
}
