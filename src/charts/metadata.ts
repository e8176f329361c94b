import { isValidVersion, MAX_VERSION_LENGTH } from './versions.js';
import { isMap, loadFailsafe, type YamlValue } from './yaml-safe.js';

export interface Maintainer {
  name?: string;
  email?: string;
  url?: string;
}

export interface Dependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: Array<string | { child: string; parent: string }>;
  alias?: string;
}

/** The Chart.yaml fields Helm's index knows. Nothing else may enter index.yaml (Helm parses it strictly). */
export interface ChartMetadata {
  name: string;
  version: string;
  apiVersion: string;
  home?: string;
  sources?: string[];
  description?: string;
  keywords?: string[];
  maintainers?: Maintainer[];
  icon?: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: Dependency[];
  type?: string;
}

/** the chart name alone; the OCI name it becomes has its own limit (MAX_OCI_NAME_LENGTH) */
export const MAX_CHART_NAME_LENGTH = 250;
const NAME = /^[A-Za-z0-9._-]+$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;

/** Helm's rule (no path separators, not `.` or `..`), narrowed to characters safe in file names and URLs. */
export function chartNameProblem(name: string): string | undefined {
  if (name.length > MAX_CHART_NAME_LENGTH)
    return `chart name is longer than ${MAX_CHART_NAME_LENGTH} characters`;
  if (name === '.' || name === '..' || !NAME.test(name)) {
    return `chart name "${name}" is invalid: use letters, digits, ".", "_" and "-" only`;
  }
  return undefined;
}

export function chartVersionProblem(version: string): string | undefined {
  if (version.length > MAX_VERSION_LENGTH)
    return `chart version is longer than ${MAX_VERSION_LENGTH} characters`;
  if (!isValidVersion(version)) return `chart version "${version}" is not valid SemVer 2`;
  return undefined;
}

/** Parses and validates Chart.yaml text. Throws an Error whose message is fit for the uploader. */
export function parseChartYaml(text: string): ChartMetadata {
  const doc = loadFailsafe(text.replace(/^\uFEFF/, ''), 'Chart.yaml');
  if (!isMap(doc)) throw new Error('Chart.yaml must be a YAML mapping');
  const field = (key: string) => readString(doc, key);
  const name = field('name');
  if (!name) throw new Error('Chart.yaml: name is required');
  // Checked as written: dropping a NUL or a control character must not turn one name into another.
  const nameProblem = chartNameProblem(typeof doc.name === 'string' ? doc.name.trim() : name);
  if (nameProblem) throw new Error(`Chart.yaml: ${nameProblem}`);
  const version = field('version');
  if (!version) throw new Error('Chart.yaml: version is required');
  const versionProblem = chartVersionProblem(typeof doc.version === 'string' ? doc.version.trim() : version);
  if (versionProblem) throw new Error(`Chart.yaml: ${versionProblem}`);
  const apiVersion = field('apiVersion') || 'v1';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') {
    throw new Error(`Chart.yaml: apiVersion "${apiVersion}" is not supported: use v1 or v2`);
  }
  const type = field('type');
  if (type && type !== 'application' && type !== 'library') {
    throw new Error(`Chart.yaml: type must be application or library, not "${type}"`);
  }
  const meta: ChartMetadata = {
    name,
    version,
    apiVersion,
    home: field('home'),
    sources: readStringList(doc, 'sources'),
    description: field('description'),
    keywords: readStringList(doc, 'keywords'),
    maintainers: readMaintainers(doc.maintainers),
    icon: field('icon'),
    condition: field('condition'),
    tags: field('tags'),
    appVersion: field('appVersion'),
    deprecated: readBoolean(doc.deprecated, 'deprecated'),
    annotations: readStringMap(doc.annotations, 'annotations'),
    kubeVersion: field('kubeVersion'),
    dependencies: readDependencies(doc.dependencies),
    type,
  };
  return dropEmpty(meta);
}

// Helm drops non-printable characters from string fields; so do we.
function clean(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0)) out += ch;
    else if (ch === '\n' || ch === '\t') out += ch;
  }
  return out;
}

function readString(map: { [key: string]: YamlValue }, key: string): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`Chart.yaml: ${key} must be a string`);
  return clean(value).trim();
}

function readStringList(map: { [key: string]: YamlValue }, key: string): string[] | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && v !== null)) {
    throw new Error(`Chart.yaml: ${key} must be a list of strings`);
  }
  return value.filter((v): v is string => typeof v === 'string').map(clean);
}

function readBoolean(value: YamlValue | undefined, key: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  throw new Error(`Chart.yaml: ${key} must be true or false`);
}

function readStringMap(value: YamlValue | undefined, key: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) throw new Error(`Chart.yaml: ${key} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && v !== null) throw new Error(`Chart.yaml: ${key}.${k} must be a string`);
    out[clean(k)] = clean(v ?? '');
  }
  return out;
}

function readMaintainers(value: YamlValue | undefined): Maintainer[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error('Chart.yaml: maintainers must be a list');
  return value.map((entry) => {
    if (!isMap(entry)) throw new Error('Chart.yaml: each maintainer must be a map with a name');
    return dropEmpty({
      name: readString(entry, 'name'),
      email: readString(entry, 'email'),
      url: readString(entry, 'url'),
    });
  });
}

function readDependencies(value: YamlValue | undefined): Dependency[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error('Chart.yaml: dependencies must be a list');
  const seen = new Set<string>();
  return value.map((entry) => {
    if (!isMap(entry)) throw new Error('Chart.yaml: each dependency must be a map');
    const name = readString(entry, 'name');
    if (!name) throw new Error('Chart.yaml: a dependency has no name');
    const alias = readString(entry, 'alias');
    if (alias && !ALIAS.test(alias)) throw new Error(`Chart.yaml: dependency alias "${alias}" is invalid`);
    const effective = alias || name;
    if (seen.has(effective)) throw new Error(`Chart.yaml: more than one dependency is named "${effective}"`);
    seen.add(effective);
    return dropEmpty({
      name,
      version: readString(entry, 'version'),
      repository: readString(entry, 'repository'),
      condition: readString(entry, 'condition'),
      tags: readStringList(entry, 'tags'),
      enabled: readBoolean(entry.enabled, 'dependencies.enabled'),
      'import-values': readImportValues(entry['import-values']),
      alias,
    });
  });
}

function readImportValues(value: YamlValue | undefined): Dependency['import-values'] {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error('Chart.yaml: import-values must be a list');
  return value.map((item) => {
    if (typeof item === 'string') return item;
    if (isMap(item) && typeof item.child === 'string' && typeof item.parent === 'string') {
      return { child: item.child, parent: item.parent };
    }
    throw new Error('Chart.yaml: each import-values entry must be a string or a map of child and parent');
  });
}

/** Omits undefined and empty-string fields, as Helm's `omitempty` does. */
function dropEmpty<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== '') out[k] = v;
  return out as T;
}
