import type pg from 'pg';
import type { UiSessionStore } from '../auth/ui-session-store.js';
import { RegistryError } from '../errors.js';

interface SessionRow {
  user: string;
  admin: boolean;
  created: string;
  last_seen: string;
  expires: string;
}

/**
 * UiSessionStore on PostgreSQL, so a browser signed in through one replica is signed in on all.
 * The pool belongs to whoever opened it: `close()` leaves it open.
 */
export function createPostgresUiSessions(pool: pg.Pool): UiSessionStore {
  return {
    async create(hash, { user, created, expires }) {
      const { rowCount } = await pool.query(
        `INSERT INTO ui_sessions (id_hash, user_id, created, last_seen, expires)
         SELECT $1, id, $2, $2, $3 FROM users WHERE name = $4`,
        [hash, created, expires, user],
      );
      if (!rowCount) throw new RegistryError('USER_NOT_FOUND', `no user named "${user}"`);
    },
    async find(hash) {
      const { rows } = await pool.query<SessionRow>(
        `SELECT u.name AS user, u.admin, s.created, s.last_seen, s.expires
           FROM ui_sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
        [hash],
      );
      const row = rows[0];
      return (
        row && {
          user: row.user,
          admin: row.admin,
          created: row.created,
          lastSeen: row.last_seen,
          expires: row.expires,
        }
      );
    },
    async touch(hash, lastSeen) {
      await pool.query('UPDATE ui_sessions SET last_seen = $1 WHERE id_hash = $2 AND last_seen < $1', [
        lastSeen,
        hash,
      ]);
    },
    async remove(hash) {
      const { rowCount } = await pool.query('DELETE FROM ui_sessions WHERE id_hash = $1', [hash]);
      return (rowCount ?? 0) > 0;
    },
    async removeExpired(idleBefore, now) {
      const { rowCount } = await pool.query('DELETE FROM ui_sessions WHERE last_seen < $1 OR expires <= $2', [
        idleBefore,
        now,
      ]);
      return rowCount ?? 0;
    },
    async close() {},
  };
}
