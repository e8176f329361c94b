/**
 * Users, API tokens and repository permissions, kept in the metadata database beside the charts
 * (migrations/004_auth.sql). The store holds hashes only: passwords are hashed by passwords.ts and
 * tokens by tokens.ts before they reach it. Async like MetadataStore, so a PostgreSQL
 * implementation fits behind it without touching callers.
 */

/** What a member may do in one repository; each role includes the ones before it. */
export const roles = ['read', 'write', 'admin'] as const;
export type Role = (typeof roles)[number];

export type Visibility = 'public' | 'private';

export interface UserRecord {
  name: string;
  /** server-wide admin: every right on every repository, and user management */
  admin: boolean;
  created: string;
}

export interface UserCredentials extends UserRecord {
  passwordHash: string;
}

export interface TokenRecord {
  id: number;
  user: string;
  name: string;
  created: string;
  expires?: string;
  revoked?: string;
  lastUsed?: string;
}

export interface RepositoryAccessRecord {
  path: string;
  /** undefined: never set; the server's --anonymous-read default applies */
  visibility?: Visibility;
  members: Array<{ user: string; role: Role }>;
}

export interface AuthStore {
  /** How many server admins exist; `--auth auto` enforces access control once there is one. */
  countAdmins(): Promise<number>;
  /** Rejects with USER_EXISTS when the name is taken. */
  createUser(user: { name: string; passwordHash: string; admin: boolean; created: string }): Promise<void>;
  getUser(name: string): Promise<UserCredentials | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Removes the user with their tokens and memberships; false when there was no such user. */
  removeUser(name: string): Promise<boolean>;
  /** false when there is no such user */
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  /** false when there is no such user */
  setAdmin(name: string, admin: boolean): Promise<boolean>;

  /** Rejects with USER_NOT_FOUND, or TOKEN_EXISTS when the user already has a token of that name. */
  createToken(token: {
    user: string;
    name: string;
    hash: string;
    created: string;
    expires?: string;
  }): Promise<TokenRecord>;
  /** The token with that secret hash, revoked and expired ones included (the caller decides). */
  findToken(hash: string): Promise<TokenRecord | undefined>;
  /** Every token of one user, or of every user. */
  listTokens(user?: string): Promise<TokenRecord[]>;
  /** Marks the token revoked at `when`; false when the user has no token of that name. */
  revokeToken(user: string, name: string, when: string): Promise<boolean>;
  /** Records a use; best effort, for `token list`. */
  touchToken(id: number, when: string): Promise<void>;

  /** undefined when the repository does not exist (no chart was ever pushed, nor was it created). */
  getRepositoryAccess(path: string): Promise<RepositoryAccessRecord | undefined>;
  listRepositoryAccess(): Promise<RepositoryAccessRecord[]>;
  /**
   * Creates the repository if it does not exist, and sets its visibility if it has none yet.
   * Returns the visibility in force afterwards.
   */
  ensureRepository(path: string, visibility: Visibility, created: string): Promise<Visibility>;
  /** false when the repository does not exist */
  setVisibility(path: string, visibility: Visibility): Promise<boolean>;
  /** Gives the user the role (replacing any other); rejects with USER_NOT_FOUND or REPOSITORY_NOT_FOUND. */
  grant(path: string, user: string, role: Role): Promise<void>;
  /** false when the user had no role there */
  revoke(path: string, user: string): Promise<boolean>;
  /** The user's role in the repository, if any (server admin rights are not roles). */
  roleOf(path: string, user: string): Promise<Role | undefined>;
  /**
   * What an access decision needs, in one read: the repository's stored visibility and the
   * user's role there (none without a user); undefined when the repository does not exist.
   */
  accessOf(path: string, user?: string): Promise<RepositoryAccess | undefined>;
  /** Releases the store's resources; nothing may be called afterwards. */
  close(): Promise<void>;
}

export interface RepositoryAccess {
  /** undefined: never set; the server's --anonymous-read default applies */
  visibility?: Visibility;
  role?: Role;
}
