-- Per-repository lifecycle settings for PostgreSQL: sqlite/007_repository_settings.sql translated.
-- Immutability, the retention rule and the Artifact Hub metadata, one row per repository that has
-- any; retired_versions remembers what was deleted from an immutable repository, so that a name
-- served as immutable never comes back with other bytes. Forward-only: never edit once released.

CREATE TABLE repository_settings (
  repository_id     bigint PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
  immutable         boolean NOT NULL DEFAULT false,   -- one-way: set, never cleared
  keep_last         integer,                          -- NULL: no retention rule
  keep_prereleases  integer,
  max_age_ms        bigint,                           -- NULL: versions beyond the counts go at once
  artifacthub       text,                             -- the metadata as JSON; NULL when unset
  updated           text NOT NULL
);

CREATE TABLE retired_versions (
  repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           text COLLATE "C" NOT NULL,
  version        text COLLATE "C" NOT NULL,
  digest         text NOT NULL,                       -- hex sha256 of the package that was deleted
  retired        text NOT NULL,
  PRIMARY KEY (repository_id, name, version)
);
