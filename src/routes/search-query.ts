import { RegistryError } from '../errors.js';
import { repositoryProblem } from '../repositories.js';
import { type SearchRequest, type SearchSort, searchSorts } from '../search/search-types.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
export const MAX_TEXT_LENGTH = 200;

type Query = Record<string, unknown>;

function text(query: Query, key: string): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new RegistryError('QUERY_INVALID', `${key} must be given once`);
  return value;
}

function flag(query: Query, key: string): boolean {
  const value = text(query, key);
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === 'on') return true;
  throw new RegistryError('QUERY_INVALID', `${key} must be true or false, not "${value}"`);
}

function integer(query: Query, key: string, fallback: number, min: number, max: number): number {
  const value = text(query, key);
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new RegistryError('QUERY_INVALID', `${key} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function sortOf(query: Query): SearchSort | undefined {
  const value = text(query, 'sort');
  if (value === undefined || value === '') return undefined;
  if ((searchSorts as readonly string[]).includes(value)) return value as SearchSort;
  throw new RegistryError(
    'QUERY_INVALID',
    `sort must be ${searchSorts.join(', ')}, not "${value.slice(0, 40)}"`,
  );
}

/**
 * Reads `q`, `repo`, `keyword`, `sort`, `prerelease`, `deprecated`, `signed`, `verified`, `limit` and `offset`, shared by /api/search and
 * the chart list page. `repo` is a repository path, `/` for the root repository, and empty or
 * absent for every repository. Throws QUERY_INVALID with the reason.
 */
export function readSearchQuery(raw: unknown): SearchRequest {
  const query = (raw ?? {}) as Query;
  const q = text(query, 'q')?.trim() ?? '';
  if (q.length > MAX_TEXT_LENGTH) {
    throw new RegistryError('QUERY_INVALID', `q is longer than ${MAX_TEXT_LENGTH} characters`);
  }
  const result: SearchRequest = {
    prerelease: flag(query, 'prerelease'),
    deprecated: flag(query, 'deprecated'),
    limit: integer(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: integer(query, 'offset', 0, 0, 100_000_000),
  };
  if (q) result.text = q;
  const keyword = text(query, 'keyword')?.trim().toLowerCase() ?? '';
  if (keyword.length > MAX_TEXT_LENGTH) {
    throw new RegistryError('QUERY_INVALID', `keyword is longer than ${MAX_TEXT_LENGTH} characters`);
  }
  if (keyword) result.keyword = keyword;
  const sort = sortOf(query);
  if (sort) result.sort = sort;
  if (flag(query, 'verified')) result.signature = 'verified';
  else if (flag(query, 'signed')) result.signature = 'signed';
  const repo = text(query, 'repo') ?? '';
  if (repo === '/') result.repository = '';
  else if (repo !== '') {
    const problem = repositoryProblem(repo);
    if (problem) throw new RegistryError('QUERY_INVALID', `repo: ${problem}`);
    result.repository = repo;
  }
  return result;
}
