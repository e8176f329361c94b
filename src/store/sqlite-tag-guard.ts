import type Database from 'better-sqlite3';
import { RegistryError } from '../errors.js';
import { tagOfVersion } from '../oci/reference.js';
import { describeOciContent, ociNameOf, tagTakenMessage } from '../oci/tag-owner.js';

/**
 * Inside the publish transaction: a chart version whose OCI tag already names other content (an
 * image pushed to `team/app:3.0.0`) is refused with CHART_EXISTS, or, with overwrite, takes the tag
 * (the tag row goes; the other manifest stays readable by digest). See oci/tag-owner.ts.
 */
export function createSqliteTagGuard(db: Database.Database) {
  const tagged = db.prepare(`SELECT m.media_type, m.artifact_type FROM oci_tags t
    JOIN oci_manifests m ON m.id = t.manifest_id WHERE t.name = ? AND t.tag = ?`);
  const drop = db.prepare('DELETE FROM oci_tags WHERE name = ? AND tag = ?');
  return (repository: string, chart: { name: string; version: string }, overwrite: boolean): void => {
    const name = ociNameOf(repository, chart.name);
    const tag = tagOfVersion(chart.version);
    const row = tagged.get(name, tag) as { media_type: string; artifact_type: string | null } | undefined;
    if (!row) return;
    if (!overwrite) {
      const content = describeOciContent(row.media_type, row.artifact_type);
      throw new RegistryError('CHART_EXISTS', tagTakenMessage(name, tag, content));
    }
    drop.run(name, tag);
  };
}
