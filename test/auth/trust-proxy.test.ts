import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/config.js';
import { addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';

const PROXY = '10.0.0.5';
const CLIENT_A = '203.0.113.7';
const CLIENT_B = '198.51.100.9';
const wrong = basic('dev', 'not-the-password');
// a token that does not exist fails without an scrypt, which keeps ten failures a test quick
const wrongToken = 'Bearer cht_forgedforgedforgedforgedforgedforgedforg';
const right = basic('dev', 'dev-password');

/** An app with access control on, user `dev`, and its log as parsed JSON lines. */
async function proxiedApp(t: TestContext, trustProxy: Config['trustProxy']) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const { app, stores } = await buildTestApp(
    t,
    { auth: 'on', trustProxy },
    { logger: { level: 'info', stream } },
  );
  await addUser(stores.auth, 'dev', 'dev-password');
  const log = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, log };
}

/** The status of one login at /index.yaml from socket address `from`, with X-Forwarded-For `forwarded`. */
async function login(
  app: FastifyInstance,
  authorization: string,
  from: string,
  forwarded?: string,
): Promise<number> {
  const headers: Record<string, string> = { authorization };
  if (forwarded !== undefined) headers['x-forwarded-for'] = forwarded;
  return (await app.inject({ url: '/index.yaml', headers, remoteAddress: from })).statusCode;
}

/** Ten failed logins: the limit of the default limiter. */
async function failTenTimes(app: FastifyInstance, from: string, forwarded: (i: number) => string) {
  for (let i = 0; i < 10; i++) {
    assert.equal(await login(app, wrongToken, from, forwarded(i)), 401, `failure ${i}`);
  }
}

test('with --trust-proxy off, X-Forwarded-For is ignored: ten failures under ten forged addresses lock the socket address', async (t) => {
  const { app, log } = await proxiedApp(t, false);
  await failTenTimes(app, PROXY, (i) => `192.0.2.${i + 1}`);
  assert.equal(await login(app, right, PROXY, '192.0.2.200'), 429, 'a fresh forged address is still locked');
  assert.equal(await login(app, right, PROXY), 429);
  assert.equal(await login(app, wrong, '10.0.0.6'), 401, 'another socket address is not locked');
  const failed = log().filter((entry) => entry.msg === 'login failed');
  assert.equal(failed.length, 11);
  assert.ok(failed.slice(0, 10).every((entry) => entry.address === PROXY));
});

test('with --trust-proxy true, failures count per forwarded client: A is locked, B still gets 401', async (t) => {
  const { app, log } = await proxiedApp(t, true);
  await failTenTimes(app, PROXY, () => CLIENT_A);
  assert.equal(await login(app, right, PROXY, CLIENT_A), 429);
  assert.equal(await login(app, wrong, PROXY, CLIENT_B), 401);
  assert.equal(await login(app, right, PROXY, CLIENT_B), 200);
  const failed = log().filter((entry) => entry.msg === 'login failed');
  assert.deepEqual(
    failed.map((entry) => entry.address),
    [...Array(10).fill(CLIENT_A), CLIENT_B],
    'the log names the client, not the proxy',
  );
  const requests = log().filter((entry) => entry.msg === 'request completed');
  assert.equal(requests.at(-1)?.remoteAddress, CLIENT_B, 'the request log shows the client too');
});

test('with an address list, only a listed proxy is believed; a direct client forging the header is locked by its own address', async (t) => {
  const { app } = await proxiedApp(t, ['127.0.0.1', '10.0.0.0/8']);
  await failTenTimes(app, PROXY, () => CLIENT_A);
  assert.equal(await login(app, right, PROXY, CLIENT_A), 429);
  // the proxy appends to what A sent: the addresses A wrote itself are never reached
  assert.equal(await login(app, right, PROXY, `192.0.2.77, ${CLIENT_A}`), 429);
  assert.equal(await login(app, wrong, PROXY, CLIENT_B), 401);
  // a client reaching the server directly blames B ten times over
  const direct = '192.0.2.50';
  await failTenTimes(app, direct, () => CLIENT_B);
  assert.equal(await login(app, right, direct, '198.51.100.250'), 429);
  assert.equal(await login(app, wrong, PROXY, CLIENT_B), 401, 'B was never blamed');
});

test('a hop count trusts that many proxies: with two, the client behind both is counted; with one, the first proxy is', async (t) => {
  const twoProxies = (client: string) => `${client}, 10.0.0.7`;
  const two = await proxiedApp(t, 2);
  await failTenTimes(two.app, PROXY, () => twoProxies(CLIENT_A));
  assert.equal(await login(two.app, right, PROXY, twoProxies(CLIENT_A)), 429);
  assert.equal(await login(two.app, wrong, PROXY, twoProxies(CLIENT_B)), 401);
  // a client prepending a forged address does not escape: the second hop is as far as trust goes
  assert.equal(await login(two.app, right, PROXY, `192.0.2.9, ${twoProxies(CLIENT_A)}`), 429);

  const one = await proxiedApp(t, 1);
  await failTenTimes(one.app, PROXY, () => twoProxies(CLIENT_A));
  assert.equal(await login(one.app, wrong, PROXY, twoProxies(CLIENT_B)), 429, 'both are 10.0.0.7 to it');
  assert.equal(await login(one.app, wrong, PROXY, CLIENT_B), 401);
});
