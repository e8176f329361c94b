-- Web UI sign-in sessions (src/auth/ui-sessions.ts). id_hash is the sha256 of the id in the
-- browser's cookie, never the id itself. Times are ISO-8601 UTC text, compared as text.
-- Forward-only: never edit once released, add the next.

CREATE TABLE ui_sessions (
  id_hash    TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created    TEXT    NOT NULL,
  last_seen  TEXT    NOT NULL,
  expires    TEXT    NOT NULL
);
CREATE INDEX ui_sessions_last_seen ON ui_sessions (last_seen);
CREATE INDEX ui_sessions_user ON ui_sessions (user_id);
