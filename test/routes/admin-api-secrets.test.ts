import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { hashToken } from '../../src/auth/tokens.js';
import { adminTestApp, basic, ROOT_PASSWORD } from './admin-fixtures.js';

test('no answer but the token creation, and no log line, carries a password, secret or hash', async (t) => {
  let log = '';
  const stream = new PassThrough();
  stream.on('data', (chunk) => (log += String(chunk)));
  const app = await adminTestApp(t, {}, { logger: { level: 'trace', stream } });
  const { root, as, stores } = app;
  const password = 'a password to hide';
  const newPassword = 'another password to hide';
  const answers: string[] = [];
  const record = async (response: PromiseLike<{ text: string }>) => answers.push((await response).text);

  await record(root.post('/api/admin/users', { name: 'ops', password, admin: true }));
  const created = await root.post('/api/admin/users/ops/tokens', { name: 'ci' });
  assert.equal(created.status, 201);
  const secret: string = created.body.secret;
  const ops = as(basic('ops', password));
  await record(ops.get('/api/admin/users'));
  await record(root.get('/api/admin/users/ops'));
  await record(root.patch('/api/admin/users/ops', { password: newPassword }));
  await record(root.patch('/api/admin/users/ops', { password: 'short' }));
  await record(root.get('/api/admin/users/ops/tokens'));
  await record(as(`Bearer ${secret}`).get('/api/admin/users/ops/tokens'));
  await record(root.post('/api/admin/users/ops/tokens', { name: 'ci' }));
  await record(root.post('/api/admin/repositories', { path: 'team' }));
  await record(root.put('/api/admin/repository/members/ops?path=team', { role: 'admin' }));
  await record(root.get('/api/admin/repositories'));
  await record(root.get('/api/admin/repository?path=team'));
  await record(root.delete('/api/admin/users/ops/tokens/ci'));
  await record(as(`Bearer ${secret}`).get('/api/admin/users'));
  await record(as(basic('ops', password)).get('/api/admin/users'));
  await record(as(basic('root', `${ROOT_PASSWORD}x`)).get('/api/admin/users'));
  await record(root.delete('/api/admin/users/ops'));

  const opsHash = 'scrypt$';
  const forbidden = [
    secret,
    secret.slice(4),
    hashToken(secret),
    password,
    newPassword,
    ROOT_PASSWORD,
    opsHash,
    basic('ops', password).slice(6),
  ];
  assert.ok(answers.length >= 16 && answers.every((text) => text.length > 0));
  for (const text of answers) {
    for (const value of forbidden) assert.ok(!text.includes(value), `an answer shows ${value}: ${text}`);
  }
  assert.match(log, /"status":401/, 'the log was captured');
  for (const value of forbidden) assert.ok(!log.includes(value), `the log shows ${value}`);
  assert.equal(await stores.auth.getUser('ops'), undefined);
});
