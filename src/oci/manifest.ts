/**
 * The OCI view of a chart, generated as Helm ≥ 3.18 and Helm 4 push it (helm/helm
 * pkg/registry/client.go Push and chart.go): the config blob is `json.Marshal(chart.Metadata)`,
 * the manifest carries no `mediaType`, its layers are sorted by digest, and its annotations are
 * the `org.opencontainers.image.*` set plus the chart's own annotations. Pure: the same input
 * always gives the same bytes.
 */
import type { ChartMetadata, Dependency, Maintainer } from '../charts/metadata.js';
import { GoFields, GoMap, type GoValue, goJson } from './go-json.js';

export interface Descriptor {
  mediaType: string;
  /** `sha256:<hex>` */
  digest: string;
  size: number;
}

export const annotationKeys = {
  created: 'org.opencontainers.image.created',
  description: 'org.opencontainers.image.description',
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version',
  url: 'org.opencontainers.image.url',
  source: 'org.opencontainers.image.source',
  authors: 'org.opencontainers.image.authors',
} as const;

type Field = readonly [string, GoValue];

/** Helm's config blob: the Chart.yaml metadata as JSON, keys in Go struct order, empty fields left out. */
export function helmConfigJson(meta: ChartMetadata): string {
  const fields: Field[] = [];
  const put = (key: string, value: GoValue | undefined) => {
    if (value !== undefined) fields.push([key, value]);
  };
  put('name', text(meta.name));
  put('home', text(meta.home));
  put('sources', list(meta.sources));
  put('version', nonEmpty(meta.version));
  put('description', text(meta.description));
  put('keywords', list(meta.keywords));
  put('maintainers', meta.maintainers?.length ? meta.maintainers.map(maintainer) : undefined);
  put('icon', text(meta.icon));
  put('apiVersion', nonEmpty(meta.apiVersion));
  put('condition', text(meta.condition));
  put('tags', text(meta.tags));
  put('appVersion', text(meta.appVersion));
  put('deprecated', meta.deprecated === true ? true : undefined);
  put(
    'annotations',
    meta.annotations && Object.keys(meta.annotations).length ? new GoMap(meta.annotations) : undefined,
  );
  put('kubeVersion', text(meta.kubeVersion));
  put('dependencies', meta.dependencies?.length ? meta.dependencies.map(dependency) : undefined);
  put('type', nonEmpty(meta.type));
  return goJson(new GoFields(fields));
}

/**
 * The manifest annotations Helm writes: description, title, version, url, created, source and
 * authors when not blank, then the chart's annotations, which may not override title or version.
 */
export function helmAnnotations(meta: ChartMetadata, created: string): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out[key] = value;
  };
  add(annotationKeys.description, meta.description);
  add(annotationKeys.title, meta.name);
  add(annotationKeys.version, meta.version);
  add(annotationKeys.url, meta.home);
  add(annotationKeys.created, created);
  add(annotationKeys.source, meta.sources?.[0]);
  if (meta.maintainers?.length) {
    const authors = meta.maintainers.map((m) => `${m.name ?? ''}${m.email ? ` (${m.email})` : ''}`);
    add(annotationKeys.authors, authors.join(', '));
  }
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    if (key !== annotationKeys.title && key !== annotationKeys.version) out[key] = value;
  }
  return out;
}

/** An ISO timestamp as Go's time.RFC3339 writes it in UTC: whole seconds and `Z`. */
export function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The manifest bytes: `{"schemaVersion":2,"config":…,"layers":[…],"annotations":{…}}`, layers sorted by digest. */
export function chartManifestJson(input: {
  config: Descriptor;
  layers: Descriptor[];
  annotations: Record<string, string>;
}): string {
  const layers = [...input.layers].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const fields: Field[] = [
    ['schemaVersion', 2],
    ['config', descriptor(input.config)],
    ['layers', layers.map(descriptor)],
  ];
  if (Object.keys(input.annotations).length > 0) fields.push(['annotations', new GoMap(input.annotations)]);
  return goJson(new GoFields(fields));
}

function descriptor(d: Descriptor): GoFields {
  return new GoFields([
    ['mediaType', d.mediaType],
    ['digest', d.digest],
    ['size', d.size],
  ]);
}

function maintainer(m: Maintainer): GoFields {
  const fields: Field[] = [];
  for (const key of ['name', 'email', 'url'] as const) {
    const value = text(m[key]);
    if (value !== undefined) fields.push([key, value]);
  }
  return new GoFields(fields);
}

function dependency(d: Dependency): GoFields {
  const fields: Field[] = [['name', sanitize(d.name)]];
  const put = (key: string, value: GoValue | undefined) => {
    if (value !== undefined) fields.push([key, value]);
  };
  put('version', text(d.version));
  // `repository` has no omitempty in Helm's struct: it is always written
  put('repository', sanitize(d.repository ?? ''));
  put('condition', text(d.condition));
  put('tags', list(d.tags));
  put('enabled', d.enabled === true ? true : undefined);
  put(
    'import-values',
    d['import-values']?.length
      ? d['import-values'].map((v) =>
          typeof v === 'string' ? v : new GoMap({ child: v.child, parent: v.parent }),
        )
      : undefined,
  );
  put('alias', nonEmpty(d.alias));
  return new GoFields(fields);
}

// Helm's Metadata.Validate turns every space character into ' ' and drops non-printable ones.
const SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

function sanitize(value: string): string {
  return value.replace(SPACES, ' ');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function text(value: string | undefined): string | undefined {
  return nonEmpty(value === undefined ? undefined : sanitize(value));
}

function list(values: string[] | undefined): string[] | undefined {
  return values?.length ? values.map(sanitize) : undefined;
}
