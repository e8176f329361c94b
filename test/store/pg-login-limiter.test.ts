import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { createAuthenticator, TooManyLogins } from '../../src/auth/authenticate.js';
import { isRegistryError } from '../../src/errors.js';
import { createPostgresAuthStore } from '../../src/store/pg-auth-store.js';
import { createPostgresLoginLimiter } from '../../src/store/pg-login-limiter.js';
import { openPostgres } from '../../src/store/postgres.js';
import { addUser, basic } from '../support/auth.js';
import { freshDatabase } from '../support/engines.js';

/** Two pools on one fresh database, as two replicas would hold. */
async function twoPools(t: { after(fn: () => Promise<void>): void }) {
  const url = await freshDatabase();
  const one = await openPostgres(url, { max: 2 });
  t.after(() => one.end());
  const two = await openPostgres(url, { max: 2 });
  t.after(() => two.end());
  return [one, two] as const;
}

test('failed logins on two replicas add up: after maxFailures split across both, both refuse', async (t) => {
  const pools = await twoPools(t);
  let now = 1_000_000;
  const options = { maxFailures: 4, windowMs: 60_000, now: () => now };
  const one = createPostgresLoginLimiter(pools[0], options);
  const two = createPostgresLoginLimiter(pools[1], options);
  await one.recordFailure('10.0.0.1');
  now += 1000;
  await two.recordFailure('10.0.0.1');
  now += 1000;
  await one.recordFailure('10.0.0.1');
  assert.equal(await one.retryAfterSeconds('10.0.0.1'), 0, 'three of four failures: still allowed');
  assert.equal(await two.retryAfterSeconds('10.0.0.1'), 0);
  now += 1000;
  await two.recordFailure('10.0.0.1');
  assert.equal(
    await one.retryAfterSeconds('10.0.0.1'),
    57,
    'the first failure leaves the window 57 s from now',
  );
  assert.equal(await two.retryAfterSeconds('10.0.0.1'), 57);
  assert.equal(await two.retryAfterSeconds('10.0.0.2'), 0, 'other addresses are not affected');
  now += 57_000;
  assert.equal(await one.retryAfterSeconds('10.0.0.1'), 0, 'free again once the oldest failure ages out');
});

test('recording a failure prunes every failure that left the window', async (t) => {
  const pools = await twoPools(t);
  let now = 1_000_000;
  const limiter = createPostgresLoginLimiter(pools[0], { maxFailures: 2, windowMs: 60_000, now: () => now });
  await limiter.recordFailure('10.0.0.1');
  await limiter.recordFailure('10.0.0.2');
  now += 60_000;
  await limiter.recordFailure('10.0.0.3');
  const { rows } = await pools[1].query<{ address: string }>('SELECT address FROM login_failures');
  assert.deepEqual(
    rows.map((r) => r.address),
    ['10.0.0.3'],
  );
});

function request(authorization: string, ip = '10.0.0.1') {
  const log = { warn: () => undefined };
  return { headers: { authorization }, ip, log } as unknown as FastifyRequest;
}

test('wrong passwords sent to two replicas in turn: both then refuse even good credentials', async (t) => {
  const pools = await twoPools(t);
  const replicas = pools.map((pool) =>
    createAuthenticator({
      store: createPostgresAuthStore(pool),
      limiter: createPostgresLoginLimiter(pool, { maxFailures: 2 }),
    }),
  );
  const [one, two] = replicas;
  assert.ok(one && two);
  await addUser(createPostgresAuthStore(pools[0]), 'bob', 'bob-password');
  const unauthorized = (err: unknown) => isRegistryError(err, 'UNAUTHORIZED');
  await assert.rejects(one(request(basic('bob', 'wrong'))), unauthorized);
  await assert.rejects(two(request(basic('bob', 'wrong'))), unauthorized);
  for (const replica of replicas) {
    await assert.rejects(
      replica(request(basic('bob', 'bob-password'))),
      (err) => err instanceof TooManyLogins,
    );
  }
  assert.equal((await one(request(basic('bob', 'bob-password'), '10.0.0.2')))?.user, 'bob');
});
