import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { compareVersionsDesc } from '../../src/charts/versions.js';
import { isRegistryError } from '../../src/errors.js';
import { buildChartBlock, type ChartBlock, versionFragments } from '../../src/repo-index/chart-block.js';
import type { VersionDetails } from '../../src/store/metadata-store.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';

function version(name: string, v: string, digest = 'd'.repeat(64)): VersionDetails {
  return {
    name,
    version: v,
    digest,
    size: 100,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2' },
  };
}

async function openStore(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-group-'));
  const file = join(dir, 'charthouse.db');
  const store = createSqliteMetadataStore(file);
  t.after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { store, file };
}

test('concurrent publishes commit together: each is on disk when it resolves, and a failing one fails alone', async (t) => {
  const { store, file } = await openStore(t);
  await store.publish({ repository: 'team', chart: version('app', '1.0.0'), overwrite: false });
  const versions = Array.from({ length: 16 }, (_, i) => `1.${i + 1}.0`);
  const outcomes = await Promise.allSettled([
    ...versions.map((v) => store.publish({ repository: 'team', chart: version('app', v), overwrite: false })),
    // already stored: rejected, and only its own savepoint is rolled back
    store.publish({ repository: 'team', chart: version('app', '1.0.0', 'e'.repeat(64)), overwrite: false }),
  ]);
  assert.deepEqual(
    outcomes.slice(0, 16).map((o) => o.status),
    versions.map(() => 'fulfilled'),
  );
  const failed = outcomes[16];
  assert.equal(failed?.status, 'rejected');
  assert.ok(failed?.status === 'rejected' && isRegistryError(failed.reason, 'CHART_EXISTS'));

  // another connection (another process, after a crash) sees every acknowledged version
  const other = new Database(file, { readonly: true });
  t.after(() => other.close());
  const stored = other
    .prepare("SELECT version, digest FROM chart_versions WHERE name = 'app'")
    .all() as Array<{ version: string; digest: string }>;
  assert.deepEqual(stored.map((r) => r.version).sort(), ['1.0.0', ...versions].sort());
  assert.equal(stored.find((r) => r.version === '1.0.0')?.digest, 'd'.repeat(64));
  assert.equal(await store.revision('team'), 17);
});

test("the chart's index block, rebuilt after the batch, holds every version of it newest first", async (t) => {
  const { store, file } = await openStore(t);
  const versions = ['0.9.0', '0.10.0', '1.0.0-rc.1', '1.0.0', '0.1.0'];
  await Promise.all(
    versions.map((v) => store.publish({ repository: 'team', chart: version('app', v), overwrite: false })),
  );
  const sorted = versions
    .map((v) => version('app', v))
    .sort((a, b) => compareVersionsDesc(a.version, b.version));
  const wanted = buildChartBlock('app', versionFragments(sorted));
  const readBlocks = async () => {
    const blocks: ChartBlock[] = [];
    await store.readIndexBlocks('team', { bodies: true }, (block) => blocks.push(block));
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]?.body, wanted.body);
    assert.deepEqual(blocks[0]?.sha256, wanted.sha256);
    assert.deepEqual(blocks[0]?.deflated, wanted.deflated);
  };
  const other = new Database(file, { readonly: true });
  t.after(() => other.close());
  const storedRow = () =>
    other.prepare("SELECT length, sha256 FROM chart_index_blocks WHERE name = 'app'").get() as
      | { length: number; sha256: Buffer }
      | undefined;
  // the write dropped the stored block: a read right after it builds the same block itself
  assert.equal(storedRow(), undefined);
  await readBlocks();
  const revision = await store.revision('team');
  // then the store rebuilds and stores it in a transaction of its own, without a new revision
  const deadline = Date.now() + 5000;
  while (!storedRow() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(storedRow()?.length, wanted.length);
  assert.deepEqual(storedRow()?.sha256, wanted.sha256);
  assert.equal(await store.revision('team'), revision);
  await readBlocks();
});

test('a block still stale when the store closes is stored before it closes', async (t) => {
  const { store, file } = await openStore(t);
  await store.publish({ repository: 'team', chart: version('app', '1.0.0'), overwrite: false });
  await store.close();
  const other = new Database(file, { readonly: true });
  t.after(() => other.close());
  assert.ok(other.prepare("SELECT 1 FROM chart_index_blocks WHERE name = 'app'").get());
});
