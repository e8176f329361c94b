import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config/config.js';
import { isOciError } from '../../src/oci/errors.js';
import { createOciRegistry } from '../../src/oci/oci-registry.js';
import { createMemoryUploadSessions } from '../../src/store/memory-upload-sessions.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import type { UploadSessionStore } from '../../src/store/upload-sessions.js';
import { createMemoryBlobStore } from '../support/memory-blob-store.js';
import { sha256 } from './oci-client.js';

async function setup(
  t: { after(fn: () => unknown): void },
  wrap: (sessions: UploadSessionStore) => UploadSessionStore = (sessions) => sessions,
) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-oci-'));
  const meta = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(async () => {
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  });
  let clock = 1_000_000;
  const sessions = createMemoryUploadSessions(() => clock);
  const oci = createOciRegistry({
    meta,
    blobs: createMemoryBlobStore(),
    config: defaultConfig({ storage: dir }),
    sessions: wrap(sessions),
    uploadTtlMs: 60_000,
    now: () => clock,
  });
  return { oci, sessions, advance: (ms: number) => (clock += ms) };
}

test('the sweep removes upload sessions untouched for longer than the TTL and keeps fresh ones', async (t) => {
  const { oci, sessions, advance } = await setup(t);
  const old = await oci.startUpload('team/demo');
  advance(50_000);
  const fresh = await oci.startUpload('team/demo');
  advance(20_000);
  assert.equal(await oci.sweepUploads(), 1);
  assert.deepEqual(
    (await sessions.list()).map((s) => s.id),
    [fresh],
  );
  await assert.rejects(oci.uploadStatus('team/demo', old), (err) => isOciError(err, 'BLOB_UPLOAD_UNKNOWN'));
});

test('activity keeps a session alive; an expired one cannot be finished and is removed on access', async (t) => {
  const { oci, sessions, advance } = await setup(t);
  const id = await oci.startUpload('demo');
  advance(40_000);
  await oci.appendUpload('demo', id, Readable.from([Buffer.from('abc')]));
  advance(40_000);
  assert.equal((await oci.uploadStatus('demo', id)).size, 3);
  advance(61_000);
  await assert.rejects(oci.finishUpload('demo', id, sha256('abc')), (err) =>
    isOciError(err, 'BLOB_UPLOAD_UNKNOWN'),
  );
  assert.deepEqual(await sessions.list(), []);
});

test('chunks of one session are applied one at a time, in arrival order', async (t) => {
  const { oci } = await setup(t);
  const id = await oci.startUpload('demo');
  const parts = ['one-', 'two-', 'three'];
  await Promise.all(parts.map((p) => oci.appendUpload('demo', id, Readable.from([Buffer.from(p)]))));
  const digest = await oci.finishUpload('demo', id, sha256(parts.join('')));
  assert.equal(digest, sha256('one-two-three'));
  assert.deepEqual(await oci.statBlob('demo', digest), { size: 13 });
});

test('a chunk that another replica appended first, after this one read the session, answers RANGE_INVALID', async (t) => {
  // the other replica's append lands between this replica's status read and its own write
  let otherReplica: (() => Promise<unknown>) | undefined;
  const { oci, sessions } = await setup(t, (inner) => ({
    ...inner,
    async append(id, source, options) {
      await otherReplica?.();
      otherReplica = undefined;
      return inner.append(id, source, options);
    },
  }));
  const id = await oci.startUpload('demo');
  await oci.appendUpload('demo', id, Readable.from([Buffer.from('abc')]));
  otherReplica = () => sessions.append(id, Readable.from([Buffer.from('XYZ')]));
  await assert.rejects(
    oci.appendUpload('demo', id, Readable.from([Buffer.from('def')]), { start: 3, end: 5 }),
    (err) => isOciError(err, 'RANGE_INVALID'),
  );
  assert.equal((await oci.uploadStatus('demo', id)).size, 6);
});
