import type { Readable } from 'node:stream';
import type { Config } from '../config/config.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { ociWithLifecycle } from '../lifecycle/oci-lifecycle.js';
import type { BlobStore, ByteRange } from '../store/blob-store.js';
import type { MetadataStore, OciDescriptorRecord } from '../store/metadata-store.js';
import type { TrustStore } from '../store/trust-store.js';
import type { UploadSessionStore } from '../store/upload-sessions.js';
import { createSignatures } from '../trust/signatures.js';
import { OciError } from './errors.js';
import { createOciManifests } from './manifests.js';
import { digestHex, digestProblem, nameProblem, type OciName, parseName, tagOfVersion } from './reference.js';
import { type ChunkRange, createOciUploads } from './uploads.js';

export interface OciRegistryDeps {
  meta: MetadataStore;
  blobs: BlobStore;
  config: Config;
  /** where upload sessions wait: `<storage>/uploads/` on disk, or shared by every replica */
  sessions: UploadSessionStore;
  /** how long a session may sit untouched before it expires; --upload-session-ttl by default */
  uploadTtlMs?: number;
  now?: () => number;
  /** keyrings and signature policies; without them provenance layers are not verified */
  trust?: TrustStore;
  /** immutability, retention and the artifacthub.io tag; without it, none applies */
  lifecycle?: Lifecycle;
  /** a proxy repository's version stored on its first pull by tag (src/proxy/) */
  prepareVersion?: (repository: string, name: string, version: string) => Promise<void>;
}

export interface TagPage {
  name: string;
  tags: string[];
  /** the `last` to ask for the next page, when there is one */
  next?: { n: number; last: string };
}

/**
 * The OCI distribution use cases on the Charthouse store. No HTTP in here: failures are
 * OciErrors; names, digests and references arrive unchecked from the path and are checked here.
 */
