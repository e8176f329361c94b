import type { UiSessionRecord, UiSessionStore } from '../auth/ui-session-store.js';
import { RegistryError } from '../errors.js';
import { openDatabase } from './database.js';

interface SessionRow {
  user: string;
  admin: number;
  created: string;
  last_seen: string;
  expires: string;
}

/** UiSessionStore on charthouse.db, through its own connection, as the auth store does. */
export function createSqliteUiSessions(file: string): UiSessionStore {
  const db = openDatabase(file);
  const insert = db.prepare(
    `INSERT INTO ui_sessions (id_hash, user_id, created, last_seen, expires)
     SELECT ?, id, ?, ?, ? FROM users WHERE name = ?`,
  );
  const select = db.prepare(
    `SELECT u.name AS user, u.admin, s.created, s.last_seen, s.expires
       FROM ui_sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
  );
  const touch = db.prepare('UPDATE ui_sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?');
  const remove = db.prepare('DELETE FROM ui_sessions WHERE id_hash = ?');
  const removeExpired = db.prepare('DELETE FROM ui_sessions WHERE last_seen < ? OR expires <= ?');

  return {
    async create(hash, { user, created, expires }) {
      if (insert.run(hash, created, created, expires, user).changes === 0) {
        throw new RegistryError('USER_NOT_FOUND', `no user named "${user}"`);
      }
    },
    async find(hash) {
      const row = select.get(hash) as SessionRow | undefined;
      if (!row) return undefined;
      const record: UiSessionRecord = {
        user: row.user,
        admin: row.admin === 1,
        created: row.created,
        lastSeen: row.last_seen,
        expires: row.expires,
      };
      return record;
    },
    async touch(hash, lastSeen) {
      touch.run(lastSeen, hash, lastSeen);
    },
    async remove(hash) {
      return remove.run(hash).changes > 0;
    },
    async removeExpired(idleBefore, now) {
      return removeExpired.run(idleBefore, now).changes;
    },
    async close() {
      db.close();
    },
  };
}
