import yaml from 'js-yaml';

/*
 * Artifact Hub's Chart.yaml annotations (artifacthub.io/changes, images, links, license, signKey),
 * whose values are YAML inside a string. Anything malformed is dropped, never shown raw.
 */

export interface Change {
  kind?: string;
  description: string;
  links: { name: string; url: string }[];
}

export interface ArtifactHubInfo {
  changes: Change[];
  images: { name?: string; image: string }[];
  links: { name: string; url: string }[];
  license?: string;
  signKey?: { fingerprint?: string; url?: string };
  containsSecurityUpdates: boolean;
}

export const ARTIFACT_HUB_KEYS = new Set(
  ['changes', 'images', 'links', 'license', 'signKey', 'containsSecurityUpdates'].map(
    (k) => `artifacthub.io/${k}`,
  ),
);

const MAX_ITEMS = 100;

function parse(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return yaml.load(text, { schema: yaml.JSON_SCHEMA, json: true });
  } catch {
    return undefined;
  }
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_ITEMS) : []);

function namedLinks(v: unknown): { name: string; url: string }[] {
  return items(v).flatMap((item) => {
    const r = record(item);
    const url = text(r?.url);
    return url ? [{ name: text(r?.name) ?? url, url }] : [];
  });
}

function change(item: unknown): Change[] {
  const plain = text(item);
  if (plain) return [{ description: plain, links: [] }];
  const r = record(item);
  const description = text(r?.description);
  if (!description) return [];
  const kind = text(r?.kind);
  return [{ description, links: namedLinks(r?.links), ...(kind && { kind }) }];
}

export function artifactHubInfo(annotations: Record<string, string> | undefined): ArtifactHubInfo {
  const a = annotations ?? {};
  const signKey = record(parse(a['artifacthub.io/signKey']));
  const info: ArtifactHubInfo = {
    changes: items(parse(a['artifacthub.io/changes'])).flatMap(change),
    images: items(parse(a['artifacthub.io/images'])).flatMap((item) => {
      const r = record(item);
      const image = text(r?.image);
      return image ? [{ image, ...(text(r?.name) && { name: String(r?.name) }) }] : [];
    }),
    links: namedLinks(parse(a['artifacthub.io/links'])),
    containsSecurityUpdates: a['artifacthub.io/containsSecurityUpdates'] === 'true',
  };
  const license = text(a['artifacthub.io/license']);
  if (license) info.license = license;
  if (signKey && (text(signKey.fingerprint) || text(signKey.url))) {
    info.signKey = {};
    if (text(signKey.fingerprint)) info.signKey.fingerprint = String(signKey.fingerprint);
    if (text(signKey.url)) info.signKey.url = String(signKey.url);
  }
  return info;
}
