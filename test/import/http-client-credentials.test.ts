import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createHttpClient, expectOk } from '../../src/import/http-client.js';

test('a 401 names the options that set the credentials of the client that got it', async (t) => {
  const server = createServer((_req, res) => res.writeHead(401).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.yaml`;
  const importer = createHttpClient();
  const proxy = createHttpClient({ credentialOptions: '--upstream-username/--upstream-password' });
  t.after(() => {
    importer.close();
    proxy.close();
  });
  const imported = await importer.get(url);
  assert.throws(
    () => expectOk(imported, 'the index'),
    /401: check the credentials \(--username\/--password or --token\)/,
  );
  const proxied = await proxy.get(url);
  assert.throws(
    () => expectOk(proxied, 'the upstream index'),
    /401: check the credentials \(--upstream-username\/--upstream-password\)/,
  );
});
