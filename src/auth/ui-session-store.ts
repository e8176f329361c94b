/**
 * Web UI sign-in sessions, kept in the metadata database so that every replica knows them
 * (migrations/sqlite/008_ui_sessions.sql, migrations/postgres/005_ui_sessions.sql). The store
 * holds the sha256 of a session id only: whoever reads the database cannot sign in with it. A
 * session belongs to a user and goes when the user is removed.
 */
export interface UiSessionRecord {
  user: string;
  /** the user's server-admin flag as it is now, read with the session */
  admin: boolean;
  created: string;
  /** the last request that used it (written at most once a minute: ui-sessions.ts) */
  lastSeen: string;
  /** when it ends however active it is (the absolute lifetime) */
  expires: string;
}

export interface UiSessionStore {
  /** Rejects with USER_NOT_FOUND when the user does not exist (any more). */
  create(hash: string, session: { user: string; created: string; expires: string }): Promise<void>;
  /** The session with that id hash, expired or not (the caller decides). */
  find(hash: string): Promise<UiSessionRecord | undefined>;
  touch(hash: string, lastSeen: string): Promise<void>;
  /** false when there was no such session */
  remove(hash: string): Promise<boolean>;
  /** Removes the sessions idle since before `idleBefore` or ended by `now`; returns how many. */
  removeExpired(idleBefore: string, now: string): Promise<number>;
  close(): Promise<void>;
}
