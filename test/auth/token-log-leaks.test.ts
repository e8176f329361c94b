import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { generateToken, maskTokens } from '../../src/auth/tokens.js';
import { defaultConfig } from '../../src/config/config.js';
import { loggerOptions } from '../../src/log-options.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';

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

/** An app with users, a live, a revoked and an expired token; `logger` is the pino configuration. */
async function appWithTokens(t: TestContext, logger: object) {
  const log = captureLog();
  const { app, stores } = await buildTestApp(
    t,
    { auth: 'on' },
    {
      logger: { ...logger, level: 'trace', stream: log.stream },
      authenticator: { limiter: createLoginLimiter({ maxFailures: 1_000_000 }) },
    },
  );
  await addUser(stores.auth, 'dev', 'dev-password');
  await addUser(stores.auth, 'ops', 'ops-password');
  await addRepository(stores.auth, 'team', 'private', { dev: 'write' });
  const tokens = {
    live: await addToken(stores.auth, 'dev', 'ci'),
    revoked: await addToken(stores.auth, 'dev', 'old', { revoked: true }),
    expired: await addToken(stores.auth, 'dev', 'gone', { expires: '2026-01-02T00:00:00.000Z' }),
    forged: generateToken().secret,
  };
  return { app, log, tokens: Object.values(tokens), live: tokens.live };
}

/** Every way a client can put a token where it does not verify. */
function failingHeaders(tokens: string[], live: string): string[] {
  return [
    ...tokens.flatMap((token) => [
      basic(token, ''), // curl -u "$TOKEN:"
      basic(token, 'dev-password'),
      basic(`${token}x`, ''),
      basic('ops', token), // another user's token, or an unknown one, as the password
      `Bearer ${token}x`,
    ]),
    basic('dev', tokens[1] ?? ''), // revoked
    basic('dev', tokens[2] ?? ''), // expired
    `Bearer ${tokens[1]}`,
    `Bearer ${tokens[2]}`,
    `Bearer ${tokens[3]}`, // never issued
    `Bearer garbage-${live}`,
    `Token ${live}`, // an unsupported scheme
    `Basic ${live}`, // not base64 of user:secret
  ];
}

async function drive(app: FastifyInstance, headers: string[]) {
  const statuses = new Set<number>();
  for (const authorization of headers) {
    for (const url of ['/team/index.yaml', '/v2/']) {
      statuses.add((await app.inject({ url, headers: { authorization } })).statusCode);
    }
  }
  return statuses;
}

function assertNoToken(text: string, tokens: string[]) {
  for (const token of tokens) {
    // a long piece narrows a guess as well as the whole
    const piece = token.slice(0, 16);
    assert.ok(
      !text.includes(piece),
      `a token reached the log: ${text.split('\n').find((l) => l.includes(piece))}`,
    );
  }
}

test('a token sent as the user name, or anywhere it does not verify, never reaches the failed-login line', async (t) => {
  // pino's defaults, without the server's masking: the authenticator itself must not log it
  const { app, log, tokens, live } = await appWithTokens(t, {});
  const statuses = await drive(app, failingHeaders(tokens, live));
  assert.deepEqual([...statuses], [401], 'every one of them failed to log in');
  const text = log.text();
  assert.match(text, /"user":"cht_\[redacted\]"/, 'a token given as the user name is logged masked');
  assert.match(text, /"user":"ops"/, 'a plain user name is still logged');
  assert.equal(text.match(/login failed/g)?.length, failingHeaders(tokens, live).length * 2);
  assertNoToken(text, tokens);
});

test('the server log masks a token wherever it appears: URLs, query strings, paths, messages, nested fields', async (t) => {
  const options = loggerOptions(defaultConfig({ logLevel: 'trace' }));
  const { app, log, tokens, live } = await appWithTokens(t, options);
  await drive(app, failingHeaders(tokens, live));
  for (const token of tokens) {
    await app.inject({ url: `/team/index.yaml?token=${token}&access_token=${token}` });
    await app.inject({ url: `/api/${token}/charts` });
    await app.inject({ url: `/v2/team/${token}/manifests/1.0.0` });
    await app.inject({ url: `/team/charts/${token}.tgz`, headers: { authorization: basic('dev', live) } });
    app.log
      .child({ token })
      .error(
        { err: new Error(`bad ${token}`), deep: { list: [`x${token}y`] }, [token]: 1 },
        `message with ${token}`,
      );
  }
  const text = log.text();
  assert.match(text, /token=cht_\[redacted\]/, 'the query string is logged, masked');
  assert.match(text, /message with cht_\[redacted\]/);
  assertNoToken(text, tokens);
});

test('maskTokens keeps text without a token as it is and masks tokens and long pieces of them', () => {
  const { secret } = generateToken();
  assert.equal(maskTokens('chart cht_ demo cht_short'), 'chart cht_ demo cht_short');
  assert.equal(maskTokens(`a ${secret} b ${secret.slice(0, 14)}`), 'a cht_[redacted] b cht_[redacted]');
  assert.equal(maskTokens(`"user":"${secret}"`), '"user":"cht_[redacted]"');
});
