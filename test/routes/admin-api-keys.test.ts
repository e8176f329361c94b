import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTestKey } from '../support/openpgp-sign.js';
import { adminTestApp, basic, expectError, ROOT_PASSWORD } from './admin-fixtures.js';

test('admin API: a server admin adds, lists and removes keys and sets a policy; others are refused', async (t) => {
  const { http, root, dev } = await adminTestApp(t, { auth: 'on' });
  const key = await makeTestKey('ed25519');
  const rsa = await makeTestKey('rsa');

  const added = await http
    .post('/api/admin/keys?path=team')
    .set('authorization', basic('root', ROOT_PASSWORD))
    .set('content-type', 'application/pgp-keys')
    .send(key.publicBinary);
  assert.equal(added.status, 201, added.text);
  assert.equal(added.body.keys[0].algorithm, 'ed25519');
  assert.equal(added.body.keys[0].armored, undefined);
  const json = await root.post('/api/admin/keys?global=true', { key: rsa.publicArmored });
  assert.equal(json.status, 201, json.text);
  expectError(
    await root.post('/api/admin/keys?global=true', { key: rsa.publicArmored }),
    409,
    /is already in the server-wide keyring$/,
  );
  expectError(
    await root.post('/api/admin/keys?global=true', { key: rsa.privateArmored }),
    400,
    /holds a private key/,
  );
  expectError(
    await root.post('/api/admin/keys?global=true', { key: 'garbage' }),
    400,
    /not an OpenPGP public key/,
  );
  expectError(
    await root.post('/api/admin/keys', { key: rsa.publicArmored }),
    400,
    'give path=<repository> or global=true',
  );

  const listed = await root.get('/api/admin/keys');
  assert.deepEqual(
    listed.body.keys.map((k: { scope: string }) => k.scope),
    ['*', 'team'],
  );
  const one = await root.get('/api/admin/keys?path=team');
  assert.equal(one.body.keys.length, 1);

  const fingerprint = added.body.keys[0].fingerprint;
  expectError(await dev.delete(`/api/admin/keys/${fingerprint}?path=team`), 403);
  expectError(
    await root.delete(`/api/admin/keys/${fingerprint}?path=other`),
    404,
    `no key ${fingerprint} in the keyring of repository "other"`,
  );
  assert.deepEqual((await root.delete(`/api/admin/keys/${fingerprint}?path=team`)).body, { deleted: true });

  assert.deepEqual((await root.get('/api/admin/repository/policy?path=team')).body.policy, {
    repository: 'team',
    signatures: 'off',
  });
  const set = await root.put('/api/admin/repository/policy?path=team', { signatures: 'require' });
  assert.equal(set.status, 200, set.text);
  assert.equal((await root.get('/api/admin/repository/policy?path=team')).body.policy.signatures, 'require');
  expectError(
    await root.put('/api/admin/repository/policy?path=team', { signatures: 'strict' }),
    400,
    'invalid request: body/signatures must be one of off, verify, require',
  );
  expectError(await dev.put('/api/admin/repository/policy?path=team', { signatures: 'off' }), 403);
  expectError(await http.get('/api/admin/keys'), 401);
});
