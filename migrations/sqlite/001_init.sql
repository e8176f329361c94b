-- Repositories, chart versions and provenance files. Blobs are named only by digest; every
-- name a client sees lives here. Forward-only: never edit a released migration, add the next.

CREATE TABLE repositories (
  id        INTEGER PRIMARY KEY,
  path      TEXT    NOT NULL UNIQUE,           -- '' is the root repository
  created   TEXT    NOT NULL,
  updated   TEXT    NOT NULL,
  revision  INTEGER NOT NULL DEFAULT 0          -- bumped by every change; keys the index cache
);

INSERT INTO repositories (path, created, updated)
VALUES ('', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE chart_versions (
  id             INTEGER PRIMARY KEY,
  repository_id  INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  version        TEXT    NOT NULL,
  filename       TEXT    NOT NULL,              -- <name>-<version>.tgz
  digest         TEXT    NOT NULL,              -- hex sha256 of the package
  size           INTEGER NOT NULL,
  created        TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,              -- whitelisted Chart.yaml fields as JSON
  readme         TEXT,
  values_yaml    TEXT,
  UNIQUE (repository_id, name, version)
);

CREATE UNIQUE INDEX chart_versions_by_filename ON chart_versions (repository_id, filename);
CREATE INDEX chart_versions_by_digest ON chart_versions (digest);

CREATE TABLE provenances (
  id             INTEGER PRIMARY KEY,
  repository_id  INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  version        TEXT    NOT NULL,
  filename       TEXT    NOT NULL,              -- <name>-<version>.tgz.prov
  digest         TEXT    NOT NULL,
  size           INTEGER NOT NULL,
  created        TEXT    NOT NULL,
  UNIQUE (repository_id, name, version)
);

CREATE UNIQUE INDEX provenances_by_filename ON provenances (repository_id, filename);
CREATE INDEX provenances_by_digest ON provenances (digest);
