import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { generateToken, hashToken, looksLikeToken, TOKEN_PREFIX } from '../../src/auth/tokens.js';

test('a generated token carries the prefix, 32 random bytes, and the sha256 of itself as hash', () => {
  const { secret, hash } = generateToken();
  assert.match(secret, /^cht_[A-Za-z0-9_-]{43}$/);
  assert.equal(hash, createHash('sha256').update(secret).digest('hex'));
  assert.equal(hashToken(secret), hash);
  assert.ok(!hash.includes(secret.slice(TOKEN_PREFIX.length)));
});

test('two generated tokens differ', () => {
  assert.notEqual(generateToken().secret, generateToken().secret);
});

test('looksLikeToken tells a token from a password', () => {
  assert.equal(looksLikeToken(generateToken().secret), true);
  assert.equal(looksLikeToken('cht_short'), false);
  assert.equal(looksLikeToken('correct horse battery staple'), false);
  assert.equal(looksLikeToken(`xyz_${'a'.repeat(43)}`), false);
});
