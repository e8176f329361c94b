-- Users, API tokens and per-repository permissions for PostgreSQL: sqlite/004_auth.sql translated,
-- with visibility on 001's repositories as there. Passwords are scrypt hashes; tokens are stored
-- only as the sha256 of the secret. Names sort bytewise (COLLATE "C"), as SQLite's BINARY does;
-- times are ISO-8601 text, as the store writes and reads them.
--
-- Two additions serve replicas (src/store/pg-auth-store.ts, pg-login-limiter.ts):
-- - auth_revision moves with every change access control reads, whoever makes it, so a replica
--   may remember those reads until it sees the number move;
-- - login_failures counts failed logins for every replica at once.
-- Forward-only: never edit once released, add the next.

CREATE TABLE users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text COLLATE "C" NOT NULL UNIQUE,
  password_hash  text NOT NULL,                  -- scrypt$N$r$p$<salt b64>$<hash b64>
  admin          boolean NOT NULL DEFAULT false, -- server-wide admin
  created        text NOT NULL
);

CREATE TABLE tokens (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text COLLATE "C" NOT NULL,
  hash       text NOT NULL UNIQUE,               -- hex sha256 of the token secret
  created    text NOT NULL,
  expires    text,                               -- ISO time; NULL never expires
  revoked    text,                               -- ISO time; NULL while usable
  last_used  text,
  CONSTRAINT tokens_user_name UNIQUE (user_id, name)
);

-- NULL: not set yet; the server's --anonymous-read decides until a write or an admin sets it.
ALTER TABLE repositories ADD COLUMN visibility text CHECK (visibility IN ('public', 'private'));

CREATE TABLE repository_members (
  repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role           text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  PRIMARY KEY (repository_id, user_id)
);

CREATE INDEX repository_members_by_user ON repository_members (user_id);

-- One row. Statement triggers bump it in the writer's own transaction, so a reader that sees the
-- new number also sees the change. A token's last use is not a change: `touchToken` on every
-- request would otherwise make every replica forget everything.
CREATE TABLE auth_revision (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  revision  bigint NOT NULL
);

INSERT INTO auth_revision (revision) VALUES (0);

CREATE FUNCTION auth_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth_revision SET revision = revision + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
FOR EACH STATEMENT EXECUTE FUNCTION auth_revision_bump();

CREATE TRIGGER tokens_changed
AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF user_id, name, hash, expires, revoked ON tokens
FOR EACH STATEMENT EXECUTE FUNCTION auth_revision_bump();

CREATE TRIGGER repository_members_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON repository_members
FOR EACH STATEMENT EXECUTE FUNCTION auth_revision_bump();

-- A new repository needs no bump: reads of missing rows are never remembered.
CREATE TRIGGER repositories_access_changed
AFTER DELETE OR TRUNCATE OR UPDATE OF path, visibility ON repositories
FOR EACH STATEMENT EXECUTE FUNCTION auth_revision_bump();

-- Failed logins, one row each, in the replicas' epoch milliseconds; rows older than the window
-- are pruned as failures are recorded.
CREATE TABLE login_failures (
  address  text NOT NULL,
  at       bigint NOT NULL
);

CREATE INDEX login_failures_by_address ON login_failures (address, at);
CREATE INDEX login_failures_by_time ON login_failures (at);
