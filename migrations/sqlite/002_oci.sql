-- The OCI distribution view of the same store (issue 7). Blobs stay in the blob store, named by
-- digest; these tables hold the OCI names that point at them. A chart manifest belongs to its
-- chart_versions row, so deleting the version (over /api or over /v2) removes its OCI view in
-- the same transaction. Forward-only: never edit a released migration, add the next.

CREATE TABLE oci_manifests (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL,            -- OCI repository: 'team-a/mychart'
  digest           TEXT    NOT NULL,            -- 'sha256:<hex>' of bytes
  media_type       TEXT    NOT NULL,            -- as the PUT declared it, or as generated
  bytes            BLOB    NOT NULL,            -- exactly as pushed or generated (at most 4 MiB)
  size             INTEGER NOT NULL,
  artifact_type    TEXT,                        -- for the referrers API
  subject          TEXT,                        -- 'sha256:<hex>' of the subject manifest
  annotations      TEXT,                        -- JSON object, for the referrers API
  created          TEXT    NOT NULL,
  chart_version_id INTEGER REFERENCES chart_versions (id) ON DELETE CASCADE,
  chart_layer      TEXT,                        -- hex digest of the chart layer (chart manifests)
  prov_layer       TEXT,                        -- hex digest of the provenance layer, if any
  current          INTEGER NOT NULL DEFAULT 0,  -- 1: the manifest the version's tag resolves to
  UNIQUE (name, digest)
);

CREATE UNIQUE INDEX oci_manifests_current ON oci_manifests (chart_version_id) WHERE current = 1;
CREATE INDEX oci_manifests_by_version ON oci_manifests (chart_version_id);
CREATE INDEX oci_manifests_by_subject ON oci_manifests (name, subject);

-- Blobs (hex digests) each manifest references: what keeps them visible and out of GC.
CREATE TABLE oci_manifest_blobs (
  manifest_id INTEGER NOT NULL REFERENCES oci_manifests (id) ON DELETE CASCADE,
  digest      TEXT    NOT NULL,
  PRIMARY KEY (manifest_id, digest)
) WITHOUT ROWID;

CREATE INDEX oci_manifest_blobs_by_digest ON oci_manifest_blobs (digest);

-- Tags of non-chart content; a chart version's tag is derived from the version.
CREATE TABLE oci_tags (
  name        TEXT    NOT NULL,
  tag         TEXT    NOT NULL,
  manifest_id INTEGER NOT NULL REFERENCES oci_manifests (id) ON DELETE CASCADE,
  updated     TEXT    NOT NULL,
  PRIMARY KEY (name, tag)
) WITHOUT ROWID;

CREATE INDEX oci_tags_by_manifest ON oci_tags (manifest_id);

-- Blobs pushed or mounted into an OCI repository (hex digests) that no manifest refers to yet.
CREATE TABLE oci_blob_links (
  name    TEXT NOT NULL,
  digest  TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (name, digest)
) WITHOUT ROWID;

CREATE INDEX oci_blob_links_by_digest ON oci_blob_links (digest);

-- A version whose package is replaced (overwrite) keeps its row id; its manifests describe the
-- old package, so they go.
CREATE TRIGGER oci_chart_replaced AFTER UPDATE OF digest ON chart_versions
WHEN old.digest <> new.digest
BEGIN
  DELETE FROM oci_manifests WHERE chart_version_id = new.id;
END;
