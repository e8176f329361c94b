/**
 * The pure rules of a Helm chart manifest, apart from publishing it: which layers it may hold,
 * the creation time its annotations give, and the error every refusal of one takes.
 */
import { OciError } from './errors.js';
import { annotationKeys } from './manifest.js';
import { isChartLayer, mediaTypes } from './media-types.js';
import type { ManifestDescriptor, ParsedManifest } from './parse-manifest.js';
import { digestHex } from './reference.js';

/** The one chart layer and the optional provenance layer; anything else is MANIFEST_INVALID. */
export function chartLayers(parsed: ParsedManifest) {
  const charts = parsed.layers.filter((l) => isChartLayer(l.mediaType));
  const provs = parsed.layers.filter((l) => l.mediaType === mediaTypes.helmProvenance);
  const other = parsed.layers.find(
    (l) => !isChartLayer(l.mediaType) && l.mediaType !== mediaTypes.helmProvenance,
  );
  if (other) throw invalid(`layer media type "${other.mediaType}" is not part of a Helm chart`);
  const [chartLayer] = charts;
  if (!chartLayer || charts.length > 1) {
    throw invalid(`a Helm chart manifest needs exactly one layer of media type ${mediaTypes.helmChart}`);
  }
  if (provs.length > 1) throw invalid('a Helm chart manifest may hold one provenance layer at most');
  return { chartLayer, provLayer: provs[0] };
}

/** The manifest's creation annotation as an ISO time, when it is a valid one. */
export function createdOf(annotations: Record<string, string> | undefined): string | undefined {
  const value = annotations?.[annotationKeys.created];
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function hexOf(d: ManifestDescriptor): string {
  return digestHex(d.digest) ?? '';
}

export function invalid(message: string): OciError {
  return new OciError('MANIFEST_INVALID', message);
}
