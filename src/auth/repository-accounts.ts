/** Repositories as access control sees them: visibility and members. The other half of accounts.ts. */
import { RegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import { checkRole, checkVisibility, normaliseRepositoryPath } from './account-rules.js';
import type { AuthStore, RepositoryAccessRecord, Role, Visibility } from './auth-store.js';
import { existingUser } from './user-accounts.js';

export interface RepositoryInfo {
  path: string;
  visibility: Visibility;
  /** true while no visibility is stored and the server's --anonymous-read decides */
  visibilityIsDefault: boolean;
  members: Array<{ user: string; role: Role }>;
}

export function createRepositoryAccounts(store: AuthStore, defaultVisibility: Visibility, now: () => Date) {
  function repositoryInfo(access: RepositoryAccessRecord): RepositoryInfo {
    return {
      path: access.path,
      visibility: access.visibility ?? defaultVisibility,
      visibilityIsDefault: access.visibility === undefined,
      members: access.members,
    };
  }

  async function existingRepository(rawPath: string, hint = ''): Promise<RepositoryAccessRecord> {
    const path = normaliseRepositoryPath(rawPath);
    const access = await store.getRepositoryAccess(path);
    if (!access) throw new RegistryError('REPOSITORY_NOT_FOUND', `no ${describeRepository(path)}${hint}`);
    return access;
  }

  async function getRepository(rawPath: string): Promise<RepositoryInfo> {
    return repositoryInfo(await existingRepository(rawPath));
  }

  return {
    /** An empty repository; without a visibility, --anonymous-read decides it (and it is stored). */
    async createRepository(rawPath: string, visibility: string = defaultVisibility): Promise<RepositoryInfo> {
      const path = normaliseRepositoryPath(rawPath);
      const wanted = checkVisibility(visibility);
      if (await store.getRepositoryAccess(path)) {
        throw new RegistryError('REPOSITORY_EXISTS', `${describeRepository(path)} already exists`);
      }
      await store.ensureRepository(path, wanted, now().toISOString());
      return getRepository(path);
    },

    getRepository,

    async listRepositories(): Promise<RepositoryInfo[]> {
      return (await store.listRepositoryAccess()).map(repositoryInfo);
    },

    async setVisibility(rawPath: string, visibility: string): Promise<RepositoryInfo> {
      const { path } = await existingRepository(rawPath);
      if (!(await store.setVisibility(path, checkVisibility(visibility)))) {
        throw new RegistryError('REPOSITORY_NOT_FOUND', `no ${describeRepository(path)}`);
      }
      return getRepository(path);
    },

    /** Gives the user the role in the repository, replacing any role they had there. */
    async grant(rawPath: string, user: string, role: string): Promise<RepositoryInfo> {
      // Not created on the fly: a mistyped path would quietly become a new, empty repository.
      const { path } = await existingRepository(rawPath, '; create it first (repo create)');
      const checkedRole = checkRole(role);
      await existingUser(store, user);
      await store.grant(path, user, checkedRole);
      return getRepository(path);
    },

    async revoke(rawPath: string, user: string): Promise<RepositoryInfo> {
      const { path } = await existingRepository(rawPath);
      await existingUser(store, user);
      if (!(await store.revoke(path, user))) {
        throw new RegistryError(
          'USER_NOT_FOUND',
          `user "${user}" has no role in ${describeRepository(path)}`,
        );
      }
      return getRepository(path);
    },

    /** The user's role in the repository, for deciding whether a repository admin may manage its members. */
    async roleOf(rawPath: string, user: string): Promise<Role | undefined> {
      return store.roleOf(normaliseRepositoryPath(rawPath), user);
    },
  };
}
