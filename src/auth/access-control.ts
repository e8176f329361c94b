import type { FastifyRequest } from 'fastify';
import { repositoryProblem } from '../repositories.js';
import type { AuthStore, Visibility } from './auth-store.js';
import type { Authenticate } from './authenticate.js';
import { type Action, type Decision, decide } from './policy.js';

export const authModes = ['off', 'on', 'auto'] as const;
export type AuthMode = (typeof authModes)[number];

/**
 * Access control as the route hooks see it: whether it is in force, and what one request may do.
 * Users, tokens and grants are read from the store on every request, so one changed through the
 * admin API counts at once, and one changed with the CLI beside a running server within 100 ms (the
 * store remembers reads until a write: src/store/read-memo.ts); only `auto`'s "does an admin exist
 * yet" is remembered here (see ADMIN_RECHECK_MS).
 */
export interface AccessControl {
  authenticate: Authenticate;
  /** `on`; `auto` once a server admin exists; never with `off` */
  enforcing(): Promise<boolean>;
  /** Authenticates the request (throwing UNAUTHORIZED or TOO_MANY_LOGINS) and decides. */
  check(request: FastifyRequest, repository: string, action: Action): Promise<Decision>;
  /** The repositories the caller may read, for listings and search; undefined: every one. */
  readable(request: FastifyRequest): Promise<ReadonlySet<string> | undefined>;
  /** Whether a request without credentials may read the repository (always, when not enforcing). */
  readableByAnyone(repository: string): Promise<boolean>;
  /** After a successful write: a repository with no stored visibility gets the default one. */
  settleVisibility(repository: string): Promise<void>;
}

/**
 * `auto` starts enforcing within this long of the first admin being created (for instance with
 * `charthouse user add --admin` beside a running server); after that it never asks again.
 */
export const ADMIN_RECHECK_MS = 500;

export interface AccessControlDeps {
  store: AuthStore;
  authenticate: Authenticate;
  mode: AuthMode;
  /** --anonymous-read: the visibility of repositories that have none stored */
  anonymousRead: boolean;
  now?: () => number;
}

export function createAccessControl({
  store,
  authenticate,
  mode,
  anonymousRead,
  now = Date.now,
}: AccessControlDeps): AccessControl {
  const defaultVisibility: Visibility = anonymousRead ? 'public' : 'private';
  // `auto`: once an admin exists, enforcement stays (the last admin cannot be removed or demoted:
  // LAST_ADMIN), so only the time before the first admin asks the store, at most once a second.
  let adminSeen = false;
  let nextAdminCheck = 0;
  const enforcing = async () => {
    if (mode !== 'auto') return mode === 'on';
    if (adminSeen) return true;
    const time = performance.now();
    if (time < nextAdminCheck) return false;
    nextAdminCheck = time + ADMIN_RECHECK_MS;
    adminSeen = (await store.countAdmins()) > 0;
    return adminSeen;
  };

  return {
    authenticate,
    enforcing,
    async check(request, repository, action) {
      if (!(await enforcing())) return 'allow';
      const principal = await authenticate(request);
      // an invalid path names no repository; the route answers it with its own 400 or 404
      if (repositoryProblem(repository) !== undefined) return 'allow';
      const access = principal?.admin ? undefined : await store.accessOf(repository, principal?.user);
      return decide({
        enforcing: true,
        defaultVisibility,
        action,
        ...(principal && { principal }),
        ...(access && { repository: access }),
      });
    },
    async readable(request) {
      if (!(await enforcing())) return undefined;
      const principal = await authenticate(request);
      if (principal?.admin) return undefined;
      const repositories = await store.listRepositoryAccess();
      return new Set(
        repositories
          .filter(
            (r) =>
              (r.visibility ?? defaultVisibility) === 'public' ||
              (principal !== undefined && r.members.some((m) => m.user === principal.user)),
          )
          .map((r) => r.path),
      );
    },
    async readableByAnyone(repository) {
      if (!(await enforcing())) return true;
      const access = await store.accessOf(repository);
      const question = { enforcing: true, defaultVisibility, action: 'read' as const };
      return decide({ ...question, ...(access && { repository: access }) }) === 'allow';
    },
    async settleVisibility(repository) {
      const access = await store.accessOf(repository);
      if (access && access.visibility === undefined) {
        await store.ensureRepository(repository, defaultVisibility, new Date(now()).toISOString());
      }
    },
  };
}

/**
 * The start-up log: one line saying which mode is in force, and a warning when anyone may push
 * (`--auth off`, or `auto` before the first server admin exists).
 */
export async function describeAccessMode(
  access: AccessControl,
  config: { auth: AuthMode; anonymousRead: boolean },
): Promise<{ mode: string; warning?: string }> {
  const defaults = config.anonymousRead ? 'new repositories are public' : 'new repositories are private';
  if (config.auth === 'off') {
    return { mode: 'access control is off (--auth off)', warning: 'anyone may read, push and delete charts' };
  }
  if (await access.enforcing())
    return { mode: `access control is enforced (--auth ${config.auth}); ${defaults}` };
  return {
    mode: 'access control is not enforced yet (--auth auto and no server admin)',
    warning:
      'anyone may read, push and delete charts until `charthouse user add <name> --admin` creates an admin',
  };
}
