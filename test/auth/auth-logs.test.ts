import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

function captureLog() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('no password, token secret or Authorization header ever reaches the log, failed logins included', async (t) => {
  const log = captureLog();
  const { app, stores } = await buildTestApp(
    t,
    { auth: 'on' },
    {
      logger: { level: 'trace', stream: log.stream },
      // every failure should reach the verifier and its log line, not stop at the limiter
      authenticator: { limiter: createLoginLimiter({ maxFailures: 1_000_000 }) },
    },
  );
  const password = 'Sup3r-Secret-Passw0rd';
  await addUser(stores.auth, 'root', password, true);
  await addUser(stores.auth, 'dev', password);
  const token = await addToken(stores.auth, 'dev', 'ci');
  const revoked = await addToken(stores.auth, 'dev', 'old', { revoked: true });
  const secrets = [
    password,
    token,
    revoked,
    'Wr0ng-Guess-Passw0rd',
    'cht_forgedforgedforgedforgedforgedforgedforg',
  ];
  const headers = [
    basic('root', password),
    basic('dev', token),
    `Bearer ${token}`,
    basic('dev', revoked),
    basic('dev', 'Wr0ng-Guess-Passw0rd'),
    basic('nobody', 'Wr0ng-Guess-Passw0rd'),
    `Bearer ${secrets[4]}`,
    'Basic not-base64!',
  ];
  await app.inject({
    method: 'POST',
    url: '/api/team/charts',
    headers: { authorization: basic('root', password), 'content-type': 'application/gzip' },
    payload: await makeChart({ name: 'demo', version: '1.0.0' }),
  });
  await addRepository(stores.auth, 'team', 'private', { dev: 'write' });
  for (const authorization of headers) {
    for (const url of [
      '/team/index.yaml',
      '/api/team/charts/demo',
      '/v2/',
      '/v2/team/demo/manifests/1.0.0',
      '/api/search',
    ]) {
      await app.inject({ url, headers: { authorization } });
    }
    await app.inject({ method: 'POST', url: '/v2/team/demo/blobs/uploads/', headers: { authorization } });
    await app.inject({
      method: 'POST',
      url: '/api/team/charts',
      headers: { authorization, 'content-type': 'application/gzip' },
      payload: await makeChart({ name: 'demo', version: '0.0.1-bad', chartYaml: 'name: [' }),
    });
  }
  const text = log.text();
  assert.match(text, /login failed/, 'failed logins are logged');
  assert.match(text, /"user":"nobody"/, 'with the user name they tried');
  assert.match(text, /request completed/, 'requests were logged at all');
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret reached the log');
  for (const header of headers) {
    const value = header.split(' ')[1] ?? '';
    assert.ok(!text.includes(value), `the header value ${header.split(' ')[0]} reached the log`);
  }
  assert.ok(!/authorization/i.test(text), 'an Authorization header reached the log');
});

test('an address that keeps failing gets 429 TOO_MANY_LOGINS with Retry-After, in each envelope', async (t) => {
  const { app, stores } = await buildTestApp(t, { auth: 'on' });
  await addUser(stores.auth, 'dev', 'dev-password');
  const wrong = { authorization: basic('dev', 'not-the-password') };
  for (let i = 0; i < 10; i++) {
    assert.equal((await app.inject({ url: '/index.yaml', headers: wrong })).statusCode, 401);
  }
  const good = { authorization: basic('dev', 'dev-password') };
  const http = await app.inject({ url: '/index.yaml', headers: good });
  assert.equal(http.statusCode, 429);
  assert.equal(http.json().error.startsWith('too many failed logins'), true);
  assert.ok(Number(http.headers['retry-after']) > 0 && Number(http.headers['retry-after']) <= 60);
  const oci = await app.inject({ url: '/v2/', headers: good });
  assert.equal(oci.statusCode, 429);
  assert.equal(oci.json().errors[0].code, 'TOOMANYREQUESTS');
  assert.ok(Number(oci.headers['retry-after']) > 0);
  assert.equal((await app.inject({ url: '/index.yaml' })).statusCode, 200, 'anonymous reads go on');
});
