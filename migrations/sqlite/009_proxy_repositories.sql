-- Proxy repositories (src/proxy/): a repository that mirrors an upstream Helm repository.
-- repository_settings.proxy holds its upstream as JSON (URL, TTL, CA, credentials; the
-- credentials are never shown by `repo show` or the admin API). proxy_indexes keeps the last
-- index.yaml fetched from upstream, shared by every process on the database, with what a
-- conditional GET needs and when upstream was last asked. Forward-only: never edit once released.

ALTER TABLE repository_settings ADD COLUMN proxy TEXT;   -- NULL: not a proxy

CREATE TABLE proxy_indexes (
  repository_id  INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
  body           TEXT    NOT NULL,                      -- the upstream index.yaml as fetched
  digest         TEXT    NOT NULL,                      -- hex sha256 of body
  etag           TEXT,
  last_modified  TEXT,
  checked_at     INTEGER NOT NULL                       -- ms since the epoch: upstream last answered
);
