import assert from 'node:assert/strict';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../src/app.js';
import { defaultConfig, loadConfig } from '../src/config/config.js';
import { createOciRegistry } from '../src/oci/oci-registry.js';
import { createRegistry } from '../src/registry.js';
import { openLocalStores } from '../src/store/open-stores.js';
import { buildTestApp, type TestApp } from './support/build-app.js';

/**
 * --upload-session-ttl at its edge. Ages are set on the session's files (its last activity is the
 * data file's mtime) rather than waited for; where the sweep timer itself is under test, the TTL
 * is tiny and the test waits for the files to go, with no bound on how long that takes.
 */
const MINUTE = 60_000;

async function openSession(http: TestApp['http'], name = 'team/app') {
  const start = await http.post(`/v2/${name}/blobs/uploads/`).expect(202);
  await http
    .patch(start.headers.location as string)
    .set('content-type', 'application/octet-stream')
    .send('partial')
    .expect(202);
  return { id: start.headers['docker-upload-uuid'] as string, location: start.headers.location as string };
}

/** Makes the session look untouched for `ms`. */
async function idle(dir: string, id: string, ms: number) {
  const when = new Date(Date.now() - ms);
  for (const file of [`${id}.data`, `${id}.json`]) await utimes(join(dir, 'uploads', file), when, when);
}

const sessionFiles = async (dir: string) => (await readdir(join(dir, 'uploads')).catch(() => [])).sort();

test('--upload-session-ttl: the default is 1h; it takes a duration, and 0 or nonsense stop start-up', () => {
  assert.equal(defaultConfig().uploadSessionTtl, 3_600_000);
  assert.equal(loadConfig(['--upload-session-ttl', '90s'], {}).uploadSessionTtl, 90_000);
  assert.equal(loadConfig([], { CHARTHOUSE_UPLOAD_SESSION_TTL: '2h' }).uploadSessionTtl, 7_200_000);
  assert.throws(
    () => loadConfig(['--upload-session-ttl', '0'], {}),
    /^ConfigError: invalid value for --upload-session-ttl: "0" is not a duration above zero/,
  );
  assert.throws(
    () => loadConfig(['--upload-session-ttl=later'], {}),
    /invalid value for --upload-session-ttl: "later" is not a duration/,
  );
});

test('--upload-session-ttl: a session idle just under the TTL goes on; just over it answers 404 BLOB_UPLOAD_UNKNOWN and its files go', async (t) => {
  const { http, dir } = await buildTestApp(t, { uploadSessionTtl: 10 * MINUTE });
  const fresh = await openSession(http);
  const stale = await openSession(http);
  await idle(dir, fresh.id, 10 * MINUTE - MINUTE);
  await idle(dir, stale.id, 10 * MINUTE + 5000);

  const going = await http.get(fresh.location).expect(204);
  assert.equal(going.headers.range, '0-6');
  await http
    .patch(fresh.location)
    .set('content-type', 'application/octet-stream')
    .send(' more')
    .expect(202)
    .expect('range', '0-11');

  for (const method of ['get', 'patch', 'put', 'delete'] as const) {
    const res = await http[method](`${stale.location}?digest=sha256:${'0'.repeat(64)}`).expect(404);
    assert.equal(res.body.errors[0].code, 'BLOB_UPLOAD_UNKNOWN', method);
    assert.match(res.body.errors[0].message, /^upload [0-9a-f-]{36} is unknown in team\/app, or it expired$/);
  }
  assert.deepEqual(await sessionFiles(dir), [`${fresh.id}.data`, `${fresh.id}.json`]);
});

// the time-out turns a sweep that never runs into a failure instead of a hang; it bounds nothing else
test('--upload-session-ttl: the sweep removes an idle session nobody asks about again', {
  timeout: 60_000,
}, async (t) => {
  const { http, dir } = await buildTestApp(t, { uploadSessionTtl: 50 });
  // (that a session has files is the previous test's; asserting it here would race the sweep)
  const start = await http.post('/v2/team/app/blobs/uploads/').expect(202);
  // The sweep runs on its own timer: wait for it, however long the machine takes.
  while ((await sessionFiles(dir)).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const res = await http.get(start.headers.location as string).expect(404);
  assert.equal(res.body.errors[0].code, 'BLOB_UPLOAD_UNKNOWN');
});

test('--upload-session-ttl: sessions left idle by a stopped server are removed at start-up, before any request', async (t) => {
  const first = await buildTestApp(t);
  const stale = await openSession(first.http);
  const fresh = await openSession(first.http);
  await idle(first.dir, stale.id, 2 * 3_600_000);

  const config = defaultConfig({ storage: first.dir, logLevel: 'silent' });
  const stores = openLocalStores(config);
  const app = await buildApp({
    config,
    registry: createRegistry({ ...stores, config }),
    oci: createOciRegistry({ ...stores, config }),
  });
  t.after(async () => {
    await app.close();
    await stores.close();
  });
  await app.ready();
  assert.deepEqual(await sessionFiles(first.dir), [`${fresh.id}.data`, `${fresh.id}.json`]);
});
