import type pg from 'pg';
import { RegistryError } from '../errors.js';
import { tagOfVersion } from '../oci/reference.js';
import { describeOciContent, ociNameOf, tagTakenMessage } from '../oci/tag-owner.js';

/**
 * Inside publishIn, under the repository's lock: a chart version whose OCI tag already names other
 * content is refused with CHART_EXISTS, or, with overwrite, takes the tag (the tag row goes; the
 * other manifest stays readable by digest). The SQLite twin is sqlite-tag-guard.ts.
 */
export async function guardChartTag(
  client: pg.ClientBase,
  repository: string,
  chart: { name: string; version: string },
  overwrite: boolean,
): Promise<void> {
  const name = ociNameOf(repository, chart.name);
  const tag = tagOfVersion(chart.version);
  const { rows } = await client.query<{ media_type: string; artifact_type: string | null }>(
    `SELECT m.media_type, m.artifact_type FROM oci_tags t JOIN oci_manifests m ON m.id = t.manifest_id
     WHERE t.name = $1 AND t.tag = $2`,
    [name, tag],
  );
  const row = rows[0];
  if (!row) return;
  if (!overwrite) {
    const content = describeOciContent(row.media_type, row.artifact_type);
    throw new RegistryError('CHART_EXISTS', tagTakenMessage(name, tag, content));
  }
  await client.query('DELETE FROM oci_tags WHERE name = $1 AND tag = $2', [name, tag]);
}
