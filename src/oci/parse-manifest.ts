/**
 * Reads a pushed manifest: an OCI image manifest or index, or their Docker schema 2 forms
 * (image-spec v1.1 manifest.md, image-index.md, descriptor.md). The media type comes from the
 * request's Content-Type or from the body's `mediaType`; when both are there they must agree.
 * Everything wrong becomes MANIFEST_INVALID with the reason. Pure.
 */
import { OciError } from './errors.js';
import { manifestKinds, mediaTypes } from './media-types.js';
import { digestProblem } from './reference.js';

export interface ManifestDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface ParsedManifest {
  mediaType: string;
  kind: 'manifest' | 'index';
  /** the config descriptor of an image manifest */
  config?: ManifestDescriptor;
  /** the layers of an image manifest */
  layers: ManifestDescriptor[];
  /** the manifests an index lists */
  manifests: ManifestDescriptor[];
  subject?: ManifestDescriptor;
  /** what the referrers API reports: `artifactType`, else the config media type */
  artifactType?: string;
  annotations?: Record<string, string>;
  /** true when the config says this is a Helm chart */
  isChart: boolean;
}

type Json = Record<string, unknown>;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalid(`the manifest is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(doc)) throw invalid('the manifest is not a JSON object');
  const mediaType = resolveMediaType(doc, contentType);
  const kind = manifestKinds[mediaType];
  if (!kind) throw invalid(`manifest media type "${mediaType}" is not supported`);
  if (doc.schemaVersion !== 2) throw invalid('the manifest must have schemaVersion 2');
  const artifactType = optionalMediaType(doc.artifactType, 'artifactType');
  const subject = doc.subject === undefined ? undefined : readDescriptor(doc.subject, 'subject');
  const annotations = readAnnotations(doc.annotations, 'annotations');
  if (kind === 'index') {
    if (!Array.isArray(doc.manifests)) throw invalid('an index must have a "manifests" array');
    const manifests = doc.manifests.map((d, i) => readDescriptor(d, `manifests[${i}]`));
    return { mediaType, kind, layers: [], manifests, subject, artifactType, annotations, isChart: false };
  }
  const config = readDescriptor(doc.config, 'config');
  if (doc.layers !== undefined && !Array.isArray(doc.layers)) throw invalid('"layers" must be an array');
  const layers = ((doc.layers as unknown[] | undefined) ?? []).map((d, i) =>
    readDescriptor(d, `layers[${i}]`),
  );
  return {
    mediaType,
    kind,
    config,
    layers,
    manifests: [],
    subject,
    artifactType: artifactType ?? config.mediaType,
    annotations,
    isChart: config.mediaType === mediaTypes.helmConfig,
  };
}

function resolveMediaType(doc: Json, contentType: string | undefined): string {
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  const declared = optionalMediaType(doc.mediaType, 'mediaType');
  const fromHeader = header && manifestKinds[header] ? header : undefined;
  if (declared && fromHeader && declared !== fromHeader) {
    throw invalid(`the manifest's mediaType "${declared}" differs from its Content-Type "${fromHeader}"`);
  }
  const mediaType = declared ?? fromHeader;
  if (!mediaType) {
    throw invalid(
      `unknown manifest type: send Content-Type ${mediaTypes.ociManifest} or ${mediaTypes.ociIndex}, or a "mediaType" field`,
    );
  }
  return mediaType;
}

function readDescriptor(value: unknown, where: string): ManifestDescriptor {
  if (!isObject(value)) throw invalid(`${where} must be a descriptor object`);
  const mediaType = optionalMediaType(value.mediaType, `${where}.mediaType`);
  if (!mediaType) throw invalid(`${where} has no mediaType`);
  if (typeof value.digest !== 'string') throw invalid(`${where} has no digest`);
  const problem = digestProblem(value.digest);
  if (problem) throw invalid(`${where}: ${problem}`);
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) {
    throw invalid(`${where} has no valid size`);
  }
  const out: ManifestDescriptor = { mediaType, digest: value.digest, size: value.size };
  const artifactType = optionalMediaType(value.artifactType, `${where}.artifactType`);
  if (artifactType) out.artifactType = artifactType;
  const annotations = readAnnotations(value.annotations, `${where}.annotations`);
  if (annotations) out.annotations = annotations;
  return out;
}

function optionalMediaType(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !MEDIA_TYPE.test(value))
    throw invalid(`${where} is not a valid media type`);
  return value;
}

function readAnnotations(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw invalid(`${where} must map strings to strings`);
  }
  return value as Record<string, string>;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): OciError {
  return new OciError('MANIFEST_INVALID', message);
}
