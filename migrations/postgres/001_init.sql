-- Everything charthouse.db holds but auth and upload sessions, for PostgreSQL: repositories with
-- their revision counters, chart versions and provenance files, index.yaml's stored pieces, chart
-- search, and the OCI view (manifests, tags, referrers, blob links). The SQLite migrations 001,
-- 002, 003 and 005 translated; what SQLite computes in SQL (a version's sort key, a chart's
-- search words) the store computes in JS and stores here (src/store/pg-version-order.ts,
-- pg-search.ts). Names, versions and paths sort bytewise (COLLATE "C"), as SQLite's BINARY does,
-- whatever the database's locale. Times are ISO-8601 text, as the store writes and reads them.
-- Forward-only: never edit once released, add the next.

CREATE TABLE repositories (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  path      text COLLATE "C" NOT NULL UNIQUE,   -- '' is the root repository
  created   text NOT NULL,
  updated   text NOT NULL,
  -- bumped in the transaction of every change, under this row's lock: it keys the index cache on
  -- every replica, and the lock serializes the writers of one repository
  revision  bigint NOT NULL DEFAULT 0
);

INSERT INTO repositories (path, created, updated)
VALUES ('', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));

CREATE TABLE chart_versions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  repository_id    bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name             text COLLATE "C" NOT NULL,
  version          text COLLATE "C" NOT NULL,
  filename         text COLLATE "C" NOT NULL,   -- <name>-<version>.tgz
  digest           text NOT NULL,               -- hex sha256 of the package
  size             bigint NOT NULL,
  created          text NOT NULL,
  metadata         json NOT NULL,               -- whitelisted Chart.yaml fields, key order kept
  readme           text,
  values_yaml      text,
  -- SemVer precedence as Helm reads versions, as bytes (pg-version-order.ts)
  sort_key         text COLLATE "C" NOT NULL,
  prerelease       boolean NOT NULL,
  -- name (A), keywords (B) and description (D) as search words (pg-search.ts); the chart's search
  -- document is that of the version its default listing shows
  search_document  tsvector NOT NULL,
  CONSTRAINT chart_versions_unique UNIQUE (repository_id, name, version),
  CONSTRAINT chart_versions_by_filename UNIQUE (repository_id, filename)
);

CREATE INDEX chart_versions_by_digest ON chart_versions (digest);
CREATE INDEX chart_versions_by_order ON chart_versions (repository_id, name, sort_key);

CREATE TABLE provenances (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           text COLLATE "C" NOT NULL,
  version        text COLLATE "C" NOT NULL,
  filename       text COLLATE "C" NOT NULL,     -- <name>-<version>.tgz.prov
  digest         text NOT NULL,
  size           bigint NOT NULL,
  created        text NOT NULL,
  CONSTRAINT provenances_unique UNIQUE (repository_id, name, version),
  CONSTRAINT provenances_by_filename UNIQUE (repository_id, filename)
);

CREATE INDEX provenances_by_digest ON provenances (digest);

-- One row per chart: its latest version and latest release, for search and for listing names.
CREATE TABLE chart_search (
  repository_id       bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name                text COLLATE "C" NOT NULL,
  latest_id           bigint NOT NULL,          -- chart_versions.id of the highest version
  release_id          bigint,                   -- the highest version that is not a prerelease
  latest_deprecated   boolean NOT NULL,
  release_deprecated  boolean NOT NULL,
  versions            bigint NOT NULL,
  updated             text NOT NULL,            -- the newest `created` of its versions
  document            tsvector NOT NULL,
  PRIMARY KEY (repository_id, name)
);

CREATE INDEX chart_search_by_name ON chart_search (name, repository_id);
CREATE INDEX chart_search_document ON chart_search USING gin (document);

CREATE FUNCTION chart_search_refresh(repo bigint, chart text) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM chart_search WHERE repository_id = repo AND name = chart;
  INSERT INTO chart_search
    (repository_id, name, latest_id, release_id, latest_deprecated, release_deprecated, versions,
     updated, document)
  SELECT repo, chart, latest.id, rel.id,
         coalesce(latest.metadata ->> 'deprecated', '') = 'true',
         coalesce(rel.metadata ->> 'deprecated', '') = 'true',
         stats.versions, stats.updated, coalesce(rel.search_document, latest.search_document)
  FROM (SELECT id, metadata, search_document FROM chart_versions
        WHERE repository_id = repo AND name = chart ORDER BY sort_key DESC LIMIT 1) AS latest
  CROSS JOIN (SELECT count(*) AS versions, max(created) AS updated FROM chart_versions
              WHERE repository_id = repo AND name = chart) AS stats
  LEFT JOIN (SELECT id, metadata, search_document FROM chart_versions
             WHERE repository_id = repo AND name = chart AND NOT prerelease
             ORDER BY sort_key DESC LIMIT 1) AS rel ON true;
