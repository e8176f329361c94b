/**
 * Managing users, tokens and repository permissions: the use cases behind `charthouse user|token|repo`
 * and the admin API, so both refuse the same input with the same messages. Input is checked here
 * (account-rules.ts) and secrets are hashed here; nothing returned carries a password hash or a
 * token hash, and a token's secret is returned once, by createToken.
 */
import type { AuthStore, Visibility } from './auth-store.js';
import { createRepositoryAccounts } from './repository-accounts.js';
import { createUserAccounts } from './user-accounts.js';

export type { RepositoryInfo } from './repository-accounts.js';
export type { TokenInfo, TokenStatus } from './user-accounts.js';

export interface AccountsOptions {
  store: AuthStore;
  /** what a repository without a stored visibility gets (the server's --anonymous-read) */
  anonymousRead?: boolean;
  now?: () => Date;
}

export type Accounts = ReturnType<typeof createAccounts>;

export function createAccounts({ store, anonymousRead = true, now = () => new Date() }: AccountsOptions) {
  const defaultVisibility: Visibility = anonymousRead ? 'public' : 'private';
  return {
    ...createUserAccounts(store, now),
    ...createRepositoryAccounts(store, defaultVisibility, now),
  };
}
