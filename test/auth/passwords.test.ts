import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/passwords.js';

test('a hashed password verifies, and another password does not', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.equal(await verifyPassword('correct horse battery', stored), true);
  assert.equal(await verifyPassword('correct horse batterY', stored), false);
  assert.equal(await verifyPassword('', stored), false);
});

test('the stored form names scrypt and its parameters, and never contains the password', async () => {
  const stored = await hashPassword('correct horse battery');
  assert.match(stored, /^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.ok(!stored.includes('correct horse battery'));
});

test('two hashes of one password differ by their salt', async () => {
  assert.notEqual(await hashPassword('same password'), await hashPassword('same password'));
});

test('a hash with other parameters still verifies, because they travel with it', async () => {
  const stored = await hashPassword('parameters travel');
  const [, , , , salt] = stored.split('$');
  // Rebuild the same password under N=2^10 the way an older or newer release might have stored it.
  const { scryptSync } = await import('node:crypto');
  const key = scryptSync('parameters travel', Buffer.from(salt ?? '', 'base64'), 32, { N: 1024, r: 8, p: 1 });
  const older = ['scrypt', 10, 8, 1, salt, key.toString('base64')].join('$');
  assert.equal(await verifyPassword('parameters travel', older), true);
  assert.equal(await verifyPassword('other', older), false);
});

test('an unreadable stored hash verifies nothing instead of throwing', async () => {
  assert.equal(await verifyPassword('x', ''), false);
  assert.equal(await verifyPassword('x', 'bcrypt$2a$10$abc'), false);
  assert.equal(await verifyPassword('x', 'scrypt$15$8'), false);
});

test('passwordProblem refuses short and huge passwords and accepts the rest', () => {
  assert.match(passwordProblem('short') ?? '', /at least 8/);
  assert.match(passwordProblem('x'.repeat(1025)) ?? '', /at most 1024/);
  assert.equal(passwordProblem('eight ch'), undefined);
  assert.equal(passwordProblem('x'.repeat(1024)), undefined);
});
