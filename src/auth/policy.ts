import type { RepositoryAccess, Role, Visibility } from './auth-store.js';
import { roles } from './auth-store.js';

/** What a request does to a repository. */
export type Action = 'read' | 'write' | 'delete';

/**
 * - `allow`: go ahead;
 * - `challenge`: 401 with the Basic challenge (no credentials came, so ask for them);
 * - `forbid`: 403 (the caller may read the repository but lacks the role for this action);
 * - `hide`: 404 exactly as for a repository that does not exist, so names never leak.
 */
export type Decision = 'allow' | 'challenge' | 'forbid' | 'hide';

export interface AccessQuestion {
  /** false when --auth is off, or auto with no admin yet: everything is allowed as before */
  enforcing: boolean;
  /** undefined for a request without credentials */
  principal?: { admin: boolean };
  /** the repository's stored visibility and the caller's role; undefined when it does not exist */
  repository?: RepositoryAccess;
  /** the visibility of a repository that has none stored (from --anonymous-read) */
  defaultVisibility: Visibility;
  action: Action;
}

/** The role each action needs; deleting is the repository admin's right. */
const neededRole: Record<Action, Role> = { read: 'read', write: 'write', delete: 'admin' };

const atLeast = (role: Role | undefined, needed: Role) =>
  role !== undefined && roles.indexOf(role) >= roles.indexOf(needed);

/**
 * The whole access policy, pure. Server admins may do everything, including create a repository
 * by pushing to it. Anyone may read a public repository. Without credentials, anything else is a
 * challenge, whether or not the repository exists (a 404 there would tell which private names
 * exist). With credentials, a repository the caller may not read, or one that does not exist, is
 * hidden; one they may read but lack the role for is forbidden.
 */
export function decide(q: AccessQuestion): Decision {
  if (!q.enforcing || q.principal?.admin) return 'allow';
  const repository = q.repository;
  const isPublic = repository !== undefined && (repository.visibility ?? q.defaultVisibility) === 'public';
  if (q.action === 'read' && isPublic) return 'allow';
  if (!q.principal) return 'challenge';
  if (!repository || !(isPublic || repository.role !== undefined)) return 'hide';
  return atLeast(repository.role, neededRole[q.action]) ? 'allow' : 'forbid';
}
