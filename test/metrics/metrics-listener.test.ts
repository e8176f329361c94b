import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/server.js';
import { parseExposition, sampleValue } from './exposition.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

test('--metrics-address serves /metrics on its own listener, and the main port answers 404 there', async (t) => {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-metrics-'));
  const port = await freePort();
  const server = await startServer(
    defaultConfig({
      storage,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      metricsAddress: `127.0.0.1:${port}`,
    }),
  );
  t.after(async () => {
    await server.close();
    await rm(storage, { recursive: true, force: true });
  });
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  const main = await fetch(`${server.url}/metrics`);
  assert.equal(main.status, 404);
  const own = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(own.status, 200);
  assert.match(String(own.headers.get('content-type')), /^text\/plain/);
  const samples = parseExposition(await own.text());
  assert.equal(
    sampleValue(samples, 'chartmuseum_requests_total', { code: '200', method: 'GET', url: '/health' }),
    1,
    'the main port is still instrumented',
  );
  assert.equal(
    (await fetch(`http://127.0.0.1:${port}/health`)).status,
    404,
    'nothing else on the metrics port',
  );
  await server.close();
  await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`), 'the listener closes with the server');
});

test('--metrics-address and --log-format are checked at start-up, with one line naming the option', () => {
  for (const bad of ['9090', 'host:', 'host:99999', '[::1:9090', 'a b:80']) {
    assert.throws(
      () => loadConfig(['--metrics-address', bad], {}),
      (err: unknown) => err instanceof ConfigError && /--metrics-address/.test(err.message),
      bad,
    );
  }
  for (const good of ['0.0.0.0:9090', ':9090', '[::1]:9090', 'localhost:9100']) {
    assert.equal(loadConfig(['--metrics-address', good], {}).metricsAddress, good);
  }
  assert.equal(loadConfig([], {}).metrics, true);
  assert.equal(loadConfig(['--metrics=false'], {}).metrics, false);
  assert.equal(loadConfig([], { CHARTHOUSE_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
  assert.throws(() => loadConfig(['--log-format', 'xml'], {}), /--log-format/);
});