$$;

-- index.yaml as stored pieces (SQLite migration 005): each version's entry, and each chart's block
-- with its length, CRC-32, sha256 and raw deflate stream. The store builds them in the transaction
-- that changes the chart; the trigger below drops what a write makes stale, so a writer that does
-- not build blocks leaves a gap (built when read), never a wrong index.
CREATE TABLE chart_index_entries (
  version_id  bigint PRIMARY KEY REFERENCES chart_versions (id) ON DELETE CASCADE,
  fragment    bytea NOT NULL
);

CREATE TABLE chart_index_blocks (
  repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           text COLLATE "C" NOT NULL,
  length         bigint NOT NULL,
  crc32          bigint NOT NULL,               -- unsigned 32 bits
  sha256         bytea NOT NULL,
  deflated       bytea NOT NULL,
  PRIMARY KEY (repository_id, name)
);

-- The OCI distribution view (SQLite migration 002): names that point at blobs by digest. A chart
-- manifest belongs to its chart_versions row and goes with it.
CREATE TABLE oci_manifests (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             text COLLATE "C" NOT NULL,   -- OCI repository: 'team-a/mychart'
  digest           text NOT NULL,               -- 'sha256:<hex>' of bytes
  media_type       text NOT NULL,
  bytes            bytea NOT NULL,              -- exactly as pushed or generated
  size             bigint NOT NULL,
  artifact_type    text,
  subject          text,                        -- 'sha256:<hex>' of the subject manifest
  annotations      json,
  created          text NOT NULL,
  chart_version_id bigint REFERENCES chart_versions (id) ON DELETE CASCADE,
  chart_layer      text,
  prov_layer       text,
  current          boolean NOT NULL DEFAULT false, -- the manifest the version's tag resolves to
  CONSTRAINT oci_manifests_unique UNIQUE (name, digest)
);

CREATE UNIQUE INDEX oci_manifests_current ON oci_manifests (chart_version_id) WHERE current;
CREATE INDEX oci_manifests_by_version ON oci_manifests (chart_version_id);
CREATE INDEX oci_manifests_by_subject ON oci_manifests (name, subject);

CREATE TABLE oci_manifest_blobs (
  manifest_id bigint NOT NULL REFERENCES oci_manifests (id) ON DELETE CASCADE,
  digest      text COLLATE "C" NOT NULL,
  PRIMARY KEY (manifest_id, digest)
);

CREATE INDEX oci_manifest_blobs_by_digest ON oci_manifest_blobs (digest);

CREATE TABLE oci_tags (
  name        text COLLATE "C" NOT NULL,
  tag         text COLLATE "C" NOT NULL,
  manifest_id bigint NOT NULL REFERENCES oci_manifests (id) ON DELETE CASCADE,
  updated     text NOT NULL,
  PRIMARY KEY (name, tag)
);

CREATE INDEX oci_tags_by_manifest ON oci_tags (manifest_id);

CREATE TABLE oci_blob_links (
  name    text COLLATE "C" NOT NULL,
  digest  text COLLATE "C" NOT NULL,
  created text NOT NULL,
  PRIMARY KEY (name, digest)
);

CREATE INDEX oci_blob_links_by_digest ON oci_blob_links (digest);

-- What SQLite's triggers on chart_versions do, in one function: keep chart_search current, drop
-- index pieces a write made stale, and drop the manifests of a package that was replaced.
CREATE FUNCTION chart_versions_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM chart_index_blocks WHERE repository_id = OLD.repository_id AND name = OLD.name;
    PERFORM chart_search_refresh(OLD.repository_id, OLD.name);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM chart_index_entries WHERE version_id = OLD.id;
    IF OLD.digest <> NEW.digest THEN
      DELETE FROM oci_manifests WHERE chart_version_id = NEW.id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    DELETE FROM chart_index_blocks WHERE repository_id = NEW.repository_id AND name = NEW.name;
    PERFORM chart_search_refresh(NEW.repository_id, NEW.name);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER chart_versions_changed AFTER INSERT OR UPDATE OR DELETE ON chart_versions
FOR EACH ROW EXECUTE FUNCTION chart_versions_changed();
