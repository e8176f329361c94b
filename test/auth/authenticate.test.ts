import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import type { AuthStore } from '../../src/auth/auth-store.js';
import { createAuthenticator, TooManyLogins } from '../../src/auth/authenticate.js';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { isRegistryError } from '../../src/errors.js';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';
import { addToken, addUser, basic } from '../support/auth.js';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');

async function openStore(t: { after(fn: () => unknown): void }): Promise<AuthStore> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-authn-'));
  const store = createSqliteAuthStore(join(dir, 'charthouse.db'));
  t.after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  await addUser(store, 'bob', 'bob-password');
  await addUser(store, 'alice', 'alice-password', true);
  return store;
}

function request(authorization?: string, ip = '10.0.0.1') {
  const lines: unknown[] = [];
  const log = { warn: (...args: unknown[]) => lines.push(args) };
  const headers = authorization === undefined ? {} : { authorization };
  return { req: { headers, ip, log } as unknown as FastifyRequest, lines };
}

const unauthorized = (err: unknown) => isRegistryError(err, 'UNAUTHORIZED');

test('no Authorization header is anonymous, and a password or token names the user', async (t) => {
  const store = await openStore(t);
  const token = await addToken(store, 'bob', 'ci');
  const authenticate = createAuthenticator({ store, now: () => NOW });
  assert.equal(await authenticate(request().req), undefined);
  assert.deepEqual(await authenticate(request(basic('bob', 'bob-password')).req), {
    user: 'bob',
    admin: false,
  });
  assert.deepEqual(await authenticate(request(basic('alice', 'alice-password')).req), {
    user: 'alice',
    admin: true,
  });
  const viaBasic = await authenticate(request(basic('bob', token)).req);
  assert.equal(viaBasic?.user, 'bob');
  assert.equal(viaBasic?.token?.name, 'ci');
  assert.equal((await authenticate(request(`Bearer ${token}`).req))?.token?.name, 'ci');
  assert.ok((await store.findToken((await import('../../src/auth/tokens.js')).hashToken(token)))?.lastUsed);
});

test("a wrong password, an unknown user, a malformed header and another user's token are 401", async (t) => {
  const store = await openStore(t);
  const token = await addToken(store, 'bob', 'ci');
  const authenticate = createAuthenticator({ store, now: () => NOW });
  for (const header of [
    basic('bob', 'wrong-password'),
    basic('nobody', 'bob-password'),
    basic('alice', token),
    'Bearer cht_notatoken',
    'Basic ###',
    'Negotiate abc',
  ]) {
    await assert.rejects(authenticate(request(header).req), unauthorized, header);
  }
});

test('revoked and expired tokens are refused, and a token expiring later still works', async (t) => {
  const store = await openStore(t);
  const revoked = await addToken(store, 'bob', 'old', { revoked: true });
  const expired = await addToken(store, 'bob', 'expired', { expires: '2026-05-31T23:59:59.000Z' });
  const later = await addToken(store, 'bob', 'later', { expires: '2026-06-01T00:00:01.000Z' });
  const authenticate = createAuthenticator({ store, now: () => NOW });
  await assert.rejects(authenticate(request(`Bearer ${revoked}`).req), unauthorized);
  await assert.rejects(authenticate(request(basic('bob', expired)).req), unauthorized);
  assert.equal((await authenticate(request(`Bearer ${later}`).req))?.user, 'bob');
});

test('a failure is logged with the user and address only, never the secret', async (t) => {
  const store = await openStore(t);
  const authenticate = createAuthenticator({ store });
  const { req, lines } = request(basic('bob', 'a-guessed-secret'));
  await assert.rejects(authenticate(req), unauthorized);
  assert.equal(lines.length, 1);
  const text = JSON.stringify(lines);
  assert.match(text, /"user":"bob"/);
  assert.match(text, /10\.0\.0\.1/);
  assert.ok(!text.includes('a-guessed-secret'));
  assert.ok(!text.includes(Buffer.from('bob:a-guessed-secret').toString('base64')));
});

test('the result is memoised per request: the store is asked once', async (t) => {
  const store = await openStore(t);
  let lookups = 0;
  const counting: AuthStore = {
    ...store,
    getUser(name) {
      lookups++;
      return store.getUser(name);
    },
  };
  const authenticate = createAuthenticator({ store: counting });
  const { req } = request(basic('bob', 'bob-password'));
  await Promise.all([authenticate(req), authenticate(req), authenticate(req)]);
  assert.equal(lookups, 1);
});

test('a changed password or a removed user stops working at once, despite the verified-password cache', async (t) => {
  const store = await openStore(t);
  const authenticate = createAuthenticator({ store });
  assert.equal((await authenticate(request(basic('bob', 'bob-password')).req))?.user, 'bob');
  await store.setPassword('bob', await hashPassword('new-password'));
  await assert.rejects(authenticate(request(basic('bob', 'bob-password')).req), unauthorized);
  assert.equal((await authenticate(request(basic('bob', 'new-password')).req))?.user, 'bob');
  await store.removeUser('bob');
  await assert.rejects(authenticate(request(basic('bob', 'new-password')).req), unauthorized);
});

test('a demoted admin is no longer admin on the next request', async (t) => {
  const store = await openStore(t);
  const authenticate = createAuthenticator({ store });
  assert.equal((await authenticate(request(basic('alice', 'alice-password')).req))?.admin, true);
  await store.setAdmin('alice', false);
  assert.equal((await authenticate(request(basic('alice', 'alice-password')).req))?.admin, false);
});

test('after too many failures an address is refused with TOO_MANY_LOGINS, even with good credentials', async (t) => {
  const store = await openStore(t);
  const limiter = createLoginLimiter({ maxFailures: 2, windowMs: 60_000 });
  const authenticate = createAuthenticator({ store, limiter });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(authenticate(request(basic('bob', 'wrong')).req), unauthorized);
  }
  await assert.rejects(authenticate(request(basic('bob', 'bob-password')).req), (err) => {
    assert.ok(err instanceof TooManyLogins);
    assert.ok(err.retryAfterSeconds > 0 && err.retryAfterSeconds <= 60);
    return isRegistryError(err, 'TOO_MANY_LOGINS');
  });
  assert.equal(await authenticate(request().req), undefined, 'anonymous requests are not logins');
  assert.equal((await authenticate(request(basic('bob', 'bob-password'), '10.0.0.2').req))?.user, 'bob');
});
