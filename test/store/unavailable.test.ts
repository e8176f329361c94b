import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRegistryError, RegistryError } from '../../src/errors.js';
import { asUnavailable, isDatabaseOutage } from '../../src/store/unavailable.js';

const withCode = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

test('database outages are recognised by SQLSTATE, socket error and node-postgres message', () => {
  assert.ok(
    isDatabaseOutage(withCode('terminating connection due to administrator command', { code: '57P01' })),
  );
  assert.ok(isDatabaseOutage(withCode('the database system is starting up', { code: '57P03' })));
  assert.ok(isDatabaseOutage(withCode('connection failure', { code: '08006' })));
  assert.ok(isDatabaseOutage(withCode('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })));
  assert.ok(isDatabaseOutage(withCode('read ECONNRESET', { code: 'ECONNRESET', syscall: 'read' })));
  assert.ok(isDatabaseOutage(new Error('Connection terminated unexpectedly')));
  assert.ok(isDatabaseOutage(new Error('timeout exceeded when trying to connect')));
});

test('request faults and client aborts are not outages', () => {
  assert.equal(isDatabaseOutage(withCode('duplicate key value', { code: '23505' })), false);
  assert.equal(isDatabaseOutage(withCode('syntax error', { code: '42601' })), false);
  // an aborted upload: the request stream's reset carries no syscall
  assert.equal(isDatabaseOutage(withCode('aborted', { code: 'ECONNRESET' })), false);
  assert.equal(isDatabaseOutage('ECONNREFUSED'), false);
});

test('asUnavailable turns an outage into STORE_UNAVAILABLE and leaves anything else alone', () => {
  const outage = asUnavailable(withCode('Connection terminated', { code: '57P01' }));
  assert.ok(isRegistryError(outage, 'STORE_UNAVAILABLE'));
  assert.match((outage as Error).message, /database is unavailable/);
  const other = new RegistryError('CHART_EXISTS');
  assert.equal(asUnavailable(other), other);
  const blobStore = new RegistryError('STORE_UNAVAILABLE', 'the blob store is unavailable: ECONNREFUSED');
  assert.equal(asUnavailable(blobStore), blobStore);
});
