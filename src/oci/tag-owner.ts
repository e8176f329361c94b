import { manifestKinds } from './media-types.js';

/**
 * Who an OCI tag belongs to, in words. A chart version's tag (its version, `+` as `_`) is derived
 * from the version, while every other tag is a row naming a manifest; when both claim one tag, the
 * chart would silently hide the other content, so the chart is refused unless overwrite is
 * allowed (issue 15, "OCI tags never move silently").
 */

/** The OCI repository name of chart `chart` in Charthouse repository `repository` (parseName reversed). */
export function ociNameOf(repository: string, chart: string): string {
  return repository === '' ? chart : `${repository}/${chart}`;
}

const IMAGE_CONFIGS = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

/** What a stored manifest is, for a message: "an image", "an image index", "an artifact of type …". */
export function describeOciContent(mediaType: string, artifactType: string | null | undefined): string {
  if (manifestKinds[mediaType] === 'index') return 'an image index';
  if (!artifactType || IMAGE_CONFIGS.has(artifactType)) return 'an image';
  return `an artifact of type ${artifactType}`;
}

/** Why a chart version cannot take its tag while the tag names other content. */
export function tagTakenMessage(name: string, tag: string, content: string): string {
  return (
    `the OCI tag ${name}:${tag} already names other content (${content}); delete that tag first, ` +
    'or allow overwrite to move the tag to the chart'
  );
}

/** The digests an image index lists under `manifests`; none for anything that is not one. */
export function listedManifests(bytes: Buffer): string[] {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(doc.manifests)) return [];
    return doc.manifests.flatMap((d: unknown) => {
      const digest = (d as { digest?: unknown } | null)?.digest;
      return typeof digest === 'string' ? [digest] : [];
    });
  } catch {
    return [];
  }
}

/** The media types an image index is stored under (parse-manifest.ts reads every index as one of them). */
export const indexMediaTypes = Object.keys(manifestKinds).filter((t) => manifestKinds[t] === 'index');
