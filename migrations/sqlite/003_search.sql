-- Chart search. chart_search holds one row per chart (repository + name) pointing at its latest
-- version and its latest release; chart_search_fts holds one FTS5 document per chart: the name,
-- description and keywords of the version the default listing shows (the latest release, or the
-- latest version when the chart has no release). Triggers on chart_versions keep both in step
-- inside the transaction that publishes or deletes, whichever protocol wrote the row.
--
-- "Latest" is SemVer precedence as Helm reads versions (an optional leading "v"; a missing minor
-- or patch is 0). chart_version_sort turns a version into a text whose byte order is that
-- precedence: each number is its digit count (3 digits) then its digits; a release sorts above its
-- prereleases ('~' above '!'); prerelease identifiers compare numerically ('0' + number) below
-- alphanumerics ('1' + text), char(2) between identifiers; then, after char(1), build metadata
-- the same way (none sorts below any, as node-semver's compareBuild has it); then, after char(1),
-- the raw version, which only breaks what is left (a leading "v"). Needs SQLite 3.44 for ordered
-- group_concat. Forward-only: never edit once released, add the next.

CREATE VIEW chart_version_sort AS
SELECT id, repository_id, name, version, pre IS NOT NULL AS prerelease,
       (SELECT group_concat(printf('%03d', length(ltrim(n.value, '0'))) || ltrim(n.value, '0'), '' ORDER BY n.key)
        FROM json_each('["' || replace(core || '..', '.', '","') || '"]') AS n WHERE n.key < 3)
       || CASE WHEN pre IS NULL THEN '~' ELSE '!' ||
            (SELECT group_concat(
                      CASE WHEN p.value = '' OR p.value GLOB '*[^0-9]*' THEN '1' || p.value
                           ELSE '0' || printf('%03d', length(ltrim(p.value, '0'))) || ltrim(p.value, '0') END,
                      char(2) ORDER BY p.key)
             FROM json_each('["' || replace(pre, '.', '","') || '"]') AS p)
          END
       || char(1) || CASE WHEN build IS NULL THEN '' ELSE char(3) ||
            (SELECT group_concat(
                      CASE WHEN b.value = '' OR b.value GLOB '*[^0-9]*' THEN '1' || b.value
                           ELSE '0' || printf('%03d', length(ltrim(b.value, '0'))) || ltrim(b.value, '0') END,
                      char(2) ORDER BY b.key)
             FROM json_each('["' || replace(build, '.', '","') || '"]') AS b)
          END
       || char(1) || version AS sort_key
FROM (
  SELECT id, repository_id, name, version, build,
         substr(bare, 1, instr(bare || '-', '-') - 1) AS core,
         CASE WHEN instr(bare, '-') > 0 THEN substr(bare, instr(bare, '-') + 1) END AS pre
  FROM (
    SELECT id, repository_id, name, version, substr(unv, 1, instr(unv || '+', '+') - 1) AS bare,
           CASE WHEN instr(unv, '+') > 0 THEN substr(unv, instr(unv, '+') + 1) END AS build
    FROM (
      -- versions are validated to [0-9A-Za-z.+-] before they are stored; quotes and backslashes
      -- are dropped anyway, so that no row can break the JSON arrays above
      SELECT id, repository_id, name, version,
             replace(replace(CASE WHEN version GLOB 'v*' THEN substr(version, 2) ELSE version END,
                             '\', ''), '"', '') AS unv
      FROM chart_versions
    )
  )
);

-- The sort key of every version, kept by the triggers below, so that finding a chart's latest
-- version is an index walk and not a parse of all its versions.
CREATE TABLE chart_version_order (
  version_id     INTEGER PRIMARY KEY,            -- chart_versions.id
  repository_id  INTEGER NOT NULL,
  name           TEXT    NOT NULL,
  prerelease     INTEGER NOT NULL,
  sort_key       TEXT    NOT NULL
);

CREATE INDEX chart_version_order_by_chart ON chart_version_order (repository_id, name, sort_key);

CREATE TABLE chart_search (
  id                  INTEGER PRIMARY KEY,       -- the rowid of the chart's FTS document
  repository_id       INTEGER NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  name                TEXT    NOT NULL,
  latest_id           INTEGER NOT NULL,          -- chart_versions.id of the highest version
  release_id          INTEGER,                   -- the highest version that is not a prerelease
  latest_deprecated   INTEGER NOT NULL,
  release_deprecated  INTEGER NOT NULL,
  versions            INTEGER NOT NULL,
  updated             TEXT    NOT NULL,          -- the newest `created` of its versions
  UNIQUE (repository_id, name)
);

CREATE INDEX chart_search_by_name ON chart_search (name, repository_id);

CREATE VIRTUAL TABLE chart_search_fts USING fts5 (
  name, description, keywords,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

CREATE TRIGGER chart_search_fts_insert AFTER INSERT ON chart_search BEGIN
  INSERT INTO chart_search_fts (rowid, name, description, keywords)
  SELECT NEW.id, NEW.name, coalesce(json_extract(v.metadata, '$.description'), ''),
         coalesce((SELECT group_concat(k.value, ' ') FROM json_each(v.metadata, '$.keywords') AS k), '')
  FROM chart_versions v WHERE v.id = coalesce(NEW.release_id, NEW.latest_id);
END;

CREATE TRIGGER chart_search_fts_delete AFTER DELETE ON chart_search BEGIN
  DELETE FROM chart_search_fts WHERE rowid = OLD.id;
END;

-- Inserting (repository_id, name) here recomputes that chart's row: SQLite's way of writing a
-- procedure that every trigger on chart_versions can call.
CREATE VIEW chart_search_refresh (repository_id, name) AS
SELECT repository_id, name FROM chart_search WHERE 0;

CREATE TRIGGER chart_search_refresh_run INSTEAD OF INSERT ON chart_search_refresh BEGIN
  DELETE FROM chart_search WHERE repository_id = NEW.repository_id AND name = NEW.name;
  INSERT INTO chart_search
    (repository_id, name, latest_id, release_id, latest_deprecated, release_deprecated, versions, updated)
  SELECT NEW.repository_id, NEW.name, latest.version_id, rel.version_id,
         coalesce(json_extract(lv.metadata, '$.deprecated'), 0) = 1,
         coalesce(json_extract(rv.metadata, '$.deprecated'), 0) = 1,
         stats.versions, stats.updated
  FROM (SELECT version_id FROM chart_version_order
        WHERE repository_id = NEW.repository_id AND name = NEW.name
        ORDER BY sort_key DESC LIMIT 1) AS latest
  JOIN chart_versions lv ON lv.id = latest.version_id
  JOIN (SELECT count(*) AS versions, max(created) AS updated FROM chart_versions
        WHERE repository_id = NEW.repository_id AND name = NEW.name) AS stats
  LEFT JOIN (SELECT version_id FROM chart_version_order
             WHERE repository_id = NEW.repository_id AND name = NEW.name AND prerelease = 0
             ORDER BY sort_key DESC LIMIT 1) AS rel ON 1
  LEFT JOIN chart_versions rv ON rv.id = rel.version_id;
END;

CREATE TRIGGER chart_versions_search_insert AFTER INSERT ON chart_versions BEGIN
  INSERT INTO chart_version_order (version_id, repository_id, name, prerelease, sort_key)
  SELECT id, repository_id, name, prerelease, sort_key FROM chart_version_sort WHERE id = NEW.id;
  INSERT INTO chart_search_refresh (repository_id, name) VALUES (NEW.repository_id, NEW.name);
END;

CREATE TRIGGER chart_versions_search_update AFTER UPDATE ON chart_versions BEGIN
  DELETE FROM chart_version_order WHERE version_id = OLD.id;
  INSERT INTO chart_version_order (version_id, repository_id, name, prerelease, sort_key)
  SELECT id, repository_id, name, prerelease, sort_key FROM chart_version_sort WHERE id = NEW.id;
  INSERT INTO chart_search_refresh (repository_id, name) VALUES (OLD.repository_id, OLD.name);
  INSERT INTO chart_search_refresh (repository_id, name)
  SELECT NEW.repository_id, NEW.name WHERE NEW.repository_id IS NOT OLD.repository_id OR NEW.name IS NOT OLD.name;
END;

CREATE TRIGGER chart_versions_search_delete AFTER DELETE ON chart_versions BEGIN
  DELETE FROM chart_version_order WHERE version_id = OLD.id;
  INSERT INTO chart_search_refresh (repository_id, name) VALUES (OLD.repository_id, OLD.name);
END;

-- Versions stored before this migration.
INSERT INTO chart_version_order (version_id, repository_id, name, prerelease, sort_key)
SELECT id, repository_id, name, prerelease, sort_key FROM chart_version_sort;

INSERT INTO chart_search_refresh (repository_id, name)
SELECT DISTINCT repository_id, name FROM chart_versions;
