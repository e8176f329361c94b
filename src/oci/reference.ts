/**
 * Names, references and paths of the OCI distribution API (distribution-spec v1.1.1, "Pulling
 * manifests" for the name and tag grammar, "Endpoints" end-1…end-13 for the paths).
 *
 * A name may hold slashes, so a path under /v2/ is matched from the right:
 *
 *   <name>/blobs/uploads/            POST: start, monolithic or mount
 *   <name>/blobs/uploads/<id>        PATCH, PUT, GET, DELETE of one upload session
 *   <name>/blobs/<digest>            GET, HEAD, DELETE
 *   <name>/manifests/<reference>     GET, HEAD, PUT, DELETE (a tag or a digest)
 *   <name>/tags/list                 GET
 *   <name>/referrers/<digest>        GET
 *
 * Charthouse reads a name `<repo>/<chart>` as chart `<chart>` of repository `<repo>` (one to
 * three segments, or none for the root repository), and a tag as a chart version with `+`
 * written `_` (helm/helm#10166).
 */
import { repositoryProblem } from '../repositories.js';

const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256 = /^sha256:([a-f0-9]{64})$/;
/** distribution's limit on a whole OCI repository name (`<repo>/<chart>`); chart names alone: MAX_CHART_NAME_LENGTH */
export const MAX_OCI_NAME_LENGTH = 255;
export const MAX_NAME_COMPONENTS = 4;

/** An OCI repository name and the chart it stands for. */
export interface OciName {
  /** the OCI repository, `team-a/mychart` */
  name: string;
  /** the Charthouse repository path, `team-a` ('' for the root repository) */
  repository: string;
  /** the chart name: the last segment of `name` */
  chart: string;
}

export type OciEndpoint =
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

/** Splits the path after `/v2/` into an endpoint and its (unchecked) name; undefined when none matches. */
export function matchEndpoint(path: string): OciEndpoint | undefined {
  const segments = path.split('/');
  const last = segments.length - 1;
  const at = (i: number) => segments[i] ?? '';
  const nameBefore = (i: number) => segments.slice(0, i).join('/');
  if (last >= 3 && at(last - 2) === 'blobs' && at(last - 1) === 'uploads') {
    const name = nameBefore(last - 2);
    return at(last) === '' ? { kind: 'uploads', name } : { kind: 'upload', name, id: at(last) };
  }
  if (last >= 2 && at(last - 1) === 'blobs' && at(last) === 'uploads') {
    return { kind: 'uploads', name: nameBefore(last - 1) };
  }
  if (last < 2 || at(last) === '') return undefined;
  const name = nameBefore(last - 1);
  switch (at(last - 1)) {
    case 'blobs':
      return { kind: 'blob', name, digest: at(last) };
    case 'manifests':
      return { kind: 'manifest', name, reference: at(last) };
    case 'referrers':
      return { kind: 'referrers', name, digest: at(last) };
    case 'tags':
      return at(last) === 'list' ? { kind: 'tags', name } : undefined;
    default:
      return undefined;
  }
}

/** Why `name` cannot be an OCI repository here, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'the repository name is empty';
  if (name.length > MAX_OCI_NAME_LENGTH)
    return `repository name is longer than ${MAX_OCI_NAME_LENGTH} characters`;
  const segments = name.split('/');
  if (segments.length > MAX_NAME_COMPONENTS) {
    return `repository name "${name}" has more than ${MAX_NAME_COMPONENTS} components: at most three for the Charthouse repository and one for the chart`;
  }
  if (!segments.every((s) => NAME_COMPONENT.test(s))) {
    return `repository name "${name}" is not valid: each component is lowercase letters and digits, joined by ".", "_", "__" or "-"`;
  }
  return repositoryProblem(segments.slice(0, -1).join('/'));
}

/** Reads a name as repository plus chart; undefined when the name is not valid. */
export function parseName(name: string): OciName | undefined {
  if (nameProblem(name) !== undefined) return undefined;
  const cut = name.lastIndexOf('/');
  return { name, repository: cut < 0 ? '' : name.slice(0, cut), chart: name.slice(cut + 1) };
}

export function isTag(reference: string): boolean {
  return TAG.test(reference);
}

/** True for any digest the spec's grammar allows, whether or not the algorithm is supported. */
export function isDigestLike(reference: string): boolean {
  return DIGEST.test(reference);
}

/** The lowercase hex of a `sha256:<hex>` digest, or undefined for anything else. */
export function digestHex(digest: string): string | undefined {
  return SHA256.exec(digest)?.[1];
}

/** Why a digest cannot be used here (only sha256 is stored), or undefined when it can. */
export function digestProblem(digest: string): string | undefined {
  if (digestHex(digest) !== undefined) return undefined;
  if (isDigestLike(digest) && !digest.startsWith('sha256:')) {
    return `digest "${digest}" uses an unsupported algorithm: only sha256 is supported`;
  }
  return `"${digest}" is not a valid digest: expected sha256:<64 lowercase hex digits>`;
}

/** The tag of a chart version: every `+` written `_`, as Helm pushes it. */
export function tagOfVersion(version: string): string {
  return version.replaceAll('+', '_');
}

/** The chart version a tag stands for: every `_` read back as `+`, as Helm lists tags. */
export function versionOfTag(tag: string): string {
  return tag.replaceAll('_', '+');
}
