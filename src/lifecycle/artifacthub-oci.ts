import { ociDigest, sha256Hex } from '../charts/digest.js';
import type { OciManifestRecord } from '../store/metadata-store.js';
import { renderArtifactHubFile } from './artifacthub-metadata.js';
import type { ArtifactHubMetadata } from './repository-settings.js';

/** The tag Artifact Hub reads a repository's metadata from in an OCI registry. */
export const ARTIFACTHUB_TAG = 'artifacthub.io';

/**
 * The media types `oras push <repo>:artifacthub.io --config /dev/null:<config> file:<layer>`
 * gives, as Artifact Hub's documentation for OCI repositories prescribes.
 */
export const artifactHubMediaTypes = {
  config: 'application/vnd.cncf.artifacthub.config.v1+yaml',
  layer: 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
} as const;

export interface ArtifactHubArtifact {
  manifest: OciManifestRecord;
  /** the blobs the manifest names, by hex digest: the empty config and the file */
  blobs: Map<string, Buffer>;
}

/**
 * The `artifacthub.io` artifact of a repository, generated from its stored metadata: the same
 * bytes, and so the same digests, for the same metadata. Served, never stored, so it cannot drift
 * from what `<repo>/artifacthub-repo.yml` serves.
 */
export function artifactHubArtifact(metadata: ArtifactHubMetadata, created: string): ArtifactHubArtifact {
  const file = Buffer.from(renderArtifactHubFile(metadata));
  const config = Buffer.alloc(0);
  const fileHex = sha256Hex(file);
  const configHex = sha256Hex(config);
  const manifest = {
    schemaVersion: 2,
    mediaType: artifactHubMediaTypes.manifest,
    config: { mediaType: artifactHubMediaTypes.config, digest: ociDigest(configHex), size: 0 },
    layers: [
      {
        mediaType: artifactHubMediaTypes.layer,
        digest: ociDigest(fileHex),
        size: file.length,
        annotations: { 'org.opencontainers.image.title': 'artifacthub-repo.yml' },
      },
    ],
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return {
    manifest: {
      digest: ociDigest(sha256Hex(bytes)),
      mediaType: artifactHubMediaTypes.manifest,
      size: bytes.length,
      bytes,
      created,
    },
    blobs: new Map([
      [configHex, config],
      [fileHex, file],
    ]),
  };
}
