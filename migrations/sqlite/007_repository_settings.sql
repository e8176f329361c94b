-- Per-repository lifecycle settings (src/lifecycle/): immutability, the retention rule and the
-- Artifact Hub metadata, one row per repository that has any; a repository without a row has
-- none of them. retired_versions remembers what was deleted from an immutable repository, so that
-- a name served as immutable can never come back with other bytes. Forward-only: never edit once
-- released, add the next.

CREATE TABLE repository_settings (
  repository_id     INTEGER PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
  immutable         INTEGER NOT NULL DEFAULT 0,       -- one-way: set, never cleared
  keep_last         INTEGER,                          -- NULL: no retention rule
  keep_prereleases  INTEGER,
  max_age_ms        INTEGER,                          -- NULL: versions beyond the counts go at once
  artifacthub       TEXT,                             -- the metadata as JSON; NULL when unset
  updated           TEXT    NOT NULL
);

CREATE TABLE retired_versions (
  repository_id  INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  version        TEXT    NOT NULL,
  digest         TEXT    NOT NULL,                    -- hex sha256 of the package that was deleted
  retired        TEXT    NOT NULL,
  PRIMARY KEY (repository_id, name, version)
);
