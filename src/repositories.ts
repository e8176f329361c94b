import { RegistryError } from './errors.js';

/**
 * A repository is a path of one to three lowercase segments (`stable`, `team-a/apps`), or the
 * empty root repository. Segments follow the OCI name-component grammar so that every repository
 * is also a valid OCI namespace. Words the URL layout uses cannot be segments.
 */
export const RESERVED_SEGMENTS = ['api', 'charts', 'v2', 'ui', 'static', 'health', 'info', 'metrics'];
export const MAX_DEPTH = 3;
const SEGMENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function repositoryProblem(path: string): string | undefined {
  if (path === '') return undefined;
  const segments = path.split('/');
  if (segments.length > MAX_DEPTH) return `repository "${path}" has more than ${MAX_DEPTH} path segments`;
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment.length > 64) {
      return `repository "${path}" is not valid: each segment is lowercase letters and digits, joined by ".", "_" or "-"`;
    }
    if (RESERVED_SEGMENTS.includes(segment))
      return `repository "${path}" uses the reserved word "${segment}"`;
  }
  return undefined;
}

/** Validates a repository path; throws REPOSITORY_INVALID with the reason. */
export function checkRepository(path: string): string {
  const problem = repositoryProblem(path);
  if (problem) throw new RegistryError('REPOSITORY_INVALID', problem);
  return path;
}

/** Joins route parameters (`r1`, `r2`, `r3`) back into a repository path. */
export function repositoryFromParams(params: Record<string, string | undefined>): string {
  return ['r1', 'r2', 'r3']
    .map((key) => params[key])
    .filter((segment): segment is string => segment !== undefined)
    .join('/');
}

/** Route prefixes for depths 0 to 3: '', '/:r1', '/:r1/:r2', '/:r1/:r2/:r3'. */
export const repositoryPrefixes = Array.from({ length: MAX_DEPTH + 1 }, (_, depth) =>
  Array.from({ length: depth }, (_, i) => `/:r${i + 1}`).join(''),
);

export function describeRepository(path: string): string {
  return path ? `repository "${path}"` : 'the root repository';
}

/** The one REPOSITORY_NOT_FOUND error: every surface and store words a missing repository the same. */
export function repositoryNotFound(path: string): RegistryError {
  return new RegistryError('REPOSITORY_NOT_FOUND', `${describeRepository(path)} does not exist`);
}
