import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config/config.js';
import { loggerOptions, prettyLogs } from '../../src/log-options.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

function captureLog() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, text: () => chunks.join(''), lines };
}

async function loggedApp(t: TestContext, level = 'info') {
  const log = captureLog();
  const built = await buildTestApp(
    t,
    { auth: 'on' },
    { logger: { ...loggerOptions(defaultConfig({ logLevel: level })), stream: log.stream } },
  );
  await addUser(built.stores.auth, 'dev', 'dev-password');
  await addRepository(built.stores.auth, 'team', 'public', { dev: 'write' });
  return { ...built, log };
}

const completed = (lines: Array<Record<string, unknown>>) =>
  lines.filter((l) => l.msg === 'request completed');

test('one line per request: method, route, repository, status, bytes, duration, user and request id', async (t) => {
  const { app, stores, log } = await loggedApp(t);
  const token = await addToken(stores.auth, 'dev', 'ci');
  const pushed = await app.inject({
    method: 'POST',
    url: '/api/team/charts',
    headers: { 'content-type': 'application/gzip', authorization: `Bearer ${token}` },
    payload: await makeChart({ name: 'demo', version: '1.0.0' }),
  });
  assert.equal(pushed.statusCode, 201);
  const pulled = await app.inject({
    url: '/team/charts/demo-1.0.0.tgz',
    headers: { 'x-request-id': 'trace-42' },
  });
  assert.equal(pulled.statusCode, 200);
  const lines = completed(log.lines());
  assert.equal(lines.length, 2, 'exactly one line per request');
  const [push, pull] = lines;
  assert.deepEqual(
    { ...push, durationMs: typeof push?.durationMs, reqId: typeof push?.reqId },
    {
      level: 30,
      time: push?.time,
      pid: push?.pid,
      hostname: push?.hostname,
      reqId: 'string',
      msg: 'request completed',
      method: 'POST',
      url: '/api/team/charts',
      route: '/api/:r1/charts',
      repository: 'team',
      status: 201,
      bytes: Buffer.byteLength(pushed.body),
      durationMs: 'number',
      user: 'dev',
      remoteAddress: '127.0.0.1',
    },
  );
  assert.equal(push?.reqId, pushed.headers['x-request-id']);
  assert.equal(pull?.reqId, 'trace-42');
  assert.equal(pull?.bytes, pulled.rawPayload.length, 'the body bytes of a streamed package');
  assert.equal(pull?.user, undefined, 'no credentials, no user');
  assert.ok(!log.text().includes(token.slice(0, 16)), 'the token reached the log');
});

test('the probes log at debug, not at info', async (t) => {
  const info = await loggedApp(t, 'info');
  for (const url of ['/health', '/ready', '/metrics'])
    assert.equal((await info.app.inject({ url })).statusCode, 200);
  assert.deepEqual(completed(info.log.lines()), []);
  const debug = await loggedApp(t, 'debug');
  for (const url of ['/health', '/ready', '/metrics']) await debug.app.inject({ url });
  assert.deepEqual(
    completed(debug.log.lines()).map((l) => [l.route, l.level]),
    [
      ['/health', 20],
      ['/ready', 20],
      ['/metrics', 20],
    ],
  );
});

test('a failed login is logged with the name tried, never the password, and no verified user', async (t) => {
  const { app, log } = await loggedApp(t);
  const response = await app.inject({
    url: '/team/index.yaml',
    headers: { authorization: basic('dev', 'hunter2-wrong') },
  });
  assert.equal(response.statusCode, 401);
  const [line] = completed(log.lines());
  assert.equal(line?.status, 401);
  assert.equal(line?.user, undefined);
  assert.ok(!log.text().includes('hunter2-wrong'));
});

test('--log-format: auto is pretty on a terminal only; json and pretty are what they say', () => {
  assert.equal(prettyLogs({ logFormat: 'auto' }, true), true);
  assert.equal(prettyLogs({ logFormat: 'auto' }, false), false);
  assert.equal(prettyLogs({ logFormat: 'json' }, true), false);
  assert.equal(prettyLogs({ logFormat: 'pretty' }, false), true);
  assert.equal('stream' in loggerOptions({ logLevel: 'info', logFormat: 'json' }, { terminal: true }), false);
  assert.equal('stream' in loggerOptions({ logLevel: 'info', logFormat: 'pretty' }), true);
});
