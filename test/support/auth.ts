import type { AuthStore, Role, Visibility } from '../../src/auth/auth-store.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { generateToken } from '../../src/auth/tokens.js';

const CREATED = '2026-01-01T00:00:00.000Z';

/** Creates a user straight in the store (the CLI and admin API do the same through accounts.ts). */
export async function addUser(
  store: AuthStore,
  name: string,
  password: string,
  admin = false,
): Promise<void> {
  await store.createUser({ name, passwordHash: await hashPassword(password), admin, created: CREATED });
}

/** Creates a token and returns its secret; `revoked` marks it revoked at once. */
export async function addToken(
  store: AuthStore,
  user: string,
  name: string,
  options: { expires?: string; revoked?: boolean } = {},
): Promise<string> {
  const { secret, hash } = generateToken();
  await store.createToken({
    user,
    name,
    hash,
    created: CREATED,
    ...(options.expires !== undefined && { expires: options.expires }),
  });
  if (options.revoked) await store.revokeToken(user, name, CREATED);
  return secret;
}

export async function addRepository(
  store: AuthStore,
  path: string,
  visibility: Visibility,
  members: Record<string, Role> = {},
): Promise<void> {
  await store.ensureRepository(path, visibility, CREATED);
  await store.setVisibility(path, visibility);
  for (const [user, role] of Object.entries(members)) await store.grant(path, user, role);
}

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
