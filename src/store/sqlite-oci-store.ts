import type Database from 'better-sqlite3';
import { tagOfVersion } from '../oci/reference.js';
import { indexMediaTypes, listedManifests } from '../oci/tag-owner.js';
import type {
  DanglingOciReference,
  OciChartManifestWrite,
  OciChartPublishRequest,
  OciDescriptorRecord,
  OciManifestRecord,
  OciManifestWrite,
  OciMetadataStore,
  PublishRequest,
} from './metadata-store.js';
import { type OciManifestRow, prepareOciStatements } from './sqlite-oci-statements.js';

const now = () => new Date().toISOString();
const INDEX_TYPES = JSON.stringify(indexMediaTypes);

/**
 * The OCI half of the SQLite MetadataStore. `publish` is the store's own publish transaction,
 * reused (as a nested savepoint) so that a chart pushed over OCI obeys exactly the rules of one
 * uploaded over HTTP.
 */
export function createSqliteOciMethods(
  db: Database.Database,
  publish: (request: PublishRequest) => void,
): OciMetadataStore & { isBlobReferenced(digest: string): boolean } {
  const q = prepareOciStatements(db);
  const versionId = (repository: string, chart: string, version: string) =>
    (q.versionId.get(repository, chart, version) as { id: number } | undefined)?.id;

  function insertManifest(
    name: string,
    m: OciManifestWrite,
    chart?: { versionId: number; current: boolean },
  ) {
    const write = chart ? q.upsertChartManifest : q.insertManifest;
    const chartManifest = m as Partial<OciChartManifestWrite>;
    write.run({
      name,
      digest: m.digest,
      media_type: m.mediaType,
      bytes: m.bytes,
      size: m.size,
      artifact_type: m.artifactType ?? null,
      subject: m.subject ?? null,
      annotations: m.annotations ? JSON.stringify(m.annotations) : null,
      created: m.created,
      chart_version_id: chart?.versionId ?? null,
      chart_layer: chart ? (chartManifest.layer ?? null) : null,
      prov_layer: chart ? (chartManifest.prov ?? null) : null,
      current: chart?.current ? 1 : 0,
    });
    const id = (q.manifestId.get(name, m.digest) as { id: number }).id;
    for (const blob of m.blobs) q.insertManifestBlob.run(id, blob);
    return id;
  }

  const putManifest = db.transaction((name: string, m: OciManifestWrite, tag?: string) => {
    const id = insertManifest(name, m);
    if (tag !== undefined) q.upsertTag.run(name, tag, id, now());
  });

  const saveChart = db.transaction(
    (req: { name: string; versionId: number; manifest: OciChartManifestWrite; current: boolean }) => {
      if (req.current) q.clearCurrent.run(req.versionId);
      insertManifest(req.name, req.manifest, { versionId: req.versionId, current: req.current });
    },
  );

  const publishChart = db.transaction((req: OciChartPublishRequest) => {
    const { oci, chart, manifest } = req;
    publish({ repository: oci.repository, chart, provenance: req.provenance, overwrite: req.overwrite });
    const id = versionId(oci.repository, chart.name, chart.version);
    if (id === undefined)
      throw new Error(`chart version ${chart.name} ${chart.version} vanished while publishing`);
    saveChart({ name: oci.name, versionId: id, manifest, current: true });
    q.deleteTag.run(oci.name, tagOfVersion(chart.version));
    for (const blob of manifest.blobs) q.unlinkBlob.run(oci.name, blob);
  });

  return {
    async getOciManifest(name, digest) {
      return toRecord(q.manifest.get(name, digest) as OciManifestRow | undefined);
    },
    async getOciTag(name, tag) {
      return toRecord(q.taggedManifest.get(name, tag) as OciManifestRow | undefined);
    },
    async listOciTags(oci) {
      const tags = (q.listTags.all(oci.name) as Array<{ tag: string }>).map((r) => r.tag);
      const versions = (q.listVersions.all(oci.repository, oci.chart) as Array<{ version: string }>).map(
        (r) => r.version,
      );
      if (tags.length === 0 && versions.length === 0 && !q.holdsContent.get(oci.name, oci.name))
        return undefined;
      return { tags, versions };
    },
    async putOciManifest(name, manifest, tag) {
      putManifest(name, manifest, tag);
    },
    async publishOciChart(request) {
      publishChart(request);
    },
    async getChartManifest(oci, version) {
      const id = versionId(oci.repository, oci.chart, version);
      return id === undefined ? undefined : toRecord(q.currentManifest.get(id) as OciManifestRow | undefined);
    },
    async saveChartManifest(oci, version, manifest, { current }) {
      const id = versionId(oci.repository, oci.chart, version);
      if (id === undefined) return false;
      saveChart({ name: oci.name, versionId: id, manifest, current });
      return true;
    },
    async deleteOciManifest(name, digest) {
      return q.deleteManifest.run(name, digest).changes > 0;
    },
    async ociIndexesListing(name, digest) {
      const rows = q.indexesMentioning.all(name, INDEX_TYPES, digest) as Array<{
        digest: string;
        bytes: Buffer;
      }>;
      return rows.filter((r) => listedManifests(r.bytes).includes(digest)).map((r) => r.digest);
    },
    async findDanglingOciReferences() {
      const found: DanglingOciReference[] = [];
      const indexes = q.allIndexes.all(INDEX_TYPES) as Array<{ name: string; digest: string; bytes: Buffer }>;
      for (const index of indexes) {
        for (const child of listedManifests(index.bytes)) {
          if (!q.manifest.get(index.name, child))
            found.push({ name: index.name, from: { index: index.digest }, missing: child });
        }
      }
      const tags = q.danglingTags.all() as Array<{ name: string; tag: string; manifest_id: number }>;
      for (const t of tags)
        found.push({ name: t.name, from: { tag: t.tag }, missing: `manifest row ${t.manifest_id}` });
      return found;
    },
    async deleteOciTag(name, tag) {
      return q.deleteTag.run(name, tag).changes > 0;
    },
    async listOciReferrers(name, digest) {
      const rows = q.referrers.all(name, digest) as Array<
        Pick<OciManifestRow, 'digest' | 'media_type' | 'size' | 'artifact_type' | 'annotations'>
      >;
      return rows.map(toDescriptor);
    },
    async linkOciBlob(name, digest) {
      q.linkBlob.run(name, digest, now());
    },
    async unlinkOciBlob(name, digest) {
      return q.unlinkBlob.run(name, digest).changes > 0;
    },
    async ociBlobState(oci, digest) {
      return {
        linked: q.isLinked.get(oci.name, digest) !== undefined,
        referenced: q.isReferencedIn.get({ ...oci, digest }) !== undefined,
      };
    },
    isBlobReferenced(digest) {
      return q.isBlobReferenced.get(digest, digest) !== undefined;
    },
  };
}

function toDescriptor(
  row: Pick<OciManifestRow, 'digest' | 'media_type' | 'size' | 'artifact_type' | 'annotations'>,
): OciDescriptorRecord {
  const out: OciDescriptorRecord = { digest: row.digest, mediaType: row.media_type, size: row.size };
  if (row.artifact_type !== null) out.artifactType = row.artifact_type;
  if (row.annotations !== null) out.annotations = JSON.parse(row.annotations) as Record<string, string>;
  return out;
}

function toRecord(row: OciManifestRow | undefined): OciManifestRecord | undefined {
  if (!row) return undefined;
  const record: OciManifestRecord = { ...toDescriptor(row), bytes: row.bytes, created: row.created };
  if (row.subject !== null) record.subject = row.subject;
  if (row.chart_version !== null && row.chart_layer !== null) {
    record.chart = { version: row.chart_version, layer: row.chart_layer, current: row.current === 1 };
    if (row.prov_layer !== null) record.chart.prov = row.prov_layer;
  }
  return record;
}
