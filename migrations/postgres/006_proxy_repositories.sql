-- Proxy repositories for PostgreSQL: sqlite/009_proxy_repositories.sql translated.
-- repository_settings.proxy holds the upstream as JSON (URL, TTL, CA, credentials; never shown by
-- `repo show` or the admin API); proxy_indexes keeps the last upstream index.yaml, shared by every
-- replica, with what a conditional GET needs. Forward-only: never edit once released.

ALTER TABLE repository_settings ADD COLUMN proxy text;   -- NULL: not a proxy

CREATE TABLE proxy_indexes (
  repository_id  bigint PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
  body           text NOT NULL,                          -- the upstream index.yaml as fetched
  digest         text NOT NULL,                          -- hex sha256 of body
  etag           text,
  last_modified  text,
  checked_at     bigint NOT NULL                         -- ms since the epoch: upstream last answered
);
