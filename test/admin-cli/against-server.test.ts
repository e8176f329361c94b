import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../support/build-app.js';
import { runCli } from './run-cli.js';

const basic = (user: string, secret: string) =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

test('users, tokens and grants written by the CLI beside a running server authenticate at once', async (t) => {
  const { http, dir } = await buildTestApp(t);
  const cli = (args: string[], input = '') => {
    const run = runCli(dir, args, input);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  // --auth auto: open until the first server admin exists
  assert.equal((await http.get('/api/charts')).status, 200);

  cli(['user', 'add', 'root', '--admin', '--password-stdin'], 'root password\n');
  cli(['user', 'add', 'dev', '--password-stdin'], 'dev password\n');
  cli(['repo', 'create', 'team', '--visibility', 'private']);
  cli(['repo', 'grant', 'team', 'dev', 'read']);
  const secret = cli(['token', 'create', 'dev', 'ci', '--expires-in', '1d']).trim();

  const anonymous = await http.get('/api/team/charts');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Charthouse"');
  for (const authorization of [
    basic('dev', 'dev password'),
    basic('dev', secret),
    `Bearer ${secret}`,
    basic('root', 'root password'),
  ]) {
    assert.equal(
      (await http.get('/api/team/charts').set('authorization', authorization)).status,
      200,
      authorization,
    );
  }
  assert.equal(
    (await http.get('/api/admin/users').set('authorization', basic('root', 'root password'))).status,
    200,
  );
  assert.equal((await http.get('/api/admin/users').set('authorization', `Bearer ${secret}`)).status, 403);

  cli(['token', 'revoke', 'dev', 'ci']);
  cli(['user', 'passwd', 'dev', '--password-stdin'], 'changed password\n');
  cli(['repo', 'revoke', 'team', 'dev']);
  assert.equal((await http.get('/api/team/charts').set('authorization', `Bearer ${secret}`)).status, 401);
  assert.equal(
    (await http.get('/api/team/charts').set('authorization', basic('dev', 'dev password'))).status,
    401,
  );
  // valid credentials, but no role in a private repository: it does not exist for dev
  assert.equal(
    (await http.get('/api/team/charts').set('authorization', basic('dev', 'changed password'))).status,
    404,
  );
});
