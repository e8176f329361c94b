-- Web UI sign-in sessions (src/auth/ui-sessions.ts), shared by every replica. id_hash is the
-- sha256 of the id in the browser's cookie, never the id itself. Times are ISO-8601 UTC text,
-- compared as text, like the other tables. Forward-only: never edit once released, add the next.

CREATE TABLE ui_sessions (
  id_hash    text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created    text NOT NULL,
  last_seen  text NOT NULL,
  expires    text NOT NULL
);
CREATE INDEX ui_sessions_last_seen ON ui_sessions (last_seen);
CREATE INDEX ui_sessions_user ON ui_sessions (user_id);
