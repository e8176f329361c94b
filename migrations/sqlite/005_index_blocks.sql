-- index.yaml as stored pieces, so that serving it never runs a YAML dumper and never reads the
-- wide chart_versions rows. chart_index_entries holds each version's entry exactly as index.yaml
-- shows it (indented, with the relative URL charts/<file>); chart_index_blocks holds each chart's
-- part of the document (`  <name>:` and its entries, newest first) with its length, CRC-32,
-- sha256 and a raw deflate stream of it, so the gzip form and the ETag of a whole index are
-- assembled from these rows alone. The store renders entries and builds a chart's block in the
-- transaction that changes the chart; the triggers below drop what a write makes stale, so a
-- writer that does not know about them leaves a gap (rebuilt when read), never a wrong index.
-- Rows stored before this migration get their entries and blocks when the store first opens the
-- database (YAML cannot be rendered in SQL). Forward-only: never edit once released, add the next.

CREATE TABLE chart_index_entries (
  version_id  INTEGER PRIMARY KEY REFERENCES chart_versions (id) ON DELETE CASCADE,
  fragment    BLOB    NOT NULL
);

CREATE TABLE chart_index_blocks (
  id             INTEGER PRIMARY KEY,
  repository_id  INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  length         INTEGER NOT NULL,
  crc32          INTEGER NOT NULL,
  sha256         BLOB    NOT NULL,
  deflated       BLOB    NOT NULL,
  -- last, so that reading the columns before it never walks its overflow pages
  body           BLOB    NOT NULL,
  UNIQUE (repository_id, name)
);

CREATE TRIGGER chart_index_stale_insert AFTER INSERT ON chart_versions BEGIN
  DELETE FROM chart_index_blocks WHERE repository_id = NEW.repository_id AND name = NEW.name;
END;

CREATE TRIGGER chart_index_stale_update AFTER UPDATE ON chart_versions BEGIN
  DELETE FROM chart_index_entries WHERE version_id = OLD.id;
  DELETE FROM chart_index_blocks WHERE repository_id = OLD.repository_id AND name = OLD.name;
  DELETE FROM chart_index_blocks WHERE repository_id = NEW.repository_id AND name = NEW.name;
END;

CREATE TRIGGER chart_index_stale_delete AFTER DELETE ON chart_versions BEGIN
  DELETE FROM chart_index_blocks WHERE repository_id = OLD.repository_id AND name = OLD.name;
END;
