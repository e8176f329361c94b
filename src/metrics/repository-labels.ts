import { ROOT_REPOSITORY } from './request-target.js';

/** The one label value every private repository is summed under, so that no private name shows. */
export const PRIVATE_REPOSITORIES = '(private)';
/** Where repositories past MAX_REPOSITORY_LABELS are summed, so that no client grows the series without end. */
export const OTHER_REPOSITORIES = '(other)';
/** Distinct repository names labelled on their own; any further one is counted under `(other)`. */
export const MAX_REPOSITORY_LABELS = 500;

/** Whether a request without credentials may read the repository (AccessControl.readableByAnyone). */
export type IsPublic = (path: string) => Promise<boolean>;

/** A repository path as a label: `/` for the root repository, whose path is ''. */
export const labelOf = (path: string): string => path || ROOT_REPOSITORY;

/**
 * Turns the repository path of a push or pull into a bounded label value: the public repository's
 * name, `(private)` for any repository a stranger may not read (or whose visibility cannot be read),
 * and `(other)` once MAX_REPOSITORY_LABELS names are in use. Counters keep their series for the
 * life of the process, so a name that has one keeps it.
 */
export function createRepositoryLabels(isPublic: IsPublic, limit = MAX_REPOSITORY_LABELS) {
  const named = new Set<string>();
  return async (path: string): Promise<string> => {
    if (!(await isPublic(path).catch(() => false))) return PRIVATE_REPOSITORIES;
    const label = labelOf(path);
    if (named.has(label)) return label;
    if (named.size >= limit) return OTHER_REPOSITORIES;
    named.add(label);
    return label;
  };
}

/**
 * The label of each repository for gauges, which start over at every collection: the first
 * `limit` public repositories in the order given under their names, the private ones under
 * `(private)`, the rest under `(other)`.
 */
export async function gaugeLabels(
  paths: readonly string[],
  isPublic: IsPublic,
  limit = MAX_REPOSITORY_LABELS,
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  let named = 0;
  for (const path of paths) {
    if (!(await isPublic(path).catch(() => false))) labels.set(path, PRIVATE_REPOSITORIES);
    else labels.set(path, named++ < limit ? labelOf(path) : OTHER_REPOSITORIES);
  }
  return labels;
}
