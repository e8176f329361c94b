import type { Response } from 'supertest';
import { createAccounts } from '../../src/auth/accounts.js';
import type { Config } from '../../src/config/config.js';
import { buildTestApp, type TestAppOptions, type TestContext } from '../support/build-app.js';

export const ROOT_PASSWORD = 'root password 1';
export const DEV_PASSWORD = 'dev password 1';

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** A test app whose store holds a server admin `root` and a user `dev`. */
export async function adminTestApp(
  t: TestContext,
  overrides: Partial<Config> = {},
  options: TestAppOptions = {},
) {
  const built = await buildTestApp(t, overrides, options);
  const accounts = createAccounts({ store: built.stores.auth });
  await accounts.addUser('root', ROOT_PASSWORD, { admin: true });
  await accounts.addUser('dev', DEV_PASSWORD);
  const { http } = built;
  const as = (authorization: string | undefined) => {
    const withAuth = (request: ReturnType<typeof http.get>) =>
      authorization === undefined ? request : request.set('authorization', authorization);
    return {
      get: (url: string) => withAuth(http.get(url)),
      delete: (url: string) => withAuth(http.delete(url)),
      post: (url: string, body: object) => withAuth(http.post(url)).send(body),
      patch: (url: string, body: object) => withAuth(http.patch(url)).send(body),
      put: (url: string, body: object) => withAuth(http.put(url)).send(body),
    };
  };
  return {
    ...built,
    accounts,
    as,
    root: as(basic('root', ROOT_PASSWORD)),
    dev: as(basic('dev', DEV_PASSWORD)),
    anonymous: as(undefined),
  };
}

export function expectError(response: Response, status: number, message?: RegExp | string): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status} ${response.text}`);
  }
  const error: unknown = response.body?.error;
  if (typeof error !== 'string') throw new Error(`no {"error"} body: ${response.text}`);
  if (typeof message === 'string' ? error !== message : message && !message.test(error)) {
    throw new Error(`error ${JSON.stringify(error)} does not match ${String(message)}`);
  }
}