export function createOciRegistry(deps: OciRegistryDeps) {
  const { meta, blobs, config } = deps;
  const now = deps.now ?? Date.now;
  const uploadTtlMs = deps.uploadTtlMs ?? config.uploadSessionTtl;
  const uploads = createOciUploads({
    meta,
    blobs,
    sessions: deps.sessions,
    maxBlobSize: config.maxUploadSize,
    ttlMs: uploadTtlMs,
    now,
  });
  const signatures = deps.trust && createSignatures({ trust: deps.trust, meta });
  const manifests = createOciManifests({
    meta,
    blobs,
    config,
    now,
    signatures,
    lifecycle: deps.lifecycle,
    ...(deps.prepareVersion && { prepareVersion: deps.prepareVersion }),
  });

  async function visibleBlob(oci: OciName, digest: string): Promise<{ hex: string; size: number }> {
    const hex = hexOf(digest);
    const state = await meta.ociBlobState(oci, hex);
    const stored = state.linked || state.referenced ? await blobs.stat(hex) : undefined;
    if (!stored) throw new OciError('BLOB_UNKNOWN', `blob ${digest} is not in ${oci.name}`, digest);
    return { hex, size: stored.size };
  }

  const api = {
    uploadTtlMs,
    /** --max-manifest-size, for the route that reads manifest bodies */
    maxManifestSize: config.maxManifestSize,

    async statBlob(name: string, digest: string): Promise<{ size: number }> {
      const { size } = await visibleBlob(nameOf(name), digest);
      return { size };
    },

    async openBlob(name: string, digest: string, range?: ByteRange): Promise<Readable> {
      const { hex } = await visibleBlob(nameOf(name), digest);
      const stream = await blobs.open(hex, range);
      if (!stream) throw new OciError('BLOB_UNKNOWN', `blob ${digest} is not in ${name}`, digest);
      return stream;
    },

    /** Unlinks a blob from the repository; refused while a manifest or chart there still needs it. */
    async deleteBlob(name: string, digest: string): Promise<void> {
      const oci = nameOf(name);
      const hex = hexOf(digest);
      const state = await meta.ociBlobState(oci, hex);
      if (state.referenced) {
        throw new OciError(
          'UNSUPPORTED',
          `blob ${digest} is still referenced in ${name}: delete the manifest or chart version first`,
        );
      }
      if (!(await meta.unlinkOciBlob(oci.name, hex))) {
        throw new OciError('BLOB_UNKNOWN', `blob ${digest} is not in ${name}`, digest);
      }
    },

    startUpload: (name: string) => uploads.start(nameOf(name)),
    uploadBlob: (name: string, digest: string, body: Readable | undefined) =>
      uploads.upload(nameOf(name), hexOf(digest), body),
    /** Mounts a blob from `from`; false when it cannot, and the caller starts a session instead. */
    async mountBlob(name: string, digest: string, from: string | undefined): Promise<boolean> {
      return uploads.mount(nameOf(name), hexOf(digest), from === undefined ? undefined : parseName(from));
    },
    appendUpload: (name: string, id: string, body: Readable | undefined, range?: ChunkRange) =>
      uploads.append(nameOf(name), id, body, range),
    uploadStatus: (name: string, id: string) => uploads.status(nameOf(name), id),
    finishUpload: (
      name: string,
      id: string,
      digest: string | undefined,
      body?: Readable,
      range?: ChunkRange,
    ) => {
      const oci = nameOf(name);
      if (digest === undefined)
        throw new OciError('DIGEST_INVALID', 'the upload must be closed with ?digest=');
      return uploads.finish(oci, id, hexOf(digest), body, range);
    },
    cancelUpload: (name: string, id: string) => uploads.cancel(nameOf(name), id),
    sweepUploads: () => uploads.sweep(),

    getManifest: (name: string, reference: string) => manifests.get(nameOf(name), reference),
    putManifest: (name: string, reference: string, bytes: Buffer, contentType: string | undefined) =>
      manifests.put(nameOf(name), reference, bytes, contentType),
    deleteManifest: (name: string, reference: string) => manifests.remove(nameOf(name), reference),

    /** Tags in lexical order, `n` of them after `last`; chart versions are listed with `+` as `_`. */
    async listTags(name: string, page: { n?: number; last?: string }): Promise<TagPage> {
      const oci = nameOf(name);
      const found = await meta.listOciTags(oci);
      if (!found) throw new OciError('NAME_UNKNOWN', `repository ${name} is not known`, { name });
      const all = [...new Set([...found.versions.map(tagOfVersion), ...found.tags])].sort(byBytes);
      const after = page.last === undefined ? all : all.filter((t) => byBytes(t, page.last as string) > 0);
      if (page.n === undefined || after.length <= page.n) return { name, tags: after };
      const tags = after.slice(0, page.n);
      const last = tags.at(-1);
      return last === undefined ? { name, tags } : { name, tags, next: { n: page.n, last } };
    },

    /** The manifests whose subject is `digest`, optionally only those of one artifact type. */
    async listReferrers(name: string, digest: string, artifactType?: string): Promise<OciDescriptorRecord[]> {
      const oci = nameOf(name);
      hexOf(digest);
      const all = await meta.listOciReferrers(oci.name, digest);
      return artifactType === undefined ? all : all.filter((d) => d.artifactType === artifactType);
    },
  };
  return deps.lifecycle ? ociWithLifecycle(api, { lifecycle: deps.lifecycle, meta }) : api;
}

export type OciRegistry = ReturnType<typeof createOciRegistry>;

function nameOf(name: string): OciName {
  const parsed = parseName(name);
  if (!parsed) throw new OciError('NAME_INVALID', nameProblem(name), { name });
  return parsed;
}

function hexOf(digest: string): string {
  const hex = digestHex(digest);
  if (hex === undefined) throw new OciError('DIGEST_INVALID', digestProblem(digest), { Digest: digest });
  return hex;
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
