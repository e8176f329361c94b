-- Users, API tokens and per-repository permissions. Passwords are scrypt hashes; tokens are
-- stored only as the sha256 of the secret, which is shown once when the token is created.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  password_hash  TEXT    NOT NULL,             -- scrypt$N$r$p$<salt b64>$<hash b64>
  admin          INTEGER NOT NULL DEFAULT 0,    -- server-wide admin
  created        TEXT    NOT NULL
);

CREATE TABLE tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  hash       TEXT    NOT NULL UNIQUE,           -- hex sha256 of the token secret
  created    TEXT    NOT NULL,
  expires    TEXT,                              -- ISO time; NULL never expires
  revoked    TEXT,                              -- ISO time; NULL while usable
  last_used  TEXT,
  UNIQUE (user_id, name)
);

-- NULL: not set yet; the server's --anonymous-read decides until a write or an admin sets it.
ALTER TABLE repositories ADD COLUMN visibility TEXT CHECK (visibility IN ('public', 'private'));

CREATE TABLE repository_members (
  repository_id  INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role           TEXT    NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  PRIMARY KEY (repository_id, user_id)
);

CREATE INDEX repository_members_by_user ON repository_members (user_id);
