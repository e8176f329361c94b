import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCredentials } from '../../src/auth/credentials.js';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { createVerifiedPasswords } from '../../src/auth/verified-passwords.js';

test('an address is throttled after maxFailures in the window, and free again once they age out', async () => {
  let now = 1_000_000;
  const limiter = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(await limiter.retryAfterSeconds('10.0.0.1'), 0);
    await limiter.recordFailure('10.0.0.1');
    now += 1000;
  }
  assert.equal(
    await limiter.retryAfterSeconds('10.0.0.1'),
    57,
    'the first failure leaves the window 57 s from now',
  );
  assert.equal(await limiter.retryAfterSeconds('10.0.0.2'), 0, 'other addresses are not affected');
  now += 57_000;
  assert.equal(await limiter.retryAfterSeconds('10.0.0.1'), 0);
});

test('the limiter forgets the stalest address beyond maxAddresses', async () => {
  const limiter = createLoginLimiter({ maxFailures: 1, maxAddresses: 2 });
  await limiter.recordFailure('a');
  await limiter.recordFailure('b');
  await limiter.recordFailure('c');
  assert.equal(await limiter.retryAfterSeconds('a'), 0);
  assert.ok((await limiter.retryAfterSeconds('b')) > 0);
  assert.ok((await limiter.retryAfterSeconds('c')) > 0);
});

test('a verified password is remembered per stored hash, for ttlMs only', () => {
  let now = 0;
  const verified = createVerifiedPasswords({ ttlMs: 1000, now: () => now });
  verified.remember('scrypt$hash1', 'secret-pw');
  assert.equal(verified.has('scrypt$hash1', 'secret-pw'), true);
  assert.equal(verified.has('scrypt$hash1', 'other-pw'), false);
  assert.equal(verified.has('scrypt$hash2', 'secret-pw'), false, 'a changed stored hash misses the cache');
  now = 1000;
  assert.equal(verified.has('scrypt$hash1', 'secret-pw'), false);
});

test('readCredentials reads Basic and Bearer, and names what is malformed', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.equal(readCredentials(undefined), undefined);
  assert.deepEqual(readCredentials(`Basic ${b64('bob:pa:ss')}`), {
    kind: 'basic',
    user: 'bob',
    secret: 'pa:ss',
  });
  assert.deepEqual(readCredentials(`basic ${b64('bob:')}`), { kind: 'basic', user: 'bob', secret: '' });
  assert.deepEqual(readCredentials('Bearer cht_abc'), { kind: 'bearer', token: 'cht_abc' });
  assert.equal(readCredentials(`Basic ${b64(':pw')}`)?.kind, 'malformed');
  assert.equal(readCredentials(`Basic ${b64('nocolon')}`)?.kind, 'malformed');
  assert.equal(readCredentials('Basic !!!')?.kind, 'malformed');
  assert.equal(readCredentials('Digest username="bob"')?.kind, 'malformed');
  assert.equal(readCredentials('Basic')?.kind, 'malformed');
});
