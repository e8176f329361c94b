import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import type { MetadataStore, VersionDetails } from '../../src/store/metadata-store.js';
import { openedPerTest } from './opened-per-test.js';

function version(name: string, v: string): VersionDetails {
  return {
    name,
    version: v,
    digest: 'd'.repeat(64),
    size: 100,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2' },
  };
}

/** The stored SemVer order (listVersionOrder, listVersions) and the paging of chart names. */
export function versionOrderContract(name: string, open: () => Promise<MetadataStore>): void {
  describe(`${name} MetadataStore version order`, () => {
    const store = openedPerTest(open);
    const publish = (s: MetadataStore, chart: string, versions: string[]) =>
      Promise.all(
        versions.map((v) => s.publish({ repository: 'team', chart: version(chart, v), overwrite: false })),
      );

    test('versions come newest first in SemVer precedence, and releases leave prereleases out', async (t) => {
      const s = await store(t);
      await publish(s, 'app', ['1.9.0', 'v0.5.0', '2.0.0-rc.1', '1.10.0', '1.10.0-beta.2', '1.10.0-beta.10']);
      const newestFirst = ['2.0.0-rc.1', '1.10.0', '1.10.0-beta.10', '1.10.0-beta.2', '1.9.0', 'v0.5.0'];
      assert.deepEqual(await s.listVersionOrder('team', 'app'), newestFirst);
      assert.deepEqual(await s.listVersionOrder('team', 'app', { limit: 2 }), newestFirst.slice(0, 2));
      assert.deepEqual(await s.listVersionOrder('team', 'app', { releases: true }), [
        '1.10.0',
        '1.9.0',
        'v0.5.0',
      ]);
      assert.deepEqual(await s.listVersionOrder('team', 'app', { releases: true, limit: 1 }), ['1.10.0']);
      assert.deepEqual(
        (await s.listVersions('team', ['app'])).map((v) => v.version),
        newestFirst,
      );
    });

    test('the latest release follows a delete at once, and an unknown chart has no order', async (t) => {
      const s = await store(t);
      await publish(s, 'app', ['1.9.0', '1.10.0', '2.0.0-rc.1']);
      await s.deleteVersion('team', 'app', '1.10.0');
      assert.deepEqual(await s.listVersionOrder('team', 'app', { releases: true, limit: 1 }), ['1.9.0']);
      await s.deleteVersion('team', 'app', '1.9.0');
      assert.deepEqual(await s.listVersionOrder('team', 'app', { releases: true, limit: 1 }), []);
      assert.deepEqual(await s.listVersionOrder('team', 'app'), ['2.0.0-rc.1']);
      assert.deepEqual(await s.listVersionOrder('team', 'other'), []);
      assert.deepEqual(await s.listVersionOrder('nowhere', 'app'), []);
    });

    test('listVersions gives charts in name order, each newest first, whatever order names come in', async (t) => {
      const s = await store(t);
      await publish(s, 'b', ['0.2.0', '0.10.0']);
      await publish(s, 'a', ['1.0.0', '1.0.1']);
      await publish(s, 'c', ['3.0.0']);
      assert.deepEqual(
        (await s.listVersions('team', ['b', 'a'])).map((v) => `${v.name}@${v.version}`),
        ['a@1.0.1', 'a@1.0.0', 'b@0.10.0', 'b@0.2.0'],
      );
      assert.deepEqual(
        (await s.listVersions('team')).map((v) => `${v.name}@${v.version}`),
        ['a@1.0.1', 'a@1.0.0', 'b@0.10.0', 'b@0.2.0', 'c@3.0.0'],
      );
    });

    test('concurrent publishes of one chart each resolve once stored, and a duplicate fails alone', async (t) => {
      const s = await store(t);
      await publish(s, 'app', ['1.0.0']);
      const versions = Array.from({ length: 12 }, (_, i) => `1.${i + 1}.0`);
      const outcomes = await Promise.allSettled([
        ...versions.map((v) => s.publish({ repository: 'team', chart: version('app', v), overwrite: false })),
        s.publish({
          repository: 'team',
          chart: { ...version('app', '1.0.0'), digest: 'e'.repeat(64) },
          overwrite: false,
        }),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        [...versions.map(() => 'fulfilled'), 'rejected'],
      );
      const failed = outcomes.at(-1);
      assert.ok(failed?.status === 'rejected' && isRegistryError(failed.reason, 'CHART_EXISTS'));
      assert.equal((await s.getVersion('team', 'app', '1.0.0'))?.digest, 'd'.repeat(64));
      assert.equal(await s.revision('team'), 13);
      const stored = await s.listVersionOrder('team', 'app');
      assert.deepEqual(stored, [...versions].reverse().concat('1.0.0'));
      const bodies: string[] = [];
      await s.readIndexBlocks('team', { bodies: true }, (block) => bodies.push(block.body ?? ''));
      assert.equal(bodies.length, 1);
      const listed = [...(bodies[0] ?? '').matchAll(/^ {6}version: (.+)$/gm)].map((m) => m[1]);
      assert.deepEqual(listed, stored);
    });

    test('chart names page in name order, pages are complete and do not overlap', async (t) => {
      const s = await store(t);
      const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
      for (const chart of names) await publish(s, chart, ['1.0.0', '1.1.0']);
      const pages: string[][] = [];
      for (let offset = 0; offset < 6; offset += 2)
        pages.push(await s.listChartNames('team', { offset, limit: 2 }));
      assert.deepEqual(pages, [['alpha', 'bravo'], ['charlie', 'delta'], ['echo']]);
      assert.deepEqual(await s.listChartNames('team', { offset: 0 }), [...names].sort());
      await s.deleteVersion('team', 'bravo', '1.0.0');
      await s.deleteVersion('team', 'bravo', '1.1.0');
      assert.deepEqual(await s.listChartNames('team', { offset: 0, limit: 2 }), ['alpha', 'charlie']);
      assert.deepEqual(await s.listChartNames('nowhere', { offset: 0 }), []);
    });
  });
}
