import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareVersionsDesc } from '../../src/charts/versions.js';
import { buildChartBlock, type ChartBlock, versionFragments } from '../../src/repo-index/chart-block.js';
import type { MetadataStore, VersionDetails } from '../../src/store/metadata-store.js';
import { openedPerTest } from './opened-per-test.js';

function version(name: string, v: string, digest = 'd'.repeat(64), extra = {}): VersionDetails {
  return {
    name,
    version: v,
    digest,
    size: 100,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2', description: `${name} chart`, ...extra },
  };
}

async function blocks(s: MetadataStore, repository: string, bodies = true) {
  const out: ChartBlock[] = [];
  const read = await s.readIndexBlocks(repository, { bodies }, (block) => out.push(block));
  return { read, blocks: out };
}

/** What readIndexBlocks must give for these versions of one chart. */
function expected(name: string, versions: VersionDetails[]) {
  const sorted = [...versions].sort((a, b) => compareVersionsDesc(a.version, b.version));
  return buildChartBlock(name, versionFragments(sorted));
}

function assertBlock(actual: ChartBlock | undefined, wanted: ReturnType<typeof expected>) {
  assert.ok(actual);
  assert.equal(actual.name, wanted.name);
  assert.deepEqual(actual.body, wanted.body);
  assert.equal(actual.length, wanted.length);
  assert.equal(actual.crc32, wanted.crc32);
  assert.deepEqual(actual.sha256, wanted.sha256);
  assert.deepEqual(actual.deflated, wanted.deflated);
}

/** readIndexBlocks: the stored pieces of index.yaml follow every write. */
export function indexBlocksContract(name: string, open: () => Promise<MetadataStore>): void {
  describe(`${name} MetadataStore index blocks`, () => {
    const store = openedPerTest(open);

    test('blocks come in name order with versions newest first, at the revision they were read', async (t) => {
      const s = await store(t);
      const b = [
        version('b', '1.0.0'),
        version('b', '1.10.0'),
        version('b', '1.2.0-rc.1'),
        version('b', 'v1.2.0'),
      ];
      const a = [version('a', '0.1.0', 'a'.repeat(64), { keywords: ['x', 'y'], deprecated: true })];
      for (const chart of [...b, ...a]) await s.publish({ repository: 'team', chart, overwrite: false });
      const { read, blocks: got } = await blocks(s, 'team');
      assert.deepEqual(read, { revision: 5, updated: read?.updated });
      assert.deepEqual(
        got.map((block) => block.name),
        ['a', 'b'],
      );
      assertBlock(got[0], expected('a', a));
      assertBlock(got[1], expected('b', b));
    });

    test('without bodies, blocks carry their digests and deflate stream only', async (t) => {
      const s = await store(t);
      await s.publish({ repository: '', chart: version('a', '1.0.0'), overwrite: false });
      const { blocks: got } = await blocks(s, '', false);
      assert.equal(got.length, 1);
      assert.equal(got[0]?.body, undefined);
      assert.deepEqual(got[0]?.sha256, expected('a', [version('a', '1.0.0')]).sha256);
    });

    test('an overwrite and a delete rebuild the chart block, and the last delete removes it', async (t) => {
      const s = await store(t);
      await s.publish({ repository: '', chart: version('a', '1.0.0'), overwrite: false });
      await s.publish({ repository: '', chart: version('a', '2.0.0'), overwrite: false });
      const replaced = version('a', '1.0.0', 'f'.repeat(64));
      await s.publish({ repository: '', chart: replaced, overwrite: true });
      assertBlock((await blocks(s, '')).blocks[0], expected('a', [replaced, version('a', '2.0.0')]));
      await s.deleteVersion('', 'a', '2.0.0');
      assertBlock((await blocks(s, '')).blocks[0], expected('a', [replaced]));
      await s.deleteVersion('', 'a', '1.0.0');
      assert.deepEqual((await blocks(s, '')).blocks, []);
    });

    test('an unknown repository reads as undefined and an empty one as no blocks', async (t) => {
      const s = await store(t);
      let calls = 0;
      assert.equal(await s.readIndexBlocks('nope', { bodies: true }, () => calls++), undefined);
      assert.deepEqual(await blocks(s, ''), {
        read: { revision: 0, updated: (await blocks(s, '')).read?.updated },
        blocks: [],
      });
      assert.equal(calls, 0);
    });
  });
}
